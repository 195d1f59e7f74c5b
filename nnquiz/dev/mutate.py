"""`nnquiz dev mutate`: how many small bugs in a reference solution its hidden suite rejects.

Mutants come from cosmic-ray's operators (used as a library: it enumerates the positions where
an operator applies and rewrites the source through parso, keeping the rest byte for byte),
restricted to the ones that make plausible bugs, plus two that cosmic-ray lacks: a removed
statement (replaced by `pass`) and the two positional arguments of a call swapped. Each mutant
is graded like a learner's file, stopping at the first failing test. A mutant the suite
passes "survived"; one that runs past its time limit "timed out" (counted as killed).

Survivors that change nothing the contract defines are recorded as equivalent in
`katas/<slug>/equivalent-mutants.yaml` (a fingerprint and a one-line reason each), and
score = killed / (all - equivalent). Scores live in benchmarks/mutation.md, one row a kata;
`dev check` fails a kata with no score or one under its floor.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import random
import re
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from nnquiz import paths, yamlio
from nnquiz.errors import NnquizError
from nnquiz.katas.catalogue import Kata

# cosmic-ray operators that make the bugs a learner makes: arithmetic swapped with its
# inverse, boundaries moved, conditions negated, constants off by one, loops skipped.
# (Arithmetic -> bit shifts and the like only raise TypeErrors: no information.)
COSMIC_OPERATORS = (
    "ReplaceBinaryOperator_Add_Sub",
    "ReplaceBinaryOperator_Sub_Add",
    "ReplaceBinaryOperator_Mul_Div",
    "ReplaceBinaryOperator_Div_Mul",
    "ReplaceBinaryOperator_FloorDiv_Div",
    "ReplaceBinaryOperator_Pow_Mul",
    "ReplaceComparisonOperator_Lt_LtE",
    "ReplaceComparisonOperator_LtE_Lt",
    "ReplaceComparisonOperator_Gt_GtE",
    "ReplaceComparisonOperator_GtE_Gt",
    "ReplaceComparisonOperator_Eq_NotEq",
    "ReplaceComparisonOperator_NotEq_Eq",
    "ReplaceComparisonOperator_Is_IsNot",
    "ReplaceComparisonOperator_IsNot_Is",
    "ReplaceUnaryOperator_USub_UAdd",
    "ReplaceUnaryOperator_Delete_Not",
    "ReplaceTrueWithFalse",
    "ReplaceFalseWithTrue",
    "ReplaceAndWithOr",
    "ReplaceOrWithAnd",
    "ReplaceBreakWithContinue",
    "NumberReplacer",
    "ZeroIterationForLoop",
)
REMOVE_STATEMENT = "RemoveStatement"
SWAP_ARGUMENTS = "SwapArguments"
FLOOR_NUMPY = 0.98  # katas without torch
FLOOR_TORCH = 0.95
SCORES_FILE = "benchmarks/mutation.md"
EQUIVALENT_FILE = "equivalent-mutants.yaml"


class MutateError(NnquizError):
    """The mutation run cannot start (bad sample size, an unreadable equivalents file)."""


@dataclass(frozen=True)
class Mutant:
    operator: str
    line: int
    source: str
    diff: str
    nth: int = 0  # the same edit made at several places: 1, 2, ... after the first

    @property
    def fingerprint(self) -> str:
        """Stable across unrelated edits: the operator and the changed lines, not their numbers."""
        changed = [
            ln
            for ln in self.diff.splitlines()
            if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
        ]
        salt = [f"#{self.nth}"] if self.nth else []
        digest = hashlib.sha1("\n".join([self.operator, *changed, *salt]).encode()).hexdigest()
        return digest[:12]


@dataclass
class MutantResult:
    mutant: Mutant
    outcome: str  # killed | survived | timed_out | equivalent
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "operator": self.mutant.operator,
            "line": self.mutant.line,
            "fingerprint": self.mutant.fingerprint,
            "outcome": self.outcome,
            "detail": self.detail,
            "diff": self.mutant.diff if self.outcome == "survived" else "",
        }


@dataclass
class MutationReport:
    kata: str
    total_mutants: int
    results: list[MutantResult] = field(default_factory=list)
    floor: float = FLOOR_NUMPY

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.results)

    @property
    def score(self) -> float:
        judged = len(self.results) - self.count("equivalent")
        return 1.0 if judged == 0 else (self.count("killed") + self.count("timed_out")) / judged

    def as_json(self) -> dict[str, Any]:
        return {
            "kata": self.kata,
            "mutants_total": self.total_mutants,
            "mutants_run": len(self.results),
            "killed": self.count("killed"),
            "survived": self.count("survived"),
            "timed_out": self.count("timed_out"),
            "equivalent": self.count("equivalent"),
            "score": round(self.score, 4),
            "floor": self.floor,
            "results": [r.as_json() for r in self.results],
        }


def floor_for(kata: Kata) -> float:
    return FLOOR_TORCH if kata.uses_torch else FLOOR_NUMPY


def _diff(before: str, after: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"a/{name}",
            f"b/{name}",
            n=1,
        )
    )


def _docstring_lines(tree: ast.Module) -> set[int]:
    """Lines of docstrings: mutating them changes nothing."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                first = body[0]
                lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines


