"""Set-based writes: COPY on PostgreSQL, executemany in the caller's transaction on SQLite."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

import polars as pl
from django.db import connection

SQLITE_CHUNK = 20_000


def db_datetime(value: Any) -> Any:
    """A datetime as the database takes it in raw SQL and bulk rows (an ISO string on SQLite)."""
    return connection.ops.adapt_datetimefield_value(value)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows into `table` without models; returns how many. Run inside transaction.atomic()."""
    count = 0
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg 3 cursor behind Django's wrapper
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({cols}) VALUES ({marks})"
        it = iter(rows)
        while chunk := list(islice(it, SQLITE_CHUNK)):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


FRAME_CHUNK = 100_000


def insert_frame(table: str, frame: pl.DataFrame) -> int:
    """Insert a Polars frame whose columns are named after the table's columns. On PostgreSQL Polars writes
    CSV (in Rust) straight into COPY; on SQLite the rows go through executemany."""
    if connection.vendor != "postgresql":
        return insert_rows(table, frame.columns, frame.iter_rows())
    cols = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for part in frame.iter_slices(FRAME_CHUNK):
            # Text is always quoted: COPY reads only an unquoted \N as NULL, so "\N" typed by a person survives.
            copy.write(
                part.write_csv(include_header=False, null_value="\\N", quote_style="non_numeric").encode()
            )
    return frame.height


def read_frame(sql: str, params: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Run a query and return its rows as a Polars frame with `schema` (names in the SELECT's order). On
    PostgreSQL the rows travel as CSV through COPY (no Python tuple per row); on SQLite through fetchall."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                for block in copy:
                    buffer.write(block)
            if not buffer.tell():
                return pl.DataFrame(schema=schema)
            buffer.seek(0)
            # PostgreSQL writes booleans as t/f, which Polars' CSV reader does not take for a Boolean.
            flags = [name for name, kind in schema.items() if kind == pl.Boolean]
            raw = {name: (pl.String if name in flags else kind) for name, kind in schema.items()}
            frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema=raw)
            return (
                frame.with_columns([(pl.col(name) == "t").alias(name) for name in flags]) if flags else frame
            )
        cursor.execute(sql, params)
        return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")
