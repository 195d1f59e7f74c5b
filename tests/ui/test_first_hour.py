"""The small things a new user hits in the first hour (issue 14, item 14)."""

from __future__ import annotations

import builtins
import sys

import pytest

from nnquiz.katas import catalogue
from nnquiz.ui.cli import app


@pytest.mark.parametrize("name", ["image_metrics", "knn.py", "image_metrics.py", "KNN"])
def test_workspace_file_names_are_accepted_as_slugs(name):
    kata = catalogue.get_kata(name)
    assert kata.slug == name.lower().removesuffix(".py").replace("_", "-")


def test_rnn_suggests_lstm(runner):
    result = runner.invoke(app, ["kata", "rnn"])
    assert result.exit_code == 2
    assert "lstm" in result.output


def test_aliases_are_validated(tmp_path):
    from nnquiz.katas.catalogue import _known, _problems

    known = _known()
    assert not isinstance(known, str)
    folder = catalogue.load_catalogue()["lstm"].folder
    from nnquiz.yamlio import load_yaml

    data = load_yaml(folder / "kata.yaml", ValueError)
    data["aliases"] = "rnn"
    from nnquiz import paths

    problems = _problems("lstm", folder, data, paths.solutions_dir(), known)
    assert any("aliases" in p for p in problems)


def test_kata_list_is_grouped_by_track_and_marks_torch(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    result = runner.invoke(app, ["kata"])
    assert result.exit_code == 0, result.output
    tracks = catalogue.load_tracks()
    positions = [result.output.index(t.name["en"]) for t in tracks.values()]
    assert positions == sorted(positions)
    gan_line = next(line for line in result.output.splitlines() if " gan " in f" {line} ")
    assert "torch" in gan_line
    knn_line = next(line for line in result.output.splitlines() if "knn" in line)
    assert "torch" not in knn_line
    zh = runner.invoke(app, ["kata", "--lang", "zh"])
    for t in tracks.values():
        assert t.name["zh"] in zh.output


def test_torch_kata_warns_at_once_when_torch_is_missing(runner, monkeypatch):
    real_import = builtins.__import__
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    import importlib.util

    real_find = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "torch" else real_find(name, *a),
    )
    del real_import
    result = runner.invoke(app, ["kata", "gan"])
    assert result.exit_code == 0, result.output
    head = result.output[:400]
    assert "PyTorch" in head and "download.pytorch.org/whl/cpu" in head


def test_home_suggests_a_warm_up_kata_first(runner):
    result = runner.invoke(app, [])
    assert result.exit_code == 0, result.output
    first_track = next(iter(catalogue.load_tracks()))
    warm = next(
        k
        for k in catalogue.load_catalogue().values()
        if k.track == first_track and k.difficulty == 1
    )
    assert f"nnquiz kata {warm.slug}" in result.output
    assert "warm-up" in result.output


@pytest.fixture
def mini(mini_bank):
    return mini_bank


def test_choice_questions_show_their_model_answer_after_the_verdict(runner, mini):
    result = runner.invoke(
        app, ["ask", "--type", "choice", "--topic", "fundamentals", "--count", "1"], input="b\n"
    )
    assert result.exit_code == 0, result.output
    assert "Model answer: ReLU." in result.output


def test_questions_show_is_a_browse_view(runner, mini):
    result = runner.invoke(app, ["questions", "--show", "mini-choice-relu"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Which activation is max(0, x)?" in out and "ReLU zeroes negative inputs." in out
    assert "Q1/1" not in out  # not a quiz frame
    assert "Answer with a letter" not in out
    assert "Enter = don't know" not in out
    assert str(mini) not in out and "/" + "mini.yaml" not in out  # no absolute path
    assert "S000-01" not in out  # no internal coverage ids


def test_empty_search_says_no_match(runner, mini):
    result = runner.invoke(app, ["questions", "--search", "zebra-quokka"])
    assert result.exit_code == 0
    assert "No match" in result.output
    zh = runner.invoke(app, ["questions", "--search", "zebra-quokka", "--lang", "zh"])
    assert "没有匹配" in zh.output


def test_questions_without_a_filter_page_on_a_terminal(mini, monkeypatch):
    import contextlib
    import io

    from rich.console import Console

    from nnquiz.quiz import bank
    from nnquiz.ui import quiz_view

    loaded = bank.load_bank()
    for terminal, expected in ((True, ["paged"]), (False, [])):
        paged: list[str] = []
        console = Console(file=io.StringIO(), force_terminal=terminal, width=100)

        def pager(*args, _paged=paged, **kw):
            _paged.append("paged")
            return contextlib.nullcontext()

        monkeypatch.setattr(console, "pager", pager)
        quiz_view.question_list(console, loaded, "en", total=len(loaded), page=True)
        assert paged == expected
        assert "mini-choice-relu" in console.file.getvalue()


def test_kata_last_times_are_local_dates(monkeypatch):
    import io

    from rich.console import Console

    from nnquiz.practice.progress import Stats
    from nnquiz.ui import quiz_view

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    import time

    time.tzset()
    try:
        data = Stats(
            answered=0,
            accuracy_pct=0.0,
            due=0,
            streak_days=0,
            cards=0,
            topics={},
            katas={"knn": {"status": "pass", "attempts": 2, "last": "2026-01-02T20:30:00+00:00"}},
        )
        out = io.StringIO()
        quiz_view.stats(Console(file=out, width=120, color_system=None), data, "en")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert "2026-01-03 04:30" in out.getvalue()
    assert "T20:30" not in out.getvalue()


def test_mock_report_in_chinese_with_a_local_date(monkeypatch):
    import io
    import time

    from rich.console import Console

    from nnquiz.ui import mock_session

    report = {
        "created_at": "2026-01-02T20:30:00+00:00",
        "minutes": 5,
        "seconds": 120.0,
        "stopped": "",
        "questions": [{"id": "q1", "topic": "gan", "score": 1.0, "seconds": 10.0}],
        "topics": {"gan": {"asked": 1, "score_pct": 100.0}},
        "score_pct": 100.0,
        "kata": {"slug": "knn", "status": "pass", "passed": 9, "total": 9, "file": "knn.py"},
        "review_next": [],
        "suggest": [],
    }
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    out = io.StringIO()
    try:
        mock_session.render_report(Console(file=out, width=60, color_system=None), report, "zh")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    text = out.getvalue()
    assert "模拟面试报告（2026-01-03 04:30）" in text
    assert "编程题 knn：通过（9 项测试通过 9 项）" in text
    assert "各主题得分" in text and "每题用时" in text
