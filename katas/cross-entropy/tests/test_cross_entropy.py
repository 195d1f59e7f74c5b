"""Hidden suite for the cross-entropy kata: log-softmax, loss and gradient against torch, float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_close,
    assert_raises_value_error,
    assert_scalar_close,
    to_numpy,
)

RTOL, ATOL = 1e-10, 1e-12


def t(x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=grad)


def torch_ce(logits, targets, label_smoothing=0.0, ignore_index=-100, reduction="mean"):
    """(loss, d loss.sum() / d logits) from F.cross_entropy and autograd."""
    z = t(logits, True)
    loss = F.cross_entropy(z, torch.tensor(np.asarray(targets, dtype=np.int64)),
                           label_smoothing=label_smoothing, ignore_index=ignore_index,
                           reduction=reduction)
    loss.sum().backward()
    return loss.detach().numpy(), z.grad.numpy()


def check_loss(got, expected, reduction, what):
    if reduction == "none":
        assert_close(got, expected, atol=ATOL, rtol=RTOL, what=what)
    else:
        assert_scalar_close(got, float(expected), atol=ATOL, rtol=RTOL, what=what)


# ---------------------------------------------------------------- log_softmax


LS_CASES = {
    "vector": ((7,), None),
    "rows of a matrix": ((4, 6), None),
    "columns (axis=0)": ((4, 6), 0),
    "3-d, axis=1": ((2, 5, 3), 1),
}


@pytest.mark.parametrize("case", list(LS_CASES), ids=list(LS_CASES))
def test_log_softmax_matches_torch(user, case):
    """log_softmax equals torch.log_softmax along the given axis (rtol 1e-10)"""
    shape, axis = LS_CASES[case]
    z = np.random.default_rng(len(shape) + (axis or 0)).normal(size=shape) * 4
    expected = torch.log_softmax(t(z), dim=-1 if axis is None else axis).numpy()
    got = user.log_softmax(z.copy()) if axis is None else user.log_softmax(z.copy(), axis=axis)
    assert_close(got, expected, atol=ATOL, rtol=RTOL, what=f"log_softmax ({case})")


def test_log_softmax_large_logits(user):
    """log_softmax of logits as large as 1e4 is finite and exact (no exp overflow)"""
    z = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4 - 1.0], [2e4, 1e4, 0.0]])
    got = to_numpy(user.log_softmax(z.copy()), np.float64, "log_softmax")
    if not np.isfinite(got).all():
        raise CheckFailure(f"log_softmax of logits up to 1e4 gave non-finite values: {got.tolist()}")
    assert_close(got, torch.log_softmax(t(z), dim=-1).numpy(), atol=ATOL, rtol=RTOL,
                 what="log_softmax of logits up to 1e4")


# ---------------------------------------------------------------- cross_entropy


def batch(seed, n=8, c=5, ignored=(2, 5), scale=3.0):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, c)) * scale
    targets = rng.integers(0, c, size=n)
    targets[list(ignored)] = -100
    return logits, targets


SMOOTHING = [0.0, 0.1, 0.25, 1.0]
REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("eps", SMOOTHING, ids=[f"label_smoothing={e}" for e in SMOOTHING])
def test_cross_entropy_matches_torch(user, eps, reduction):
    """loss and gradient equal torch's F.cross_entropy (two targets ignored; rtol 1e-10)"""
    logits, targets = batch(seed=int(eps * 100) + len(reduction))
    exp_loss, exp_grad = torch_ce(logits, targets, eps, reduction=reduction)
    kw = {"label_smoothing": eps, "reduction": reduction}
    loss = user.cross_entropy(logits.copy(), targets.copy(), **kw)
    check_loss(loss, exp_loss, reduction, f"loss (label_smoothing={eps}, {reduction})")
    grad = user.cross_entropy_grad(logits.copy(), targets.copy(), **kw)
    assert_close(grad, exp_grad, atol=ATOL, rtol=RTOL,
                 what=f"gradient (label_smoothing={eps}, {reduction})")


