"""The progress store survives concurrency, crashes, foreign files and old schemas."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from nnquiz.store import SCHEMA_VERSION, Store

from ..conftest import FIXTURES, MINI_BANK, ROOT


def _env(tmp_path):
    return {**os.environ, "NNQUIZ_HOME": str(tmp_path / "home"), "NNQUIZ_QUESTIONS": str(MINI_BANK)}


def _answered(tmp_path) -> int:
    with Store(tmp_path / "home" / "progress.sqlite3") as store:
        return len(store.answers())


def test_two_sessions_at_once_record_all_80_answers(tmp_path):
    """Two scripted `nnquiz ask` sessions at the same time, 40 answers each (a 40-question bank)."""
    bank = tmp_path / "bank"
    bank.mkdir()
    lines = []
    for i in range(40):
        lines.append(f"""- id: tf-{i}
  type: truefalse
  topic: fundamentals
  difficulty: 1
  covers: [S000-01]
  question: {{en: "Statement {i}", zh: "陈述 {i}"}}
  answer: true
  explanation: {{en: "Because.", zh: "因为。"}}
""")
    (bank / "tf.yaml").write_text("".join(lines), encoding="utf-8")
    env = {**_env(tmp_path), "NNQUIZ_QUESTIONS": str(bank)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "nnquiz", "ask", "--count", "40", "--seed", str(i)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            text=True,
        )
        for i in range(2)
    ]
    for p in procs:
        p.stdin.write("t\n" * 40)
        p.stdin.close()
    for p in procs:
        assert p.wait(timeout=180) == 0, p.stderr.read()
    assert _answered(tmp_path) == 80
    with Store(tmp_path / "home" / "progress.sqlite3") as store:
        assert len(store.query("SELECT * FROM review_logs")) == 80
        assert len(store.all_cards()) == 40


def test_sigkill_mid_session_keeps_every_answer_given(tmp_path):
    env = _env(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "nnquiz", "ask", "--count", "6", "--seed", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        text=True,
        bufsize=1,
    )
    for _ in range(3):
        proc.stdin.write("a\n")
        proc.stdin.flush()
    deadline = time.monotonic() + 60
    seen = ""
    while seen.count("Why") < 3 and time.monotonic() < deadline:  # three answers graded and shown
        seen += proc.stdout.readline()
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _answered(tmp_path) == 3


def test_old_schema_migrates_without_loss(tmp_path):
    db = tmp_path / "home" / "progress.sqlite3"
    db.parent.mkdir()
    shutil.copy(FIXTURES / "progress-v1.sqlite3", db)
    with Store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = store.answers()
        assert [r["question_id"] for r in rows] == ["mini-tf-adam", "mini-choice-relu"]
        assert all(r["uid"] for r in rows)
        assert store.kata_status()["knn"]["status"] == "pass"
        assert set(store.all_cards()) == {"mini-tf-adam", "mini-choice-relu"}
    out = subprocess.run(
        [sys.executable, "-m", "nnquiz", "stats", "--json"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert json.loads(out.stdout)["answered"] == 2


def test_newer_schema_is_refused(tmp_path):
    import sqlite3

    db = tmp_path / "progress.sqlite3"
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    from nnquiz.errors import StoreError

    with pytest.raises(StoreError, match="newer nnquiz"):
        Store(db)


def test_database_path_that_is_a_folder(tmp_path):
    from nnquiz.errors import StoreError

    (tmp_path / "progress.sqlite3").mkdir()
    with pytest.raises(StoreError, match="folder"):
        Store(tmp_path / "progress.sqlite3")


def test_corrupt_database_via_the_real_cli(tmp_path):
    db = tmp_path / "home" / "progress.sqlite3"
    db.parent.mkdir()
    db.write_bytes(b"\x00garbage" * 500)
    out = subprocess.run(
        [sys.executable, "-m", "nnquiz", "ask", "--count", "1"],
        input="a\n",
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 2
    assert out.stderr.startswith("Error: ") and "Traceback" not in out.stderr
    assert str(db) in out.stderr and "mv " in out.stderr
