"""Hidden suite for the positional-encoding kata: sinusoidal encodings and rotate-half RoPE."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_close,
    assert_raises_value_error,
    to_numpy,
)

ATOL = 1e-11


def expected_sinusoidal(n, d, base=10000.0):
    """Vaswani et al. written out with math: sin on dimension 2i, cos on 2i + 1."""
    pe = np.zeros((n, d))
    for pos in range(n):
        for i in range(d // 2):
            angle = pos / math.pow(base, 2 * i / d)
            pe[pos, 2 * i] = math.sin(angle)
            pe[pos, 2 * i + 1] = math.cos(angle)
    return pe


def expected_rope(x, positions, base=10000.0):
    """Rotate-half RoPE as complex multiplication: (x_i + j x_{i+d/2}) * exp(j pos base^(-2i/d))."""
    x = np.asarray(x, dtype=np.float64)
    half = x.shape[-1] // 2
    z = x[..., :half] + 1j * x[..., half:]
    inv = np.array([base ** (-2.0 * i / x.shape[-1]) for i in range(half)])
    z = z * np.exp(1j * np.outer(np.asarray(positions, dtype=np.float64), inv))
    return np.concatenate([z.real, z.imag], axis=-1)


# ---------------------------------------------------------------- sinusoidal


SIN_CASES = [(1, 2, 10000.0), (5, 4, 10000.0), (64, 16, 10000.0), (6, 8, 100.0), (100, 6, 10000.0)]


@pytest.mark.parametrize("n, d, base", SIN_CASES,
                         ids=[f"{n} positions, d={d}, base={b:g}" for n, d, b in SIN_CASES])
def test_sinusoidal_values(user, n, d, base):
    """sinusoidal_encoding has sin(pos / base^(2i/d)) at dimension 2i and cos at 2i + 1 (atol 1e-11)"""
    got = user.sinusoidal_encoding(n, d) if base == 10000.0 else user.sinusoidal_encoding(n, d, base=base)
    assert_close(got, expected_sinusoidal(n, d, base), atol=ATOL, what=f"encoding ({n}, {d}), base {base:g}")


def test_sinusoidal_first_rows(user):
    """position 0 is (0, 1, 0, 1, ...) and position 1 starts with (sin 1, cos 1)"""
    pe = to_numpy(user.sinusoidal_encoding(2, 6), np.float64, "encoding")
    assert_close(pe[0], [0.0, 1.0, 0.0, 1.0, 0.0, 1.0], atol=ATOL, what="row of position 0")
    assert_close(pe[1, :2], [math.sin(1.0), math.cos(1.0)], atol=ATOL,
                 what="dimensions 0 and 1 of position 1")


def test_sinusoidal_no_positions(user):
    """zero positions give an empty (0, d) array"""
    got = to_numpy(user.sinusoidal_encoding(0, 4), np.float64, "encoding")
    if got.shape != (0, 4):
        raise CheckFailure(f"sinusoidal_encoding(0, 4): expected shape (0, 4), got {got.shape}")


@pytest.mark.parametrize("args", [(4, 5), (4, 0), (-1, 4)],
                         ids=["odd d_model", "d_model 0", "negative n_positions"])
def test_sinusoidal_bad_arguments(user, args):
    """an odd or zero d_model, or a negative number of positions, raises ValueError"""
    assert_raises_value_error(user.sinusoidal_encoding, *args, what=f"sinusoidal_encoding{args}")


# ---------------------------------------------------------------- RoPE


def test_rope_convention_by_hand(user):
    """dimension i rotates with dimension i + d/2 (rotate half), by position * base^(-2i/d)"""
    x = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
    got = to_numpy(user.apply_rope(x, np.array([1, 1, 2])), np.float64, "apply_rope")
    c1, s1 = math.cos(1.0), math.sin(1.0)
    c3, s3 = math.cos(2.0), math.sin(2.0)
    expected = [[c1, 0.0, s1, 0.0],  # e_0 at position 1 turns towards e_2
                [0.0, math.cos(0.01), 0.0, math.sin(0.01)],  # e_1 at position 1 towards e_3
                [-s3, 0.0, c3, 0.0]]  # e_2 at position 2: (x0, x2) = (-sin 2, cos 2)
    assert_close(got, expected, atol=1e-12, what="RoPE of unit vectors (d=4)")


def rope_cases():
    rng = np.random.default_rng(7)
    return {
        "(L, d) = (4, 2)": (rng.normal(size=(4, 2)), np.arange(4), 10000.0),
        "(6, 8)": (rng.normal(size=(6, 8)), np.arange(6), 10000.0),
        "(2, 3, 5, 16): batch and heads": (rng.normal(size=(2, 3, 5, 16)), np.arange(5), 10000.0),
        "positions 3, 0, 7, 100, 2": (rng.normal(size=(5, 6)), np.array([3, 0, 7, 100, 2]), 10000.0),
        "positions from 1000 on (a cache offset)": (rng.normal(size=(2, 3, 4)), np.arange(1000, 1003), 10000.0),
        "base 500": (rng.normal(size=(4, 8)), np.arange(4), 500.0),
        "float positions": (rng.normal(size=(3, 4)), np.array([0.5, 1.25, 7.0]), 10000.0),
    }


ROPE_CASES = rope_cases()


@pytest.mark.parametrize("case", list(ROPE_CASES), ids=list(ROPE_CASES))
def test_rope_values(user, case):
    """apply_rope equals the rotate-half rotation (GPT-NeoX / Llama convention) (atol 1e-11)"""
    x, pos, base = ROPE_CASES[case]
    got = user.apply_rope(x.copy(), pos.copy()) if base == 10000.0 else \
        user.apply_rope(x.copy(), pos.copy(), base=base)
    assert_close(got, expected_rope(x, pos, base), atol=ATOL, what=f"RoPE {case}")


def test_rope_position_zero_is_identity(user):
    """at position 0 nothing turns"""
    x = np.random.default_rng(1).normal(size=(1, 10))
    assert_close(user.apply_rope(x, np.array([0])), x, atol=1e-14, what="RoPE at position 0")


def test_rope_preserves_norms(user):
    """each rotated vector keeps its length"""
    x = np.random.default_rng(2).normal(size=(3, 12, 32))
    got = to_numpy(user.apply_rope(x, np.arange(12)), np.float64, "apply_rope")
    if got.shape != x.shape:
        raise CheckFailure(f"apply_rope: expected shape {x.shape}, got {got.shape}")
    assert_close(np.linalg.norm(got, axis=-1), np.linalg.norm(x, axis=-1), atol=1e-10,
                 what="vector norms after RoPE")


def test_rope_scores_depend_only_on_offset(user):
    """the score <rope(q, m), rope(k, n)> depends only on m - n (random vectors, many pairs)"""
    rng = np.random.default_rng(3)
    q, k = rng.normal(size=16), rng.normal(size=16)
    for m, n in [(5, 2), (0, 9), (40, 40), (17, 3)]:
        scores = []
        for shift in (0, 1, 13, 250):
            pos = np.array([m + shift, n + shift])
            rq = to_numpy(user.apply_rope(np.stack([q, q]), pos), np.float64, "apply_rope")[0]
            rk = to_numpy(user.apply_rope(np.stack([k, k]), pos), np.float64, "apply_rope")[1]
            scores.append(rq @ rk)
        assert_close(scores, [scores[0]] * 4, atol=1e-9,
                     what=f"scores for positions ({m}, {n}) shifted by 0, 1, 13, 250")
        expected = expected_rope(q[None], [m])[0] @ expected_rope(k[None], [n])[0]
        assert_close(scores[0], expected, atol=1e-9, what=f"score for positions ({m}, {n})")


def test_rope_does_not_modify_input(user):
    """apply_rope returns a new array and leaves x and positions unchanged"""
    x = np.random.default_rng(4).normal(size=(2, 5, 8))
    pos = np.arange(5)
    kept_x, kept_p = x.copy(), pos.copy()
    user.apply_rope(x, pos)
    assert_close(x, kept_x, atol=0.0, what="x after apply_rope")
    assert_close(pos, kept_p, atol=0.0, what="positions after apply_rope")


@pytest.mark.parametrize("case", ["odd d", "positions of the wrong length", "one position for three rows"])
def test_rope_bad_arguments(user, case):
    """an odd last dimension or positions whose length is not L raise ValueError"""
    if case == "odd d":
        x, pos = np.ones((3, 5)), np.arange(3)
    elif case == "one position for three rows":
        x, pos = np.ones((3, 4)), np.array([2])
    else:
        x, pos = np.ones((3, 4)), np.arange(4)
    assert_raises_value_error(user.apply_rope, x, pos, what=f"apply_rope with {case}")


def test_rope_other_input_types(user):
    """a float32 x gives a float64 result, and positions may be a Python list"""
    x = np.random.default_rng(6).normal(size=(4, 8)).astype(np.float32)
    got = np.asarray(user.apply_rope(x.copy(), [0, 3, 1, 9]))
    if got.dtype != np.float64:
        raise CheckFailure(f"apply_rope of a float32 x: expected dtype float64, got {got.dtype}")
    assert_close(got, expected_rope(x.astype(np.float64), [0, 3, 1, 9]), atol=ATOL,
                 what="RoPE of a float32 x with list positions")
