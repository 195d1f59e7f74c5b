"""Hidden suite for the regularization kata: inverted dropout, L2 penalty, early stopping."""

from __future__ import annotations

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_at_most,
    assert_close,
    assert_equal,
    assert_raises_value_error,
    assert_scalar_close,
    to_numpy,
)

TOL = 1e-12
P_VALUES = [0.1, 0.3, 0.5]


def mask_values(mask, shape, what="mask") -> np.ndarray:
    """The user's mask as float64 0/1, checked for shape and values."""
    m = to_numpy(mask, np.float64, what)
    if m.shape != shape:
        raise CheckFailure(f"{what}: expected shape {shape} (the shape of x), got {m.shape}")
    if not np.isin(m, (0.0, 1.0)).all():
        raise CheckFailure(f"{what}: expected only 0/1 (or False/True) values, got e.g. "
                           f"{m[~np.isin(m, (0.0, 1.0))].ravel()[:3]}")
    return m


# ---------------------------------------------------------------- dropout


@pytest.fixture(scope="module")
def big_draws(user):
    """y, mask for x = 2.0 in a (100000, 10) array: 10^5 draws of 10 units, per p."""
    x = np.full((100_000, 10), 2.0)
    out = {}
    for p in P_VALUES:
        y, mask = user.dropout(x.copy(), p, np.random.default_rng(0))
        out[p] = (to_numpy(y, np.float64, "y"), mask_values(mask, x.shape))
    return out


@pytest.mark.parametrize("p", P_VALUES, ids=[f"p={p}" for p in P_VALUES])
def test_expectation_is_preserved(big_draws, p):
    """inverted dropout keeps the expectation: mean of y within 1% of x"""
    y, _ = big_draws[p]
    assert_at_most(abs(y.mean() / 2.0 - 1.0), 0.01,
                   what=f"relative error of mean(y) for x = 2.0 at p={p} (mean {y.mean():.4f})")


@pytest.mark.parametrize("p", P_VALUES, ids=[f"p={p}" for p in P_VALUES])
def test_keep_rate(big_draws, p):
    """the fraction of kept units is within ±0.01 of 1 − p"""
    _, mask = big_draws[p]
    assert_at_most(abs(mask.mean() - (1 - p)), 0.01,
                   what=f"|keep rate − {1 - p:g}| at p={p} (keep rate {mask.mean():.4f})")


@pytest.mark.parametrize("p", [0.25, 0.5, 0.9], ids=["p=0.25", "p=0.5", "p=0.9"])
def test_kept_units_are_scaled(user, p):
    """y = x · mask / (1 − p): kept units scaled by 1/(1 − p), dropped units are 0"""
    x = np.random.default_rng(1).normal(size=(4, 5, 6))
    y, mask = user.dropout(x.copy(), p, np.random.default_rng(2))
    m = mask_values(mask, x.shape)
    if m.all() or not m.any():
        raise CheckFailure(f"mask: expected some units kept and some dropped at p={p}, got "
                           f"{'all kept' if m.all() else 'all dropped'}")
    assert_close(y, x * m / (1 - p), atol=TOL, rtol=TOL, what=f"y at p={p}")


@pytest.mark.parametrize("p", [0.5, 1.0], ids=["p=0.5", "p=1"])
def test_eval_mode_is_identity(user, p):
    """with training=False the output is x itself, whatever p"""
    x = np.random.default_rng(3).normal(size=(3, 7))
    y, _ = user.dropout(x.copy(), p, np.random.default_rng(0), training=False)
    assert_close(y, x, atol=0, what=f"y in eval mode at p={p}")


def test_p_zero_is_identity(user):
    """p = 0 keeps every unit: y = x and the mask is all ones"""
    x = np.random.default_rng(4).normal(size=(6, 5))
    y, mask = user.dropout(x.copy(), 0.0, np.random.default_rng(0))
    assert_close(y, x, atol=0, what="y at p=0")
    assert_close(mask_values(mask, x.shape), np.ones_like(x), atol=0, what="mask at p=0")


def test_p_one_gives_zeros(user):
    """p = 1 drops every unit: y and the mask are all zeros (no NaN)"""
    x = np.random.default_rng(5).normal(size=(6, 5))
    with np.errstate(all="ignore"):
        y, mask = user.dropout(x.copy(), 1.0, np.random.default_rng(0))
    assert_close(y, np.zeros_like(x), atol=0, what="y at p=1")
    assert_close(mask_values(mask, x.shape), np.zeros_like(x), atol=0, what="mask at p=1")


@pytest.mark.parametrize("p", [-0.1, 1.5], ids=["p=-0.1", "p=1.5"])
def test_p_outside_unit_interval_raises(user, p):
    """p outside [0, 1] raises ValueError"""
    assert_raises_value_error(user.dropout, np.ones((2, 3)), p, np.random.default_rng(0),
                              what=f"dropout with p={p}")


def test_same_rng_seed_same_mask(user):
    """the mask comes from the rng passed in: same seed, same result; another seed, another mask"""
    x = np.random.default_rng(6).normal(size=(20, 30))
    y1, m1 = user.dropout(x.copy(), 0.5, np.random.default_rng(7))
    y2, m2 = user.dropout(x.copy(), 0.5, np.random.default_rng(7))
    if not np.array_equal(mask_values(m1, x.shape), mask_values(m2, x.shape)):
        raise CheckFailure("mask: two generators seeded 7 gave different masks; draw the mask "
                           "from the rng argument, not from np.random")
    assert_close(y2, to_numpy(y1, np.float64), atol=0, what="y from a second rng with seed 7")
    _, m3 = user.dropout(x.copy(), 0.5, np.random.default_rng(8))
    if np.array_equal(mask_values(m3, x.shape), mask_values(m1, x.shape)):
        raise CheckFailure("mask: seeds 7 and 8 gave the same 600-unit mask; "
                           "draw it from the rng argument")


