"""Hidden suite for the mlp kata."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_at_most,
    assert_close,
    assert_equal,
    assert_scalar_close,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.data import dataset_split


# ---------------------------------------------------------------- the suite's own float64 MLP


def expected_forward(params, X):
    """Hidden activations, logits and probabilities for params [(W, b), ...] (stable softmax)."""
    hs, pre = [X], []
    for W, b in params[:-1]:
        pre.append(hs[-1] @ W + b)
        hs.append(np.maximum(pre[-1], 0.0))
    z = hs[-1] @ params[-1][0] + params[-1][1]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return hs, pre, z, e / e.sum(axis=1, keepdims=True)


def expected_loss_and_grads(params, X, y):
    hs, _, z, p = expected_forward(params, X)
    n = len(y)
    logp = z - z.max(axis=1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(n), y].mean()
    dz = (p - np.eye(p.shape[1])[y]) / n
    grads = []
    for (W, _), h in zip(reversed(params), reversed(hs)):
        grads.append((h.T @ dz, dz.sum(axis=0)))
        dz = (dz @ W.T) * (h > 0)
    return loss, grads[::-1]


def random_params(sizes, rng, scale=0.7):
    return [(rng.normal(0.0, scale, (m, n)), rng.normal(0.0, 0.3, n)) for m, n in zip(sizes[:-1], sizes[1:])]


def live_params(model, sizes):
    """The model's params after checking the layout [(W (fan_in, fan_out), b (fan_out,)), ...]."""
    params = list(model.params)
    require(len(params) == len(sizes) - 1,
            f"params: expected {len(sizes) - 1} (W, b) pairs for layer_sizes {sizes}, got {len(params)}")
    for i, ((m, n), pair) in enumerate(zip(zip(sizes[:-1], sizes[1:]), params)):
        W, b = pair
        require(isinstance(W, np.ndarray) and W.shape == (m, n),
                f"params[{i}][0] (W): expected an ndarray of shape ({m}, {n}), got {getattr(W, 'shape', type(W))}")
        require(isinstance(b, np.ndarray) and b.shape == (n,),
                f"params[{i}][1] (b): expected an ndarray of shape ({n},), got {getattr(b, 'shape', type(b))}")
    return params


def load_params(model, sizes, values):
    """Write `values` into the model's own arrays, in place."""
    for (W, b), (W_new, b_new) in zip(live_params(model, sizes), values):
        W[...] = W_new
        b[...] = b_new


def grads_as_arrays(grads, sizes):
    grads = list(grads)
    require(len(grads) == len(sizes) - 1,
            f"grads: expected {len(sizes) - 1} (dW, db) pairs, got {len(grads)}")
    out = []
    for i, ((m, n), pair) in enumerate(zip(zip(sizes[:-1], sizes[1:]), grads)):
        dW, db = (to_numpy(g, np.float64, what=f"grads[{i}]") for g in pair)
        require(dW.shape == (m, n), f"grads[{i}][0] (dW): expected shape ({m}, {n}), got {dW.shape}")
        require(db.shape == (n,), f"grads[{i}][1] (db): expected shape ({n},), got {db.shape}")
        out.append((dW, db))
    return out


SIZES = [6, 5, 4, 3]


@pytest.fixture(scope="session")
def small_case():
    """Data, labels and params for SIZES with every hidden pre-activation away from the ReLU kink."""
    rng = np.random.default_rng(7)
    X = rng.normal(0.0, 1.0, (8, SIZES[0]))
    y = np.array([0, 1, 2, 0, 1, 2, 2, 1])
    params = random_params(SIZES, rng)
    _, pre, _, _ = expected_forward(params, X)
    assert min(np.abs(z).min() for z in pre) > 1e-3  # the suite's own data: no kink within FD reach
    return X, y, params


# ---------------------------------------------------------------- tests


