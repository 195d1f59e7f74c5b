"""Helpers of the hidden suites' library (nnquiz.grading.katalib) that must keep a promise."""

from __future__ import annotations

import numpy as np
import pytest

from nnquiz.grading.katalib.data import pick

OPTIONS = ("zero", "one", "two", "three", "four")


@pytest.mark.parametrize("p", [None, (0.2, 0.25, 0.55), (1.0, 3.0, 0.0, 2.0)])
def test_pick_draws_what_rng_choice_draws(p):
    """The corpora are built with `pick`; their figures were measured with `rng.choice`."""
    options = OPTIONS[: len(p)] if p is not None else OPTIONS
    ours, theirs = np.random.default_rng(7), np.random.default_rng(7)
    weights = None if p is None else np.asarray(p) / sum(p)
    for _ in range(2000):
        assert pick(ours, options, p) == str(theirs.choice(options, p=weights))
        assert ours.random() == theirs.random()  # and both generators moved alike
