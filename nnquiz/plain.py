"""A stand-in for rich's Console when nobody is at a terminal: plain lines, no imports."""

from __future__ import annotations

import re
import sys
from typing import Any

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
