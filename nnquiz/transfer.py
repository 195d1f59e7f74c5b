"""Progress out and back in: export to JSON or CSV, import merging without duplicates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from nnquiz import review
from nnquiz.errors import UsageError
from nnquiz.paths import read_text
from nnquiz.store import Store, now_iso

FORMAT = "nnquiz-progress"
FORMAT_VERSION = 1
TABLES = {
    "answers": ("uid", "question_id", "answered_at", "given", "correct", "score", "rating", "duration_s",
                "session_id", "topic", "content_hash"),
    "review_logs": ("uid", "question_id", "rating", "reviewed_at"),
    "kata_attempts": ("uid", "slug", "attempted_at", "status", "passed", "failed", "errors", "total",
                      "duration_s", "file"),
    "mock_reports": ("uid", "created_at", "report_json"),
    "hints": ("slug", "revealed"),
}


def export_data(store: Store) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT, "version": FORMAT_VERSION, "exported_at": now_iso()}
    for table, cols in TABLES.items():
        data[table] = [dict(zip(cols, row)) for row in
                       store.query(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid")]
    return data


def to_text(data: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "row"])
    writer.writerow(["meta", json.dumps({k: data[k] for k in ("format", "version", "exported_at")})])
    for table in TABLES:
        for row in data[table]:
            writer.writerow([table, json.dumps(row, ensure_ascii=False)])
    return out.getvalue()


def parse(path: Path) -> dict[str, Any]:
    """Read an export (JSON or CSV); anything that is not one is a UsageError saying why."""
    text = read_text(path, UsageError)
    not_ours = f"{path} is not an nnquiz progress export"
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UsageError(f"{not_ours}: invalid JSON ({exc})") from None
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
            raise UsageError(f"{not_ours}: malformed CSV ({exc})") from None
    else:
        raise UsageError(f"{not_ours}: expected the JSON or CSV written by `nnquiz export`")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"{not_ours}: it has no \"format\": \"{FORMAT}\" field")
    if data.get("version") != FORMAT_VERSION:
        raise UsageError(f"{path} is format version {data.get('version')!r}; this nnquiz reads {FORMAT_VERSION}")
    for table, cols in TABLES.items():
        rows = data.get(table, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) and set(cols) <= set(r) for r in rows):
            raise UsageError(f"{not_ours}: the {table!r} rows lack fields ({', '.join(cols)})")
    return data


def import_data(store: Store, data: dict[str, Any]) -> dict[str, int]:
    """Merge: rows are keyed by uid, so importing the same file twice adds nothing."""
    added: dict[str, int] = {}
    with store.transaction() as c:
        for table, cols in TABLES.items():
            before = c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for row in data.get(table, []):
                values = tuple(row[col] for col in cols)
                if table == "hints":
                    c.execute("INSERT INTO hints (slug, revealed) VALUES (?, ?) ON CONFLICT(slug) DO UPDATE "
                              "SET revealed = max(revealed, excluded.revealed)", values)
                else:
                    c.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES "
                              f"({', '.join('?' * len(cols))})", values)
            added[table] = c.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
        # cards are derived state: rebuild each touched card from its whole review history
        touched = {row["question_id"] for row in data.get("review_logs", [])}
        for qid in sorted(touched):
            logs = [(r[0], r[1]) for r in c.execute(
                "SELECT reviewed_at, rating FROM review_logs WHERE question_id = ?", (qid,))]
            card_json, due = review.replay(qid, logs)
            c.execute("INSERT OR REPLACE INTO cards (question_id, card_json, due) VALUES (?,?,?)",
                      (qid, card_json, due))
    return added
