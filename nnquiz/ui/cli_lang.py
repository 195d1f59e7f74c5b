"""The command line's own words in the session's language: `--help` and click's usage errors.

Our commands' messages go through the string catalogues (`t`), but two kinds of text come
from click and typer themselves:

- the help pages: each command's docstring and each option's `help=`, plus click's headings
  ("Usage:", "Options") and notes ("[default: 10]");
- usage errors found while parsing ("No such option", "requires an argument"), which are
  raised before any command (or even `--lang`'s callback) runs.

Both are put in the session's language here, lazily, only when click formats them:

- every context nnquiz makes is a `Context`, whose `make_formatter` first swaps the command's
  help texts for their translation (`strings/zh_cli.py`, `HELP`) and then hands click a
  formatter that wraps Chinese by display width (`wrap.wrap`), not by character count;
- click and typer look their own messages up through `gettext` at the moment they use them;
  `install` points those lookups at `translate`, which returns the message in the session's
  language (`CLICK`) and the original otherwise.

The language is the usual one (`strings.current_lang`); `--lang` is read from the command
line before parsing (`argv_lang`), so that `nnquiz grade --hlep --lang zh` is answered in
Chinese although the parse fails before `--lang` is processed.

It also repairs one English gap: with click 8.5, typer 0.19 loses the `help=` of
positional arguments (click's `Parameter.__init__` resets it), so "Arguments:" listed bare
names. The help is read back from the command's own declaration (`_restore_argument_help`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import click

from nnquiz.ui import strings
from nnquiz.ui.wrap import cells, is_wide, wrap

# Modules whose `_`/`ngettext` (bound from gettext at import) click and typer call for their
# user-facing messages.
_GETTEXT_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "typer.core",
)
_installed = False
_english_only = False  # this invocation is an author's command (`nnquiz dev`): all English


def argv_lang(args: Sequence[str]) -> str | None:
    """The language a `--lang X` / `--lang=X` in `args` asks for (before any `--`), if valid."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in strings.LANGS:
            return value
    return None


def active_lang() -> str:
    """The session's language; English when it cannot be told (a bad NNQUIZ_LANG is the
    command's to report) and for the authors' commands."""
    if _english_only:
        return "en"
    try:
        return strings.current_lang()
    except strings.LangError:
        return "en"


def _table(name: str) -> dict[str, str]:
    from nnquiz.ui.strings import zh_cli

    table: dict[str, str] = getattr(zh_cli, name)
    return table


def translate(message: str) -> str:
    """`gettext` for click and typer: `message` in the session's language."""
    if active_lang() == "zh":
        return _table("CLICK").get(message, message)
    return message


def translate_plural(singular: str, plural: str, n: int) -> str:
    """`ngettext` for click: the form for `n`, in the session's language."""
    return translate(singular if n == 1 else plural)


def install() -> None:
    """Route click's and typer's message lookups through `translate` (once per process)."""
    global _installed
    if _installed:
        return
    import importlib

    for name in _GETTEXT_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a future click without the module
            continue
        if callable(getattr(module, "_", None)):
            module._ = translate  # type: ignore[attr-defined]
        if callable(getattr(module, "ngettext", None)):
            module.ngettext = translate_plural  # type: ignore[attr-defined]
    _installed = True


# ---------------------------------------------------------------------------- help texts


def _command_key(ctx: click.Context) -> str:
    """The command's path below `nnquiz`: "" for the root, "ask", "cache clear"."""
    names: list[str] = []
    node: click.Context | None = ctx
    while node is not None and node.parent is not None:
        names.append(node.info_name or "")
        node = node.parent
    return " ".join(reversed(names))


def _param_names(param: click.Parameter) -> list[str]:
    if isinstance(param, click.Option):
        return sorted(param.opts, key=len, reverse=True)[:1]
    return [param.name or ""]


def help_keys(key: str, param: click.Parameter) -> list[str]:
    """Where a parameter's translation is looked up: first for this command, then shared."""
    name = _param_names(param)[0]
    return [f"{key} {name}".strip(), name]


