"""Hidden suite for the naive-bayes kata: GaussianNB and MultinomialNB vs scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import assert_close, assert_equal, assert_raises_value_error, to_numpy
from nnquiz.grading.katalib.data import dataset_split

TOL = {"atol": 1e-8, "rtol": 1e-10}


def word_counts(seed, n, d, length):
    """Seeded bag-of-words counts: 3 classes, each with its own word distribution."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    rates = rng.dirichlet(np.full(d, 0.3), size=3)  # sparse-ish: many words absent from a class
    X = np.array([rng.multinomial(length, rates[c]) for c in y]).astype(np.float64)
    return X, y


def with_class_constant_feature():
    """Iris plus a feature that is constant inside each class: its class variances are 0."""
    X_train, X_test, y_train, y_test = dataset_split("iris")
    return (np.hstack([X_train, 2.0 * y_train[:, None]]), np.hstack([X_test, 2.0 * y_test[:, None] + 0.5]),
            y_train, y_test)


def gaussian_wide():
    """10 000 Gaussian features: joint log-likelihoods near -14 000 (exp underflows to 0)."""
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], 12)
    X = rng.normal(size=(36, 10_000)) + 0.3 * y[:, None]
    return X[::2], X[1::2], y[::2], y[1::2]


def multinomial_case(name):
    if name == "counts 200 x 40":
        X, y = word_counts(0, 400, 40, 30)
    else:  # 10 000 features: joint log-likelihoods below -3000
        X, y = word_counts(1, 80, 10_000, 400)
    return X[::2], X[1::2], y[::2], y[1::2]


GAUSS = {
    "iris": lambda: dataset_split("iris"),
    "wine": lambda: dataset_split("wine"),
    "iris with a class-constant feature": with_class_constant_feature,
    "10 000 features": gaussian_wide,
}


def sklearn_nb(kind, data, **params):
    from sklearn.naive_bayes import GaussianNB, MultinomialNB

    X_train, X_test, y_train, _ = data
    model = (GaussianNB if kind == "gaussian" else MultinomialNB)(**params).fit(X_train, y_train)
    return {"log_proba": model.predict_log_proba(X_test).tolist(), "proba": model.predict_proba(X_test).tolist(),
            "pred": model.predict(X_test).tolist()}


def check_against(model, expected, X_test, what):
    log_proba = to_numpy(model.predict_log_proba(X_test.copy()), np.float64, "predict_log_proba")
    assert_close(log_proba, expected["log_proba"], **TOL, what=f"predict_log_proba ({what})")
    proba = to_numpy(model.predict_proba(X_test.copy()), np.float64, "predict_proba")
    assert_close(proba, expected["proba"], **TOL, what=f"predict_proba ({what})")
    assert_close(proba.sum(axis=1), np.ones(len(X_test)), atol=1e-12, what=f"probability row sums ({what})")
    assert_equal(to_numpy(model.predict(X_test.copy())), np.array(expected["pred"]), what=f"predict ({what})")


G_CASES = [(name, vs) for name in GAUSS for vs in (1e-9,)] + [("wine", 1e-2), ("iris with a class-constant feature",
                                                                             1e-4)]


@pytest.mark.parametrize("name, vs", G_CASES, ids=[f"{n}, var_smoothing={vs:g}" for n, vs in G_CASES])
def test_gaussian_matches_sklearn(user, ref_cache, name, vs):
    """GaussianNB's log-probabilities, probabilities and predictions equal sklearn's"""
    data = GAUSS[name]()
    expected = ref_cache.get(f"gaussian {name} {vs}", lambda: sklearn_nb("gaussian", data, var_smoothing=vs))
    model = user.GaussianNB(var_smoothing=vs).fit(data[0].copy(), data[2].copy())
    check_against(model, expected, data[1], f"{name}, var_smoothing={vs:g}")


M_CASES = [("counts 200 x 40", 1.0), ("counts 200 x 40", 0.5), ("counts 200 x 40", 2.0), ("10 000 features", 1.0)]


@pytest.mark.parametrize("name, alpha", M_CASES, ids=[f"{n}, alpha={a:g}" for n, a in M_CASES])
def test_multinomial_matches_sklearn(user, ref_cache, name, alpha):
    """MultinomialNB's log-probabilities, probabilities and predictions equal sklearn's"""
    data = multinomial_case(name)
    expected = ref_cache.get(f"multinomial {name} {alpha}", lambda: sklearn_nb("multinomial", data, alpha=alpha))
    model = user.MultinomialNB(alpha=alpha).fit(data[0].copy(), data[2].copy())
    check_against(model, expected, data[1], f"{name}, alpha={alpha:g}")


