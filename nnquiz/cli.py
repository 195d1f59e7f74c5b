"""The command line: parse, call the core, render. No logic lives here."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
import typer.core
from typer.core import TyperGroup

from nnquiz import __version__
from nnquiz.errors import NnquizError, UsageError

# Plain click help and usage errors: typer's rich formatting imports ~0.1 s of modules on
# every --help, and the quiz must start in under 0.25 s. (Our own output still uses rich.)
typer.core.HAS_RICH = False


class _Group(TyperGroup):
    """Turns the user-error family into `Error: ...` and its exit code, for every command."""

    def invoke(self, ctx):  # noqa: ANN001 - click's Context
        try:
            return super().invoke(ctx)
        except NnquizError as exc:
            _console(stderr=True).print(f"Error: {exc}", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="nnquiz",
    help="A command-line coach for neural-network and machine-learning interviews.\n\n"
    "Quiz yourself on concepts (English or Chinese) with spaced repetition, and solve coding "
    "katas graded by hidden test suites.\n\n"
    "Examples:\n\n  nnquiz ask --count 5\n\n  nnquiz review\n\n  nnquiz kata knn\n\n  nnquiz grade knn",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: rich's help renderer costs ~0.1 s at start-up
    context_settings={"help_option_names": ["-h", "--help"]},
)
cache_app = typer.Typer(help="Manage the cache of reference figures.", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(cache_app, name="cache")

LANG_HELP = "Language: en or zh."


def _json_dumps(data, **kw) -> str:  # noqa: ANN001
    import json

    return json.dumps(data, **kw)


def _console(stderr: bool = False):
    from nnquiz.render import make_console

    return make_console(stderr)


def _check_lang(lang: str) -> str:
    if lang not in ("en", "zh"):
        raise UsageError(f"unknown language {lang!r}: use --lang en or --lang zh")
    return lang


def _store():
    from nnquiz.store import open_store

    return open_store()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nnquiz {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
    lang: str = typer.Option("en", "--lang", help=LANG_HELP),
) -> None:
    """A command-line coach for neural-network and machine-learning interviews.

    Run with no command for the home screen: cards due, weak topics, the next kata.

    Examples:  nnquiz ask --count 5 | nnquiz review | nnquiz kata knn | nnquiz grade knn
    """
    if ctx.invoked_subcommand is None:
        from nnquiz.home import home_screen

        home_screen(_console(), _check_lang(lang))


# ---------------------------------------------------------------------------- quiz


@app.command()
def ask(
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only this topic (repeatable)."),
    type_: Optional[str] = typer.Option(None, "--type", help="choice, truefalse, open or code."),
    difficulty: Optional[int] = typer.Option(None, "--difficulty", "-d", help="1 warm-up, 2 standard, 3 hard."),
    count: int = typer.Option(10, "--count", "-n", help="How many questions."),
    lang: str = typer.Option("en", "--lang", help=LANG_HELP),
    due: bool = typer.Option(False, "--due", help="Take cards due for review first, then new ones."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed the question order (repeatable sessions)."),
) -> None:
    """Ask quiz questions; answers are graded, explained and scheduled for review.

    In a terminal you answer interactively (choice letters, t/f, free text; Ctrl-C ends the
    session and keeps what you answered). Without a terminal, one answer is read per line.

    Examples:

      nnquiz ask --topic gan --count 5

      nnquiz ask --type truefalse --lang zh

      printf 'a\\nt\\n\\n' | nnquiz ask --count 3 --seed 7
    """
    from nnquiz.quiz_session import run_session

    code = run_session(topics=topic or [], qtype=type_, difficulty=difficulty, count=count,
                       lang=_check_lang(lang), due=due, seed=seed)
    raise typer.Exit(code)


@app.command()
def review(
    count: int = typer.Option(20, "--count", "-n", help="How many cards at most."),
    lang: str = typer.Option("en", "--lang", help=LANG_HELP),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only this topic (repeatable)."),
) -> None:
    """Review the cards that are due (then new ones): the same as `nnquiz ask --due`.

    Example:  nnquiz review --count 20
    """
    from nnquiz.quiz_session import run_session

    raise typer.Exit(run_session(topics=topic or [], qtype=None, difficulty=None, count=count,
                                 lang=_check_lang(lang), due=True, seed=None))


@app.command()
def questions(
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only this topic (repeatable)."),
    search: Optional[str] = typer.Option(None, "--search", "-s", help="Only questions containing this word."),
    lang: str = typer.Option("en", "--lang", help=LANG_HELP),
    show: Optional[str] = typer.Option(None, "--show", help="Show one question in full, with its answer."),
) -> None:
    """Browse and search the question bank.

    Examples:

      nnquiz questions --topic gan

      nnquiz questions --search "mode collapse"

      nnquiz questions --show gan-mode-collapse-definition --lang zh
    """
    from nnquiz import bank, quiz_render

    lang = _check_lang(lang)
    loaded = bank.load_bank()
    if show:
        quiz_render.question_detail(_console(), bank.get_question(loaded, show), lang)
        return
    found = bank.filter_questions(loaded, topics=topic or [], search=search)
    quiz_render.question_list(_console(), found, lang, total=len(loaded))


@app.command()
def stats(json_out: bool = typer.Option(False, "--json", help="Stable JSON output.")) -> None:
    """Your progress: answers, accuracy per topic, cards due, streak, kata status.

    Examples:  nnquiz stats | nnquiz stats --json
    """
    from nnquiz import progress, quiz_render

    with _store() as store:
        data = progress.stats(store)
    if json_out:
        typer.echo(_json_dumps(data, indent=2, ensure_ascii=False, sort_keys=True))
    else:
        quiz_render.stats(_console(), data)


@app.command()
def validate(path: Optional[Path] = typer.Argument(None, help="A YAML file or folder to check (default: everything).")) -> None:
    """Lint the question bank, your own banks (NNQUIZ_BANK) and the kata catalogue.

    Problems are printed as file:line: message; the exit code is 2 when there are any.

    Examples:  nnquiz validate | nnquiz validate my-questions/
    """
    from nnquiz import bank, katas

    if path is not None:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        problems = bank.validate_paths([path])
    else:
        problems = bank.validate_all() + katas.validate_catalogue()
    for p in problems:
        typer.echo(p)
    if problems:
        typer.echo(f"{len(problems)} problem(s) found.", err=True)
        raise typer.Exit(2)
    typer.echo("ok: no problems found")


# ---------------------------------------------------------------------------- katas


@app.command()
def kata(
    slug: Optional[str] = typer.Argument(None, help="The kata to start; leave out to list them all."),
    lang: str = typer.Option("en", "--lang", help=LANG_HELP),
    dir_: Optional[Path] = typer.Option(None, "--dir", help="Workspace folder (default: $NNQUIZ_WORKDIR or ./nnquiz-work)."),
    reset: bool = typer.Option(False, "--reset", help="Overwrite your file with the starter (the old one is kept as .bak)."),
) -> None:
    """List the katas, or start one: create DIR/<slug>.py from the starter and show the instructions.

    Examples:

      nnquiz kata

      nnquiz kata knn

      nnquiz kata random-forest --lang zh --dir ~/practice
    """
    from nnquiz import kata_service, render
    from nnquiz import katas as catalogue

    lang = _check_lang(lang)
    all_katas = catalogue.load_catalogue()
    console = _console()
    if slug is None:
        with _store() as store:
            status = store.kata_status()
        render.kata_table(console, list(all_katas.values()), status, lang)
        console.print("Start one with: nnquiz kata SLUG")
        return
    k = catalogue.get_kata(slug, all_katas)
    ws = kata_service.create_workspace(k, dir_, reset)
    render.kata_intro(console, k, lang, str(ws.file), ws.created, ws.reset)


@app.command()
def hint(
    slug: str = typer.Argument(..., help="The kata."),
    lang: str = typer.Option("en", "--lang", help=LANG_HELP),
) -> None:
    """Show the next hint for a kata (hints are revealed one at a time and remembered).

    Example:  nnquiz hint knn
    """
    from nnquiz import kata_service
    from nnquiz import katas as catalogue

    lang = _check_lang(lang)
    k = catalogue.get_kata(slug)
    with _store() as store:
        number, text = kata_service.next_hint(store, k)
        shown = [k.hints[i] for i in range(number)]
    console = _console()
    for i, h in enumerate(shown, 1):
        style = "bold" if (text is not None and i == number) else "dim"
        console.print(f"[{style}]Hint {i}/{len(k.hints)}:[/{style}] {h.get(lang, h['en'])}")
    if text is None:
        console.print(f"That was every hint. Still stuck? nnquiz solution {k.slug} --force")


@app.command()
def solution(
    slug: str = typer.Argument(..., help="The kata."),
    force: bool = typer.Option(False, "--force", help="Show it even before you have passed."),
) -> None:
    """Show the reference solution (after your file passes, or with --force).

    Example:  nnquiz solution knn
    """
    from rich.syntax import Syntax

    from nnquiz import kata_service
    from nnquiz import katas as catalogue

    k = catalogue.get_kata(slug)
    with _store() as store:
        text = kata_service.solution_text(store, k, force)
    _console().print(Syntax(text, "python", line_numbers=True))


@app.command()
def grade(
    slugs: Optional[List[str]] = typer.Argument(None, help="The kata (with --reference: any number, default all)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="The file to grade (default: the workspace file)."),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Time limit in seconds (default: the kata's)."),
    reference: bool = typer.Option(False, "--reference", help="CI check: each solution passes, each starter fails."),
    jobs: int = typer.Option(1, "--jobs", "-j", help="With --reference: katas graded at once."),
    dir_: Optional[Path] = typer.Option(None, "--dir", help="Workspace folder."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="gan, vae, autoencoder: also write a PNG of the samples (needs matplotlib)."),
) -> None:
    """Run a kata's hidden tests against your file; exit 0 when all pass, 1 when not.

    Examples:

      nnquiz grade knn

      nnquiz grade knn --file my_knn.py --json

      nnquiz grade --reference --jobs 2
    """
    from nnquiz import kata_service, render
    from nnquiz import katas as catalogue
    from nnquiz.grader import grade as run_grade

    if timeout is not None and timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    all_katas = catalogue.load_catalogue()
    console = _console()
    if reference:
        if file is not None:
            raise UsageError("--reference grades the shipped solutions and starters; drop --file")
        chosen = [catalogue.get_kata(s, all_katas) for s in slugs] if slugs else list(all_katas.values())
        checks = kata_service.check_references(chosen, jobs=jobs, timeout_s=timeout)
        if json_out:
            typer.echo(_json_dumps([c.to_json() for c in checks], indent=2, ensure_ascii=False))
        else:
            render.reference_table(console, checks)
        raise typer.Exit(0 if all(c.ok for c in checks) else 1)
    if not slugs or len(slugs) != 1:
        raise UsageError("name one kata: nnquiz grade SLUG (or --reference for the CI check)")
    k = catalogue.get_kata(slugs[0], all_katas)
    target = file if file is not None else kata_service.workspace_file(k, dir_)
    if file is None and not target.exists():
        raise UsageError(f"{target} does not exist. Create it with `nnquiz kata {k.slug}`"
                         + (f" --dir {dir_}" if dir_ else "") + ", or pass --file PATH.")
    if plot is not None:
        from nnquiz import pictures

        if k.slug not in pictures.PLOTTABLE:
            raise UsageError("--plot works for the gan, vae and autoencoder katas")
        pictures.require_matplotlib()
    result = run_grade(k, target, timeout_s=timeout)
    with _store() as store:
        store.record_attempt(k.slug, result.status, result.counts, result.duration_s, str(target))
    if json_out:
        typer.echo(_json_dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        render.grade_result(console, result, k)
        from nnquiz import pictures

        pictures.show(console, k.slug, result.artifacts)
    if plot is not None:
        from nnquiz import pictures

        written = pictures.write_png(k.slug, result.artifacts, plot)
        note = f"wrote {written}" if written else "no picture: the suite stopped before producing samples"
        (_console(stderr=True) if json_out else console).print(note)
    raise typer.Exit(0 if result.passed else 1)


@app.command()
def watch(
    slug: str = typer.Argument(..., help="The kata."),
    dir_: Optional[Path] = typer.Option(None, "--dir", help="Workspace folder."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Watch this file instead of the workspace file."),
    lang: str = typer.Option("en", "--lang", help=LANG_HELP),
    interval: float = typer.Option(0.5, "--interval", help="Seconds between checks for a save."),
) -> None:
    """Grade your kata file now and again every time you save it (h: next hint, q: quit).

    Example:  nnquiz watch knn
    """
    from nnquiz import kata_service
    from nnquiz import katas as catalogue
    from nnquiz import watch as watcher

    if interval <= 0:
        raise UsageError("--interval must be a positive number of seconds")
    k = catalogue.get_kata(slug)
    target = file if file is not None else kata_service.workspace_file(k, dir_)
    with _store() as store:
        try:
            watcher.watch(store, k, target, _console(), _check_lang(lang), interval=interval)
        except KeyboardInterrupt:
            pass


@app.command()
def mock(
    minutes: float = typer.Option(45, "--minutes", "-m", help="Length of the interview."),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only this topic (repeatable)."),
    kata_slug: Optional[str] = typer.Option(None, "--kata", help="The kata for the coding part (default: one at your level)."),
    lang: str = typer.Option("en", "--lang", help=LANG_HELP),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed the question choice."),
    last: bool = typer.Option(False, "--last", help="Show the report of your last mock interview."),
    json_out: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    dir_: Optional[Path] = typer.Option(None, "--dir", help="Workspace folder for the kata."),
) -> None:
    """A timed mock interview: mixed concept questions (weighted toward your weak topics), then
    one kata, then a report saved for later (`nnquiz mock --last`).

    Examples:

      nnquiz mock --minutes 30

      nnquiz mock --topic gan --topic evaluation --kata gan-metrics

      nnquiz mock --last --json
    """
    from nnquiz import mock as mocker

    with _store() as store:
        if last:
            report = store.last_mock()
            if report is None:
                raise UsageError("no mock interview yet: run `nnquiz mock --minutes 30` first")
        else:
            report = mocker.run_mock(store, minutes=minutes, topics=topic or [], kata_slug=kata_slug,
                                     lang=_check_lang(lang), seed=seed, workdir=dir_, console=_console())
    if json_out:
        typer.echo(_json_dumps(report, indent=2, ensure_ascii=False))
    else:
        mocker.render_report(_console(), report)


@app.command("export")
def export_cmd(
    format_: str = typer.Option("json", "--format", help="json or csv."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here instead of standard output."),
) -> None:
    """Export your progress (answers, reviews, kata attempts) to move it to another machine.

    Examples:  nnquiz export --out progress.json | nnquiz export --format csv > progress.csv
    """
    import os

    from nnquiz import transfer

    if format_ not in ("json", "csv"):
        raise UsageError(f"unknown --format {format_!r}: use json or csv")
    with _store() as store:
        text = transfer.to_text(transfer.export_data(store), format_)
    if out is None:
        typer.echo(text, nl=False)
        return
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    _console(stderr=True).print(f"exported to {out}")


@app.command("import")
def import_cmd(file: Path = typer.Argument(..., help="A file written by `nnquiz export`.")) -> None:
    """Merge progress exported on another machine; importing the same file twice adds nothing.

    Example:  nnquiz import progress.json
    """
    from nnquiz import transfer

    data = transfer.parse(file)
    with _store() as store:
        added = transfer.import_data(store, data)
    typer.echo("imported: " + ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in added.items()))


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete the cached reference figures (they are recomputed at the next grade).

    Example:  nnquiz cache clear
    """
    import shutil

    from nnquiz import paths

    folder = paths.cache_dir() / "reference"
    count = len(list(folder.glob("*.json"))) if folder.is_dir() else 0
    shutil.rmtree(folder, ignore_errors=True)
    typer.echo(f"removed {count} cached reference figure(s) from {folder}")


def main() -> None:
    """Entry point for the `nnquiz` script and `python -m nnquiz`."""
    app(prog_name="nnquiz")
