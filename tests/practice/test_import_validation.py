"""Import of a hand-edited export: every field validated, one clear line, exit 2, nothing
written; unknown question ids kept and counted in a warning (issue 14, item 4)."""

from __future__ import annotations

import json

import pytest

from nnquiz.ui.cli import app


@pytest.fixture
def export(runner, tmp_path, mini_bank):
    runner.invoke(app, ["ask", "--count", "3", "--seed", "2"], input="a\nt\n\n")
    runner.invoke(app, ["grade", "knn", "--file", str(tmp_path / "missing.py")])
    out = tmp_path / "progress.json"
    assert runner.invoke(app, ["export", "--out", str(out)]).exit_code == 0
    return out


def _answered(runner) -> int:
    return json.loads(runner.invoke(app, ["stats", "--json"]).stdout)["answered"]


@pytest.mark.parametrize(
    "table, field, value, problem",
    [
        ("answers", "rating", 9, "rating: 9 is not a rating (1-4)"),
        ("answers", "answered_at", "yesterday", "answered_at: 'yesterday' is not a date and time"),
        ("answers", "score", "high", "score: 'high' is not a number from 0 to 1"),
        ("answers", "rating", "3", "rating: '3' is not a rating (1-4)"),
        ("answers", "correct", "yes", "correct: 'yes' is not true, false or null"),
        ("answers", "uid", "", "uid: '' is not a non-empty text"),
        ("review_logs", "rating", 0, "rating: 0 is not a rating (1-4)"),
        ("review_logs", "reviewed_at", "2026-13-01", "reviewed_at: '2026-13-01' is not"),
    ],
)
def test_a_bad_field_is_one_line_exit_2_and_nothing_written(
    runner, tmp_path, monkeypatch, export, table, field, value, problem
):
    data = json.loads(export.read_text())
    assert data[table], table
    data[table][-1][field] = value
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    monkeypatch.setenv("NNQUIZ_HOME", str(tmp_path / "fresh"))
    result = runner.invoke(app, ["import", str(edited)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"{edited}: record {len(data[table])} ({table}): {problem}" in lines[0]
    assert _answered(runner) == 0


def test_a_bad_field_in_csv_is_reported_too(runner, tmp_path, monkeypatch, mini_bank):
    runner.invoke(app, ["ask", "--count", "1", "--seed", "2"], input="a\n")
    out = tmp_path / "p.csv"
    runner.invoke(app, ["export", "--format", "csv", "--out", str(out)])
    text = (
        out.read_text()
        .replace('"rating"": 3', '"rating"": 9')
        .replace('"rating"": 1', '"rating"": 9')
    )
    out.write_text(text)
    monkeypatch.setenv("NNQUIZ_HOME", str(tmp_path / "fresh"))
    result = runner.invoke(app, ["import", str(out)])
    assert result.exit_code == 2, result.output
    assert "rating: 9 is not a rating (1-4)" in result.output


def test_unknown_question_ids_are_kept_and_counted(runner, tmp_path, monkeypatch, export):
    data = json.loads(export.read_text())
    for table in ("answers", "review_logs"):
        for row in data[table]:
            row["question_id"] = "no-such-question"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    monkeypatch.setenv("NNQUIZ_HOME", str(tmp_path / "fresh"))
    result = runner.invoke(app, ["import", str(edited)])
    assert result.exit_code == 0, result.output
    assert "1 question id not in the bank" in result.output
    assert "no-such-question" in result.output
    assert _answered(runner) == len(data["answers"])
