"""The one string catalogue per language, and how the language is chosen."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from nnquiz.ui import strings
from nnquiz.ui.cli import app

UI = Path(strings.__file__).resolve().parent.parent
CJK = r"[\u3400-\u9fff]"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_both_languages():
    en, zh = strings.catalogue("en"), strings.catalogue("zh")
    assert sorted(set(en) - set(zh)) == [], "keys in en.py only"
    assert sorted(set(zh) - set(en)) == [], "keys in zh.py only"


def test_both_languages_take_the_same_fields():
    en, zh = strings.catalogue("en"), strings.catalogue("zh")
    assert {k: fields(en[k]) for k in en} == {k: fields(zh[k]) for k in en}


def test_every_key_the_code_looks_up_exists():
    """Literal keys passed to t(...) anywhere in the UI, and the keys of errors raised
    anywhere in nnquiz (`SomeError(key="...")`, `Phrase("...")`), are in the catalogue."""
    en = strings.catalogue("en")
    used, errors = set(), set()
    for path in UI.rglob("*.py"):
        if "strings" in path.parts:
            continue
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_.0-9 ]+)"', path.read_text()))
    for path in UI.parent.rglob("*.py"):
        errors |= set(re.findall(r'(?:Error\(\s*key=|Phrase\(\s*)"([a-z_.]+)"', path.read_text()))
    assert used and errors, "the scan found no lookups"
    assert sorted(k for k in used | errors if k not in en) == []


def test_chinese_text_uses_full_width_punctuation():
    bad = {
        key: text
        for key, text in strings.catalogue("zh").items()
        if re.search(CJK + r"[,.;:!?()]|[,;:!?(]" + CJK, re.sub(r"\{[^}]*\}", "", text))
    }
    assert bad == {}


def test_lookup_formats_fields_and_falls_back_to_english():
    assert strings.t("quiz.line", lang="zh", n=3, pct=50) == "答了 3 题，得分 50%"
    assert strings.t("no.such.key", lang="zh") == "no.such.key"


@pytest.mark.parametrize(
    "args",
    [["--lang", "zh", "ask"], ["ask", "--lang", "zh"]],
    ids=["before the subcommand", "after the subcommand"],
)
def test_lang_before_or_after_the_subcommand(runner, args):
    result = runner.invoke(app, [*args, "--type", "truefalse", "--count", "1"], input="t\n")
    assert result.exit_code == 0, result.output
    assert "判断题" in result.output
    assert "本次练习小结" in result.output


def test_every_command_accepts_lang(runner):
    from typer.main import get_command

    group = get_command(app)
    missing = []

    def walk(cmd, path):
        if not any(p.name == "lang" for p in cmd.params):
            missing.append(path)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(group, "nnquiz")
    assert missing == []


def test_environment_and_saved_preference(runner, monkeypatch):
    def lang_of_ask(*extra):
        out = runner.invoke(
            app, [*extra, "ask", "--type", "truefalse", "--count", "1"], input="t\n"
        )
        assert out.exit_code == 0, out.output
        return "zh" if "判断题" in out.output else "en"

    assert lang_of_ask() == "en"
    saved = runner.invoke(app, ["config", "lang", "zh"])
    assert saved.exit_code == 0, saved.output
    assert lang_of_ask() == "zh"  # config
    monkeypatch.setenv("NNQUIZ_LANG", "en")
    assert lang_of_ask() == "en"  # env beats config
    assert lang_of_ask("--lang", "zh") == "zh"  # flag beats env
    monkeypatch.delenv("NNQUIZ_LANG")
    assert runner.invoke(app, ["config", "lang", "--unset"]).exit_code == 0
    assert lang_of_ask() == "en"


def test_bad_languages_exit_2(runner, monkeypatch):
    result = runner.invoke(app, ["config", "lang", "fr"])
    assert result.exit_code == 2 and "en, zh" in result.output
    monkeypatch.setenv("NNQUIZ_LANG", "fr")
    result = runner.invoke(app, ["ask", "--count", "1"], input="")
    assert result.exit_code == 2 and "NNQUIZ_LANG" in result.output
    assert "Traceback" not in result.output


def test_stats_in_chinese(runner):
    runner.invoke(app, ["ask", "--type", "truefalse", "--count", "1"], input="t\n")
    result = runner.invoke(app, ["stats", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "正确率" in result.output and "各主题答题情况" in result.output


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (["grade", "knnn"], "unknown kata 'knnn'. Did you mean: knn", "没有名为 'knnn' 的练习"),
        (["ask", "--topic", "gann"], "Did you mean 'gan'?", "你要找的是不是 'gan'？"),
        (
            ["ask", "--count", "0"],
            "--count must be at least 1 (got 0)",
            "--count 至少为 1（收到 0）",
        ),
        (["grade", "knn", "--file", "nope.py"], "nope.py does not exist", "nope.py 不存在"),
    ],
)
def test_user_errors_speak_the_chosen_language(runner, args, english, chinese):
    """A user's mistake is explained in the language of the session; exit 2 in both."""
    for lang, expected, other in (("en", english, chinese), ("zh", chinese, english)):
        result = runner.invoke(app, [*args, "--lang", lang], input="")
        assert result.exit_code == 2, result.output
        assert expected in result.output and other not in result.output, result.output
        assert "Traceback" not in result.output


def test_an_error_raised_with_a_key_reads_in_english_elsewhere():
    """str() of a keyed error (JSON output, logs) is the English text."""
    from nnquiz.errors import UsageError

    error = UsageError(key="errors.count_min", count=-1)
    assert str(error) == "--count must be at least 1 (got -1)"
    assert error.localized("zh") == "--count 至少为 1（收到 -1）"


def test_a_phrase_inside_an_error_is_in_the_errors_language():
    from nnquiz.errors import Phrase, StoreError

    error = StoreError(
        key="errors.store_unusable", path="p.db", why=Phrase("errors.store_why_folder")
    )
    assert str(error).startswith(
        "cannot use the progress database p.db: it is a folder, not a file."
    )
    assert error.localized("zh").startswith("无法使用进度数据库 p.db：它是一个文件夹，不是文件。")
    raw = StoreError(key="errors.store_unusable", path="p.db", why="disk I/O error")  # SQLite's
    assert "p.db：disk I/O error。" in raw.localized("zh")
