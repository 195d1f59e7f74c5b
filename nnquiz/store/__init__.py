"""The progress database (SQLite): the only place SQL is written."""

from nnquiz.store.db import SCHEMA_VERSION, AnswerRecord, Store, open_store

__all__ = ["SCHEMA_VERSION", "AnswerRecord", "Store", "open_store"]