def _restore_argument_help(command: click.Command) -> None:
    """Give positional arguments back the `help=` their typer declaration has."""
    missing = [p for p in command.params if isinstance(p, click.Argument) and not p.help]
    original = getattr(command.callback, "__wrapped__", None)
    if not missing or original is None:
        return
    from typer.models import ArgumentInfo
    from typer.utils import get_params_from_function

    declared = get_params_from_function(original)
    for param in missing:
        meta = declared.get(param.name or "")
        info = getattr(meta, "default", None)
        if isinstance(info, ArgumentInfo) and info.help:
            param.help = info.help


def _translate_command(command: click.Command, key: str, lang: str) -> None:
    if lang != "zh":
        return
    helps = _table("HELP")
    if key in helps:
        text = helps[key]
        command.help = text
        command.short_help = re.split(r"(?<=[。；])", text.split("\n", 1)[0], maxsplit=1)[0]
        command.short_help = command.short_help.rstrip("。；")
    for param in command.params:
        for where in help_keys(key, param):
            if where in helps and hasattr(param, "help"):
                param.help = helps[where]
                break


def prepare(ctx: click.Context) -> str:
    """The command's help texts (and, for a group, its commands' summaries) in the session's
    language, once per command object; returns that language."""
    lang = active_lang()
    command = ctx.command
    key = _command_key(ctx)
    todo: list[tuple[click.Command, str]] = [(command, key)]
    if isinstance(command, click.Group):
        todo += [(sub, f"{key} {name}".strip()) for name, sub in command.commands.items()]
    for cmd, cmd_key in todo:
        if getattr(cmd, "_nnquiz_help", None) == lang:
            continue
        _restore_argument_help(cmd)
        _translate_command(cmd, cmd_key, lang)
        cmd._nnquiz_help = lang  # type: ignore[attr-defined]
    return lang


class Context(click.Context):
    """click's context, with help texts and their wrapping in the session's language."""

    def make_formatter(self) -> click.HelpFormatter:
        lang = prepare(self)
        cls = WideHelpFormatter if lang == "zh" else click.HelpFormatter
        return cls(width=self.terminal_width, max_width=self.max_content_width)


# ---------------------------------------------------------------------------- formatting


def _join(lines: Iterable[str]) -> str:
    """The lines of one paragraph as one: a space between words, none between CJK characters."""
    out = ""
    for line in lines:
        line = line.strip()
        if out and line and not (is_wide(out[-1]) or is_wide(line[0])):
            out += " "
        out += line
    return out


def paragraphs(text: str) -> list[tuple[int, bool, str]]:
    """(indent, keep the lines as they are, text) per paragraph, by click's rules: blank
    lines separate paragraphs, the first line's indent is the paragraph's, and a paragraph
    whose first line is `\\b` is not re-wrapped."""
    out: list[tuple[int, bool, str]] = []
    for block in re.split(r"\n[ \t]*\n", text.expandtabs().strip("\n")):
        lines = block.split("\n")
        if not block.strip():
            continue
        if lines[0].strip() == "\b":
            out.append((0, True, "\n".join(lines[1:])))
            continue
        indent = len(lines[0]) - len(lines[0].lstrip())
        out.append((indent, False, _join(lines)))
    return out


def wrap_paragraphs(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` wrapped to `width` display cells, paragraphs kept, every line indented by
    `indent` (and its paragraph's own indent); paragraphs are separated by a blank line."""
    lines: list[str] = []
    for n, (own, raw, body) in enumerate(paragraphs(text)):
        if n:
            lines.append("")
        pad = " " * (indent + own)
        pieces = body.split("\n") if raw else wrap(body, max(width - indent - own, 10))
        lines += [pad + piece for piece in pieces]
    return lines


class WideHelpFormatter(click.HelpFormatter):
    """click's help formatter, measuring text in display cells (a CJK character is two) and
    breaking lines between CJK characters, with full-width colons after headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = translate("Usage:")  # "用法：", no space after a full-width colon
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        for line in wrap_paragraphs(text, self.width, self.current_indent):
            self.write(f"{line}\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(cells(first) for first, _ in rows), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap_paragraphs(second, text_width) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")


def localized_main(args: Sequence[str], run: Any, *, english: bool = False) -> Any:
    """Run `run()` (the group's `main`) with `--lang` from `args` known before parsing;
    `english`: click's text stays English whatever the language (the authors' commands)."""
    global _english_only
    install()
    previous = strings.set_argv_lang(argv_lang(args))
    was_english, _english_only = _english_only, english
    try:
        return run()
    finally:
        strings.set_argv_lang(previous)
        _english_only = was_english
