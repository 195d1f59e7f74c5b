"""NNQUIZ_HOME problems say what is wrong (issue 14, item 5): a read-only folder, a folder
that is a file, a missing parent (a typo must not look like lost progress); read-only
commands work on a read-only database."""

from __future__ import annotations

import json
import os
import stat

import pytest

from nnquiz.ui.cli import app


def _read_only(path):
    path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


@pytest.fixture
def home(tmp_path, monkeypatch, mini_bank):
    home = tmp_path / "home"
    monkeypatch.setenv("NNQUIZ_HOME", str(home))
    yield home
    for p in (home, home / "progress.sqlite3"):  # let pytest clean up
        if p.exists():
            p.chmod(0o755)


def _one_answer(runner):
    result = runner.invoke(app, ["ask", "--count", "1", "--seed", "1"], input="a\n")
    assert result.exit_code == 0, result.output


def test_a_read_only_folder_says_read_only(runner, home):
    home.mkdir()
    _read_only(home)
    result = runner.invoke(app, ["ask", "--count", "1"], input="a\n")
    assert result.exit_code == 2
    assert "read-only" in result.output and str(home) in result.output
    assert "mv " not in result.output and "move it aside" not in result.output


def test_a_home_that_is_a_file_says_not_a_folder(runner, home):
    home.write_text("oops")
    for args in (["ask", "--count", "1"], ["stats"]):
        result = runner.invoke(app, args, input="a\n")
        assert result.exit_code == 2
        assert "not a folder" in result.output and str(home) in result.output
        assert "mv " not in result.output
    assert home.read_text() == "oops"


def test_home_problems_are_explained_in_the_sessions_language(runner, home, tmp_path):
    home.write_text("oops")
    result = runner.invoke(app, ["--lang", "zh", "stats"])
    assert result.exit_code == 2
    assert f"NNQUIZ_HOME {home} 不是文件夹（而是一个文件）" in result.output
    home.unlink()
    home.mkdir()
    (home / "progress.sqlite3").mkdir()
    result = runner.invoke(app, ["ask", "--count", "1", "--lang", "zh"], input="a\n")
    assert result.exit_code == 2
    assert "它是一个文件夹，不是文件。把它移开" in result.output
    assert "folder" not in result.output.replace(str(home), "")


def test_a_home_whose_parent_is_missing_is_an_error(runner, tmp_path, monkeypatch):
    typo = tmp_path / "no-such-parent" / "home"
    monkeypatch.setenv("NNQUIZ_HOME", str(typo))
    for args in (["stats"], ["ask", "--count", "1"]):
        result = runner.invoke(app, args, input="a\n")
        assert result.exit_code == 2, result.output
        assert "does not exist" in result.output and str(typo.parent) in result.output
    assert not typo.parent.exists()


def test_the_platform_default_is_created_with_its_parents(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("NNQUIZ_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg" / "share"))
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "xdg" / "share" / "nnquiz" / "progress.sqlite3").exists()


def test_read_only_commands_work_on_a_read_only_database(runner, home, tmp_path):
    _one_answer(runner)
    before = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    db = home / "progress.sqlite3"
    for p in home.iterdir():
        _read_only(p)
    _read_only(home)
    mtime = db.stat().st_mtime_ns
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == before
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())["answers"]) == 1
    assert runner.invoke(app, ["questions"]).exit_code == 0
    assert runner.invoke(app, ["stats"]).exit_code == 0
    result = runner.invoke(app, ["ask", "--count", "1"], input="a\n")  # a write: clear refusal
    assert result.exit_code == 2
    assert "read-only" in result.output and "mv " not in result.output
    assert db.stat().st_mtime_ns == mtime
    assert sorted(os.listdir(home)) == sorted(p.name for p in home.iterdir())


def test_a_read_only_database_file_in_a_writable_folder(runner, home):
    _one_answer(runner)
    db = home / "progress.sqlite3"
    _read_only(db)
    assert runner.invoke(app, ["stats", "--json"]).exit_code == 0
    result = runner.invoke(app, ["hint", "knn"])
    assert result.exit_code == 2
    assert "read-only" in result.output and str(db) in result.output


def test_a_typo_home_is_not_created_by_the_bank_cache(runner, tmp_path, monkeypatch, mini_bank):
    typo = tmp_path / "no-such-parent" / "home"
    monkeypatch.setenv("NNQUIZ_HOME", str(typo))
    monkeypatch.delenv("NNQUIZ_CACHE")
    assert runner.invoke(app, ["questions"]).exit_code == 0
    assert not typo.parent.exists()
