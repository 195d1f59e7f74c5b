"""Hidden suite for the linear-regression kata: OLS, ridge and gradient descent vs scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import (
    assert_close,
    assert_equal,
    assert_raises_value_error,
    assert_scalar_close,
    to_numpy,
)

ATOL = 1e-8


def diabetes():
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    return X.astype(np.float64), y.astype(np.float64)


def with_duplicate(X):
    """X with its third column repeated at the end (rank-deficient)."""
    return np.hstack([X, X[:, [2]]])


def with_constant(X):
    """X with a constant column 3.0 in front (collinear with the intercept)."""
    return np.hstack([np.full((len(X), 1), 3.0), X])


def wide(_X=None):
    """More columns than rows: 8 rows, 12 seeded columns."""
    rng = np.random.default_rng(3)
    return rng.normal(size=(8, 12))


def sklearn_fit(kind, X, y, alpha=None):
    from sklearn.linear_model import LinearRegression, Ridge

    model = LinearRegression() if kind == "ols" else Ridge(alpha=alpha)
    model.fit(X, y)
    return {"coef": model.coef_.tolist(), "intercept": float(model.intercept_)}


def check_fit(result, expected, what, atol=ATOL):
    assert isinstance(result, tuple) and len(result) == 2, \
        f"{what}: expected a tuple (coef, intercept), got {type(result).__name__}"
    coef, intercept = result
    assert_close(to_numpy(coef, np.float64, what), expected["coef"], atol=atol, what=f"{what} coef")
    assert_scalar_close(intercept, expected["intercept"], atol=atol, what=f"{what} intercept")


def synthetic(seed, n=200, d=5):
    """Seeded regression data with mildly correlated features, standardised."""
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, d))
    Z[:, 1] += 0.5 * Z[:, 0]
    Z = (Z - Z.mean(axis=0)) / Z.std(axis=0)
    y = Z @ rng.normal(scale=2.0, size=d) + 4.0 + rng.normal(size=n)
    return Z, y


# ----- ordinary least squares -----------------------------------------------------------

OLS_CASES = {
    "diabetes": lambda X: X,
    "diabetes with a duplicated column": with_duplicate,
    "diabetes with a constant column": with_constant,
}


@pytest.mark.parametrize("case", list(OLS_CASES), ids=list(OLS_CASES))
def test_ols_matches_sklearn(user, ref_cache, case):
    """fit_ols equals sklearn's LinearRegression (the minimum-norm solution when rank-deficient)"""
    X, y = diabetes()
    X = OLS_CASES[case](X)
    expected = ref_cache.get(f"ols {case}", lambda: sklearn_fit("ols", X, y))
    check_fit(user.fit_ols(X.copy(), y.copy()), expected, f"fit_ols on {case}", atol=ATOL)


def test_ols_more_columns_than_rows(user, ref_cache):
    """with more columns than rows fit_ols returns the minimum-norm interpolating solution"""
    X = wide()
    y = np.arange(8.0) ** 1.5
    expected = ref_cache.get("ols wide", lambda: sklearn_fit("ols", X, y))
    coef, intercept = user.fit_ols(X, y)
    check_fit((coef, intercept), expected, "fit_ols on 8 x 12 data")
    assert_close(X @ to_numpy(coef) + float(intercept), y, atol=1e-8, what="fitted values (must interpolate)")


def test_ols_exact_line(user):
    """an exact linear relation is recovered exactly"""
    X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 3.0], [5.0, -1.0], [3.0, 3.0]])
    y = 2.0 * X[:, 0] - 3.0 * X[:, 1] + 5.0
    check_fit(user.fit_ols(X, y), {"coef": [2.0, -3.0], "intercept": 5.0}, "fit_ols on y = 2a - 3b + 5", atol=1e-10)


def test_duplicated_column_splits_weight_evenly(user):
    """a duplicated column shares its weight equally (minimum norm), not an arbitrary split"""
    X = np.array([[1.0, 1.0], [2.0, 2.0], [4.0, 4.0], [7.0, 7.0]])
    y = 6.0 * X[:, 0] - 1.0
    check_fit(user.fit_ols(X, y), {"coef": [3.0, 3.0], "intercept": -1.0}, "fit_ols with two equal columns",
              atol=1e-9)


def test_constant_column_gets_no_weight(user):
    """a constant column gets weight 0: the intercept is not part of the minimised norm"""
    X = np.array([[5.0, 0.0], [5.0, 1.0], [5.0, 2.0], [5.0, 4.0]])
    y = np.array([1.0, 3.0, 5.0, 9.0])
    check_fit(user.fit_ols(X, y), {"coef": [0.0, 2.0], "intercept": 1.0}, "fit_ols with a constant column",
              atol=1e-9)


# ----- ridge ------------------------------------------------------------------------------