def test_params_layout_and_forward_shape(user):
    """params is a list of (W (fan_in, fan_out), b (fan_out,)); forward gives (n, K) rows summing to 1"""
    model = user.MLP(SIZES, seed=0)
    live_params(model, SIZES)
    X = np.random.default_rng(0).normal(size=(5, SIZES[0]))
    p = to_numpy(model.forward(X), np.float64, what="forward(X)")
    require(p.shape == (5, SIZES[-1]), f"forward(X): expected shape (5, {SIZES[-1]}), got {p.shape}")
    assert_close(p.sum(axis=1), np.ones(5), atol=1e-12, what="row sums of forward(X)")
    pred = to_numpy(model.predict(X), what="predict(X)")
    assert_equal(pred, p.argmax(axis=1), what="predict(X) vs argmax of forward(X)")


def test_forward_and_loss_values(user, small_case):
    """with params set in place, forward (atol 1e-12) and the mean cross-entropy (rtol 1e-10) equal the suite's"""
    X, y, params = small_case
    model = user.MLP(SIZES, seed=0)
    load_params(model, SIZES, params)
    _, _, _, p = expected_forward(params, X)
    assert_close(model.forward(X.copy()), p, atol=1e-12, what="forward(X) probabilities")
    loss, _ = model.loss_and_grads(X.copy(), y.copy())
    expected, _ = expected_loss_and_grads(params, X, y)
    # relative: a correct loss summed in another stable order differs by a few ulp of its size
    assert_scalar_close(loss, expected, rtol=1e-10, atol=0.0, what="loss (mean cross-entropy over the batch)")


def test_gradients_match_finite_differences(user, small_case):
    """each gradient array matches central differences: |g - g_num| / (|g| + |g_num|) < 1e-6"""
    X, y, params = small_case
    model = user.MLP(SIZES, seed=0)
    load_params(model, SIZES, params)
    _, grads = model.loss_and_grads(X, y)
    grads = grads_as_arrays(grads, SIZES)
    eps = 1e-6

    def loss_now():
        return float(to_numpy(model.loss_and_grads(X, y)[0], np.float64, what="loss").reshape(()))

    for i, (pair, gpair) in enumerate(zip(live_params(model, SIZES), grads)):
        for arr, g, name in zip(pair, gpair, ("W", "b")):
            num = np.zeros_like(g)
            for idx in np.ndindex(arr.shape):
                keep = arr[idx]
                arr[idx] = keep + eps
                up = loss_now()
                arr[idx] = keep - eps
                down = loss_now()
                arr[idx] = keep
                num[idx] = (up - down) / (2 * eps)
            denom = np.linalg.norm(g) + np.linalg.norm(num)
            rel = np.linalg.norm(g - num) / denom if denom > 1e-12 else 0.0
            worst = np.unravel_index(np.argmax(np.abs(g - num)), g.shape)
            require(rel < 1e-6, f"d loss / d {name}{i + 1}: relative error {rel:.2e} (needed < 1e-6); "
                                f"worst at index {tuple(int(j) for j in worst)}: analytic {g[worst]!r}, "
                                f"finite differences {num[worst]!r}")


EXTREME_LOGITS = np.array([
    [1000.0, -1000.0, 0.0],      # one huge, one tiny
    [-1000.0, -1000.0, -999.0],  # all tiny: exp underflows to 0 without the max shift
    [1000.0, 999.0, 998.0],      # all huge: exp overflows to inf without the max shift
    [0.5, -0.3, 1000.0],
    [-1000.0, 1000.0, 1000.0],   # a tie between two huge logits
    [2.0, 1.0, 0.0],
])


