"""Practice flow: mock interviews, export/import, watch mode."""

from __future__ import annotations

import json
import threading
import time

import pytest

from nnquiz.ui.cli import app

pytestmark = pytest.mark.usefixtures("mini_bank")


def test_scripted_mock_produces_and_saves_a_report(runner, curriculum, mini_bank):
    result = runner.invoke(
        app, ["mock", "--minutes", "1", "--seed", "1", "--json"], input="a\nt\nf\n"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout[result.stdout.index('{\n  "created_at"') :])
    assert len(report["questions"]) == 3
    assert report["kata"]["slug"] == "add" and report["kata"]["status"] == "not attempted"
    assert {"topics", "review_next", "score_pct", "seconds"} <= set(report)
    last = runner.invoke(app, ["mock", "--last", "--json"])
    assert json.loads(last.stdout)["questions"] == report["questions"]
    human = runner.invoke(app, ["mock", "--last"])
    assert "Score per topic" in human.stdout and "Time per question" in human.stdout


def test_mock_grades_an_existing_workspace_file(runner, curriculum, mini_bank, isolated):
    (isolated / "work").mkdir()
    (isolated / "work" / "add.py").write_text("def add(a, b):\n    return a + b\n")
    result = runner.invoke(
        app, ["mock", "--minutes", "1", "--kata", "add", "--json"], input="a\na\na\n"
    )
    report = json.loads(result.stdout[result.stdout.index('{\n  "created_at"') :])
    assert report["kata"]["status"] == "pass"


@pytest.mark.parametrize(
    "args, message",
    [
        (["mock", "--minutes", "-3"], "--minutes must be a positive number"),
        (["mock", "--topic", "nope"], "unknown topic"),
        (["mock", "--kata", "knnn"], "unknown kata"),
        (["mock", "--last"], "no mock interview yet"),
    ],
    ids=["negative minutes", "unknown topic", "unknown kata", "no last report"],
)
def test_mock_bad_input(runner, args, message):
    result = runner.invoke(app, args, input="")
    assert result.exit_code == 2
    assert message in result.output


def test_export_import_round_trip_gives_identical_stats(runner, tmp_path, monkeypatch):
    runner.invoke(app, ["ask", "--count", "4", "--seed", "2"], input="a\nt\n\nfew modes\n")
    runner.invoke(app, ["hint", "knn"])
    before = runner.invoke(app, ["stats", "--json"]).stdout
    for fmt in ("json", "csv"):
        out = tmp_path / f"progress.{fmt}"
        assert runner.invoke(app, ["export", "--format", fmt, "--out", str(out)]).exit_code == 0
        monkeypatch.setenv("NNQUIZ_HOME", str(tmp_path / f"fresh-{fmt}"))
        result = runner.invoke(app, ["import", str(out)])
        assert result.exit_code == 0, result.output
        assert runner.invoke(app, ["stats", "--json"]).stdout == before
        again = runner.invoke(app, ["import", str(out)])  # merging twice duplicates nothing
        assert "0 answers, 0 review logs" in again.stdout
        assert runner.invoke(app, ["stats", "--json"]).stdout == before
        monkeypatch.setenv("NNQUIZ_HOME", str(tmp_path / "home"))


def test_import_merges_two_machines(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("NNQUIZ_HOME", str(tmp_path / "a"))
    runner.invoke(app, ["ask", "--count", "2", "--seed", "1"], input="a\nb\n")
    runner.invoke(app, ["export", "--out", str(tmp_path / "a.json")])
    monkeypatch.setenv("NNQUIZ_HOME", str(tmp_path / "b"))
    runner.invoke(app, ["ask", "--count", "3", "--seed", "2"], input="a\nb\nc\n")
    runner.invoke(app, ["import", str(tmp_path / "a.json")])
    data = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert data["answered"] == 5


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"hello": 1}', "not an nnquiz progress export"),
        ("not json at all", "not an nnquiz progress export"),
        ('{"format": "nnquiz-progress", "version": 1, "answers": [{"x": 1}]}', "lack fields"),
        ("{broken", "invalid JSON"),
    ],
    ids=["foreign json", "text", "missing fields", "broken json"],
)
def test_import_refuses_foreign_files(runner, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = runner.invoke(app, ["import", str(bad)])
    assert result.exit_code == 2
    assert message in result.output
    assert json.loads(runner.invoke(app, ["stats", "--json"]).stdout)["answered"] == 0


def test_export_bad_format(runner):
    result = runner.invoke(app, ["export", "--format", "xml"])
    assert result.exit_code == 2


def test_watch_regrades_on_save_and_survives_a_syntax_error(curriculum, isolated):
    from rich.console import Console

    from nnquiz.katas import catalogue as katas
    from nnquiz.store import open_store
    from nnquiz.ui.watch import watch

    kata = katas.get_kata("add")
    target = isolated / "add.py"
    target.write_text("def add(a, b):\n    return a - b\n")
    console = Console(record=True, width=120)

    def edit():
        time.sleep(3)
        target.write_text("def add(a, b)\n    return\n")  # mid-edit: a syntax error
        time.sleep(3)
        target.write_text("def add(a, b):\n    return a + b\n")

    editor = threading.Thread(target=edit)
    editor.start()
    with open_store() as store:
        runs = watch(store, kata, target, console, "en", interval=0.2, max_runs=3, stream=None)
    editor.join()
    text = console.export_text()
    assert runs == 3
    assert "FAIL" in text and "syntax error: line 1" in text and "PASS" in text
    assert text.index("FAIL") < text.index("syntax error") < text.index("PASS")


def test_watch_missing_file(runner, curriculum):
    result = runner.invoke(app, ["watch", "add"])
    assert result.exit_code == 2
    assert "nnquiz kata add" in result.output