ALPHAS = [0.01, 1.0, 10.0]


@pytest.mark.parametrize("alpha", ALPHAS, ids=[f"alpha={a:g}" for a in ALPHAS])
def test_ridge_matches_sklearn(user, ref_cache, alpha):
    """fit_ridge equals sklearn's Ridge on diabetes"""
    X, y = diabetes()
    expected = ref_cache.get(f"ridge {alpha}", lambda: sklearn_fit("ridge", X, y, alpha))
    check_fit(user.fit_ridge(X.copy(), y.copy(), alpha), expected, f"fit_ridge(alpha={alpha:g})")


def test_ridge_rank_deficient_and_offset(user, ref_cache):
    """fit_ridge equals Ridge on a duplicated column with a large offset in y (intercept not penalised)"""
    X, y = diabetes()
    X = with_duplicate(X)[:60]
    y = y[:60] + 1000.0
    expected = ref_cache.get("ridge dup offset", lambda: sklearn_fit("ridge", X, y, 0.5))
    check_fit(user.fit_ridge(X, y, 0.5), expected, "fit_ridge(alpha=0.5), duplicated column, y + 1000")


def test_ridge_small_exact_case(user):
    """fit_ridge on one centred feature: w = Σxy / (Σx² + alpha), b = ȳ - w·x̄"""
    X = np.array([[1.0], [2.0], [3.0], [6.0]])  # x̄ = 3, Σ(x - x̄)² = 14
    y = np.array([10.0, 12.0, 11.0, 19.0])  # ȳ = 13, Σ(x - x̄)(y - ȳ) = 6 + 1 + 0 + 18 = 25
    w = 25.0 / (14.0 + 2.0)
    check_fit(user.fit_ridge(X, y, 2.0), {"coef": [w], "intercept": 13.0 - 3.0 * w},
              "fit_ridge(alpha=2) on four points", atol=1e-12)


def test_ridge_huge_alpha_keeps_the_mean(user):
    """with a huge alpha the coef shrinks to 0 and the intercept stays the mean of y"""
    X, y = synthetic(5)
    coef, intercept = user.fit_ridge(X, y + 50.0, 1e12)
    assert_close(to_numpy(coef), np.zeros(X.shape[1]), atol=1e-7, what="coef with alpha=1e12")
    assert_scalar_close(intercept, float(np.mean(y + 50.0)), atol=1e-7, what="intercept with alpha=1e12")


def test_ridge_alpha_zero_is_ols(user, ref_cache):
    """fit_ridge with alpha=0 gives the least-squares (minimum-norm) solution, duplicated column included"""
    X, y = diabetes()
    X = with_duplicate(X)
    expected = ref_cache.get("ols diabetes with a duplicated column", lambda: sklearn_fit("ols", X, y))
    check_fit(user.fit_ridge(X, y, 0.0), expected, "fit_ridge(alpha=0) with a duplicated column", atol=1e-7)


# ----- gradient descent -------------------------------------------------------------------

def gd_by_rule(X, y, lr, epochs):
    """The recipe, written out: zeros, then simultaneous steps on the MSE gradient."""
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for _ in range(epochs):
        pred = [sum(X[i, j] * w[j] for j in range(d)) + b for i in range(n)]
        gw = np.array([2.0 / n * sum((pred[i] - y[i]) * X[i, j] for i in range(n)) for j in range(d)])
        gb = 2.0 / n * sum(pred[i] - y[i] for i in range(n))
        w, b = w - lr * gw, b - lr * gb
    return {"coef": w.tolist(), "intercept": float(b)}


GD_STEPS = [(0.1, 1), (0.05, 2), (0.3, 5)]


@pytest.mark.parametrize("lr, epochs", GD_STEPS, ids=[f"lr={lr}, epochs={e}" for lr, e in GD_STEPS])
def test_gd_first_steps_follow_the_recipe(user, lr, epochs):
    """fit_gd takes exactly `epochs` full-batch steps on the mean squared error from zeros"""
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0], [-2.0, 0.5], [1.0, 1.0]])
    y = np.array([3.0, -1.0, 4.0, 0.0, 2.5])
    check_fit(user.fit_gd(X, y, lr=lr, epochs=epochs), gd_by_rule(X, y, lr, epochs),
              f"fit_gd(lr={lr}, epochs={epochs})", atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1], ids=["synthetic data, seed 0", "synthetic data, seed 1"])
def test_gd_converges_to_ols(user, seed):
    """fit_gd with the defaults lands within 1e-4 of the least-squares solution on standardised data"""
    X, y = synthetic(seed)
    full = np.linalg.lstsq(np.hstack([X, np.ones((len(X), 1))]), y, rcond=None)[0]
    check_fit(user.fit_gd(X, y), {"coef": full[:-1].tolist(), "intercept": float(full[-1])},
              "fit_gd() vs least squares", atol=1e-4)