def test_extreme_logits_stay_finite(user):
    """with logits of +-1000 the probabilities and gradients stay finite and correct"""
    sizes = [4, 8, 3]
    rng = np.random.default_rng(3)
    X = rng.normal(0.0, 1.0, (6, 4))
    W1, b1 = rng.normal(0.0, 1.0, (4, 8)), np.full(8, 0.5)
    h = np.maximum(X @ W1 + b1, 0.0)
    b2 = np.array([0.1, -0.2, 0.3])
    W2 = np.linalg.lstsq(h, EXTREME_LOGITS - b2, rcond=None)[0]  # h @ W2 + b2 = EXTREME_LOGITS
    params = [(W1, b1), (W2, b2)]
    y = np.array([1, 2, 0, 0, 0, 1])
    model = user.MLP(sizes, seed=0)
    load_params(model, sizes, params)
    _, _, z, p = expected_forward(params, X)
    assert np.abs(z - EXTREME_LOGITS).max() < 1e-6  # the suite's own construction
    got = to_numpy(model.forward(X), np.float64, what="forward(X)")
    require(bool(np.isfinite(got).all()), f"forward(X) with logits up to |1000| is not finite:\n{got}")
    assert_close(got, p, atol=1e-12, what="forward(X) with logits up to |1000|")
    _, grads = model.loss_and_grads(X, y)
    _, expected = expected_loss_and_grads(params, X, y)
    for i, (gpair, epair) in enumerate(zip(grads_as_arrays(grads, sizes), expected)):
        for g, e, name in zip(gpair, epair, ("W", "b")):
            require(bool(np.isfinite(g).all()), f"d loss / d {name}{i + 1} with logits up to |1000| is not finite")
            assert_close(g, e, atol=1e-9, rtol=1e-9, what=f"d loss / d {name}{i + 1} with logits up to |1000|")


@pytest.fixture(scope="session")
def digits_run(user):
    """The user's MLP([64, 64, 10], seed=0) trained once with fit's defaults on the digits split."""
    X_train, X_test, y_train, y_test = dataset_split("digits")
    model = user.MLP([64, 64, 10], seed=0)
    before = float(to_numpy(model.loss_and_grads(X_train, y_train)[0], np.float64).reshape(()))
    fitted = model.fit(X_train, y_train)
    after = float(to_numpy(model.loss_and_grads(X_train, y_train)[0], np.float64).reshape(()))
    acc = float((to_numpy(model.predict(X_test), what="predictions") == y_test).mean())
    return {"returns_self": fitted is model, "before": before, "after": after, "accuracy": acc}


def test_training_loss_falls(digits_run):
    """fit returns self and the digits training loss falls to at most half its starting value"""
    require(digits_run["returns_self"], "fit must return self")
    assert_at_most(digits_run["after"], 0.5 * digits_run["before"],
                   what=f"training loss after fit (it started at {digits_run['before']:.4f}; at most half)")


@pytest.fixture(scope="session")
def sklearn_accuracy(ref_cache):
    def compute():
        X_train, X_test, y_train, y_test = dataset_split("digits")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter=200
            clf = MLPClassifier(hidden_layer_sizes=(64,), random_state=0).fit(X_train, y_train)
        return float(clf.score(X_test, y_test))

    return ref_cache.get("sklearn-mlp-digits", compute)


def test_digits_accuracy(digits_run, sklearn_accuracy):
    """digits test accuracy >= 0.95 and >= sklearn's MLPClassifier(64 hidden) - 0.02"""
    acc = digits_run["accuracy"]
    assert_at_least(acc, 0.95, what="digits test accuracy (floor)")
    assert_at_least(acc, sklearn_accuracy - 0.02,
                    what=f"digits test accuracy (MLPClassifier reaches {sklearn_accuracy:.4f}, minus 0.02)")


