"""Hidden suite for the normalization kata: batch norm and layer norm against torch, float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_close,
    assert_raises_value_error,
    to_numpy,
)

ATOL, RTOL = 1e-10, 1e-8
OFFSET_ATOL = 1e-8  # inputs around 1e4: the float64 rounding of the mean alone is ~1e-10


def t(x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=grad)


def parts(result, n, what):
    if not isinstance(result, (tuple, list)) or len(result) != n:
        raise CheckFailure(f"{what}: expected a tuple of {n} values, got {type(result).__name__}"
                           + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""))
    return result


def bn_inputs(n, d, seed, offset=0.0, scale=1.0):
    rng = np.random.default_rng(seed)
    x = offset + scale * rng.normal(size=(n, d)) + rng.normal(size=d)  # columns with their own means
    gamma, beta = rng.normal(size=d), rng.normal(size=d)
    running_mean, running_var = rng.normal(size=d), rng.uniform(0.5, 2.0, size=d)
    dy = rng.normal(size=(n, d))
    return x, gamma, beta, running_mean, running_var, dy


def torch_bn(x, gamma, beta, rm, rv, training, momentum, eps, dy):
    """(y, new running mean, new running var, dx, dgamma, dbeta) from F.batch_norm and autograd."""
    xt, gt, bt = t(x, True), t(gamma, True), t(beta, True)
    rmt, rvt = t(rm), t(rv)
    y = F.batch_norm(xt, rmt, rvt, gt, bt, training=training, momentum=momentum, eps=eps)
    (y * t(dy)).sum().backward()
    return [a.detach().numpy() for a in (y, rmt, rvt, xt.grad, gt.grad, bt.grad)]


def run_user_bn(user, x, gamma, beta, rm, rv, training, momentum, eps, dy):
    fwd = parts(user.batchnorm_forward(x.copy(), gamma.copy(), beta.copy(), rm.copy(), rv.copy(),
                                       training, momentum=momentum, eps=eps),
                4, "batchnorm_forward")
    bwd = parts(user.batchnorm_backward(dy.copy(), fwd[3]), 3, "batchnorm_backward")
    return list(fwd[:3]) + list(bwd)


NAMES = ("y", "new running_mean", "new running_var", "dx", "dgamma", "dbeta")

BN_CASES = {
    "N=2 D=3": (2, 3, 0.1, 1e-5),
    "N=5 D=4, momentum 0.3": (5, 4, 0.3, 1e-5),
    "N=32 D=7, eps 1e-3": (32, 7, 0.1, 1e-3),
    "N=3 D=1, momentum 1.0": (3, 1, 1.0, 1e-5),
}


@pytest.mark.parametrize("mode", ["training", "eval"])
@pytest.mark.parametrize("case", list(BN_CASES), ids=list(BN_CASES))
def test_batchnorm_matches_torch(user, case, mode):
    """batchnorm forward, running statistics and backward equal torch's (atol 1e-10, rtol 1e-8)"""
    n, d, momentum, eps = BN_CASES[case]
    x, gamma, beta, rm, rv, dy = bn_inputs(n, d, seed=n * 10 + d)
    training = mode == "training"
    expected = torch_bn(x, gamma, beta, rm, rv, training, momentum, eps, dy)
    got = run_user_bn(user, x, gamma, beta, rm, rv, training, momentum, eps, dy)
    for name, g, e in zip(NAMES, got, expected):
        assert_close(g, e, atol=ATOL, rtol=RTOL, what=f"{name} ({mode}, {case})")


def test_batchnorm_exact_small_case(user):
    """batch of two: biased variance normalises, the unbiased one (twice as large) updates running_var"""
    x = np.array([[1.0, 10.0], [3.0, 14.0]])  # means 2, 12; biased variances 1, 4; unbiased 2, 8
    y, rm, rv, _ = parts(user.batchnorm_forward(x, np.ones(2), np.zeros(2), np.zeros(2), np.ones(2),
                                                True, momentum=0.5, eps=0.0), 4, "batchnorm_forward")
    assert_close(y, [[-1.0, -1.0], [1.0, 1.0]], atol=1e-12, what="y with eps=0")
    assert_close(rm, [1.0, 6.0], atol=1e-12, what="running_mean = 0.5*0 + 0.5*mean")
    assert_close(rv, [1.5, 4.5], atol=1e-12, what="running_var = 0.5*1 + 0.5*unbiased var")


