"""Every user-facing string, one catalogue per language (`en.py`, `zh.py`), looked up one way:

    t("quiz.correct")                # in the active language
    t("home.due", n=3)               # str.format fields
    t("quiz.correct", lang="zh")     # a renderer that was handed a language

The active language: `--lang` (any command, before or after the subcommand) > NNQUIZ_LANG >
the saved preference (`nnquiz config lang zh`) > English.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

LANGS = ("en", "zh")
META_KEY = "nnquiz.lang"
_catalogues: dict[str, dict[str, str]] = {}
_argv_lang: str | None = None  # `--lang` as read from the command line before parsing


class LangError(ValueError):
    """An unknown language name."""


def catalogue(lang: str) -> dict[str, str]:
    if lang not in _catalogues:
        _catalogues[lang] = importlib.import_module(f"nnquiz.ui.strings.{lang}").STRINGS
    return _catalogues[lang]


def check(lang: str, where: str = "") -> str:
    if lang not in LANGS:
        raise LangError(f"unknown language {lang!r}{f' in {where}' if where else ''}: use en or zh")
    return lang


def set_lang(lang: str) -> None:
    """The language chosen on the command line, for this invocation only (click's context)."""
    import click

    check(lang)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[META_KEY] = lang


def set_argv_lang(lang: str | None) -> str | None:
    """The `--lang` found on the command line before click parses it (see `ui.cli_lang`), so
    that text click writes before `--lang`'s callback runs, or after its context is gone,
    (help, usage errors) is in that language too; returns the previous value."""
    global _argv_lang
    previous, _argv_lang = _argv_lang, lang
    return previous


def current_lang() -> str:
    """--lang, else NNQUIZ_LANG, else the saved preference, else English."""
    import click

    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get(META_KEY):
        return str(ctx.meta[META_KEY])
    if _argv_lang is not None:
        return _argv_lang
    env = os.environ.get("NNQUIZ_LANG", "").strip()
    if env:
        return check(env, "NNQUIZ_LANG")
    from nnquiz import config

    saved = config.get("lang")
    return saved if saved in LANGS else "en"


def t(key: str, /, lang: str | None = None, **fields: Any) -> str:
    """The text for `key` in `lang` (default: the active language), formatted with `fields`."""
    if lang is None:
        try:
            lang = current_lang()
        except LangError:  # a bad NNQUIZ_LANG is reported by the command; say it in English
            lang = "en"
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue("en").get(key, key)
    return text.format(**fields) if fields else text
