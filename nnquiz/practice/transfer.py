"""Progress out and back in: export to JSON or CSV, import merging without duplicates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from nnquiz.errors import UsageError
from nnquiz.paths import read_text
from nnquiz.quiz import scheduling
from nnquiz.store import Store

FORMAT = "nnquiz-progress"
FORMAT_VERSION = 1
TABLES = {
    "answers": (
        "uid",
        "question_id",
        "answered_at",
        "given",
        "correct",
        "score",
        "rating",
        "duration_s",
        "session_id",
        "topic",
        "content_hash",
    ),
    "review_logs": ("uid", "question_id", "rating", "reviewed_at"),
    "kata_attempts": (
        "uid",
        "slug",
        "attempted_at",
        "status",
        "passed",
        "failed",
        "errors",
        "total",
        "duration_s",
        "file",
    ),
    "mock_reports": ("uid", "created_at", "report_json"),
    "hints": ("slug", "revealed"),
}


def export_data(store: Store) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": store.clock.now_iso(),
    }
    data.update(store.export_rows(TABLES))
    return data


FORMATS = ("json", "csv")


def to_text(data: dict[str, Any], fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(key="errors.unknown_format", fmt=fmt)
    if fmt == "json":
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "row"])
    writer.writerow(
        ["meta", json.dumps({k: data[k] for k in ("format", "version", "exported_at")})]
    )
    for table in TABLES:
        for row in data[table]:
            writer.writerow([table, json.dumps(row, ensure_ascii=False)])
    return out.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all."""
    import os

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(key="errors.cannot_write", file=path, reason=exc.strerror or exc) from None


def parse(path: Path) -> dict[str, Any]:
    """Read an export (JSON or CSV); anything that is not one is a UsageError saying why."""
    text = read_text(path, UsageError)
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UsageError(key="errors.export_bad_json", file=path, detail=exc) from None
    elif text.startswith("table,row"):
        data = {t: [] for t in TABLES}
        try:
            for i, (table, row) in enumerate(csv.reader(io.StringIO(text))):
                if i == 0:
                    continue
                if table == "meta":
                    data.update(json.loads(row))
                elif table in TABLES:
                    data[table].append(json.loads(row))
        except (ValueError, csv.Error) as exc:
            raise UsageError(key="errors.export_bad_csv", file=path, detail=exc) from None
    else:
        raise UsageError(key="errors.export_unknown", file=path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(key="errors.export_no_format", file=path, format=FORMAT)
    if data.get("version") != FORMAT_VERSION:
        raise UsageError(
            key="errors.export_version", file=path, version=data.get("version"), ours=FORMAT_VERSION
        )
    for table, cols in TABLES.items():
        rows = data.get(table, [])
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and set(cols) <= set(r) for r in rows
        ):
            raise UsageError(
                key="errors.export_rows", file=path, table=table, fields=", ".join(cols)
            )
    problems = [
        f"{path}: record {n} ({table}): {problem}"
        for table in TABLES
        for n, row in enumerate(data.get(table, []), start=1)
        for problem in _row_problems(table, row)
    ]
    if problems:
        more = len(problems) - 1
        raise UsageError(
            problems[0]
            + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
            + "; nothing was imported: fix the file or export it again"
        )
    return data


# What each field of an export must hold (a hand-edited file is checked field by field).


def _text(v: Any) -> bool:
    return isinstance(v, str) and v != ""


def _opt_text(v: Any) -> bool:
    return v is None or isinstance(v, str)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v


def _opt_count(v: Any) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0)


def _when(v: Any) -> bool:
    from datetime import datetime

    if not isinstance(v, str):
        return False
    try:
        datetime.fromisoformat(v)
    except ValueError:
        return False
    return True


def _json_text(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    try:
        json.loads(v)
    except ValueError:
        return False
    return True


_CHECKS: dict[str, tuple[Any, str]] = {
    "uid": (_text, "a non-empty text"),
    "question_id": (_text, "a non-empty text"),
    "slug": (_text, "a non-empty text"),
    "given": (lambda v: isinstance(v, str), "a text"),
    "correct": (lambda v: v is None or isinstance(v, bool) or v in (0, 1), "true, false or null"),
    "score": (lambda v: _number(v) and 0 <= v <= 1, "a number from 0 to 1"),
    "rating": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 4,
        "a rating (1-4)",
    ),
    "duration_s": (lambda v: v is None or (_number(v) and v >= 0), "a number of seconds or null"),
    "answered_at": (_when, "a date and time (ISO 8601, e.g. 2026-01-31T09:00:00+00:00)"),
    "reviewed_at": (_when, "a date and time (ISO 8601, e.g. 2026-01-31T09:00:00+00:00)"),
    "attempted_at": (_when, "a date and time (ISO 8601, e.g. 2026-01-31T09:00:00+00:00)"),
    "created_at": (_when, "a date and time (ISO 8601, e.g. 2026-01-31T09:00:00+00:00)"),
    "session_id": (_opt_text, "a text or null"),
    "topic": (_opt_text, "a text or null"),
    "content_hash": (_opt_text, "a text or null"),
    "file": (_opt_text, "a text or null"),
    "status": (lambda v: v in ("pass", "fail", "error"), "pass, fail or error"),
    "passed": (_opt_count, "a count (0 or more) or null"),
    "failed": (_opt_count, "a count (0 or more) or null"),
    "errors": (_opt_count, "a count (0 or more) or null"),
    "total": (_opt_count, "a count (0 or more) or null"),
    "report_json": (_json_text, "a JSON text"),
    "revealed": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "a count (0 or more)",
    ),
}


def _row_problems(table: str, row: dict[str, Any]) -> list[str]:
    out = []
    for col in TABLES[table]:
        check, what = _CHECKS[col]
        value = row[col]
        if not check(value):
            out.append(
                f"{col}: {json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)} is not {what}"
            )
    return out


def unknown_question_ids(data: dict[str, Any], known: set[str]) -> list[str]:
    """Question ids of the export that the bank does not have (kept on import: a question
    may come back, or live in a bank of the user's own on the other machine)."""
    ids = {row["question_id"] for t in ("answers", "review_logs") for row in data.get(t, [])}
    return sorted(ids - known)


def import_data(store: Store, data: dict[str, Any]) -> dict[str, int]:
    """Merge: rows are keyed by uid, so importing the same file twice adds nothing. Cards are
    derived state: each touched card is rebuilt from its whole review history."""
    return store.merge_rows(data, TABLES, scheduling.replay)