def test_defaults_and_lists(user, ref_cache):
    """the defaults are var_smoothing=1e-9 and alpha=1.0; plain lists are accepted"""
    data = GAUSS["iris with a class-constant feature"]()
    expected = ref_cache.get("gaussian iris with a class-constant feature 1e-09",
                             lambda: sklearn_nb("gaussian", data, var_smoothing=1e-9))
    check_against(user.GaussianNB().fit(data[0].tolist(), data[2].tolist()), expected, data[1],
                  "GaussianNB() fitted on lists")
    data = multinomial_case("counts 200 x 40")
    expected = ref_cache.get("multinomial counts 200 x 40 1.0", lambda: sklearn_nb("multinomial", data, alpha=1.0))
    model = user.MultinomialNB().fit(data[0].tolist(), data[2].tolist())
    check_against(model, expected, data[1], "MultinomialNB() fitted on lists")
    assert_close(to_numpy(model.predict_log_proba(data[1][:3].tolist()), np.float64), expected["log_proba"][:3], **TOL,
                 what="predict_log_proba of a list")


def test_zero_var_smoothing_is_allowed(user, ref_cache):
    """var_smoothing=0 is allowed (no epsilon added)"""
    data = GAUSS["wine"]()
    expected = ref_cache.get("gaussian wine 0", lambda: sklearn_nb("gaussian", data, var_smoothing=0.0))
    check_against(user.GaussianNB(var_smoothing=0.0).fit(data[0], data[2]), expected, data[1], "var_smoothing=0")


def test_multinomial_small_exact(user):
    """MultinomialNB on two tiny classes: P(w|c) = (N_cw + alpha) / (N_c + alpha * d), priors from class counts"""
    X = np.array([[2.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 3.0, 1.0]])
    y = np.array([0, 0, 1])
    # class 0: counts (3, 0, 1), N = 4 -> (4, 1, 2) / 7 with alpha = 1; class 1: (0, 3, 1) -> (1, 4, 2) / 7
    x = np.array([[1.0, 1.0, 0.0]])
    jll = np.array([np.log(2 / 3) + np.log(4 / 7) + np.log(1 / 7), np.log(1 / 3) + np.log(1 / 7) + np.log(4 / 7)])
    expected = jll - np.logaddexp(*jll)
    got = to_numpy(user.MultinomialNB(alpha=1.0).fit(X, y).predict_log_proba(x), np.float64)
    assert_close(got, [expected], atol=1e-12, what="predict_log_proba of (1, 1, 0)")


def test_gaussian_small_exact(user):
    """GaussianNB on one feature: class means, ddof-0 variances plus var_smoothing * max variance"""
    X = np.array([[0.0], [2.0], [10.0], [14.0], [12.0]])
    y = np.array(["a", "a", "b", "b", "b"])
    vs = 0.01
    eps = vs * X.var()
    mu, var, prior = np.array([1.0, 12.0]), np.array([1.0, 8.0 / 3.0]) + eps, np.array([0.4, 0.6])
    x = np.array([[4.0], [7.0]])
    jll = np.log(prior) - 0.5 * np.log(2 * np.pi * var) - 0.5 * (x - mu) ** 2 / var
    expected = jll - np.logaddexp(jll[:, :1], jll[:, 1:])
    got = to_numpy(user.GaussianNB(var_smoothing=vs).fit(X, y).predict_log_proba(x), np.float64)
    assert_close(got, expected, atol=1e-12, what="predict_log_proba of 4 and 7")


@pytest.mark.parametrize("kind", ["GaussianNB", "MultinomialNB"])
def test_extreme_inputs_stay_finite(user, kind):
    """far-away points (joint log-likelihoods near -1e10) give finite log-probabilities and probabilities"""
    if kind == "GaussianNB":
        X_train, _, y_train, _ = dataset_split("iris")
        far = np.array([[1e4, -1e4, 1e4, 0.0], [30.0, 30.0, 30.0, 30.0]])
        model = user.GaussianNB().fit(X_train, y_train)
    else:
        X_train, _, y_train, _ = multinomial_case("counts 200 x 40")
        far = np.zeros((2, 40))
        far[0, :5] = 1e6
        far[1, -3:] = 2e5
        model = user.MultinomialNB().fit(X_train, y_train)
    log_proba = to_numpy(model.predict_log_proba(far), np.float64)
    proba = to_numpy(model.predict_proba(far), np.float64)
    assert np.isfinite(log_proba).all(), f"log-probabilities must be finite, got {log_proba.tolist()}"
    assert (log_proba <= 1e-12).all(), f"log-probabilities must be <= 0, got {log_proba.tolist()}"
    assert_close(log_proba.max(axis=1), np.zeros(2), atol=1e-12, what="largest log-probability per row")
    assert_close(proba.sum(axis=1), np.ones(2), atol=1e-12, what="probability row sums")


