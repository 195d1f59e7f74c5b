"""The quiz commands through the real typer app, error paths included."""

from __future__ import annotations

import json
import sqlite3

import pytest

from nnquiz.ui.cli import app

from ..conftest import MINI_BANK

pytestmark = pytest.mark.usefixtures("mini_bank")


def stats_json(runner) -> dict:
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_scripted_session_records_every_answer(runner):
    result = runner.invoke(app, ["ask", "--count", "3", "--seed", "7"], input="a\nt\n\n")
    assert result.exit_code == 0, result.output
    assert "Session summary" in result.stdout
    data = stats_json(runner)
    assert data["answered"] == 3
    assert data["cards"] == 3


def test_empty_line_and_misfit_answers_are_misses(runner):
    result = runner.invoke(
        app, ["ask", "--type", "truefalse", "--count", "2", "--seed", "1"], input="\nbanana\n"
    )
    assert result.exit_code == 0, result.output
    assert "Not answered" in result.stdout
    assert "does not fit" in result.stdout
    data = stats_json(runner)
    assert data["answered"] == 2
    assert data["accuracy_pct"] == 0.0


def test_correct_answers_count_as_correct(runner):
    # mini-tf-adam is false, mini-tf-dropout is true; answer both right whatever the order
    result = runner.invoke(
        app, ["ask", "--type", "truefalse", "--count", "2", "--seed", "1"], input="f\nt\n"
    )
    first = result.stdout.index("Adam") < result.stdout.index("dropout")
    answers = "f\nt\n" if first else "t\nf\n"
    runner2 = type(runner)()
    result = runner2.invoke(
        app, ["ask", "--type", "truefalse", "--count", "2", "--seed", "1"], input=answers
    )
    assert result.stdout.count("Correct.") == 2, result.stdout


def _letters_of(output: str, texts: set[str]) -> str:
    """The display letters of the options whose text is in `texts` (choices are shuffled)."""
    import re

    return "".join(
        m.group(1) for m in re.finditer(r"^\s+([a-f])\) (.+)$", output, re.M) if m.group(2) in texts
    )


def test_multi_answer_choice_needs_every_letter(runner):
    args = ["ask", "--topic", "evaluation", "--count", "1", "--seed", "5"]
    first = runner.invoke(app, args, input="\n")
    right = _letters_of(first.stdout, {"PSNR", "SSIM"})
    assert len(right) == 2
    assert "Correct." in runner.invoke(app, args, input=right + "\n").stdout
    assert "Wrong." in runner.invoke(app, args, input=right[0] + "\n").stdout
    assert "Correct." in runner.invoke(app, args, input=f"{right[1]}, {right[0].upper()}\n").stdout


def test_choices_are_shuffled_per_seed(runner):
    orders = set()
    for seed in range(8):
        out = runner.invoke(
            app, ["ask", "--topic", "fundamentals", "--count", "1", "--seed", str(seed)], input="\n"
        )
        orders.add(_letters_of(out.stdout, {"ReLU"}))
    assert len(orders) > 1


def test_open_answer_is_rated_from_key_points_without_a_terminal(runner):
    result = runner.invoke(
        app,
        ["ask", "--type", "open", "--count", "1"],
        input="the generator makes a few modes and samples lack diversity\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.count("probably covered") == 2


def test_session_stops_cleanly_at_end_of_input(runner):
    result = runner.invoke(app, ["ask", "--count", "5", "--seed", "2"], input="a\n")
    assert result.exit_code == 0, result.output
    assert "ended early" in result.stdout
    assert stats_json(runner)["answered"] == 1


def test_chinese_session(runner):
    result = runner.invoke(
        app, ["ask", "--lang", "zh", "--type", "truefalse", "--count", "1"], input="t\n"
    )
    assert result.exit_code == 0, result.output
    assert "解析" in result.stdout


def test_due_takes_due_cards_first(runner, monkeypatch):
    runner.invoke(
        app, ["ask", "--topic", "gan", "--count", "1"], input="\n"
    )  # Again: due in minutes
    from datetime import datetime, timezone

    from nnquiz import clock

    later = clock.FixedClock(datetime(2999, 1, 1, tzinfo=timezone.utc))
    monkeypatch.setattr(clock, "system_clock", lambda: later)
    result = runner.invoke(app, ["review", "--count", "1"], input="\n")
    assert "mode collapse" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["ask", "--topic", "gans"], "unknown topic 'gans'"),
        (["ask", "--count", "0"], "--count must be at least 1"),
        (["ask", "--type", "essay"], "unknown --type"),
        (["ask", "--difficulty", "5"], "--difficulty must be 1, 2 or 3"),
        (["ask", "--lang", "fr"], "unknown language"),
        (["questions", "--show", "no-such-id"], "no question with id"),
    ],
    ids=[
        "unknown topic",
        "count 0",
        "bad type",
        "bad difficulty",
        "bad language",
        "unknown question",
    ],
)
def test_bad_options_exit_2_with_a_message(runner, args, message):
    result = runner.invoke(app, args, input="")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_unknown_topic_lists_the_valid_ones(runner):
    result = runner.invoke(app, ["ask", "--topic", "gans"])
    assert "Did you mean 'gan'?" in result.output
    assert "fundamentals" in result.output


