"""Line breaking for Chinese and English text (nnquiz.ui.wrap)."""

from __future__ import annotations

import io
import itertools
import re

import pytest

from nnquiz.ui.wrap import CLOSING, OPENING, Wrapped, cells, wrap

ZH = (
    "基于不纯度的特征重要性（平均不纯度下降 MDI，在训练数据上计算）对连续或高基数特征与二值"
    "特征一视同仁：纯噪声特征无论有多少个不同取值，重要性都接近零。学习率为 0.001 时训练 "
    "100 个 epoch，需要 12 GB 显存，约 3秒，准确率 95%。"
)


@pytest.mark.parametrize("width", range(8, 41))
def test_chinese_wraps_between_characters_within_the_width(width):
    lines = wrap(ZH, width)
    assert "".join(lines).replace(" ", "") == ZH.replace(" ", "")
    assert all(cells(line) <= width for line in lines)
    # between characters, not only at spaces: every line but the last is nearly full
    assert all(cells(line) >= width - 8 for line in lines[:-1]), lines


@pytest.mark.parametrize("width", range(8, 41))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width):
    lines = wrap(ZH, width)
    assert not [line for line in lines[1:] if line[0] in CLOSING], lines
    assert not [line for line in lines[:-1] if line[-1] in OPENING], lines


@pytest.mark.parametrize("width", range(8, 41))
def test_numbers_stay_with_their_units(width):
    lines = wrap(ZH, width)
    for unit in ("12 GB", "100 个", "3秒", "95%", "0.001 时"):
        assert any(unit in line for line in lines), (unit, lines)


def test_english_breaks_at_spaces_and_keeps_newlines():
    text = "Which metrics are appropriate for 12 GB of images?\nSecond paragraph."
    lines = wrap(text, 20)
    assert lines[-1] == "Second paragraph."
    assert "12 GB" in " ".join(lines)
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(lines[:-1]).split() == text.split("\n")[0].split()


def test_a_word_wider_than_the_line_is_cut_not_lost():
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_wrapped_renders_in_a_rich_panel_with_a_hanging_prefix():
    from rich.console import Console
    from rich.panel import Panel

    out = io.StringIO()
    Console(file=out, width=30, color_system=None).print(
        Panel(Wrapped("选项文字很长很长很长很长很长很长，需要换行。", prefix=" a) "))
    )
    body = [line[2:-2] for line in out.getvalue().splitlines()[1:-1]]
    assert body[0].startswith(" a) 选项")
    assert body[1].startswith("    ")  # continuation lines indented under the text
    assert not body[1].strip().startswith("，")


@pytest.mark.parametrize("width", [36, 44, 52, 60])
def test_chinese_question_panels_wrap_by_character_without_punctuation_at_line_start(width):
    """The shipped bank drawn as a Chinese session would draw it, at narrow widths."""
    from rich.console import Console

    from nnquiz.quiz import bank
    from nnquiz.quiz.checking import Verdict
    from nnquiz.ui import quiz_view

    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None)
    for q in [q for q in bank.load_bank() if not q.snippet][:40]:  # prose, not code
        quiz_view.ask_question(console, q, 1, 1, "zh", plain=False)
        quiz_view.feedback(console, q, Verdict("", True, 1.0, 3, marks=()), "zh", plain=False)
    inner = [line[2:-2].strip() for line in out.getvalue().splitlines() if line.startswith("│")]
    assert inner
    assert [line for line in inner if line[0] in CLOSING] == []


def test_indented_bullets_hang():
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=24, color_system=None).print(
        Wrapped("  ✓ 标签稀少且延迟，被拦截的支付带来选择偏差。（大概已答到）")
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("  ✓ 标签")
    assert all(line.startswith("    ") for line in lines[1:])


@pytest.mark.parametrize("width", [40, 50, 56])
def test_summary_keeps_the_next_review_date_and_time_together(width, monkeypatch):
    import time

    from rich.console import Console

    from nnquiz.quiz.session import SessionSummary, TopicScore
    from nnquiz.ui import quiz_view

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    data = SessionSummary(3, 47.0, 14.0, {"gan": TopicScore(3, 47.0)}, 0, "2026-12-03 10:29:44 UTC")
    out = io.StringIO()
    quiz_view.summary(Console(file=out, width=width, color_system=None), data, "zh", plain=False)
    monkeypatch.delenv("TZ")
    time.tzset()
    assert any("2026-12-03\u00a010:29" in line for line in out.getvalue().splitlines())


FULL_WIDTH_CLOSING = set("，。、；：？！）」』】》")


@pytest.mark.parametrize("width", [50, 64, 80])
def test_chinese_kata_instructions_wrap_by_character(width):
    from rich.console import Console

    from nnquiz.katas.catalogue import load_catalogue
    from nnquiz.ui.wrap import markdown

    starts, short = [], []
    for kata in load_catalogue().values():
        out = io.StringIO()
        Console(file=out, width=width, color_system=None).print(markdown(kata.instructions("zh")))
        lines = out.getvalue().splitlines()
        for line, following in itertools.pairwise(lines):
            body = following.strip().lstrip("•").strip()
            if body and body[0] in FULL_WIDTH_CLOSING:
                starts.append((kata.slug, following))
            # a Chinese line that ends far short of the width although the next line goes on
            # with Chinese text: broken at a space instead of between characters
            if (
                re.search(r"[\u4e00-\u9fff]$", line.rstrip())
                and cells(line.rstrip()) < width - 12
                and re.match(r"\s*[\u4e00-\u9fff]", following)
                and not line.strip().startswith("#")
            ):
                short.append((kata.slug, line))
    assert starts == []
    assert short == []