def test_default_arguments(user):
    """the defaults are no smoothing, ignore_index=-100 and reduction 'mean'"""
    logits, targets = batch(seed=3)
    exp_loss, exp_grad = torch_ce(logits, targets)
    assert_scalar_close(user.cross_entropy(logits, targets), float(exp_loss), atol=ATOL, rtol=RTOL,
                        what="loss with default arguments")
    assert_close(user.cross_entropy_grad(logits, targets), exp_grad, atol=ATOL, rtol=RTOL,
                 what="gradient with default arguments")


@pytest.mark.parametrize("ignore_index", [0, 3, 99], ids=["ignore class 0", "ignore class 3",
                                                          "ignore_index 99 (not a class)"])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_custom_ignore_index(user, ignore_index, reduction):
    """any ignore_index, also a valid class number, drops those targets (with label smoothing 0.2)"""
    rng = np.random.default_rng(ignore_index)
    logits = rng.normal(size=(10, 4)) * 2
    targets = np.array([0, 1, 2, 3, 0, 3, 1, 0, 2, 3])
    if ignore_index == 99:
        targets[[1, 4]] = 99
    exp_loss, exp_grad = torch_ce(logits, targets, 0.2, ignore_index, reduction)
    kw = {"label_smoothing": 0.2, "ignore_index": ignore_index, "reduction": reduction}
    check_loss(user.cross_entropy(logits, targets, **kw), exp_loss, reduction,
               f"loss with ignore_index={ignore_index} ({reduction})")
    assert_close(user.cross_entropy_grad(logits, targets, **kw), exp_grad, atol=ATOL, rtol=RTOL,
                 what=f"gradient with ignore_index={ignore_index} ({reduction})")


def test_every_target_ignored(user):
    """every target ignored: 'mean' gives nan, 'sum' gives 0, 'none' zeros, gradients all zero"""
    logits = np.random.default_rng(1).normal(size=(3, 4))
    targets = np.full(3, -100)
    mean = to_numpy(user.cross_entropy(logits, targets, label_smoothing=0.1), np.float64, "loss")
    if mean.size != 1 or not np.isnan(mean).all():
        raise CheckFailure(f"mean loss with every target ignored: expected nan (as torch), got {mean.tolist()}")
    assert_scalar_close(user.cross_entropy(logits, targets, reduction="sum"), 0.0, atol=0.0,
                        what="sum loss with every target ignored")
    assert_close(user.cross_entropy(logits, targets, reduction="none"), np.zeros(3), atol=0.0,
                 what="per-sample losses with every target ignored")
    for red in REDUCTIONS:
        assert_close(user.cross_entropy_grad(logits, targets, label_smoothing=0.1, reduction=red),
                     np.zeros((3, 4)), atol=0.0, what=f"gradient with every target ignored ({red})")


def test_single_target_kept(user):
    """with one target kept, the mean loss and gradient are that row's own"""
    logits, _ = batch(seed=8, n=4, ignored=())
    targets = np.array([-100, 2, -100, -100])
    exp_loss, exp_grad = torch_ce(logits, targets, 0.1)
    assert_scalar_close(user.cross_entropy(logits, targets, label_smoothing=0.1), float(exp_loss),
                        atol=ATOL, rtol=RTOL, what="mean loss with one target kept")
    assert_close(user.cross_entropy_grad(logits, targets, label_smoothing=0.1), exp_grad, atol=ATOL,
                 rtol=RTOL, what="mean gradient with one target kept")


def test_exact_small_case(user):
    """hand-checked values: two classes, label smoothing 0.5 makes the target (0.75, 0.25)"""
    logits = np.array([[0.0, np.log(3.0)]])  # softmax = (0.25, 0.75)
    got = user.cross_entropy(logits, np.array([0]), label_smoothing=0.5, reduction="sum")
    expected = -(0.75 * np.log(0.25) + 0.25 * np.log(0.75))
    assert_scalar_close(got, expected, atol=ATOL, rtol=RTOL, what="loss")
    grad = user.cross_entropy_grad(logits, np.array([0]), label_smoothing=0.5, reduction="sum")
    assert_close(grad, [[0.25 - 0.75, 0.75 - 0.25]], atol=ATOL, rtol=RTOL, what="gradient p - q")


