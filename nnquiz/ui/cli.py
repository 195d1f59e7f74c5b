"""The command line: parse, call one service, render. No logic lives here."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, List, Optional

import typer
import typer.core
from typer.core import TyperCommand, TyperGroup

from nnquiz import __version__
from nnquiz.errors import NnquizError, UsageError
from nnquiz.ui import cli_lang
from nnquiz.ui.options import (
    File,
    Json,
    NewPerDay,
    Seed,
    Slug,
    Topics,
    WorkDir,
    add_lang_option,
)
from nnquiz.ui.strings import current_lang, t

# Plain click help and usage errors: typer's rich formatting imports ~0.1 s of modules on
# every --help, and the quiz must start in under 0.25 s. (Our own output still uses rich.)
typer.core.HAS_RICH = False


class _Command(TyperCommand):
    """A command whose help lists its arguments once (typer's "Arguments" section; click
    8.5 would add its own "Positional arguments" too) and whose text follows the session's
    language (`cli_lang.Context`)."""

    context_class = cli_lang.Context

    def format_arguments(self, ctx: Any, formatter: Any) -> None:
        return None


class _Group(TyperGroup):
    """Turns the user-error family into `Error: ...` and its exit code, for every command,
    gives the group and each of its commands the one `--lang` option, and has click's own
    text (help pages, usage errors) in the session's language (`cli_lang`)."""

    context_class = cli_lang.Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_lang_option(self)
        for command in self.commands.values():
            add_lang_option(command)
            if type(command) is TyperCommand:  # every command of the app is one of ours
                command.__class__ = _Command

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        import sys

        given = list(args) if args is not None else sys.argv[1:]
        return cli_lang.localized_main(
            given,
            lambda: super(_Group, self).main(args, *rest, **kwargs),
            english=_command_name(given) == "dev",  # the authors' commands are in English
        )

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NnquizError as exc:
            message = t("error", message=exc.localized())
            _console(stderr=True).print(message, markup=False, highlight=False)
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
cache_app = typer.Typer(
    cls=_Group,
    help="Manage the cache of reference figures.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(cache_app, name="cache")
# For content authors and CI; hidden from the learner's --help (documented in CONTRIBUTING.md).
dev_app = typer.Typer(
    cls=_Group,
    help="Commands for content authors: scaffold and check katas.\n\n"
    "Examples:\n\n  nnquiz dev new-kata my-kata\n\n  nnquiz dev check my-kata\n\n"
    "  nnquiz dev check --fast",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(dev_app, name="dev", hidden=True)


def _json(data: Any, indent: int | None = 2) -> None:
    import json

    typer.echo(json.dumps(data, indent=indent, ensure_ascii=False))


def _console(stderr: bool = False) -> Any:
    from nnquiz.ui.console import make_console

    return make_console(stderr)


def _store(read_only: bool = False) -> Any:
    """The progress database; `read_only` for commands that only read it (they then work on
    a database nnquiz may not write)."""
    from nnquiz.store import open_store

    return open_store(read_only=read_only)


def _warn_skipped() -> None:
    """One line on stderr per question of the user's own banks that was skipped."""
    from nnquiz.quiz import bank

    try:
        problems = bank.skipped()
    except NnquizError:  # the command itself reports a broken bank
        return
    for problem in problems:
        _console(stderr=True).print(
            t("bank.skipped", problem=problem), markup=False, highlight=False, soft_wrap=True
        )


def _kata(slug: str) -> Any:
    from nnquiz.katas.catalogue import get_kata

    return get_kata(slug)


def _lang() -> str:
    """The active language: --lang > NNQUIZ_LANG > `nnquiz config lang` > en."""
    from nnquiz.ui import strings

    try:
        return current_lang()
    except strings.LangError as exc:
        raise UsageError(str(exc)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nnquiz {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """A command-line coach for neural-network and machine-learning interviews.

    Run with no command for the home screen: cards due, weak topics, the next kata.

    Examples:  nnquiz ask --count 5 | nnquiz review | nnquiz kata knn | nnquiz grade knn
    """
    if ctx.invoked_subcommand is None:
        from nnquiz.practice.home import home_data
        from nnquiz.ui.home_view import home_screen

        with _store(read_only=True) as store:
            home_screen(_console(), home_data(store), _lang())


# ---------------------------------------------------------------------------- quiz


@app.command()
def ask(
    topic: Topics = None,
    type_: Optional[str] = typer.Option(None, "--type", help="choice, truefalse, open or code."),
    difficulty: Optional[int] = typer.Option(
        None, "--difficulty", "-d", help="1 warm-up, 2 standard, 3 hard."
    ),
    count: int = typer.Option(10, "--count", "-n", help="How many questions."),
    due: bool = typer.Option(
        False, "--due", help="Take cards due for review first, then new ones (--new a day)."
    ),
    seed: Seed = None,
    new: NewPerDay = 10,
) -> None:
    """Ask quiz questions; answers are graded, explained and scheduled for review.

    In a terminal you answer interactively (choice letters, t/f, free text; Ctrl-C ends the
    session and keeps what you answered). Without a terminal, one answer is read per line.

    Examples:

      nnquiz ask --topic gan --count 5

      nnquiz ask --type truefalse --lang zh

      printf 'a\\nt\\n\\n' | nnquiz ask --count 3 --seed 7
    """
    from nnquiz.ui.session import run_session

    _warn_skipped()
    raise typer.Exit(
        run_session(
            topics=topic or [],
            qtype=type_,
            difficulty=difficulty,
            count=count,
            lang=_lang(),
            due=due,
            seed=seed,
            new_per_day=new,
        )
    )


@app.command()
def review(
    count: int = typer.Option(20, "--count", "-n", help="How many cards at most."),
    topic: Topics = None,
    new: NewPerDay = 10,
) -> None:
    """Review the cards that are due, then new ones (at most --new a day): `nnquiz ask --due`.

    Examples:  nnquiz review | nnquiz review --new 0 (only due cards)
    """
    from nnquiz.ui.session import run_session

    _warn_skipped()
    raise typer.Exit(
        run_session(
            topics=topic or [],
            qtype=None,
            difficulty=None,
            count=count,
            lang=_lang(),
            due=True,
            seed=None,
            new_per_day=new,
        )
    )


@app.command()
def questions(
    topic: Topics = None,
    search: Optional[str] = typer.Option(
        None, "--search", "-s", help="Only questions containing this word."
    ),
    show: Optional[str] = typer.Option(
        None, "--show", help="Show one question in full, with its answer."
    ),
) -> None:
    """Browse and search the question bank.

    Examples:

      nnquiz questions --topic gan

      nnquiz questions --search "mode collapse"

      nnquiz questions --show gan-mode-collapse-definition --lang zh
    """
    from nnquiz.quiz import bank
    from nnquiz.ui import quiz_view

    lang = _lang()
    loaded = bank.load_bank()
    _warn_skipped()
    if show:
        quiz_view.question_detail(_console(), bank.get_question(loaded, show), lang)
        return
    found = bank.filter_questions(loaded, topics=topic or [], search=search)
    unfiltered = not topic and not search
    quiz_view.question_list(
        _console(), found, lang, total=len(loaded), search=search, page=unfiltered
    )


@app.command()
def stats(json_out: Json = False) -> None:
    """Your progress: answers, accuracy per topic, cards due, streak, kata status.

    Examples:  nnquiz stats | nnquiz stats --json
    """
    from nnquiz.practice import progress
    from nnquiz.ui import quiz_view

    with _store(read_only=True) as store:
        data = progress.stats(store)
    if json_out:
        import json

        typer.echo(json.dumps(data.as_json(), indent=2, ensure_ascii=False, sort_keys=True))
    else:
        quiz_view.stats(_console(), data, _lang())


@app.command()
def validate(
    path: Optional[Path] = typer.Argument(
        None, help="A YAML file or folder to check (default: everything)."
    ),
) -> None:
    """Lint the question bank, your own banks (NNQUIZ_BANK) and the kata catalogue.

    Problems are printed as file:line: message; the exit code is 2 when there are any.

    Examples:  nnquiz validate | nnquiz validate my-questions/
    """
    from nnquiz.katas import catalogue
    from nnquiz.quiz import bank

    problems = (
        bank.validate_path(path)
        if path is not None
        else (bank.validate_all() + catalogue.validate_catalogue())
    )
    for p in problems:
        typer.echo(p)
    if path is None and not problems:
        from nnquiz import paths
        from nnquiz.quiz.glossary import glossary_warnings, load_glossary

        terms = load_glossary(paths.questions_dir() / "GLOSSARY.md")
        for warning in glossary_warnings(bank.load_bank(), terms):
            typer.echo(warning)
    if problems:
        typer.echo(t("validate.problems", n=len(problems)), err=True)
        raise typer.Exit(2)
    typer.echo(t("validate.ok"))


# ---------------------------------------------------------------------------- katas


@app.command()
def kata(
    slug: Optional[str] = typer.Argument(
        None, help="The kata to start; leave out to list them all."
    ),
    dir_: WorkDir = None,
    reset: bool = typer.Option(
        False, "--reset", help="Overwrite your file with the starter (the old one is kept as .bak)."
    ),
) -> None:
    """List the katas, or start one: create DIR/<slug>.py from the starter and show the instructions.

    Examples:

      nnquiz kata

      nnquiz kata knn

      nnquiz kata random-forest --lang zh --dir ~/practice
    """
    from nnquiz.katas import catalogue, workspace
    from nnquiz.ui import kata_view

    lang = _lang()
    console = _console()
    if slug is None:
        with _store(read_only=True) as store:
            status = store.kata_status()
        kata_view.kata_table(
            console,
            list(catalogue.load_catalogue().values()),
            status,
            lang,
            catalogue.load_tracks(),
            catalogue.torch_installed(),
        )
        console.print(t("kata.start_one"))
        return
    k = _kata(slug)
    if k.uses_torch and not catalogue.torch_installed():
        kata_view.torch_warning(console, lang)
    ws = workspace.create_workspace(k, dir_, reset)
    kata_view.kata_intro(console, k, lang, str(ws.file), ws.created, ws.reset)


@app.command()
def hint(slug: Slug) -> None:
    """Show the next hint for a kata (hints are revealed one at a time and remembered).

    Example:  nnquiz hint knn
    """
    from nnquiz.katas import workspace
    from nnquiz.ui import kata_view

    lang = _lang()
    k = _kata(slug)
    with _store() as store:
        shown = workspace.next_hint(store, k)
    kata_view.hints(_console(), k, shown, lang)


@app.command()
def solution(
    slug: Slug,
    force: bool = typer.Option(False, "--force", help="Show it even before you have passed."),
) -> None:
    """Show the reference solution (after your file passes, or with --force).

    Example:  nnquiz solution knn
    """
    from nnquiz.katas import workspace
    from nnquiz.ui import kata_view

    k = _kata(slug)
    with _store() as store:
        text = workspace.solution_text(store, k, force)
    kata_view.solution(_console(), text)


@app.command()
def grade(
    slugs: Optional[List[str]] = typer.Argument(
        None, help="The kata (with --reference: any number, default all)."
    ),
    file: File = None,
    json_out: Json = False,
    timeout: Optional[float] = typer.Option(
        None, "--timeout", help="Time limit in seconds (default: the kata's)."
    ),
    reference: bool = typer.Option(
        False, "--reference", help="CI check: each solution passes, each starter fails."
    ),
    jobs: int = typer.Option(1, "--jobs", "-j", help="With --reference: katas graded at once."),
    dir_: WorkDir = None,
    plot: Optional[Path] = typer.Option(
        None, "--plot", help="Katas that draw a picture: also write it as a PNG (needs matplotlib)."
    ),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Every failing test in full (default: the first three)."
    ),
) -> None:
    """Run a kata's hidden tests against your file; exit 0 when all pass, 1 when not.

    Examples:

      nnquiz grade knn

      nnquiz grade knn --file my_knn.py --json

      nnquiz grade --reference --jobs 2
    """
    if timeout is not None and timeout <= 0:
        raise UsageError(key="errors.positive_seconds", option="--timeout")
    if reference:
        _grade_references(slugs or [], file, json_out, timeout, jobs)
    if not slugs or len(slugs) != 1:
        raise UsageError(key="errors.grade_needs_slug")
    from nnquiz.grading.service import grade_and_record
    from nnquiz.katas import workspace
    from nnquiz.ui import kata_view, pictures

    k = _kata(slugs[0])
    target = workspace.file_to_grade(k, file, dir_)
    if plot is not None:
        pictures.check_plottable(k)
    recorded = workspace.is_attempt(k, target, dir_)
    console = _console(stderr=json_out)
    with _store() as store, kata_view.grading_status(console, k.slug, _lang()) as on_event:
        result = grade_and_record(
            store, k, target, timeout_s=timeout, record=recorded, on_event=on_event
        )
    if json_out:
        _json(result.as_json())
    else:
        kata_view.grade_result(_console(), result, k, _lang(), verbose=verbose, recorded=recorded)
        pictures.show(_console(), k.picture, k.slug, result.artifacts)
    if plot is not None:
        pictures.save_png(_console(stderr=json_out), k, result.artifacts, plot)
    raise typer.Exit(0 if result.passed else 1)


def _grade_references(
    slugs: list[str], file: Path | None, json_out: bool, timeout: float | None, jobs: int
) -> None:
    """`grade --reference`: every solution passes, every starter fails; exits 0 or 1."""
    from nnquiz.grading.service import check_references
    from nnquiz.katas import catalogue
    from nnquiz.ui import kata_view

    if jobs < 1:
        raise UsageError(key="errors.jobs_min")
    if file is not None:
        raise UsageError(key="errors.reference_no_file")
    every = catalogue.load_catalogue()
    chosen = [catalogue.get_kata(s, every) for s in slugs] if slugs else list(every.values())
    checks = check_references(chosen, jobs=jobs, timeout_s=timeout)
    if json_out:
        _json([c.as_json() for c in checks])
    else:
        kata_view.reference_table(_console(), checks)
    raise typer.Exit(0 if all(c.ok for c in checks) else 1)


@app.command()
def watch(
    slug: Slug,
    dir_: WorkDir = None,
    file: Optional[Path] = typer.Option(
        None, "--file", "-f", help="Watch this file instead of the workspace file."
    ),
    interval: float = typer.Option(0.02, "--interval", help="Seconds between checks for a save."),
) -> None:
    """Grade your kata file now and again every time you save it (h: next hint, q: quit).

    Example:  nnquiz watch knn
    """
    from nnquiz.katas import workspace
    from nnquiz.ui import watch as watcher

    if interval <= 0:
        raise UsageError(key="errors.positive_seconds", option="--interval")
    k = _kata(slug)
    target = file if file is not None else workspace.workspace_file(k, dir_)
    record = workspace.is_attempt(k, target, dir_)
    with _store() as store, contextlib.suppress(KeyboardInterrupt):
        watcher.watch(store, k, target, _console(), _lang(), interval=interval, record=record)


@app.command()
def mock(
    minutes: float = typer.Option(45, "--minutes", "-m", help="Length of the interview."),
    topic: Topics = None,
    kata_slug: Optional[str] = typer.Option(
        None, "--kata", help="The kata for the coding part (default: one at your level)."
    ),
    seed: Seed = None,
    last: bool = typer.Option(False, "--last", help="Show the report of your last mock interview."),
    json_out: Json = False,
    dir_: WorkDir = None,
) -> None:
    """A timed mock interview: mixed concept questions (weighted toward your weak topics), then
    one kata, then a report saved for later (`nnquiz mock --last`).

    Examples:

      nnquiz mock --minutes 30

      nnquiz mock --topic gan --topic evaluation --kata gan-metrics

      nnquiz mock --last --json
    """
    from nnquiz.ui import mock_session

    with _store() as store:
        if last:
            report = store.last_mock()
            if report is None:
                raise UsageError(t("mock.none_yet"))
        else:
            _warn_skipped()
            report = mock_session.run_mock(
                store,
                minutes=minutes,
                topics=topic or [],
                kata_slug=kata_slug,
                lang=_lang(),
                seed=seed,
                workdir=dir_,
                console=_console(),
            )
    if json_out:
        _json(report)
    else:
        mock_session.render_report(_console(), report, _lang())


@app.command("export")
def export_cmd(
    format_: str = typer.Option("json", "--format", help="json or csv."),
    out: Optional[Path] = typer.Option(
        None, "--out", "-o", help="Write here instead of standard output."
    ),
) -> None:
    """Export your progress (answers, reviews, kata attempts) to move it to another machine.

    Examples:  nnquiz export --out progress.json | nnquiz export --format csv > progress.csv
    """
    from nnquiz.practice import transfer

    with _store(read_only=True) as store:
        text = transfer.to_text(transfer.export_data(store), format_)
    if out is None:
        typer.echo(text, nl=False)
        return
    transfer.write_atomically(out, text)
    _console(stderr=True).print(t("export.done", path=out), markup=False)


def _known_question_ids() -> set[str]:
    from nnquiz.quiz import bank

    try:
        return {q.id for q in bank.load_bank()}
    except NnquizError:  # a broken bank is `validate`'s to report; nothing is unknown then
        return set()


@app.command("import")
def import_cmd(file: Path = typer.Argument(..., help="A file written by `nnquiz export`.")) -> None:
    """Merge progress exported on another machine; importing the same file twice adds nothing.

    Example:  nnquiz import progress.json
    """
    from nnquiz.practice import transfer

    data = transfer.parse(file)
    with _store() as store:
        added = transfer.import_data(store, data)
    unknown = transfer.unknown_question_ids(data, _known_question_ids())
    if unknown:
        shown = ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")
        _console(stderr=True).print(
            t(
                "import.unknown_ids" if len(unknown) > 1 else "import.unknown_id",
                n=len(unknown),
                ids=shown,
            ),
            markup=False,
            highlight=False,
        )
    typer.echo(
        t(
            "import.done",
            what=", ".join(f"{n} {table.replace('_', ' ')}" for table, n in added.items()),
        )
    )


@app.command("config")
def config_cmd(
    key: Optional[str] = typer.Argument(None, help="The setting (lang); leave out to list them."),
    value: Optional[str] = typer.Argument(None, help="Its new value; leave out to show it."),
    unset: bool = typer.Option(False, "--unset", help="Forget the saved value."),
) -> None:
    """Show or save your preferences (in config.json in the data dir).

    `lang` is the default language of every command; --lang and NNQUIZ_LANG override it.

    Examples:  nnquiz config lang zh | nnquiz config lang | nnquiz config lang --unset
    """
    from nnquiz import config

    defaults = {"lang": "en"}
    if key is None:
        saved = config.load()
        for name in config.KEYS:
            typer.echo(
                t("config.value", key=name, value=saved[name])
                if name in saved
                else t("config.not_set", key=name, default=defaults.get(name, "-"))
            )
        return
    config.check_key(key)
    if unset:
        typer.echo(t("config.unset", key=key, path=config.unset(key)))
    elif value is None:
        saved = config.get(key)
        typer.echo(
            t("config.value", key=key, value=saved)
            if saved is not None
            else t("config.not_set", key=key, default=defaults.get(key, "-"))
        )
    else:
        typer.echo(t("config.saved", key=key, value=value, path=config.set_value(key, value)))


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete the cached reference figures (they are recomputed at the next grade).

    Example:  nnquiz cache clear
    """
    from nnquiz.grading.runner import clear_reference_cache

    count, folder = clear_reference_cache()
    typer.echo(t("cache.cleared", n=count, folder=folder))


@dev_app.command("new-kata")
def dev_new_kata(
    slug: str = typer.Argument(..., help="The new kata's slug (lower-case, hyphens)."),
) -> None:
    """Scaffold a kata: its folder, solution, fixture folders and both instruction files.

    Example:  nnquiz dev new-kata my-kata
    """
    from nnquiz.dev.scaffold import new_kata
    from nnquiz.ui import dev_view

    dev_view.scaffolded(slug, new_kata(slug))


@dev_app.command("check")
def dev_check(
    slugs: Optional[List[str]] = typer.Argument(
        None, help="Katas to check (default: every kata and the bank)."
    ),
    fast: bool = typer.Option(
        False, "--fast", help="Skip the checks that grade (starter, solution, fixtures)."
    ),
) -> None:
    """Run the content checks, one line each; exit 1 when any fails.

    Examples:  nnquiz dev check | nnquiz dev check knn --fast
    """
    from nnquiz.dev.checks import run_checks
    from nnquiz.ui import dev_view

    raise typer.Exit(1 if dev_view.check_lines(run_checks(slugs or [], fast=fast)) else 0)


@dev_app.command("mutate")
def dev_mutate(
    slug: str = typer.Argument(..., help="The kata whose suite is measured."),
    sample: Optional[int] = typer.Option(
        None, "--sample", help="Grade a seeded random sample of N mutants (default: all)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the sample."),
    jobs: int = typer.Option(1, "--jobs", "-j", help="Mutants graded at once."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    record: bool = typer.Option(
        False, "--record", help="Write the score into benchmarks/mutation.md."
    ),
) -> None:
    """Grade mutants of a kata's reference solution: which small bugs does its suite miss?

    Each mutant (an operator swapped, a boundary moved, a constant changed, a statement
    removed, two arguments swapped) is graded like a learner's file. Survivors are listed
    with their diff; record true equivalents in katas/SLUG/equivalent-mutants.yaml.
    Exit 1 when the score is under the kata's floor.

    Examples:  nnquiz dev mutate knn --sample 40 | nnquiz dev mutate knn --json --record
    """
    from nnquiz.dev.mutate import record_score, run_mutation
    from nnquiz.katas.catalogue import get_kata
    from nnquiz.ui import dev_view

    kata = get_kata(slug)
    report = run_mutation(
        kata,
        sample=sample,
        seed=seed,
        jobs=jobs,
        on_result=None if as_json else dev_view.mutant_line,
    )
    if record:
        command = f"nnquiz dev mutate {slug}" + (f" --sample {sample}" if sample else "")
        record_score(report, command)
    dev_view.mutation_report(report, as_json=as_json)
    raise typer.Exit(0 if report.score >= report.floor else 1)


def _command_name(args: list[str]) -> str | None:
    """The subcommand in `args` (after the group's own options), if any."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True  # its value follows
        elif not arg.startswith("-"):
            return arg
    return None


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command `args` ask for: typer builds every command's options on
    each start, about a third of `nnquiz ask`'s own start-up. The home screen, the full help
    and an unknown command (click suggests the close ones) get the whole app."""
    import copy

    name = _command_name(args)
    commands = [c for c in app.registered_commands if (c.name or _cli_name(c)) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if name is None or not (commands or groups):
        return app
    one = copy.copy(app)
    one.registered_commands = commands
    one.registered_groups = groups
    return one


def _cli_name(command: Any) -> str:
    """The name typer gives a command registered without one: its function's, dashed."""
    return str(command.callback.__name__).replace("_", "-")


def main() -> None:
    """Entry point for the `nnquiz` script and `python -m nnquiz`."""
    import sys

    app_for(sys.argv[1:])(prog_name="nnquiz")