def test_unknown_option_exits_2(runner):
    result = runner.invoke(app, ["ask", "--bogus"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_questions_search_and_show(runner):
    result = runner.invoke(app, ["questions", "--search", "dropout"])
    assert result.exit_code == 0
    assert "mini-tf-dropout" in result.stdout
    assert "mini-choice-relu" not in result.stdout
    result = runner.invoke(app, ["questions", "--show", "mini-open-mode-collapse", "--lang", "zh"])
    assert result.exit_code == 0
    assert "模式崩溃" in result.stdout


def test_version(runner):
    from nnquiz import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_stats_json_shape(runner):
    runner.invoke(app, ["ask", "--count", "2", "--seed", "3"], input="a\nb\n")
    data = stats_json(runner)
    assert {"answered", "topics", "due", "streak_days", "katas"} <= set(data)
    assert data["streak_days"] == 1
    assert sum(t["answered"] for t in data["topics"].values()) == 2


def test_stats_human(runner):
    runner.invoke(app, ["ask", "--count", "2", "--seed", "3"], input="a\nb\n")
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0
    assert "Quiz by topic" in result.stdout


def test_home_screen(runner):
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    assert "Next:" in result.stdout


@pytest.mark.parametrize(
    "content", [b"this is not a database at all" * 100, b""], ids=["garbage", "empty"]
)
def test_corrupt_database_gets_a_way_out(runner, isolated, content):
    home = isolated / "home"
    home.mkdir()
    db = home / "progress.sqlite3"
    db.write_bytes(content)
    result = runner.invoke(app, ["stats"])
    if content:
        assert result.exit_code == 2
        assert str(db) in result.output and "Move it aside" in result.output
        assert db.read_bytes() == content  # nothing lost
    else:
        assert result.exit_code == 0  # an empty file is a new database


def test_foreign_sqlite_database_is_refused(runner, isolated):
    home = isolated / "home"
    home.mkdir()
    db = home / "progress.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE photos (id INTEGER)")
    con.commit()
    con.close()
    result = runner.invoke(app, ["ask", "--count", "1"], input="a\n")
    assert result.exit_code == 2
    assert "another program" in result.output


def test_every_command_has_help_with_an_example(runner):
    import typer.main

    group = typer.main.get_command(app)
    names = list(group.commands)
    assert {
        "ask",
        "review",
        "questions",
        "stats",
        "validate",
        "kata",
        "hint",
        "solution",
        "grade",
    } <= set(names)
    for name in names:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.stdout or name == "cache", f"{name} --help has no example"


def test_validate_reports_malformed_yaml_with_file_and_line(runner, tmp_path, monkeypatch):
    bank = tmp_path / "mybank"
    bank.mkdir()
    bad = bank / "bad.yaml"
    bad.write_text("- id: x\n  type: choice\n  question: {en: 'a', zh: 'b'\n", encoding="utf-8")
    monkeypatch.setenv("NNQUIZ_BANK", str(bank))
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    assert f"{bad}:4: malformed YAML" in result.stdout
    result = runner.invoke(app, ["ask", "--count", "1"])  # a user's file is skipped, with a warning
    assert result.exit_code == 0, result.output
    assert f"warning: {bad}:4" in result.output


def test_validate_clean_bank_exits_0(runner, curriculum):
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stdout


def test_validate_missing_path(runner):
    result = runner.invoke(app, ["validate", "no/such/dir"])
    assert result.exit_code == 2


def test_user_bank_questions_are_asked(runner, tmp_path, monkeypatch):
    bank = tmp_path / "mine"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        (MINI_BANK / "mini.yaml").read_text(encoding="utf-8").replace("id: mini-", "id: my-"),
        encoding="utf-8",
    )
    monkeypatch.setenv("NNQUIZ_BANK", str(bank))
    result = runner.invoke(app, ["questions", "--search", "my-tf-adam"])
    assert "my-tf-adam" in result.stdout