# ----- inputs, outputs, errors --------------------------------------------------------------

FUNCS = {
    "fit_ols": lambda m, X, y: m.fit_ols(X, y),
    "fit_ridge": lambda m, X, y: m.fit_ridge(X, y, 1.0),
    "fit_gd": lambda m, X, y: m.fit_gd(X, y, lr=0.1, epochs=20),
}


@pytest.mark.parametrize("name", list(FUNCS), ids=list(FUNCS))
def test_inputs_untouched_and_shapes(user, name):
    """inputs are not modified; coef has shape (d,) and the intercept is one number"""
    X, y = synthetic(2, n=30, d=4)
    X = X + 7.0
    X0, y0 = X.copy(), y.copy()
    result = FUNCS[name](user, X, y)
    assert_equal(X, X0, what=f"X after {name}")
    assert_equal(y, y0, what=f"y after {name}")
    coef, intercept = result
    coef = to_numpy(coef, np.float64, f"{name} coef")
    assert coef.shape == (4,), f"{name}: coef must have shape (4,), got {coef.shape}"
    assert to_numpy(intercept, np.float64, f"{name} intercept").size == 1, f"{name}: intercept must be one number"


@pytest.mark.parametrize("name", list(FUNCS), ids=list(FUNCS))
def test_integer_inputs(user, name):
    """integer arrays and plain lists are accepted and treated as floats"""
    X = np.array([[1, 2], [2, 0], [3, 5], [4, 1], [6, 2]])
    y = np.array([3, 1, 9, 4, 7])
    got = FUNCS[name](user, X, y)
    as_lists = FUNCS[name](user, X.tolist(), y.tolist())
    assert_close(to_numpy(as_lists[0], np.float64), to_numpy(got[0], np.float64), atol=1e-12,
                 what=f"{name} coef from lists")
    want = FUNCS[name](user, X.astype(np.float64), y.astype(np.float64))
    assert_close(to_numpy(got[0], np.float64), to_numpy(want[0], np.float64), atol=1e-12, what=f"{name} coef")
    assert_scalar_close(got[1], float(want[1]), atol=1e-12, what=f"{name} intercept")


BAD = {
    "rows differ": lambda m: m.fit_ols(np.zeros((5, 2)), np.zeros(4)),
    "X is 1-D": lambda m: m.fit_ols(np.zeros(5), np.zeros(5)),
    "y is 2-D": lambda m: m.fit_ols(np.arange(10.0).reshape(5, 2) ** 2, np.ones((5, 1))),
    "ridge y is 2-D": lambda m: m.fit_ridge(np.zeros((5, 2)), np.zeros((5, 1)), 1.0),
    "gd y is 2-D": lambda m: m.fit_gd(np.zeros((5, 2)), np.zeros((5, 1))),
    "no rows": lambda m: m.fit_ols(np.zeros((0, 2)), np.zeros(0)),
    "ridge rows differ": lambda m: m.fit_ridge(np.zeros((5, 2)), np.zeros(6), 1.0),
    "negative alpha": lambda m: m.fit_ridge(np.ones((5, 2)), np.ones(5), -0.1),
    "gd rows differ": lambda m: m.fit_gd(np.zeros((3, 2)), np.zeros(4)),
    "lr = 0": lambda m: m.fit_gd(np.ones((5, 2)), np.ones(5), lr=0.0),
    "epochs = 0": lambda m: m.fit_gd(np.ones((5, 2)), np.ones(5), epochs=0),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_raises_value_error(user, case):
    """bad input raises ValueError with a message (your own check, not an error from inside np.linalg)"""
    try:
        BAD[case](user)
    except np.linalg.LinAlgError as exc:
        raise AssertionError(f"{case}: check the input yourself; got LinAlgError from NumPy ({exc})") from None
    except Exception:  # noqa: BLE001 - judged below
        pass
    assert_raises_value_error(BAD[case], user, what=case)


def test_default_settings(user):
    """fit_gd's defaults are lr=0.1 and epochs=1000 (checked on slowly converging data)"""
    X = np.array([[1.0, 1.1], [2.0, 1.9], [3.0, 3.2], [4.0, 3.9], [0.0, 0.1]]) - 2.0
    y = np.array([1.0, 2.5, 2.9, 4.2, 0.3])
    w, b = np.zeros(2), 0.0
    for _ in range(1000):
        r = X @ w + b - y
        w, b = w - 0.1 * 2.0 / 5.0 * (X.T @ r), b - 0.1 * 2.0 / 5.0 * r.sum()
    check_fit(user.fit_gd(X, y), {"coef": w.tolist(), "intercept": float(b)}, "fit_gd(X, y) with the defaults",
              atol=1e-10)
