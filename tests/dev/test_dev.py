"""Author commands on a scratch copy of the fixture curriculum: scaffold a kata, write its
solution and one wrong patch, and `dev check` passes; drift and stray files fail it."""

from __future__ import annotations

import difflib
import json
import shutil

import pytest
import yaml

from nnquiz.dev.mutate import mutants
from nnquiz.ui.cli import app

from ..conftest import CURRICULUM


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    root = tmp_path / "content"
    shutil.copytree(CURRICULUM, root)
    monkeypatch.setenv("NNQUIZ_CONTENT", str(root))
    return root


def wrong_patch(solution: str, wrong: str, bug: str) -> str:
    diff = difflib.unified_diff(
        solution.splitlines(keepends=True),
        wrong.splitlines(keepends=True),
        "a/solutions/demo.py",
        "b/solutions/demo.py",
    )
    return f"# bug: {bug}\n" + "".join(diff)


def test_dev_is_hidden_from_the_learners_help(runner):
    assert " dev " not in runner.invoke(app, ["--help"]).stdout
    assert "new-kata" in runner.invoke(app, ["dev", "--help"]).stdout


def test_new_kata_then_solution_and_one_patch_passes_dev_check(runner, scratch):
    result = runner.invoke(app, ["dev", "new-kata", "demo"])
    assert result.exit_code == 0, result.output
    created = {
        p.relative_to(scratch).as_posix() for p in scratch.rglob("*") if "demo" in p.as_posix()
    }
    assert {
        "katas/demo/kata.yaml",
        "katas/demo/instructions.en.md",
        "katas/demo/instructions.zh.md",
        "katas/demo/starter.py",
        "katas/demo/tests/test_demo.py",
        "solutions/demo.py",
        "tests/fixtures/wrong/demo",
        "tests/fixtures/right/demo",
    } <= created
    failing = runner.invoke(app, ["dev", "check", "demo"])  # no solution, no wrong patch yet
    assert failing.exit_code == 1
    assert "FAIL demo: solution passes" in failing.stdout
    solution = scratch / "solutions" / "demo.py"
    text = solution.read_text().replace(
        "raise NotImplementedError  # TODO: the reference solution", "return 2 * x"
    )
    solution.write_text(text)
    (scratch / "tests/fixtures/wrong/demo/triples.patch").write_text(
        wrong_patch(
            text, text.replace("return 2 * x", "return 3 * x"), "triples instead of doubling"
        )
    )
    unscored = runner.invoke(app, ["dev", "check", "demo"])
    assert unscored.exit_code == 1
    assert "FAIL demo: mutation score recorded and >= 0.98: no score in" in unscored.stdout
    mutated = runner.invoke(app, ["dev", "mutate", "demo", "--record", "--json"])
    assert mutated.exit_code == 0, mutated.output
    report = json.loads(mutated.stdout)
    assert report["kata"] == "demo" and report["mutants_run"] == report["mutants_total"] >= 3
    assert report["killed"] + report["timed_out"] == report["mutants_run"]
    assert report["score"] == 1.0
    assert "| `demo` | " in (scratch / "benchmarks/mutation.md").read_text()
    result = runner.invoke(app, ["dev", "check", "demo"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "ok   demo: solution passes" in lines and "ok   demo: wrong/triples rejected" in lines
    assert all(line.startswith(("ok ", "skip ")) for line in lines[:-1])

    solution.write_text(text.replace("def solve(x):", "def solve(x):  # drifted"))
    (scratch / "katas/demo/notes.txt").write_text("scratch")
    result = runner.invoke(app, ["dev", "check", "demo", "--fast"])
    assert result.exit_code == 1
    assert "FAIL demo: wrong patches apply to the solution: " in result.stdout
    assert "hunk 1" in result.stdout and "FAIL demo: no stray files: notes.txt" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["dev", "new-kata", "Bad Slug"], "is not a kata slug"),
        (["dev", "new-kata", "add"], "already exists"),
        (["dev", "check", "ad"], "Did you mean: add?"),
    ],
    ids=["bad slug", "existing kata", "unknown kata"],
)
def test_dev_errors_exit_2(runner, scratch, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


def test_mutants_cover_each_operator_kind_and_skip_docstrings():
    source = (
        '"""Doc 1 + 2."""\n'
        "def f(a, b):\n"
        '    """f(a, b) < 3"""\n'
        "    c = a + b * 2\n"
        "    if c <= 3 and a:\n"
        "        return max(c, 0)\n"
        "    if a is None:\n"
        '        raise ValueError(f"a is {b + 1}")\n'
        "    return -c\n"
    )
    found = mutants(source)
    kinds = {m.operator for m in found}
    assert {
        "ReplaceBinaryOperator_Add_Sub",
        "ReplaceBinaryOperator_Mul_Div",
        "ReplaceComparisonOperator_LtE_Lt",
        "ReplaceAndWithOr",
        "NumberReplacer",
        "ReplaceUnaryOperator_USub_UAdd",
        "RemoveStatement",
        "SwapArguments",
    } <= kinds
    assert all(m.line not in (1, 3) for m in found), "docstrings are never mutated"
    assert all("a is {b + 1}" in m.source for m in found), "f-string messages are never mutated"
    assert len({m.source for m in found}) == len(found), "no duplicate mutants"
    swapped = next(m for m in found if m.operator == "SwapArguments")
    assert "max(0, c)" in swapped.source
    removed = next(m for m in found if m.operator == "RemoveStatement")
    assert "    pass\n" in removed.source and "c = a + b * 2" not in removed.source


def test_equivalent_mutants_are_not_graded_and_do_not_count(runner, scratch):
    kata_dir = scratch / "katas" / "add"
    source = (scratch / "solutions" / "add.py").read_text()
    entries = [
        {"fingerprint": m.fingerprint, "operator": m.operator, "reason": "test: every one"}
        for m in mutants(source)
    ]
    (kata_dir / "equivalent-mutants.yaml").write_text(yaml.safe_dump(entries))
    result = runner.invoke(app, ["dev", "mutate", "add", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["equivalent"] == report["mutants_run"] == len(entries) >= 1
    assert report["score"] == 1.0
    (kata_dir / "equivalent-mutants.yaml").write_text("- just a string\n")
    bad = runner.invoke(app, ["dev", "mutate", "add"])
    assert bad.exit_code == 2 and "equivalent-mutants.yaml" in bad.output


def test_mutate_rejects_a_bad_sample(runner, scratch):
    result = runner.invoke(app, ["dev", "mutate", "add", "--sample", "0"])
    assert result.exit_code == 2 and "--sample must be at least 1" in result.output


def test_the_same_edit_at_two_places_gives_two_fingerprints():
    source = "def f(a):\n    a = a + 1\n    a = a + 1\n    return a\n"
    found = [m for m in mutants(source) if m.operator == "ReplaceBinaryOperator_Add_Sub"]
    assert len(found) == 2
    assert found[0].fingerprint != found[1].fingerprint
