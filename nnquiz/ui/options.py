"""Options and arguments shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import click
import typer

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
NewPerDay = Annotated[
    int,
    typer.Option("--new", help="New cards a day at most, after the due ones (as in Anki)."),
]


def _lang_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    from nnquiz.ui import strings

    try:
        strings.set_lang(value)
    except strings.LangError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def lang_option() -> click.Option:
    """`--lang`, declared once: every group adds it to itself and to each of its commands, so
    it is accepted before or after the subcommand (`nnquiz --lang zh ask`, `nnquiz ask --lang zh`)."""
    return click.Option(
        ["--lang"],
        metavar="en|zh",
        expose_value=False,
        callback=_lang_callback,
        help="Language: en or zh (default: $NNQUIZ_LANG, else `nnquiz config lang`, else en).",
    )


def add_lang_option(command: click.Command) -> None:
    if not any(p.name == "lang" for p in command.params):
        command.params.append(lang_option())
