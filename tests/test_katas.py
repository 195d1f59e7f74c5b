"""The real catalogue: every reference solution passes, every starter fails, every wrong
fixture is rejected and every right fixture (a correct solution written differently) passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnquiz.grader import grade
from nnquiz.kata_service import check_references
from nnquiz.katas import load_catalogue, validate_catalogue

FIXTURES = Path(__file__).parent / "fixtures"
# The contracts in KATAS.md, in its order.
CONTRACT_SLUGS = [
    "knn", "svm", "random-forest", "voting", "mlp", "conv2d", "cnn", "lstm", "autoencoder",
    "text-cnn", "attention", "optimizers", "regularization", "gan", "vae", "wgan-gp",
    "gan-metrics", "image-metrics",
]
CATALOGUE = load_catalogue()


def fixture_files(kind: str) -> list[Path]:
    return sorted((FIXTURES / kind).glob("*/*.py"))


def test_catalogue_is_valid():
    assert validate_catalogue() == []


def test_every_kata_has_wrong_and_right_fixtures():
    for slug in CATALOGUE:
        wrong = list((FIXTURES / "wrong" / slug).glob("*.py"))
        right = list((FIXTURES / "right" / slug).glob("*.py"))
        assert len(wrong) >= 3, f"{slug}: {len(wrong)} wrong-solution fixtures, need 3"
        assert len(right) >= 1 or slug == "knn", f"{slug}: no right-solution fixture"
        assert len(CATALOGUE[slug].hints) >= 3, f"{slug}: fewer than 3 hints"


def test_catalogue_follows_the_contract_list():
    unknown = sorted(set(CATALOGUE) - set(CONTRACT_SLUGS))
    assert not unknown, f"katas without a contract: {unknown}"


@pytest.mark.slow
@pytest.mark.parametrize("slug", list(CATALOGUE))
def test_reference_passes_and_starter_fails(slug):
    (check,) = check_references([CATALOGUE[slug]], jobs=1)
    assert check.solution.status == "pass", (check.solution.message, [
        (t.name, t.message) for t in check.solution.tests if t.status != "pass"][:3])
    assert check.starter.status != "pass"


@pytest.mark.slow
@pytest.mark.parametrize("path", fixture_files("wrong"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_wrong_solution_is_rejected(path):
    result = grade(CATALOGUE[path.parent.name], path, fail_fast=True)
    assert result.status in ("fail", "error"), f"{path.name} passed the {path.parent.name} suite"


@pytest.mark.slow
@pytest.mark.parametrize("path", fixture_files("right"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_correct_variant_is_accepted(path):
    result = grade(CATALOGUE[path.parent.name], path)
    assert result.status == "pass", (result.message, [
        (t.name, t.message) for t in result.tests if t.status != "pass"][:3])
