"""The progress database: SQLite in the data dir, WAL mode, versioned migrations.

Only the parent process writes progress. Every answer is committed as it is given, so a
killed session keeps what it recorded.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnquiz import clock as clocks
from nnquiz import paths
from nnquiz.clock import Clock
from nnquiz.errors import Phrase, StoreError

SCHEMA_VERSION = 2

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY, question_id TEXT NOT NULL, answered_at TEXT NOT NULL,
        given TEXT NOT NULL, correct INTEGER, score REAL NOT NULL, rating INTEGER NOT NULL,
        duration_s REAL, session_id TEXT);
    CREATE INDEX answers_question ON answers(question_id);
    CREATE TABLE cards (question_id TEXT PRIMARY KEY, card_json TEXT NOT NULL, due TEXT NOT NULL);
    CREATE TABLE review_logs (
        id INTEGER PRIMARY KEY, question_id TEXT NOT NULL, rating INTEGER NOT NULL,
        reviewed_at TEXT NOT NULL);
    CREATE TABLE kata_attempts (
        id INTEGER PRIMARY KEY, slug TEXT NOT NULL, attempted_at TEXT NOT NULL,
        status TEXT NOT NULL, passed INTEGER, failed INTEGER, errors INTEGER, total INTEGER,
        duration_s REAL, file TEXT);
    """,
    2: """
    ALTER TABLE answers ADD COLUMN uid TEXT;
    ALTER TABLE answers ADD COLUMN topic TEXT;
    ALTER TABLE answers ADD COLUMN content_hash TEXT;
    ALTER TABLE review_logs ADD COLUMN uid TEXT;
    ALTER TABLE kata_attempts ADD COLUMN uid TEXT;
    UPDATE answers SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    UPDATE review_logs SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    UPDATE kata_attempts SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX answers_uid ON answers(uid);
    CREATE UNIQUE INDEX review_logs_uid ON review_logs(uid);
    CREATE UNIQUE INDEX kata_attempts_uid ON kata_attempts(uid);
    CREATE TABLE hints (slug TEXT PRIMARY KEY, revealed INTEGER NOT NULL);
    CREATE TABLE mock_reports (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL,
        report_json TEXT NOT NULL, uid TEXT UNIQUE);
    """,
}


def new_uid() -> str:
    return uuid.uuid4().hex


@dataclass(eq=False)
class AnswerRecord:
    question_id: str
    topic: str
    given: str
    correct: bool | None
    score: float
    rating: int
    duration_s: float
    session_id: str
    content_hash: str = ""


