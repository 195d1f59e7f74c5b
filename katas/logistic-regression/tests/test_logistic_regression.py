"""Hidden suite for the logistic-regression kata: sklearn's objective reached, stable probabilities."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import (
    assert_close,
    assert_equal,
    assert_raises_value_error,
    to_numpy,
)
from nnquiz.grading.katalib.data import class_names, dataset_split, standardise

REL = 1e-6


def objective(coef, intercept, X, y, C, classes):
    """½||W||² + C Σ log-loss, intercepts unpenalised (sklearn's objective), computed stably."""
    Z = X @ coef.T + intercept  # (n, K')
    if len(classes) == 2:
        t = np.where(y == classes[1], 1.0, -1.0)
        return float(0.5 * np.sum(coef**2) + C * np.sum(np.logaddexp(0.0, -t * Z[:, 0])))
    top = Z.max(axis=1, keepdims=True)
    lse = (top + np.log(np.exp(Z - top).sum(axis=1, keepdims=True)))[:, 0]
    picked = Z[np.arange(len(y)), np.searchsorted(classes, y)]
    return float(0.5 * np.sum(coef**2) + C * np.sum(lse - picked))


def stable_proba(coef, intercept, X, n_classes):
    Z = X @ coef.T + intercept
    if n_classes == 2:
        Z = np.hstack([np.zeros_like(Z), Z])  # P(classes_[1]) = sigmoid(z)
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def offset_data():
    """Binary data far from the origin: the optimum has a large intercept."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3)) + 5.0
    y = (X @ np.array([1.0, -1.0, 0.5]) + rng.normal(size=200) > 2.5).astype(np.int64)
    return X, y


def separable_data():
    """Two blobs 8 apart (linearly separable), far from the origin."""
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(size=(50, 2)) - 4.0, rng.normal(size=(50, 2)) + 4.0]) + 20.0
    return X, np.repeat([0, 1], 50)


def case_data(name):
    if name == "breast_cancer":
        X_train, _, y_train, _ = dataset_split("breast_cancer")
        X_train, _ = standardise(X_train, X_train)
        return X_train, y_train
    if name == "breast_cancer, string labels":
        X, y = case_data("breast_cancer")
        return X, np.array(class_names("breast_cancer"))[y]  # 'malignant' (0) sorts after 'benign' (1)
    if name == "iris, string labels":
        X_train, _, y_train, _ = dataset_split("iris")
        return X_train, np.array(class_names("iris"))[y_train]
    if name == "offset":
        return offset_data()
    if name == "separable":
        return separable_data()
    X_train, _, y_train, _ = dataset_split(name)
    return X_train, y_train


def sklearn_optimum(name, C):
    from sklearn.linear_model import LogisticRegression

    X, y = case_data(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(C=C, solver="lbfgs", tol=1e-12, max_iter=100_000).fit(X, y)
    return objective(model.coef_, model.intercept_, X, y, C, model.classes_)


CASES = [("breast_cancer", 0.1), ("breast_cancer", 1.0), ("breast_cancer", 10.0), ("breast_cancer, string labels", 1.0),
         ("offset", 1.0), ("iris", 1.0), ("iris", 10.0), ("iris, string labels", 0.5), ("digits", 1.0),
         ("separable", 1e4)]


@pytest.fixture(scope="module", params=CASES, ids=[f"{n}, C={c:g}" for n, c in CASES])
def fitted(request, user, ref_cache):
    name, C = request.param
    X, y = case_data(name)
    best = ref_cache.get(f"optimum {name} {C}", lambda: sklearn_optimum(name, C))
    X0, y0 = X.copy(), y.copy()
    model = user.LogisticRegression(C=C)
    returned = model.fit(X, y)
    assert returned is model, "fit must return self"
    assert_equal(X, X0, what="X after fit")
    assert_equal(y, y0, what="y after fit")
    classes = np.unique(y)
    K = 1 if len(classes) == 2 else len(classes)
    coef = to_numpy(model.coef_, np.float64, "coef_")
    intercept = to_numpy(model.intercept_, np.float64, "intercept_")
    assert coef.shape == (K, X.shape[1]), f"coef_ must have shape {(K, X.shape[1])}, got {coef.shape}"
    assert intercept.shape == (K,), f"intercept_ must have shape ({K},), got {intercept.shape}"
    return model, coef, intercept, X, y, C, classes, best, f"{name}, C={C:g}"


def test_objective_reaches_sklearn_optimum(fitted):
    """½||W||² + C·Σ log-loss at coef_, intercept_ is within 1e-6 (relative) of sklearn's optimum"""
    _, coef, intercept, X, y, C, classes, best, what = fitted
    value = objective(coef, intercept, X, y, C, classes)
    assert np.isfinite(value), f"{what}: the objective at your coef_/intercept_ is {value}"
    gap = abs(value - best) / abs(best)
    assert gap <= REL, (f"{what}: objective {value:.10g} vs sklearn's optimum {best:.10g}: relative gap "
                        f"{gap:.2e}, needed at most {REL:.0e}")


def test_probabilities_follow_the_parameters(fitted):
    """predict_proba is the sigmoid (two classes) or softmax of X @ coef_.T + intercept_, rows sum to 1"""
    model, coef, intercept, X, _, _, classes, _, what = fitted
    proba = to_numpy(model.predict_proba(X), np.float64, "predict_proba")
    assert_close(proba, stable_proba(coef, intercept, X, len(classes)), atol=1e-10, what=f"predict_proba ({what})")
    assert_close(proba.sum(axis=1), np.ones(len(X)), atol=1e-12, what=f"row sums ({what})")


def test_predictions_are_the_most_probable_class(fitted):
    """predict returns classes_[argmax predict_proba], with the labels' type; classes_ is sorted"""
    model, coef, intercept, X, _, _, classes, _, what = fitted
    assert_equal(to_numpy(model.classes_), classes, what=f"classes_ ({what})")
    expected = classes[stable_proba(coef, intercept, X, len(classes)).argmax(axis=1)]
    got = to_numpy(model.predict(X))
    assert_equal(got, expected, what=f"predict ({what})")


def test_separable_data_stays_finite(user):
    """on separable data with C=1e4 the weights stay finite and every training point is classified right"""
    X, y = separable_data()
    with np.errstate(all="ignore"):
        model = user.LogisticRegression(C=1e4).fit(X, y)
    coef = to_numpy(model.coef_, np.float64, "coef_")
    assert np.isfinite(coef).all() and np.isfinite(to_numpy(model.intercept_, np.float64)).all(), \
        "coef_ and intercept_ must be finite"
    assert_equal(to_numpy(model.predict(X)), y, what="training predictions on separable data")


@pytest.mark.parametrize("name", ["breast_cancer", "iris"], ids=["two classes", "three classes"])
def test_far_away_points_have_stable_probabilities(user, name):
    """points 1000x farther out (scores near ±1e5) get exact, finite probabilities (no overflow to NaN)"""
    X, y = case_data(name)
    model = user.LogisticRegression(C=1.0).fit(X, y)
    far = 1000.0 * X[:20]
    coef = to_numpy(model.coef_, np.float64)
    intercept = to_numpy(model.intercept_, np.float64)
    with np.errstate(all="ignore"):
        proba = to_numpy(model.predict_proba(far), np.float64, "predict_proba")
    assert_close(proba, stable_proba(coef, intercept, far, len(np.unique(y))), atol=1e-12,
                 what="probabilities of far-away points")


def test_lists_are_accepted(user):
    """plain lists work for fit, predict_proba and predict; the default C is 1.0"""
    X, y = case_data("iris")
    a = user.LogisticRegression().fit(X.tolist(), y.tolist())
    b = user.LogisticRegression(C=1.0).fit(X, y)
    assert_close(to_numpy(a.predict_proba(X[:10].tolist()), np.float64), to_numpy(b.predict_proba(X[:10]), np.float64),
                 atol=1e-8, what="predict_proba of a list after fitting on lists")
    assert_equal(to_numpy(a.predict(X[:10].tolist())), to_numpy(b.predict(X[:10])), what="predict of a list")


def test_multinomial_is_not_one_vs_rest(user):
    """three classes share one softmax: the probabilities are not normalised one-vs-rest sigmoids"""
    X, y = case_data("iris")
    model = user.LogisticRegression(C=1.0).fit(X, y)
    coef = to_numpy(model.coef_, np.float64, "coef_")
    assert coef.shape == (3, 4), f"coef_ must have one row per class, shape (3, 4), got {coef.shape}"
    # at the multinomial optimum with unpenalised intercepts, Σ_i (p_i - y_i) = 0 for every class
    proba = to_numpy(model.predict_proba(X), np.float64)
    assert_close(proba.sum(axis=0), np.bincount(y).astype(float), atol=0.05, what="Σ_i P(class | x_i) per class")


BAD = {
    "C = 0": lambda m: m.LogisticRegression(C=0.0).fit(np.eye(4), [0, 1, 0, 1]),
    "negative C": lambda m: m.LogisticRegression(C=-1.0).fit(np.eye(4), [0, 1, 0, 1]),
    "one class": lambda m: m.LogisticRegression().fit(np.eye(4), [1, 1, 1, 1]),
    "rows differ": lambda m: m.LogisticRegression().fit(np.eye(4), [0, 1, 0]),
    "X is 1-D": lambda m: m.LogisticRegression().fit(np.ones(4), [0, 1, 0, 1]),
    "y is 2-D": lambda m: m.LogisticRegression().fit(np.eye(4), np.array([[0], [1], [0], [1]])),
    "features differ at predict": lambda m: m.LogisticRegression().fit(np.eye(4), [0, 1, 0, 1]).predict(np.eye(3)),
    "features differ at predict_proba": lambda m: m.LogisticRegression().fit(np.eye(4), [0, 1, 2, 1])
    .predict_proba(np.ones((2, 5))),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_raises_value_error(user, case):
    """bad input raises ValueError with a message (at construction or at fit)"""
    assert_raises_value_error(BAD[case], user, what=case)
