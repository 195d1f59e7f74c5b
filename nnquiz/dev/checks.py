"""`nnquiz dev check`: a row of small named checks over the content, each one line.

Per kata: kata.yaml valid; instructions in both languages with the same sections; at least
three hints in both languages; the starter defines every entrypoint (and fails its suite);
the solution passes; every wrong patch applies to the solution (no drift) and is rejected;
every right fixture is accepted; no stray files. Over the bank (when no kata is named):
unique question ids, keywords of two or more characters that are not stop words, and no
choice that points at another option by position (choices are shuffled).
The grading checks are slow; `fast=True` skips them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nnquiz import paths
from nnquiz.dev.patches import PatchError, patched_source
from nnquiz.errors import NnquizError
from nnquiz.katas import catalogue
from nnquiz.katas.catalogue import Kata

KATA_FILES = {"kata.yaml", "instructions.en.md", "instructions.zh.md", "starter.py", "tests"}
IGNORED = {"__pycache__", ".DS_Store"}
MIN_HINTS = 3
STOP_WORDS = {
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "in",
    "is",
    "it",
    "of",
    "on",
    "or",
    "that",
    "the",
    "this",
    "to",
    "with",
    "的",
    "了",
    "和",
    "是",
    "在",
    "与",
    "或",
    "一个",
}
POSITIONAL = re.compile(
    r"\b(all|none|both|neither) of the (above|others|options|choices)\b"
    r"|\b(the )?(first|second|third|fourth|last|previous|next|other) (two |three )?(options?|choices?|answers?)\b"
    r"|\b(options?|choices?) [a-f]\b|\bboth [a-f] and [a-f]\b|\b[a-f] (and|or) [a-f] (are|is)\b"
    r"|以上|上述|前两|后两|最后一项|选项\s*[a-fA-F]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Check:
    subject: str  # a kata's slug, or "bank"
    name: str
    ok: bool
    detail: str = ""
    skipped: bool = False


def _headings(text: str) -> list[int]:
    """The levels of the markdown headings, in order (code blocks skipped)."""
    levels, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            levels.append(len(line) - len(line.lstrip("#")))
    return levels


def _stray_files(kata: Kata) -> list[str]:
    stray = [p.name for p in kata.folder.iterdir() if p.name not in KATA_FILES | IGNORED]
    stray += [
        f"tests/{p.name}"
        for p in kata.tests_dir.iterdir()
        if p.name not in IGNORED and not (p.suffix == ".py" or p.name.endswith(".json"))
    ]
    fixtures = paths.content_root() / "tests" / "fixtures"
    for kind, suffix in (("wrong", ".patch"), ("right", ".py")):
        folder = fixtures / kind / kata.slug
        if folder.is_dir():
            stray += [
                f"tests/fixtures/{kind}/{kata.slug}/{p.name}"
                for p in folder.iterdir()
                if p.name not in IGNORED and p.suffix != suffix
            ]
    return stray


def _fixtures(kata: Kata, kind: str) -> list[Path]:
    folder = paths.content_root() / "tests" / "fixtures" / kind / kata.slug
    return sorted(folder.glob("*.patch" if kind == "wrong" else "*.py"))


def _grading_checks(kata: Kata, workdir: Path) -> Iterator[Check]:
    from nnquiz.grading.service import warm_grade as grade

    def failing(result_tests: list) -> str:
        bad = [t for t in result_tests if t.status.value != "pass"]
        return "; ".join(
            f"{t.name}: {t.message.splitlines()[0] if t.message else t.status.value}"
            for t in bad[:2]
        )

    result = grade(kata, kata.starter, fail_fast=True)
    yield Check(
        kata.slug,
        "starter fails its suite",
        not result.passed,
        "" if not result.passed else "the starter passes every test",
    )
    result = grade(kata, kata.solution)
    detail = "" if result.passed else (result.message or failing(result.tests))
    yield Check(kata.slug, "solution passes", result.passed, detail)
    for patch in _fixtures(kata, "wrong"):
        try:
            source = patched_source(patch, kata.solution)
        except PatchError:
            continue  # reported by "wrong patches apply"
        module = workdir / f"{kata.module_name}.py"
        module.write_text(source, encoding="utf-8")
        result = grade(kata, module, fail_fast=True)
        yield Check(
            kata.slug,
            f"wrong/{patch.stem} rejected",
            not result.passed,
            "" if not result.passed else "it passes every test",
        )
    for right in _fixtures(kata, "right"):
        result = grade(kata, right)
        yield Check(
            kata.slug,
            f"right/{right.stem} accepted",
            result.passed,
            "" if result.passed else (result.message or failing(result.tests)),
        )


def kata_checks(slug: str, *, fast: bool = False, workdir: Path | None = None) -> Iterator[Check]:
    folder = paths.katas_dir() / slug
    yaml_problems = [
        p for p in catalogue.validate_catalogue() if p.startswith((f"{folder}/", f"{folder}:"))
    ]
    yield Check(slug, "kata.yaml valid", not yaml_problems, "; ".join(yaml_problems[:3]))
    if yaml_problems:
        return
    kata = catalogue.get_kata(slug)
    sections = {lang: _headings(kata.instructions(lang)) for lang in ("en", "zh")}
    yield Check(
        slug,
        "instructions in en and zh with the same sections",
        sections["en"] == sections["zh"] and bool(sections["en"]),
        f"headings en {sections['en']} vs zh {sections['zh']}",
    )
    yield Check(
        slug,
        f"at least {MIN_HINTS} hints in both languages",
        len(kata.hints) >= MIN_HINTS,
        f"{len(kata.hints)} hint(s)",
    )
    defined = catalogue.top_level_names(kata.starter) or set()
    missing = [name for name in kata.entrypoints if name not in defined]
    yield Check(slug, "starter defines every entrypoint", not missing, ", ".join(missing))
    wrong = _fixtures(kata, "wrong")
    drifted: list[str] = []
    for patch in wrong:
        try:
            patched_source(patch, kata.solution)
        except NnquizError as exc:
            drifted.append(str(exc))
    yield Check(
        slug,
        "wrong patches apply to the solution",
        bool(wrong) and not drifted,
        "; ".join(drifted[:2])
        if drifted
        else (f"no wrong patch in tests/fixtures/wrong/{slug}/" if not wrong else ""),
    )
    stray = _stray_files(kata)
    yield Check(slug, "no stray files", not stray, ", ".join(stray[:5]))
    if fast:
        yield Check(
            slug, "grading (starter, solution, fixtures)", True, "skipped: --fast", skipped=True
        )
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="nnquiz-dev-check-") as tmp:
        yield from _grading_checks(kata, Path(workdir or tmp))


def catalogue_checks() -> Iterator[Check]:
    """Folders and files that belong to no kata."""
    slugs = {p.name for p in paths.katas_dir().iterdir() if (p / "kata.yaml").is_file()}
    orphans = [
        f"solutions/{p.name}" for p in paths.solutions_dir().glob("*.py") if p.stem not in slugs
    ]
    fixtures = paths.content_root() / "tests" / "fixtures"
    for kind in ("wrong", "right"):
        if (fixtures / kind).is_dir():
            orphans += [
                f"tests/fixtures/{kind}/{p.name}/"
                for p in (fixtures / kind).iterdir()
                if p.is_dir() and p.name not in slugs
            ]
    yield Check(
        "catalogue", "no stray files outside the katas", not orphans, ", ".join(orphans[:5])
    )


def bank_checks() -> Iterator[Check]:
    from nnquiz.quiz import bank

    problems = bank.validate_all()
    yield Check("bank", "questions valid", not problems, "; ".join(problems[:2]))
    try:
        questions = bank.load_bank()
    except NnquizError as exc:
        yield Check("bank", "questions load", False, str(exc))
        return
    ids = [q.id for q in questions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    yield Check("bank", "every question id unique", not dupes, ", ".join(dupes[:5]))
    weak = [
        f"{q.id}: {w!r}"
        for q in questions
        for p in q.key_points
        for words in p.keywords.values()
        for w in words
        if len(w.strip()) < 2 or w.strip().casefold() in STOP_WORDS
    ]
    yield Check(
        "bank",
        "every keyword two or more characters, not a stop word",
        not weak,
        ", ".join(weak[:5]) + (f" (and {len(weak) - 5} more)" if len(weak) > 5 else ""),
    )
    positional = [
        f"{q.id}: {c.text['en']!r}"
        for q in questions
        for c in q.choices
        if any(POSITIONAL.search(t) for t in c.text.values())
    ]
    yield Check(
        "bank",
        "no choice points at another option by position (choices are shuffled)",
        not positional,
        ", ".join(positional[:3]),
    )


def run_checks(slugs: list[str], *, fast: bool = False) -> Iterator[Check]:
    """Every check for the named katas (default: all of them, the catalogue and the bank)."""
    named = bool(slugs)
    if not named:
        slugs = sorted(p.name for p in paths.katas_dir().iterdir() if (p / "kata.yaml").is_file())
    else:
        every = catalogue.load_catalogue()
        for slug in slugs:
            if not (paths.katas_dir() / slug / "kata.yaml").is_file():
                catalogue.get_kata(slug, every)  # a KataError naming the closest slugs
    for slug in slugs:
        yield from kata_checks(slug, fast=fast)
    if not named:
        yield from catalogue_checks()
        yield from bank_checks()
