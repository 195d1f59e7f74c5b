"""Hidden suite for the quantization kata: per-channel int8 weights, dequantisation, integer matmul."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_close,
    assert_equal,
    assert_raises_value_error,
    to_numpy,
)


def pair(result, what):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise CheckFailure(f"{what}: expected a pair (q, scale), got {type(result).__name__}")
    return result


def int8(value, what):
    """The raw array, which must be stored as int8."""
    arr = np.asarray(value)
    if arr.dtype != np.int8:
        raise CheckFailure(f"{what}: expected dtype int8, got {arr.dtype}")
    return to_numpy(arr, None, what)


def quantize(user, w, bits=None):
    res = pair(user.quantize_per_channel(w.copy()) if bits is None else
               user.quantize_per_channel(w.copy(), bits=bits), "quantize_per_channel")
    q = int8(res[0], "q")
    scale = to_numpy(res[1], np.float64, "scale")
    if q.shape != w.shape or scale.shape != (w.shape[0],):
        raise CheckFailure(f"expected q {w.shape} and scale ({w.shape[0]},), got {q.shape} and {scale.shape}")
    return q, scale


def expected_matmul(x, q, scale):
    """The stated formula: x quantised per tensor to int8 (scale max|x| / 127), exact integer sums."""
    amax = np.abs(x).max()
    sx = amax / 127 if amax > 0 else 1.0
    xq = np.clip(np.rint(x / sx), -127, 127).astype(np.int64)
    return (xq @ q.astype(np.int64).T) * sx * scale, sx


CRAFTED = {
    "8 bits, ties at x.5": (8, [[127.0, 2.5, -0.5, 1.5, -2.5, 0.5, -126.5],
                                [-254.0, 1.0, 3.0, -5.0, 253.0, 0.0, 0.0],
                                [0.0] * 7,
                                [31.75, 0.875, -0.625, 0.125, -31.75, 0.375, 0.0]],
                           [[127, 2, 0, 2, -2, 0, -126],
                            [-127, 0, 2, -2, 126, 0, 0],
                            [0] * 7,
                            [127, 4, -2, 0, -127, 2, 0]],
                           [1.0, 2.0, 1.0, 0.25]),
    "4 bits": (4, [[7.0, 2.5, -3.5, 0.5, -7.0], [14.0, 5.0, 1.0, -3.0, 0.0], [0.0] * 5],
               [[7, 2, -4, 0, -7], [7, 2, 0, -2, 0], [0] * 5], [1.0, 2.0, 1.0]),
    "2 bits": (2, [[1.0, 0.5, -0.5, -1.0, 0.2], [-3.0, 1.5, 1.6, 0.0, -1.4]],
               [[1, 0, 0, -1, 0], [-1, 0, 1, 0, 0]], [1.0, 3.0]),
}


@pytest.mark.parametrize("case", list(CRAFTED), ids=list(CRAFTED))
def test_exact_codes_on_crafted_rows(user, case):
    """crafted rows give exact codes: round half to even, scale max|row| / (2^(bits-1) - 1), zeros row -> scale 1"""
    bits, w, q_exp, s_exp = CRAFTED[case]
    q, scale = quantize(user, np.array(w), bits)
    assert_close(scale, s_exp, atol=0.0, rtol=1e-15, what=f"scales ({case})")
    assert_equal(q, np.array(q_exp, dtype=np.int8), what=f"codes ({case})")


def test_default_is_8_bits(user):
    """bits defaults to 8 (codes up to 127)"""
    q, scale = quantize(user, np.array([[254.0, -1.0, 3.0]]))
    assert_close(scale, [2.0], atol=0.0, what="scale with the default bits")
    assert_equal(q, np.array([[127, 0, 2]], dtype=np.int8), what="codes with the default bits")


@pytest.mark.parametrize("bits", [8, 6, 4, 3])
def test_random_weights(user, bits):
    """random weights: the scale formula, codes = round(w / scale) in range, and |w - dequant| <= scale/2"""
    rng = np.random.default_rng(bits)
    w = rng.normal(size=(16, 40)) * rng.uniform(0.01, 10.0, size=(16, 1))
    q, scale = quantize(user, w, bits)
    qmax = 2 ** (bits - 1) - 1
    assert_close(scale, np.abs(w).max(axis=1) / qmax, atol=0.0, rtol=1e-14, what=f"scales ({bits} bits)")
    if np.abs(q.astype(int)).max() > qmax:
        raise CheckFailure(f"codes must lie in [-{qmax}, {qmax}] for {bits} bits, got {q.min()}..{q.max()}")
    assert_equal(q, np.rint(w / (np.abs(w).max(axis=1, keepdims=True) / qmax)).astype(np.int8),
                 what=f"codes ({bits} bits)")
    deq = to_numpy(user.dequantize(q, scale), np.float64, "dequantize")
    assert_close(deq, q * scale[:, None], atol=0.0, rtol=1e-15, what="dequantize(q, scale) = q * scale")
    err = np.abs(w - deq) - scale[:, None] / 2
    if err.max() > 1e-12 * np.abs(w).max():
        i, j = np.unravel_index(err.argmax(), err.shape)
        raise CheckFailure(f"|w - dequant| exceeds scale/2 at ({i}, {j}) by {err[i, j]:.3g}")


def test_dequantize_returns_floats(user):
    """dequantize returns float64 values q * scale per row"""
    q = np.array([[1, -2, 127], [0, 5, -127]], dtype=np.int8)
    out = np.asarray(user.dequantize(q.copy(), np.array([0.5, 3.0])))
    if out.dtype != np.float64:
        raise CheckFailure(f"dequantize: expected dtype float64, got {out.dtype}")
    assert_close(out, [[0.5, -1.0, 63.5], [0.0, 15.0, -381.0]], atol=0.0, what="dequantize")


@pytest.mark.parametrize("shape", [(3, 8, 5, 2.0), (10, 64, 32, 2.0), (1, 7, 1, 2.0), (4, 16, 3, 0.01)],
                         ids=["x (3, 8), w (5, 8)", "x (10, 64), w (32, 64)", "x (1, 7), w (1, 7)",
                              "small activations, x (4, 16) * 0.01, w (3, 16)"])
def test_quantized_matmul_formula(user, shape):
    """quantized_matmul follows the stated formula (rtol 1e-12) and stays within the stated error bound"""
    n, d_in, d_out, size = shape
    rng = np.random.default_rng(n + d_in)
    x = rng.normal(size=(n, d_in)) * size
    w = rng.normal(size=(d_out, d_in)) * rng.uniform(0.1, 3.0, size=(d_out, 1))
    q, scale = quantize(user, w)
    got = np.asarray(user.quantized_matmul(x.copy(), q.copy(), scale.copy()))
    if got.dtype != np.float64:
        raise CheckFailure(f"quantized_matmul: expected dtype float64, got {got.dtype}")
    expected, sx = expected_matmul(x, q, scale)
    assert_close(got, expected, atol=1e-12, rtol=1e-12, what="quantized_matmul")
    w_hat = q * scale[:, None]
    bound = sx / 2 * np.abs(w_hat).sum(axis=1)[None, :] + np.abs(x).sum(axis=1)[:, None] * scale[None, :] / 2
    excess = np.abs(got - x @ w.T) - bound
    if excess.max() > 1e-9:
        raise CheckFailure(f"quantized_matmul: error exceeds the stated bound by {excess.max():.3g}")


def test_no_overflow_on_long_dot_products(user):
    """4096-long dot products of codes near +-127 accumulate without overflow (int32, not int8/int16)"""
    rng = np.random.default_rng(0)
    d = 4096
    x = np.ones((3, d))
    x[1] = -1.0
    x[2] = rng.choice([-1.0, 1.0], size=d)
    w = np.ones((2, d))
    w[1, : d // 2] = -1.0
    q, scale = quantize(user, w)
    got = user.quantized_matmul(x, q, scale)
    expected, _ = expected_matmul(x, q, scale)  # e.g. 4096 * 127 * 127 = 66,064,384 before scaling
    assert_close(got, expected, atol=1e-9, rtol=1e-12, what="quantized_matmul with 4096-long rows")
    assert_close(got[:2], x[:2] @ w.T, atol=1e-9, rtol=1e-12, what="the exact products +-4096 and 0")


def test_zero_activations(user):
    """all-zero activations give a zero result with no 0/0 along the way (no invalid-value warning)"""
    q, scale = quantize(user, np.random.default_rng(1).normal(size=(4, 6)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            got = user.quantized_matmul(np.zeros((2, 6)), q, scale)
        except RuntimeWarning as exc:
            raise CheckFailure(f"quantized_matmul of all-zero x: numpy warned {exc!s}: "
                               "an all-zero x must not be divided by a zero scale") from None
    assert_close(got, np.zeros((2, 4)), atol=0.0, what="quantized_matmul of zeros")


def test_inputs_not_modified(user):
    """the functions leave w, q, scale and x unchanged"""
    rng = np.random.default_rng(2)
    w, x = rng.normal(size=(4, 6)), rng.normal(size=(3, 6))
    kept_w, kept_x = w.copy(), x.copy()
    q, scale = pair(user.quantize_per_channel(w), "quantize_per_channel")
    q, scale = np.asarray(q), np.asarray(scale)
    kept_q, kept_s = q.copy(), scale.copy()
    user.dequantize(q, scale)
    user.quantized_matmul(x, q, scale)
    for name, a, b in (("w", w, kept_w), ("x", x, kept_x), ("q", q, kept_q), ("scale", scale, kept_s)):
        assert_close(a, b, atol=0.0, what=f"{name} after the calls")


BAD = {
    "bits=1": lambda u: u.quantize_per_channel(np.ones((2, 3)), bits=1),
    "bits=9": lambda u: u.quantize_per_channel(np.ones((2, 3)), bits=9),
    "1-d weights": lambda u: u.quantize_per_channel(np.ones(3)),
    "3-d weights": lambda u: u.quantize_per_channel(np.ones((2, 3, 4))),
    "dequantize with 3 scales for 2 rows": lambda u: u.dequantize(np.ones((2, 3), np.int8), np.ones(3)),
    "dequantize with 1 scale for 2 rows": lambda u: u.dequantize(np.ones((2, 3), np.int8), np.ones(1)),
    "matmul with 1 scale for 3 rows": lambda u: u.quantized_matmul(np.ones((2, 5)), np.ones((3, 5), np.int8), np.ones(1)),
    "matmul with x (2, 4) and w (3, 5)": lambda u: u.quantized_matmul(np.ones((2, 4)), np.ones((3, 5), np.int8), np.ones(3)),
    "matmul with 1-d x": lambda u: u.quantized_matmul(np.ones(5), np.ones((3, 5), np.int8), np.ones(3)),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_raises(user, case):
    """bits outside 2..8 and mismatched shapes raise ValueError"""
    assert_raises_value_error(BAD[case], user, what=case)


def test_other_input_types(user):
    """float32 weights and activations are computed in float64; scale may be a Python list"""
    rng = np.random.default_rng(9)
    w32 = (rng.normal(size=(3, 5)) * 0.37).astype(np.float32)
    q, scale = quantize(user, w32)
    w64 = w32.astype(np.float64)
    assert_close(scale, np.abs(w64).max(axis=1) / 127, atol=0.0, rtol=1e-15, what="scales of float32 weights")
    assert_equal(q, np.rint(w64 / (np.abs(w64).max(axis=1, keepdims=True) / 127)).astype(np.int8),
                 what="codes of float32 weights")
    deq = np.asarray(user.dequantize(q, scale.tolist()))
    assert_close(deq, q * scale[:, None], atol=0.0, rtol=1e-15, what="dequantize with a list of scales")
    x32 = (rng.normal(size=(2, 5)) * 0.73).astype(np.float32)
    got = np.asarray(user.quantized_matmul(x32, q, scale.tolist()))
    if got.dtype != np.float64:
        raise CheckFailure(f"quantized_matmul of float32 x: expected dtype float64, got {got.dtype}")
    assert_close(got, expected_matmul(x32.astype(np.float64), q, scale)[0], atol=1e-12, rtol=1e-12,
                 what="quantized_matmul of float32 activations with a list of scales")