def _fstring_spans(tree: ast.Module) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) positions of f-strings: a change there only rewords a message."""
    return [
        ((n.lineno, n.col_offset), (n.end_lineno or n.lineno, n.end_col_offset or 0))
        for n in ast.walk(tree)
        if isinstance(n, ast.JoinedStr)
    ]


def _first_change(before: str, after: str) -> tuple[int, int]:
    """(line, column) of the first character that differs."""
    for i, (a, b) in enumerate(zip(before.splitlines(), after.splitlines()), start=1):
        if a != b:
            col = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            return i, col
    return min(len(before.splitlines()), len(after.splitlines())) + 1, 0


def _cosmic_mutants(source: str) -> Iterator[tuple[str, str]]:
    import parso  # noqa: F401  (imported first: cosmic-ray's plugin loading needs it loaded)
    from cosmic_ray.ast import ast_nodes, get_ast
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.operators.provider import OperatorProvider

    provider = OperatorProvider()
    for name in COSMIC_OPERATORS:
        operator = provider[name]()
        positions = sum(
            1 for node in ast_nodes(get_ast(source)) for _ in operator.mutation_positions(node)
        )
        for occurrence in range(positions):
            mutated = mutate_code(source, operator, occurrence)
            if mutated is not None and mutated != source:
                yield name, mutated


def _removed_statements(source: str, tree: ast.Module) -> Iterator[tuple[str, str]]:
    """Each simple statement inside a function body replaced by `pass`."""
    lines = source.splitlines(keepends=True)
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            if not isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)):
                continue
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # a docstring
            start, end = node.lineno, node.end_lineno or node.lineno
            first = lines[start - 1]
            indent = first[: len(first) - len(first.lstrip())]
            segment = (ast.get_source_segment(source, node) or "").splitlines()
            if not segment or first.strip() != segment[0].strip():
                continue  # shares its line with other code (`a = 1; b = 2`)
            new = lines[: start - 1] + [f"{indent}pass\n"] + lines[end:]
            yield REMOVE_STATEMENT, "".join(new)


def _swapped_arguments(source: str, tree: ast.Module) -> Iterator[tuple[str, str]]:
    """Calls with exactly two positional arguments, the two swapped."""
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))

    def at(lineno: int, col: int) -> int:
        return offsets[lineno - 1] + len(source.splitlines(keepends=True)[lineno - 1][:col])

    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and len(node.args) == 2):
            continue
        a, b = node.args
        if any(isinstance(x, ast.Starred) for x in (a, b)) or None in (
            a.end_lineno,
            b.end_lineno,
        ):
            continue
        sa, ea = at(a.lineno, a.col_offset), at(a.end_lineno or 0, a.end_col_offset or 0)
        sb, eb = at(b.lineno, b.col_offset), at(b.end_lineno or 0, b.end_col_offset or 0)
        text_a, text_b = source[sa:ea], source[sb:eb]
        if text_a == text_b:
            continue
        yield SWAP_ARGUMENTS, source[:sa] + text_b + source[ea:sb] + text_a + source[eb:]


def mutants(source: str, name: str = "solution.py") -> list[Mutant]:
    """Every mutant of `source`, in a stable order; duplicates and edits inside docstrings or
    f-strings (message texts) left out."""
    tree = ast.parse(source)
    skip = _docstring_lines(tree)
    fstrings = _fstring_spans(tree)
    out: list[Mutant] = []
    seen: set[str] = set()
    fingerprints: set[str] = set()
    found = [
        *_cosmic_mutants(source),
        *_removed_statements(source, tree),
        *_swapped_arguments(source, tree),
    ]
    for operator, mutated in found:
        if mutated in seen:
            continue
        seen.add(mutated)
        try:
            compile(mutated, name, "exec")
        except SyntaxError:
            continue
        line, col = _first_change(source, mutated)
        if line in skip or any(a <= (line, col) < b for a, b in fstrings):
            continue  # docstrings and message texts: no behaviour changes
        mutant = Mutant(operator, line, mutated, _diff(source, mutated, name))
        while mutant.fingerprint in fingerprints:
            mutant = Mutant(operator, line, mutated, mutant.diff, mutant.nth + 1)
        fingerprints.add(mutant.fingerprint)
        out.append(mutant)
    return out


def equivalent_fingerprints(kata: Kata) -> dict[str, str]:
    """fingerprint -> reason, from katas/<slug>/equivalent-mutants.yaml (absent = none)."""
    path = kata.folder / EQUIVALENT_FILE
    if not path.exists():
        return {}
    data = yamlio.load_yaml(path, MutateError)
    if data is None:
        return {}
    if not isinstance(data, list) or not all(
        isinstance(d, dict) and d.get("fingerprint") and d.get("reason") for d in data
    ):
        raise MutateError(
            f"{path}: expected a list of {{fingerprint, reason}} entries "
            "(operator and line may be added for the reader)"
        )
    return {str(d["fingerprint"]): str(d["reason"]) for d in data}


def run_mutation(
    kata: Kata,
    *,
    sample: int | None = None,
    seed: int = 0,
    jobs: int = 1,
    on_result: Callable[[MutantResult, int, int], None] | None = None,
) -> MutationReport:
    """Grade mutants of the kata's solution against its suite (a seeded sample when asked)."""
    from nnquiz.grading.runner import grade

    if sample is not None and sample < 1:
        raise MutateError(f"--sample must be at least 1, got {sample}")
    source = kata.solution.read_text(encoding="utf-8")
    every = mutants(source, f"solutions/{kata.slug}.py")
    chosen = every
    if sample is not None and sample < len(every):
        picked = sorted(random.Random(seed).sample(range(len(every)), sample))
        chosen = [every[i] for i in picked]
    equivalent = equivalent_fingerprints(kata)
    baseline = grade(kata, kata.solution)
    if not baseline.passed:
        raise MutateError(
            f"the reference solution of {kata.slug!r} fails its own suite; "
            f"run `nnquiz dev check {kata.slug}` first"
        )
    timeout = min(float(kata.time_limit_s), max(20.0, 4 * baseline.duration_s))
    report = MutationReport(kata.slug, len(every), floor=floor_for(kata))

    def judge(mutant: Mutant, workdir: Path) -> MutantResult:
        if mutant.fingerprint in equivalent:
            return MutantResult(mutant, "equivalent", equivalent[mutant.fingerprint])
        folder = workdir / mutant.fingerprint
        folder.mkdir()
        module = folder / f"{kata.module_name}.py"
        module.write_text(mutant.source, encoding="utf-8")
        result = grade(kata, module, fail_fast=True, timeout_s=timeout)
        if result.passed:
            return MutantResult(mutant, "survived")
        if result.message.startswith("timeout"):
            return MutantResult(mutant, "timed_out", result.message.splitlines()[0])
        failing = next((t for t in result.tests if t.status.value != "pass"), None)
        detail = (
            failing.name if failing else result.message.splitlines()[0] if result.message else ""
        )
        return MutantResult(mutant, "killed", detail)

    with (
        tempfile.TemporaryDirectory(prefix="nnquiz-mutate-") as tmp,
        ThreadPoolExecutor(max_workers=max(1, jobs)) as pool,
    ):
        futures = [pool.submit(judge, m, Path(tmp)) for m in chosen]
        for done, future in enumerate(futures, start=1):
            res = future.result()
            report.results.append(res)
            if on_result:
                on_result(res, done, len(chosen))
    return report