def test_string_labels_and_classes(user):
    """string labels work: classes_ sorted, predictions are the strings, probability columns in classes_ order"""
    X_train, X_test, y_train, _ = dataset_split("wine")
    names = np.array(["zeta", "alpha", "mid"])  # sorted order: alpha, mid, zeta
    model = user.GaussianNB().fit(X_train, names[y_train])
    assert_equal(to_numpy(model.classes_), np.array(["alpha", "mid", "zeta"]), what="classes_")
    from sklearn.naive_bayes import GaussianNB

    ref = GaussianNB().fit(X_train, names[y_train])
    got = to_numpy(model.predict(X_test))
    assert got.dtype.kind == "U", f"expected string predictions, got dtype {got.dtype}"
    assert_equal(got, ref.predict(X_test), what="predictions with string labels")
    assert_close(to_numpy(model.predict_proba(X_test), np.float64), ref.predict_proba(X_test), **TOL,
                 what="predict_proba columns in classes_ order")
    counts, y = word_counts(2, 60, 12, 20)
    m = user.MultinomialNB().fit(counts, np.array(["spam", "ham", "eggs"])[y])
    assert_equal(to_numpy(m.classes_), np.array(["eggs", "ham", "spam"]), what="MultinomialNB classes_")


def test_fit_returns_self_and_inputs_untouched(user):
    """fit returns self and neither fit nor predict modifies its inputs"""
    X_train, X_test, y_train, _ = dataset_split("iris")
    C, y = word_counts(3, 50, 10, 15)
    for model, Xa, ya, Xb in ((user.GaussianNB(), X_train, y_train, X_test), (user.MultinomialNB(), C, y, C[:7])):
        copies = [a.copy() for a in (Xa, ya, Xb)]
        assert model.fit(Xa, ya) is model, f"{type(model).__name__}.fit must return self"
        model.predict(Xb)
        model.predict_proba(Xb)
        model.predict_log_proba(Xb)
        for arr, orig, what in zip((Xa, ya, Xb), copies, ("X", "y", "X at predict")):
            assert_equal(arr, orig, what=f"{what} after {type(model).__name__}")


BAD = {
    "negative var_smoothing": lambda m: m.GaussianNB(var_smoothing=-1.0).fit(np.eye(3), [0, 1, 1]),
    "alpha = 0": lambda m: m.MultinomialNB(alpha=0.0).fit(np.eye(3), [0, 1, 1]),
    "negative counts at fit": lambda m: m.MultinomialNB().fit(np.array([[1.0, -1.0], [2.0, 0.0]]), [0, 1]),
    "negative counts at predict": lambda m: m.MultinomialNB().fit(np.eye(2), [0, 1]).predict(np.array([[-1.0, 2.0]])),
    "Gaussian rows differ": lambda m: m.GaussianNB().fit(np.eye(3), [0, 1]),
    "no rows": lambda m: m.GaussianNB().fit(np.zeros((0, 3)), np.zeros(0)),
    "Multinomial no rows": lambda m: m.MultinomialNB().fit(np.zeros((0, 3)), np.zeros(0)),
    "y is 2-D": lambda m: m.GaussianNB().fit(np.eye(3), np.zeros((3, 1))),
    "X is 1-D at predict": lambda m: m.GaussianNB().fit(np.eye(3), [0, 1, 1]).predict(np.ones(3)),
    "X is 1-D at fit": lambda m: m.MultinomialNB().fit(np.ones(3), [0, 1, 1]),
    "Multinomial rows differ": lambda m: m.MultinomialNB().fit(np.eye(3), [0, 1, 1, 0]),
    "Gaussian features differ at predict": lambda m: m.GaussianNB().fit(np.eye(3), [0, 1, 1]).predict(np.eye(2)),
    "Multinomial features differ at predict": lambda m: m.MultinomialNB().fit(np.eye(3), [0, 1, 1])
    .predict_proba(np.ones((1, 4))),
    "Gaussian features differ at predict_log_proba": lambda m: m.GaussianNB().fit(np.eye(3), [0, 1, 1])
    .predict_log_proba(np.ones((2, 4))),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_raises_value_error(user, case):
    """bad input raises ValueError with a message (at construction or at fit)"""
    assert_raises_value_error(BAD[case], user, what=case)
