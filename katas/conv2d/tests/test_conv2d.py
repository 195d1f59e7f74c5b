"""Hidden suite for the conv2d kata: forward and backward against torch (float64, atol 1e-8)."""

from __future__ import annotations

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import CheckFailure, assert_close, assert_raises_value_error

ATOL = 1e-8

# id: (N, C, H, W, F, KH, KW, stride, padding, bias)
CONV = {
    "3x3, stride 1, no padding": (2, 3, 7, 7, 4, 3, 3, 1, 0, True),
    "3x3, stride 1, padding 1": (2, 3, 6, 6, 4, 3, 3, 1, 1, True),
    "3x3, stride 2, padding 1": (2, 2, 9, 9, 3, 3, 3, 2, 1, True),
    "3x2 kernel on 8x5, stride 2": (1, 3, 8, 5, 2, 3, 2, 2, 0, True),
    "5x5, stride 3, padding 2, remainders": (2, 2, 11, 12, 3, 5, 5, 3, 2, True),
    "stride 3 larger than the 2x2 kernel": (1, 2, 9, 10, 2, 2, 2, 3, 0, True),
    "1x1 kernel, no bias": (3, 4, 5, 5, 6, 1, 1, 1, 0, False),
    "kernel as large as the padded input": (2, 2, 4, 5, 3, 6, 7, 1, 1, True),
    "one channel, padding 2, no bias": (1, 1, 5, 5, 1, 3, 3, 1, 2, False),
}
# id: (N, C, H, W, kernel_size, stride); stride None = the default (kernel_size)
POOL = {
    "2x2, default stride": (2, 3, 8, 8, 2, None),
    "2x2 on 7x9, remainder dropped": (1, 2, 7, 9, 2, None),
    "3x3, stride 2, overlapping": (2, 2, 9, 9, 3, 2),
    "3x3, stride 1": (1, 1, 6, 6, 3, 1),
    "2x2, stride 3, gaps": (1, 2, 10, 11, 2, 3),
}


def conv_inputs(case: str):
    """x (N, C, H, W), w (F, C, KH, KW), b (F,) or None, dy (N, F, H', W'), all float64, seeded."""
    N, C, H, W, F, KH, KW, s, p, bias = CONV[case]
    rng = np.random.default_rng(sorted(CONV).index(case))
    x, w = rng.normal(size=(N, C, H, W)), rng.normal(size=(F, C, KH, KW))
    b = rng.normal(size=F) if bias else None
    Ho, Wo = (H + 2 * p - KH) // s + 1, (W + 2 * p - KW) // s + 1
    return x, w, b, rng.normal(size=(N, F, Ho, Wo)), s, p


def pool_inputs(case: str):
    """x (N, C, H, W) with distinct values (no ties), dy (N, C, H', W'), kernel_size, stride."""
    N, C, H, W, k, s = POOL[case]
    rng = np.random.default_rng(100 + sorted(POOL).index(case))
    x = rng.normal(size=(N, C, H, W))
    step = s or k
    Ho, Wo = (H - k) // step + 1, (W - k) // step + 1
    return x, rng.normal(size=(N, C, Ho, Wo)), k, s


def torch_results() -> dict:
    """Outputs and gradients from torch.nn.functional and autograd, for every case."""
    import torch
    import torch.nn.functional as F

    out = {}
    for case in CONV:
        x, w, b, dy, s, p = conv_inputs(case)
        tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
        tb = torch.tensor(b if b is not None else np.zeros(len(w)), requires_grad=True)
        y = F.conv2d(tx, tw, tb, stride=s, padding=p)
        (y * torch.tensor(dy)).sum().backward()
        out[f"conv: {case}"] = {k: v.detach().numpy().tolist() for k, v in
                                {"y": y, "dx": tx.grad, "dw": tw.grad, "db": tb.grad}.items()}
    for case in POOL:
        x, dy, k, s = pool_inputs(case)
        tx = torch.tensor(x, requires_grad=True)
        y = F.max_pool2d(tx, k, s)
        (y * torch.tensor(dy)).sum().backward()
        out[f"pool: {case}"] = {"y": y.detach().numpy().tolist(), "dx": tx.grad.numpy().tolist()}
    return out


@pytest.fixture(scope="session")
def expected(ref_cache):
    """torch's figures, computed once and cached on disk (keyed by kata and torch versions)."""
    raw = ref_cache.get("torch-results", torch_results)
    return {case: {k: np.array(v, dtype=np.float64) for k, v in figures.items()}
            for case, figures in raw.items()}