@pytest.mark.parametrize("eps", [0.0, 0.1], ids=["no smoothing", "label_smoothing=0.1"])
def test_large_logits(user, eps):
    """logits of magnitude 1e4 give finite losses and gradients equal to torch's"""
    logits = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, 1e4], [5e3, 5e3, -5e3], [1e4, 1e4 - 2.0, 0.0]])
    targets = np.array([1, 0, 0, 1])
    for red in REDUCTIONS:
        exp_loss, exp_grad = torch_ce(logits, targets, eps, reduction=red)
        loss = to_numpy(user.cross_entropy(logits, targets, label_smoothing=eps, reduction=red),
                        np.float64, "loss")
        if not np.isfinite(loss).all():
            raise CheckFailure(f"loss for logits of 1e4 ({red}) is not finite: {loss.tolist()}")
        check_loss(loss, exp_loss, red, f"loss with logits of 1e4 ({red})")
        grad = user.cross_entropy_grad(logits, targets, label_smoothing=eps, reduction=red)
        assert_close(grad, exp_grad, atol=ATOL, rtol=RTOL, what=f"gradient with logits of 1e4 ({red})")


def test_inputs_not_modified(user):
    """cross_entropy and cross_entropy_grad leave logits and targets unchanged"""
    logits, targets = batch(seed=4)
    kept_l, kept_t = logits.copy(), targets.copy()
    user.cross_entropy(logits, targets, label_smoothing=0.1)
    user.cross_entropy_grad(logits, targets, label_smoothing=0.1)
    user.log_softmax(logits)
    assert_close(logits, kept_l, atol=0.0, what="logits after the calls")
    assert_close(targets, kept_t, atol=0.0, what="targets after the calls")


BAD = {
    "target equal to C": ({"targets": [0, 5, 1]}, ),
    "negative target that is not ignore_index": ({"targets": [0, -1, 1]}, ),
    "target -100 when ignore_index=0": ({"targets": [0, -100, 1], "ignore_index": 0}, ),
    "unknown reduction": ({"targets": [0, 1, 2], "reduction": "avg"}, ),
    "label_smoothing above 1": ({"targets": [0, 1, 2], "label_smoothing": 1.5}, ),
    "negative label_smoothing": ({"targets": [0, 1, 2], "label_smoothing": -0.1}, ),
}


@pytest.mark.parametrize("fn", ["cross_entropy", "cross_entropy_grad"])
@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_raises(user, case, fn):
    """targets out of range, an unknown reduction or label_smoothing outside [0, 1] raise ValueError"""
    kw = dict(BAD[case][0])
    targets = np.array(kw.pop("targets"))
    logits = np.random.default_rng(0).normal(size=(3, 5))
    assert_raises_value_error(getattr(user, fn), logits, targets, what=f"{fn}: {case}", **kw)


def test_other_input_types(user):
    """float32 logits are computed in float64 and targets may be a Python list"""
    logits, targets = batch(seed=12)
    z32 = logits.astype(np.float32)
    exp_loss, exp_grad = torch_ce(z32.astype(np.float64), targets, 0.1)
    loss = user.cross_entropy(z32.copy(), targets.tolist(), label_smoothing=0.1)
    assert_scalar_close(loss, float(exp_loss), atol=ATOL, rtol=RTOL,
                        what="loss of float32 logits with a list of targets")
    grad = np.asarray(user.cross_entropy_grad(z32.copy(), targets.tolist(), label_smoothing=0.1))
    if grad.dtype != np.float64:
        raise CheckFailure(f"gradient of float32 logits: expected dtype float64, got {grad.dtype}")
    assert_close(grad, exp_grad, atol=ATOL, rtol=RTOL, what="gradient of float32 logits")
    ls = np.asarray(user.log_softmax(z32.copy()))
    if ls.dtype != np.float64:
        raise CheckFailure(f"log_softmax of float32 logits: expected dtype float64, got {ls.dtype}")
    assert_close(ls, torch.log_softmax(t(z32), dim=-1).numpy(), atol=ATOL, rtol=RTOL,
                 what="log_softmax of float32 logits")