def test_same_seed_same_model(user):
    """the same seed gives the same initial weights and the same trained weights"""
    X_train, _, y_train, _ = dataset_split("digits")
    X, y = X_train[:300], y_train[:300]
    sizes = [64, 16, 10]
    a, b = user.MLP(sizes, seed=3), user.MLP(sizes, seed=3)
    for i, ((Wa, ba), (Wb, bb)) in enumerate(zip(live_params(a, sizes), live_params(b, sizes))):
        assert_close(Wb, Wa, atol=0.0, what=f"initial W{i + 1} of a second MLP with seed=3")
        assert_close(bb, ba, atol=0.0, what=f"initial b{i + 1} of a second MLP with seed=3")
    a.fit(X, y, epochs=2)
    b.fit(X, y, epochs=2)
    for i, ((Wa, ba), (Wb, bb)) in enumerate(zip(live_params(a, sizes), live_params(b, sizes))):
        assert_close(Wb, Wa, atol=0.0, what=f"trained W{i + 1} of a second MLP with seed=3")
        assert_close(bb, ba, atol=0.0, what=f"trained b{i + 1} of a second MLP with seed=3")


def test_fit_steps_use_lr_epochs_and_the_last_smaller_batch(user):
    """fit(epochs=3, lr=0.05) on 20 rows with batch_size 64 takes exactly 3 full-batch steps W -= lr * dW"""
    X_train, _, y_train, _ = dataset_split("digits")
    X, y = X_train[:20].copy(), y_train[:20].copy()
    sizes = [64, 16, 10]
    model = user.MLP(sizes, seed=1)
    params = [(W.copy(), b.copy()) for W, b in live_params(model, sizes)]
    for _ in range(3):  # one batch per epoch: the 20 rows in any order give the same mean gradient
        _, grads = expected_loss_and_grads(params, X, y)
        params = [(W - 0.05 * dW, b - 0.05 * db) for (W, b), (dW, db) in zip(params, grads)]
    model.fit(X, y, epochs=3, lr=0.05, batch_size=64)
    for i, ((W, b), (We, be)) in enumerate(zip(live_params(model, sizes), params)):
        assert_close(W, We, rtol=1e-9, atol=1e-12,
                     what=f"W{i + 1} after fit(epochs=3, lr=0.05, batch_size=64) on 20 rows")
        assert_close(b, be, rtol=1e-9, atol=1e-12,
                     what=f"b{i + 1} after fit(epochs=3, lr=0.05, batch_size=64) on 20 rows")


# rows, steps per epoch: 20 distinct rows fit in one default batch of 32; copies of one row give
# the same gradient in every batch, so only the number of batches (33 and 64 rows: 2) matters
DEFAULTS = {"20 digits rows": (20, 1), "33 copies of one row": (33, 2), "64 copies of one row": (64, 2)}


@pytest.mark.parametrize("case", list(DEFAULTS))
def test_fit_defaults_are_50_epochs_lr_0_1_batches_of_32(user, case):
    """fit(X, y) with its defaults takes 50 epochs of steps W -= 0.1 * dW on batches of 32 rows"""
    n, per_epoch = DEFAULTS[case]
    X_train, _, y_train, _ = dataset_split("digits")
    rows = np.arange(n) if per_epoch == 1 else np.zeros(n, dtype=int)
    X, y = X_train[rows].copy(), y_train[rows].copy()
    sizes = [64, 16, 10]
    model = user.MLP(sizes, seed=2)
    params = [(W.copy(), b.copy()) for W, b in live_params(model, sizes)]
    Xs, ys = (X, y) if per_epoch == 1 else (X[:1], y[:1])
    for _ in range(50 * per_epoch):
        _, grads = expected_loss_and_grads(params, Xs, ys)
        params = [(W - 0.1 * dW, b - 0.1 * db) for (W, b), (dW, db) in zip(params, grads)]
    model.fit(X, y)
    for i, ((W, b), (We, be)) in enumerate(zip(live_params(model, sizes), params)):
        assert_close(W, We, rtol=1e-9, atol=1e-12,
                     what=f"W{i + 1} after fit(X, y) with the defaults on {case} "
                          f"({50 * per_epoch} steps of lr 0.1)")
        assert_close(b, be, rtol=1e-9, atol=1e-12,
                     what=f"b{i + 1} after fit(X, y) with the defaults on {case} "
                          f"({50 * per_epoch} steps of lr 0.1)")