def unpack(result, names: str, what: str):
    """The user's tuple, or a readable failure when it is not one of the right length."""
    if isinstance(result, (tuple, list)) and len(result) == len(names.split(", ")):
        return result
    got = type(result).__name__
    if isinstance(result, (tuple, list)):
        got += f" of length {len(result)}"
    raise CheckFailure(f"{what}: expected a tuple ({names}), got {got}")


@pytest.mark.parametrize("case", list(CONV))
def test_conv2d_forward(user, expected, case):
    """conv2d equals torch.nn.functional.conv2d"""
    x, w, b, _, s, p = conv_inputs(case)
    args = (x.copy(), w.copy()) if b is None else (x.copy(), w.copy(), b.copy())
    y = user.conv2d(*args, stride=s, padding=p)
    assert_close(y, expected[f"conv: {case}"]["y"], atol=ATOL,
                 what=f"y, shape (N, F, H', W'), stride {s}, padding {p}")


@pytest.mark.parametrize("case", list(CONV))
def test_conv2d_backward(user, expected, case):
    """conv2d_backward gives torch autograd's dx, dw and db"""
    x, w, _, dy, s, p = conv_inputs(case)
    dx, dw, db = unpack(user.conv2d_backward(dy.copy(), x.copy(), w.copy(), stride=s, padding=p),
                        "dx, dw, db", "conv2d_backward")
    want = expected[f"conv: {case}"]
    assert_close(dx, want["dx"], atol=ATOL, what=f"dx, shape (N, C, H, W), stride {s}, padding {p}")
    assert_close(dw, want["dw"], atol=ATOL,
                 what=f"dw, shape (F, C, KH, KW), stride {s}, padding {p}")
    assert_close(db, want["db"], atol=ATOL, what="db, shape (F,)")


@pytest.mark.parametrize("case", list(POOL))
def test_max_pool2d_forward(user, expected, case):
    """max_pool2d equals torch.nn.functional.max_pool2d"""
    x, _, k, s = pool_inputs(case)
    y = user.max_pool2d(x.copy(), k) if s is None else user.max_pool2d(x.copy(), k, s)
    assert_close(y, expected[f"pool: {case}"]["y"], atol=ATOL,
                 what=f"y, kernel {k}, stride {s or k}")


BAD = {
    "channels differ (3 vs 2)": ((1, 3, 5, 5), (2, 2, 3, 3), 1, 0),
    "kernel height one pixel too large": ((1, 2, 5, 6), (3, 2, 8, 3), 1, 1),
    "kernel width one pixel too large": ((1, 2, 5, 6), (3, 2, 3, 9), 1, 1),
    "kernel one pixel too large, stride 2": ((2, 1, 6, 6), (1, 1, 7, 7), 2, 0),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_shapes_raise_value_error(user, case):
    """conv2d raises ValueError for a channel mismatch or a kernel larger than the padded input"""
    xs, ws, s, p = BAD[case]
    assert_raises_value_error(user.conv2d, np.ones(xs), np.ones(ws), None, stride=s, padding=p,
                              what=f"conv2d with x {xs}, w {ws}, stride {s}, padding {p}")


def test_defaults_are_stride_1_and_padding_0(user, expected):
    """conv2d and conv2d_backward called without stride or padding use stride 1 and padding 0"""
    case = "3x3, stride 1, no padding"
    x, w, b, dy, _, _ = conv_inputs(case)
    want = expected[f"conv: {case}"]
    assert_close(user.conv2d(x.copy(), w.copy(), b.copy()), want["y"], atol=ATOL,
                 what="y of conv2d(x, w, b) with the defaults (stride 1, padding 0)")
    dx, dw, db = unpack(user.conv2d_backward(dy.copy(), x.copy(), w.copy()), "dx, dw, db",
                        "conv2d_backward")
    assert_close(dx, want["dx"], atol=ATOL,
                 what="dx of conv2d_backward(dy, x, w) with the defaults (stride 1, padding 0)")
    assert_close(dw, want["dw"], atol=ATOL,
                 what="dw of conv2d_backward(dy, x, w) with the defaults (stride 1, padding 0)")
    assert_close(db, want["db"], atol=ATOL, what="db of conv2d_backward(dy, x, w) with the defaults")