def test_batchnorm_eval_ignores_the_batch(user):
    """in eval mode each row is normalised with the running statistics only, whatever the batch"""
    x, gamma, beta, rm, rv, _ = bn_inputs(6, 4, seed=3)
    y_all = to_numpy(parts(user.batchnorm_forward(x, gamma, beta, rm, rv, False), 4,
                           "batchnorm_forward")[0], np.float64, "y")
    expected = gamma * (x - rm) / np.sqrt(rv + 1e-5) + beta
    assert_close(y_all, expected, atol=ATOL, rtol=RTOL, what="eval-mode y")
    for i in (0, 4):
        y_one = parts(user.batchnorm_forward(x[i:i + 1].copy(), gamma, beta, rm, rv, False), 4,
                      "batchnorm_forward")[0]
        assert_close(y_one, expected[i:i + 1], atol=ATOL, rtol=RTOL,
                     what=f"eval-mode y of row {i} alone (batch of one)")


@pytest.mark.parametrize("scale", [1.0, 0.1], ids=["1e4 + N(0, 1)", "1e4 + 0.1 N(0, 1)"])
def test_batchnorm_large_mean_inputs(user, scale):
    """inputs offset by 1e4 are normalised accurately (a one-pass variance E[x^2] - E[x]^2 is not)"""
    x, gamma, beta, rm, rv, dy = bn_inputs(64, 5, seed=11, offset=1e4, scale=scale)
    expected = torch_bn(x, gamma, beta, rm, rv, True, 0.1, 1e-5, dy)
    got = run_user_bn(user, x, gamma, beta, rm, rv, True, 0.1, 1e-5, dy)
    for name, g, e in zip(NAMES, got, expected):
        assert_close(g, e, atol=OFFSET_ATOL, rtol=RTOL, what=f"{name} with a 1e4 offset")


@pytest.mark.parametrize("mode", ["training", "eval"])
def test_batchnorm_does_not_modify_inputs(user, mode):
    """batchnorm_forward and batchnorm_backward leave every input array unchanged"""
    args = bn_inputs(8, 3, seed=5)
    kept = [a.copy() for a in args]
    x, gamma, beta, rm, rv, dy = args
    fwd = parts(user.batchnorm_forward(x, gamma, beta, rm, rv, mode == "training"), 4,
                "batchnorm_forward")
    user.batchnorm_backward(dy, fwd[3])
    for name, a, b in zip(("x", "gamma", "beta", "running_mean", "running_var", "dy"), args, kept):
        assert_close(a, b, atol=0.0, what=f"{name} after the calls ({mode}; inputs must not change)")


def test_batchnorm_training_needs_two_samples(user):
    """training with a single sample raises ValueError, as torch does"""
    x, gamma, beta, rm, rv, _ = bn_inputs(1, 3, seed=2)
    assert_raises_value_error(user.batchnorm_forward, x, gamma, beta, rm, rv, True,
                              what="batchnorm_forward in training with N=1")


# ---------------------------------------------------------------- layer norm


def ln_inputs(shape, seed, offset=0.0, scale=1.0):
    rng = np.random.default_rng(seed)
    x = offset + scale * rng.normal(size=shape) + rng.normal(size=shape[:-1] + (1,)) * 3
    d = shape[-1]
    return x, rng.normal(size=d), rng.normal(size=d), rng.normal(size=shape)


def torch_ln(x, gamma, beta, eps, dy):
    xt, gt, bt = t(x, True), t(gamma, True), t(beta, True)
    y = F.layer_norm(xt, (x.shape[-1],), gt, bt, eps=eps)
    (y * t(dy)).sum().backward()
    return [a.detach().numpy() for a in (y, xt.grad, gt.grad, bt.grad)]


def run_user_ln(user, x, gamma, beta, eps, dy):
    fwd = parts(user.layernorm_forward(x.copy(), gamma.copy(), beta.copy(), eps=eps), 2,
                "layernorm_forward")
    bwd = parts(user.layernorm_backward(dy.copy(), fwd[1]), 3, "layernorm_backward")
    return [fwd[0]] + list(bwd)


LN_NAMES = ("y", "dx", "dgamma", "dbeta")
LN_CASES = {
    "(2, 3)": ((2, 3), 1e-5),
    "(4, 6), eps 1e-3": ((4, 6), 1e-3),
    "(2, 3, 5): batch and sequence axes": ((2, 3, 5), 1e-5),
    "(1, 8)": ((1, 8), 1e-5),
    "(6,): a single vector": ((6,), 1e-5),
}


@pytest.mark.parametrize("case", list(LN_CASES), ids=list(LN_CASES))
def test_layernorm_matches_torch(user, case):
    """layernorm forward and backward over the last axis equal torch's (atol 1e-10, rtol 1e-8)"""
    shape, eps = LN_CASES[case]
    x, gamma, beta, dy = ln_inputs(shape, seed=len(shape) * 7 + shape[-1])
    expected = torch_ln(x, gamma, beta, eps, dy)
    got = run_user_ln(user, x, gamma, beta, eps, dy)
    for name, g, e in zip(LN_NAMES, got, expected):
        assert_close(g, e, atol=ATOL, rtol=RTOL, what=f"layernorm {name} {case}")