class Store:
    """One open progress database."""

    def __init__(
        self, path: Path | None = None, clock: Clock | None = None, read_only: bool = False
    ) -> None:
        """`read_only`: for commands that only read (stats, export, the home screen): a
        database nnquiz may not write is opened read-only, and a data folder that cannot
        be created gives an empty in-memory one."""
        self.path = path or paths.db_path()
        self.clock = clock or clocks.system_clock()
        self.read_only = read_only
        self.conn = self._open()

    def _diagnose(self) -> StoreError | None:
        """What stops nnquiz from writing the database, as an error the user can act on;
        None when it can be written (or created). A folder that is a file, or a missing
        parent of NNQUIZ_HOME, is raised at once: not even reading can work then."""
        folder = self.path.parent
        env: str | Phrase = "NNQUIZ_HOME"
        if paths.data_dir_is_default():
            env = Phrase("errors.store_data_folder")
        if folder.exists() and not folder.is_dir():
            raise StoreError(key="errors.store_home_is_file", env=env, folder=folder)
        if not folder.exists():
            parent = folder.parent
            if not paths.data_dir_is_default() and not parent.is_dir():
                raise StoreError(key="errors.store_home_parent", folder=folder, parent=parent)
            existing = next((p for p in folder.parents if p.exists()), None)
            if existing is not None and not paths.writable(existing):
                return StoreError(
                    key="errors.store_cannot_create", env=env, folder=folder, existing=existing
                )
            return None
        if self.path.is_dir():
            raise self._fail(Phrase("errors.store_why_folder"))
        if not paths.writable(folder):
            return StoreError(key="errors.store_folder_read_only", env=env, folder=folder)
        if self.path.exists() and not paths.writable(self.path):
            return StoreError(key="errors.store_db_read_only", path=self.path)
        return None

    def _fail(self, why: str | Phrase) -> StoreError:
        """The database cannot be used (`why`: a Phrase, or SQLite's own words)."""
        return StoreError(key="errors.store_unusable", path=self.path, why=why)

    def _open(self) -> sqlite3.Connection:
        problem = self._diagnose()
        if problem is not None:
            if not self.read_only:
                raise problem
            return self._open_read_only()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise self._fail(Phrase("errors.store_why_mkdir", reason=reason)) from None
        if self.path.is_dir():
            raise self._fail(Phrase("errors.store_why_folder"))
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 30000")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if version == 0 and tables:
                conn.close()
                names = ", ".join(sorted(tables)[:5])
                raise self._fail(Phrase("errors.store_why_other_program", tables=names))
            if version > SCHEMA_VERSION:
                conn.close()
                raise self._fail(Phrase("errors.store_why_newer", version=version))
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(conn, version)
        except sqlite3.DatabaseError as exc:
            raise self._fail(str(exc)) from None
        except OSError as exc:
            raise self._fail(exc.strerror or str(exc)) from None
        conn.row_factory = sqlite3.Row
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        """The database as it is, never written; none yet: an empty one in memory."""
        from urllib.parse import quote

        if not self.path.exists():
            conn = sqlite3.connect(":memory:", isolation_level=None)
            self._migrate(conn, 0)
            conn.row_factory = sqlite3.Row
            return conn
        uri = f"file:{quote(str(self.path.resolve()))}"
        last = ""
        for mode in ("?mode=ro", "?immutable=1"):  # a WAL file in a read-only folder: immutable
            try:
                conn = sqlite3.connect(uri + mode, uri=True, isolation_level=None)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                last = str(exc)
                continue
            if version != SCHEMA_VERSION:
                conn.close()
                why = Phrase("errors.store_why_schema", version=version, ours=SCHEMA_VERSION)
                raise self._fail(why)
            conn.row_factory = sqlite3.Row
            return conn
        raise self._fail(last)

    @staticmethod
    def _migrate(conn: sqlite3.Connection, version: int) -> None:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                if current < target:  # another process may have migrated meanwhile
                    for statement in MIGRATIONS[target].split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {target}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise self._fail(str(exc)) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._fail(str(exc)) from None

    # ------------------------------------------------------------------ quiz

    def record_answer(
        self, rec: AnswerRecord, card_json: str, due: str, when: str | None = None
    ) -> None:
        """The answer, its review log and the card's new state, in one transaction."""
        when = when or self.clock.now_iso()
        with self.transaction() as c:
            c.execute(
                "INSERT INTO answers (question_id, answered_at, given, correct, score, rating, "
                "duration_s, session_id, uid, topic, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    rec.question_id,
                    when,
                    rec.given,
                    None if rec.correct is None else int(rec.correct),
                    rec.score,
                    rec.rating,
                    rec.duration_s,
                    rec.session_id,
                    new_uid(),
                    rec.topic,
                    rec.content_hash,
                ),
            )
            c.execute(
                "INSERT INTO review_logs (question_id, rating, reviewed_at, uid) VALUES (?,?,?,?)",
                (rec.question_id, rec.rating, when, new_uid()),
            )
            c.execute(
                "INSERT OR REPLACE INTO cards (question_id, card_json, due) VALUES (?,?,?)",
                (rec.question_id, card_json, due),
            )

    def card_json(self, question_id: str) -> str | None:
        rows = self.query("SELECT card_json FROM cards WHERE question_id = ?", (question_id,))
        return rows[0]["card_json"] if rows else None

    def due_cards(self, now: str) -> list[tuple[str, str]]:
        """(question_id, due) of cards due at `now`, most overdue first."""
        rows = self.query("SELECT question_id, due FROM cards WHERE due <= ? ORDER BY due", (now,))
        return [(r["question_id"], r["due"]) for r in rows]

    def new_cards_since(self, since: str) -> int:
        """How many questions were answered for the first time at or after `since`."""
        rows = self.query(
            "SELECT count(*) FROM (SELECT min(answered_at) AS first FROM answers "
            "GROUP BY question_id) WHERE first >= ?",
            (since,),
        )
        return int(rows[0][0])

    def all_cards(self) -> dict[str, str]:
        return {
            r["question_id"]: r["due"] for r in self.query("SELECT question_id, due FROM cards")
        }

    def answers(self) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM answers ORDER BY answered_at, id")

    # ------------------------------------------------------------------ katas

    def record_attempt(
        self, slug: str, status: str, counts: dict[str, int], duration_s: float, file: str
    ) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO kata_attempts (slug, attempted_at, status, passed, failed, errors, total,"
                " duration_s, file, uid) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    slug,
                    self.clock.now_iso(),
                    status,
                    counts.get("passed", 0),
                    counts.get("failed", 0),
                    counts.get("errors", 0),
                    counts.get("total", 0),
                    duration_s,
                    file,
                    new_uid(),
                ),
            )

    def kata_status(self) -> dict[str, dict[str, Any]]:
        """Per slug: attempts, best status ('pass' beats 'fail' beats 'error'), last time."""
        out: dict[str, dict[str, Any]] = {}
        for r in self.query(
            "SELECT slug, status, attempted_at FROM kata_attempts ORDER BY attempted_at, id"
        ):
            s = out.setdefault(r["slug"], {"attempts": 0, "status": "error", "last": ""})
            s["attempts"] += 1
            s["last"] = r["attempted_at"]
            if r["status"] == "pass" or (r["status"] == "fail" and s["status"] == "error"):
                s["status"] = r["status"]
        return out

    def hints_revealed(self, slug: str) -> int:
        rows = self.query("SELECT revealed FROM hints WHERE slug = ?", (slug,))
        return int(rows[0]["revealed"]) if rows else 0

    def set_hints_revealed(self, slug: str, count: int) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO hints (slug, revealed) VALUES (?, ?)", (slug, count))

    # ------------------------------------------------------------------ mock interviews

    def save_mock(self, report: dict[str, Any]) -> None:
        import json

        with self.transaction() as c:
            c.execute(
                "INSERT INTO mock_reports (created_at, report_json, uid) VALUES (?,?,?)",
                (self.clock.now_iso(), json.dumps(report, ensure_ascii=False), new_uid()),
            )

    def last_mock(self) -> dict[str, Any] | None:
        import json

        rows = self.query(
            "SELECT report_json FROM mock_reports ORDER BY created_at DESC, id DESC LIMIT 1"
        )
        return json.loads(rows[0]["report_json"]) if rows else None

    def attempt_times(self) -> list[str]:
        """When each kata attempt was made (for the streak)."""
        return [r["attempted_at"] for r in self.query("SELECT attempted_at FROM kata_attempts")]

    # ------------------------------------------------------------------ export / import

    def export_rows(self, tables: dict[str, tuple[str, ...]]) -> dict[str, list[dict[str, Any]]]:
        """Every row of each table, as {column: value} for the columns named."""
        return {
            table: [
                dict(zip(cols, row))
                for row in self.query(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid")
            ]
            for table, cols in tables.items()
        }

    def merge_rows(
        self,
        data: dict[str, Any],
        tables: dict[str, tuple[str, ...]],
        rebuild_card: Callable[[str, list[tuple[str, int]]], tuple[str, str]],
    ) -> dict[str, int]:
        """Merge exported rows keyed by uid (a second merge adds nothing); every card touched
        is rebuilt from its whole review history by `rebuild_card(question_id, [(time, rating)])`.
        Returns the rows added per table."""
        added: dict[str, int] = {}
        with self.transaction() as c:
            for table, cols in tables.items():
                before = c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for row in data.get(table, []):
                    values = tuple(row[col] for col in cols)
                    if table == "hints":
                        c.execute(
                            "INSERT INTO hints (slug, revealed) VALUES (?, ?) ON CONFLICT(slug) "
                            "DO UPDATE SET revealed = max(revealed, excluded.revealed)",
                            values,
                        )
                    else:
                        c.execute(
                            f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES "
                            f"({', '.join('?' * len(cols))})",
                            values,
                        )
                added[table] = c.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
            touched = {row["question_id"] for row in data.get("review_logs", [])}
            for qid in sorted(touched):
                logs = [
                    (r[0], r[1])
                    for r in c.execute(
                        "SELECT reviewed_at, rating FROM review_logs WHERE question_id = ?", (qid,)
                    )
                ]
                card_json, due = rebuild_card(qid, logs)
                c.execute(
                    "INSERT OR REPLACE INTO cards (question_id, card_json, due) VALUES (?,?,?)",
                    (qid, card_json, due),
                )
        return added


def open_store(
    path: Path | None = None, clock: Clock | None = None, read_only: bool = False
) -> Store:
    return Store(path, clock, read_only)
