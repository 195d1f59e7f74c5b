"""Consoles: rich's when someone may be looking, a plain stand-in (no rich import) when a
script is reading."""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

_MARKUP = re.compile(r"\[/?[a-z][a-z0-9 _#-]*\]")


class PlainConsole:
    """Prints text as it is (markup stripped unless markup=False); never wraps or colours."""

    is_terminal = False
    soft_wrap = True

    def __init__(self, file: Any = None) -> None:
        self.file = file

    def print(self, text: Any = "", *, markup: bool = True, **_: Any) -> None:
        out = self.file or sys.stdout
        text = str(text)
        out.write((_MARKUP.sub("", text) if markup else text) + "\n")

    def input(self, prompt: str = "") -> str:
        return input(_MARKUP.sub("", prompt))

    def clear(self) -> None:
        pass


def make_console(stderr: bool = False) -> Console:
    """rich's Console on stdout (or stderr); NO_COLOR gives plain text."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    stream = sys.stderr if stderr else sys.stdout
    return Console(
        file=stream,
        no_color=plain,
        highlight=False,
        soft_wrap=stderr,
        emoji=False,
        color_system=None if plain else "auto",
    )
