"""`jaring`: the one entry for every batch job and admin task (jaring.cli.main)."""

from jaring.cli.main import main

__all__ = ["main"]
