"""Exit 0 when the PostgreSQL server at the given URL answers; try to start a local cluster once if not."""

import shutil
import subprocess
import sys
import time

import psycopg

url = sys.argv[1] if len(sys.argv) > 1 else "postgresql://127.0.0.1:5432/test"


def answers() -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
        return True
    except psycopg.Error:
        return False


if answers():
    sys.exit(0)
if shutil.which("pg_ctlcluster") and ("127.0.0.1" in url or "localhost" in url):
    versions = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()
    for version in versions:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
    for _ in range(10):
        if answers():
            sys.exit(0)
        time.sleep(1)
sys.exit(1)