@pytest.mark.parametrize("p", [0.2, 0.5, 1.0], ids=["p=0.2", "p=0.5", "p=1"])
def test_dropout_backward(user, p):
    """dropout_backward(dy, mask, p) = dy · mask / (1 − p), zeros at p = 1"""
    x = np.random.default_rng(9).normal(size=(5, 8))
    dy = np.random.default_rng(10).normal(size=(5, 8))
    with np.errstate(all="ignore"):
        _, mask = user.dropout(x.copy(), p, np.random.default_rng(11))
        m = mask_values(mask, x.shape)
        dx = user.dropout_backward(dy.copy(), mask, p)
    expected = np.zeros_like(dy) if p == 1.0 else dy * m / (1 - p)
    assert_close(dx, expected, atol=TOL, rtol=TOL, what=f"dx at p={p}")


# ---------------------------------------------------------------- L2 penalty


def make_weights():
    rng = np.random.default_rng(12)
    return [rng.normal(size=(5, 3)), rng.normal(size=3), rng.normal(size=(3, 2))]


@pytest.mark.parametrize("lam", [0.0, 0.01, 0.5], ids=["lam=0", "lam=0.01", "lam=0.5"])
def test_l2_penalty_value_and_grads(user, lam):
    """l2_penalty gives lam/2 · Σ‖W‖² and grads lam · W (within 1e-12)"""
    weights = make_weights()
    penalty, grads = user.l2_penalty([w.copy() for w in weights], lam)
    assert_scalar_close(penalty, lam / 2 * sum((w**2).sum() for w in weights), atol=TOL, rtol=TOL,
                        what=f"penalty with lam={lam}")
    grads = list(grads)
    if len(grads) != len(weights):
        raise CheckFailure(f"grads: expected one array per weight ({len(weights)}), "
                           f"got {len(grads)}")
    for i, (g, w) in enumerate(zip(grads, weights)):
        assert_close(g, lam * w, atol=TOL, rtol=TOL, what=f"grads[{i}] with lam={lam}")


def test_l2_penalty_single_matrix(user):
    """l2_penalty of one 2×2 matrix: [[1, 2], [3, 4]], lam = 0.1 gives 1.5 and 0.1·W"""
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    penalty, grads = user.l2_penalty([W.copy()], 0.1)
    assert_scalar_close(penalty, 1.5, atol=TOL, rtol=TOL, what="penalty")
    assert_close(list(grads)[0], 0.1 * W, atol=TOL, rtol=TOL, what="grads[0]")


# ---------------------------------------------------------------- early stopping

# (id, patience, min_delta, losses): the sequence ends at the first call that should stop
SEQUENCES = [
    ("equal losses are not improvements", 3, 0.0, [1.0, 0.5, 0.5, 0.5, 0.5]),
    ("an improvement resets the count", 2, 0.0, [3.0, 2.0, 2.5, 1.0, 1.5, 1.2]),
    ("min_delta: small gains do not count and best stays", 3, 0.25,
     [2.0, 1.875, 1.75, 1.5, 1.25, 1.125, 1.0, 0.95, 0.9]),
    ("patience 1 stops at the first non-improvement", 1, 0.0, [1.0, 0.9, 0.9]),
    ("the first call always sets best (large and negative losses)", 2, 0.0,
     [1e12, -3.0, -2.0, -2.5]),
    ("the first call sets best even when it is inf", 2, 0.0, [float("inf"), 5.0, 6.0, 7.0]),
    ("a long run of improvements never stops", 1, 0.0, [10.0 - i for i in range(12)] + [3.0]),
]


def expected_run(patience, min_delta, losses):
    """The rule, spelled out: returns, best and best_epoch after each call."""
    best, best_epoch, bad, out = np.inf, -1, 0, []
    for epoch, loss in enumerate(losses):
        if epoch == 0 or loss < best - min_delta:
            best, best_epoch, bad = loss, epoch, 0
        else:
            bad += 1
        out.append((bad >= patience, best, best_epoch))
    return out


@pytest.mark.parametrize("name, patience, min_delta, losses", SEQUENCES,
                         ids=[s[0] for s in SEQUENCES])
def test_early_stopping_sequence(user, name, patience, min_delta, losses):
    """EarlyStopping.step returns, best and best_epoch follow the rule after every call"""
    expected = expected_run(patience, min_delta, losses)
    assert expected[-1][0] and not any(e[0] for e in expected[:-1]), "suite error: bad sequence"
    stopper = user.EarlyStopping(patience, min_delta=min_delta)
    for epoch, (loss, (stop, best, best_epoch)) in enumerate(zip(losses, expected)):
        got = stopper.step(loss)
        where = f"after call {epoch} (val_loss={loss:g}; losses so far {losses[:epoch + 1]})"
        if not isinstance(got, (bool, np.bool_)):
            raise CheckFailure(f"step {where}: expected a bool, got {type(got).__name__}")
        assert_equal(np.array(bool(got)), np.array(stop), what=f"step's return value {where}")
        assert_scalar_close(stopper.best, best, atol=0, what=f"best {where}")
        assert_equal(np.array(int(stopper.best_epoch)), np.array(best_epoch),
                     what=f"best_epoch {where}")