# ------------------------------------------------------------------ scores in benchmarks/mutation.md

ROW = re.compile(r"^\| `(?P<slug>[a-z0-9-]+)` \|(?P<rest>.*)\|\s*$")
HEADER = (
    "| kata | mutants (run of all) | killed | survived | timed out | equivalent | score | floor "
    "| date |\n|---|---|---|---|---|---|---|---|---|\n"
)


def scores_path() -> Path:
    return paths.content_root() / SCORES_FILE


def recorded_scores() -> dict[str, tuple[float, str]]:
    """slug -> (score, the row's text) from benchmarks/mutation.md."""
    path = scores_path()
    if not path.exists():
        return {}
    out: dict[str, tuple[float, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if not m:
            continue
        cells = [c.strip() for c in m.group("rest").split("|")]
        try:
            out[m.group("slug")] = (float(cells[5]), line)
        except (IndexError, ValueError):
            continue
    return out


def record_score(report: MutationReport, command: str) -> Path:
    """Write (or replace) the kata's row in benchmarks/mutation.md, atomically."""
    path = scores_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    row = (
        f"| `{report.kata}` | {len(report.results)} of {report.total_mutants} "
        f"| {report.count('killed')} | {report.count('survived')} | {report.count('timed_out')} "
        f"| {report.count('equivalent')} | {report.score:.3f} | {report.floor:.2f} "
        f"| {date.today().isoformat()} `{command}` |"
    )
    lines = text.splitlines()
    if HEADER.splitlines()[0] not in lines:
        lines = [*lines, "", *HEADER.splitlines()]
    for i, line in enumerate(lines):
        m = ROW.match(line)
        if m and m.group("slug") == report.kata:
            lines[i] = row
            break
    else:
        lines.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
