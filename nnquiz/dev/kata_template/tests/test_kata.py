import pytest

from nnquiz.grading.katalib.checks import assert_close


@pytest.mark.parametrize("x", [0.0, 1.5, -2.0], ids=["zero", "positive", "negative"])
def test_matches_the_reference(user, reference, x):
    """solve(x) matches the reference solution"""
    assert_close(user.solve(x), reference.solve(x), what=f"solve({x})")
