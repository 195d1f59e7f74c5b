"""The real catalogue: every reference solution passes, every starter fails, every wrong
fixture (a patch on the solution) applies and is rejected, and every right fixture (a correct
solution written differently) passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnquiz.grading.service import check_references
from nnquiz.grading.service import warm_grade as grade  # one warm worker per pytest worker
from nnquiz.dev.patches import patched_source, read_patch
from nnquiz.katas.catalogue import load_catalogue, validate_catalogue

from ..conftest import FIXTURES

CATALOGUE = load_catalogue()


def fixture_files(kind: str) -> list[Path]:
    """Right fixtures are whole modules; wrong ones are patches on the solution."""
    return sorted((FIXTURES / kind).glob("*/*.py" if kind == "right" else "*/*.patch"))


def test_catalogue_is_valid():
    assert validate_catalogue() == []


def test_every_kata_has_wrong_and_right_fixtures():
    for slug in CATALOGUE:
        wrong = list((FIXTURES / "wrong" / slug).glob("*.patch"))
        right = list((FIXTURES / "right" / slug).glob("*.py"))
        assert len(wrong) >= 3, f"{slug}: {len(wrong)} wrong-solution fixtures, need 3"
        assert len(right) >= 1, f"{slug}: no right-solution fixture"
        assert len(CATALOGUE[slug].hints) >= 3, f"{slug}: fewer than 3 hints"


def test_every_kata_folder_is_in_the_catalogue():
    folders = {p.parent.name for p in (FIXTURES.parent.parent / "katas").glob("*/kata.yaml")}
    assert sorted(folders - set(CATALOGUE)) == []


@pytest.mark.slow
@pytest.mark.parametrize("slug", list(CATALOGUE))
def test_reference_passes_and_starter_fails(slug):
    (check,) = check_references([CATALOGUE[slug]], jobs=1)
    assert check.solution.status == "pass", (check.solution.message, [
        (t.name, t.message) for t in check.solution.tests if t.status != "pass"][:3])
    assert check.starter.status != "pass"


@pytest.mark.parametrize("path", fixture_files("wrong"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_wrong_patch_applies_and_stays_small(path):
    kata = CATALOGUE[path.parent.name]
    patch = read_patch(path)
    assert patched_source(path, kata.solution) != kata.solution.read_text(encoding="utf-8")
    assert patch.changed_lines <= 40, f"{path.name}: {patch.changed_lines} lines changed: make the bug smaller"


@pytest.mark.slow
@pytest.mark.parametrize("path", fixture_files("wrong"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_wrong_solution_is_rejected(path, tmp_path):
    kata = CATALOGUE[path.parent.name]
    module = tmp_path / f"{kata.module_name}.py"
    module.write_text(patched_source(path, kata.solution), encoding="utf-8")
    result = grade(kata, module, fail_fast=True)
    assert result.status in ("fail", "error"), f"{path.name} passed the {path.parent.name} suite"


@pytest.mark.slow
@pytest.mark.parametrize("path", fixture_files("right"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_correct_variant_is_accepted(path):
    result = grade(CATALOGUE[path.parent.name], path)
    assert result.status == "pass", (result.message, [
        (t.name, t.message) for t in result.tests if t.status != "pass"][:3])
