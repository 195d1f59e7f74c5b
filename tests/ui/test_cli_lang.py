"""click's own text (help pages, usage errors) in the session's language."""

from __future__ import annotations

import click
import pytest
import typer

from nnquiz.ui import cli_lang
from nnquiz.ui.cli import app
from nnquiz.ui.strings import zh_cli
from nnquiz.ui.wrap import cells


def visible_commands() -> list[tuple[str, click.Command]]:
    """(path below nnquiz, command) for the root and every command a learner sees."""
    out: list[tuple[str, click.Command]] = []

    def walk(command: click.Command, path: str) -> None:
        if command.hidden:
            return
        out.append((path, command))
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return out


def test_every_command_and_option_a_learner_sees_has_chinese_help():
    missing = []
    for path, command in visible_commands():
        if path not in zh_cli.HELP:
            missing.append(repr(path))
        for param in command.params:
            if not any(key in zh_cli.HELP for key in cli_lang.help_keys(path, param)):
                missing.append(" / ".join(repr(k) for k in cli_lang.help_keys(path, param)))
    assert not missing, "no entry in nnquiz/ui/strings/zh_cli.py HELP for: " + ", ".join(missing)


def test_no_chinese_help_for_a_command_or_option_that_does_not_exist():
    keys = set()
    for path, command in visible_commands():
        keys.add(path)
        for param in command.params:
            keys.update(cli_lang.help_keys(path, param))
    assert set(zh_cli.HELP) - keys == set()


@pytest.mark.parametrize("where", ["--lang zh grade --help", "grade --help --lang zh", "env"])
def test_help_in_chinese(runner, monkeypatch, where):
    if where == "env":
        monkeypatch.setenv("NNQUIZ_LANG", "zh")
        args = ["grade", "--help"]
    else:
        args = where.split()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("用法：nnquiz grade [OPTIONS] [SLUGS]...")
    for text in (
        "用 kata 的隐藏测试检查你的文件",
        "示例：",
        "参数：",
        "选项：",
        "[默认：1]",
        "要评分的 kata（配合 --reference",
        "显示本帮助后退出。",
    ):
        assert text in out
    for english in ("Usage:", "Options:", "Arguments:", "Examples", "Show this message", "default"):
        assert english not in out
    assert "位置参数" not in out  # the arguments are listed once


def test_chinese_help_is_wrapped_by_display_width(runner):
    result = runner.invoke(app, ["--lang", "zh", "--help"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(cells(line) for line in lines) <= 80  # click's test runner pages are 80 wide
    # the command list: one summary per command, continued under itself
    assert any(line.startswith("  stats      你的学习进度") for line in lines)
    assert "命令：" in lines


def test_english_help_lists_each_argument_once_with_its_help(runner):
    out = runner.invoke(app, ["grade", "--help"]).output
    assert "Arguments:\n  [SLUGS]...  The kata (with --reference: any number, default all)." in out
    assert "Positional arguments" not in out
    out = runner.invoke(app, ["config", "--help"]).output
    assert "[KEY]    The setting (lang); leave out to list them." in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "zh", "grade", "--hlep"], "错误：没有 '--hlep' 这个选项。"),
        (["grade", "--hlep", "--lang", "zh"], "运行 'nnquiz grade --help' 查看帮助。"),
        (["grade", "knn", "--lang=zh", "--plot"], "错误：选项 '--plot' 后面需要一个值。"),
        (["--lang", "zh", "frob"], "错误：没有 'frob' 这个命令。"),
        (["--lang", "zh", "ask", "-n", "many"], "'many' 不是有效的 integer。"),
    ],
)
def test_usage_errors_in_chinese(runner, args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Error" not in result.output and "Usage" not in result.output


def test_the_language_of_one_run_does_not_stay_for_the_next(runner):
    assert "没有" in runner.invoke(app, ["--lang", "zh", "grade", "--hlep"]).output
    result = runner.invoke(app, ["grade", "--hlep"])
    assert "Error: No such option '--hlep'" in result.output
    assert runner.invoke(app, ["grade", "--help"]).output.startswith("Usage: nnquiz grade")


def test_authors_commands_stay_in_english(runner):
    out = runner.invoke(app, ["--lang", "zh", "dev", "check", "--help"]).output
    assert out.startswith("Usage: nnquiz dev check") and "Options:" in out
    result = runner.invoke(app, ["--lang", "zh", "dev", "check", "--hlep"])
    assert result.exit_code == 2 and "Error: No such option '--hlep'" in result.output


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        (["ask", "--lang", "zh"], "zh"),
        (["--lang=en", "ask"], "en"),
        (["ask", "--lang", "fr"], None),  # the option's callback reports it
        (["ask", "--lang"], None),
        (["ask", "--", "--lang", "zh"], None),
        (["ask"], None),
    ],
)
def test_lang_is_read_from_the_command_line_before_parsing(args, lang):
    assert cli_lang.argv_lang(args) == lang


def test_chinese_paragraphs_keep_their_indent_and_join_without_spaces():
    text = "第一段的\n后半句。\n\n示例：\n\n  nnquiz ask --count 5\n\n\b\nkeep  these\n  lines"
    assert cli_lang.wrap_paragraphs(text, 40, indent=2) == [
        "  第一段的后半句。",
        "",
        "  示例：",
        "",
        "    nnquiz ask --count 5",
        "",
        "  keep  these",
        "    lines",
    ]
    assert cli_lang.wrap_paragraphs("two english\nlines", 40) == ["two english lines"]
