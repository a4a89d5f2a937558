"""Logging that never carries personal data in a query string (UU 27/2022): a request line or a URL in a log
record keeps its path, and its query string is replaced by "?…"."""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"']*")


def strip_query(text: str) -> str:
    return _QUERY.sub("?…", text)


class NoQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = strip_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(strip_query(a) if isinstance(a, str) else a for a in record.args)
        return True