@pytest.mark.parametrize("scale", [1.0, 0.1], ids=["1e4 + N(0, 1)", "1e4 + 0.1 N(0, 1)"])
def test_layernorm_large_mean_inputs(user, scale):
    """layernorm of inputs offset by 1e4 stays accurate (a one-pass variance does not)"""
    x, gamma, beta, dy = ln_inputs((8, 64), seed=13, offset=1e4, scale=scale)
    expected = torch_ln(x, gamma, beta, 1e-5, dy)
    got = run_user_ln(user, x, gamma, beta, 1e-5, dy)
    for name, g, e in zip(LN_NAMES, got, expected):
        assert_close(g, e, atol=OFFSET_ATOL, rtol=RTOL, what=f"layernorm {name} with a 1e4 offset")


def test_layernorm_does_not_modify_inputs(user):
    """layernorm_forward and layernorm_backward leave every input array unchanged"""
    args = ln_inputs((3, 4, 5), seed=9)
    kept = [a.copy() for a in args]
    x, gamma, beta, dy = args
    fwd = parts(user.layernorm_forward(x, gamma, beta), 2, "layernorm_forward")
    user.layernorm_backward(dy, fwd[1])
    for name, a, b in zip(("x", "gamma", "beta", "dy"), args, kept):
        assert_close(a, b, atol=0.0, what=f"{name} after the calls (inputs must not change)")


def test_default_arguments(user):
    """the defaults are momentum 0.1 and eps 1e-5 (batch norm) and eps 1e-5 (layer norm)"""
    x, gamma, beta, rm, rv, dy = bn_inputs(4, 3, seed=21)
    x = x * 0.01  # small variance: eps matters
    expected = torch_bn(x, gamma, beta, rm, rv, True, 0.1, 1e-5, dy)
    fwd = parts(user.batchnorm_forward(x.copy(), gamma, beta, rm.copy(), rv.copy(), True), 4,
                "batchnorm_forward")
    for name, g, e in zip(NAMES[:3], fwd[:3], expected[:3]):
        assert_close(g, e, atol=ATOL, rtol=RTOL, what=f"batch norm {name} with default arguments")
    xl, gl, bl, dyl = ln_inputs((3, 4), seed=22, scale=0.01)
    exp_ln = torch_ln(xl, gl, bl, 1e-5, dyl)
    y = parts(user.layernorm_forward(xl.copy(), gl, bl), 2, "layernorm_forward")[0]
    assert_close(y, exp_ln[0], atol=ATOL, rtol=RTOL, what="layer norm y with the default eps")


def test_batchnorm_rejects_non_matrix_input(user):
    """batch norm of an x that is not 2-D (N, D) raises ValueError"""
    _, gamma, beta, rm, rv, _ = bn_inputs(4, 3, seed=2)
    assert_raises_value_error(user.batchnorm_forward, np.ones(3), gamma, beta, rm, rv, True,
                              what="batchnorm_forward with a 1-d x")


def test_float32_input_is_computed_in_float64(user):
    """a float32 x is converted: outputs are float64 and equal the float64 computation on its values"""
    x, gamma, beta, rm, rv, dy = bn_inputs(6, 3, seed=31, offset=100.0, scale=0.5)
    x32 = x.astype(np.float32)
    x64 = x32.astype(np.float64)
    expected = torch_bn(x64, gamma, beta, rm, rv, True, 0.1, 1e-5, dy)
    y, new_mean, new_var, _ = parts(user.batchnorm_forward(x32.copy(), gamma, beta, rm, rv, True), 4,
                                    "batchnorm_forward")
    for name, g, e in (("y", y, expected[0]), ("new running_mean", new_mean, expected[1]),
                       ("new running_var", new_var, expected[2])):
        if np.asarray(g).dtype != np.float64:
            raise CheckFailure(f"batch norm {name} of a float32 x: expected dtype float64, got {np.asarray(g).dtype}")
        assert_close(g, e, atol=ATOL, rtol=RTOL, what=f"batch norm {name} of a float32 x")
    xl = x32.reshape(3, 6)
    y = parts(user.layernorm_forward(xl, np.ones(6), np.zeros(6)), 2, "layernorm_forward")[0]
    exp_ln = F.layer_norm(t(xl), (6,), eps=1e-5).numpy()
    if np.asarray(y).dtype != np.float64:
        raise CheckFailure(f"layer norm of a float32 x: expected dtype float64, got {np.asarray(y).dtype}")
    assert_close(y, exp_ln, atol=ATOL, rtol=RTOL, what="layer norm of a float32 x")
