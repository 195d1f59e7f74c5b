"""Options and arguments shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from nnquiz.errors import UsageError

LANGS = ("en", "zh")

Lang = Annotated[str, typer.Option("--lang", help="Language: en or zh.")]
Topics = Annotated[
    Optional[List[str]], typer.Option("--topic", "-t", help="Only this topic (repeatable).")
]
Seed = Annotated[
    Optional[int], typer.Option("--seed", help="Seed the question order (repeatable sessions).")
]
Json = Annotated[bool, typer.Option("--json", help="Print the result as stable JSON.")]
WorkDir = Annotated[
    Optional[Path],
    typer.Option("--dir", help="Workspace folder (default: $NNQUIZ_WORKDIR or ./nnquiz-work)."),
]
File = Annotated[
    Optional[Path],
    typer.Option("--file", "-f", help="The file to grade (default: the workspace file)."),
]
Slug = Annotated[str, typer.Argument(help="The kata.")]


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}: use --lang en or --lang zh")
    return lang
