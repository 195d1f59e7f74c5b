"""Hidden suite for the pca kata: subspace, variances and reconstructions vs scikit-learn's PCA."""

from __future__ import annotations

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import assert_close, assert_equal, assert_raises_value_error, to_numpy
from nnquiz.grading.katalib.data import dataset_split, standardise

TOL = {"atol": 1e-8, "rtol": 1e-10}


def data(name):
    """(X_train, X_test) for a named case."""
    if name == "wine standardised":
        X_train, X_test, _, _ = dataset_split("wine")
        return standardise(X_train, X_test)
    if name == "wide (6 x 9)":
        rng = np.random.default_rng(4)
        X = rng.normal(size=(9, 9)) * np.arange(1, 10)
        return X[:6], X[6:]
    X_train, X_test, _, _ = dataset_split(name)
    return X_train, X_test


def sklearn_pca(name, n_components, whiten=False):
    from sklearn.decomposition import PCA

    X_train, X_test = data(name)
    model = PCA(n_components=n_components, whiten=whiten, svd_solver="full").fit(X_train)
    Z_test = model.transform(X_test)
    return {
        "components": model.components_.tolist(),
        "variance": model.explained_variance_.tolist(),
        "ratio": model.explained_variance_ratio_.tolist(),
        "mean": model.mean_.tolist(),
        "Z_train": model.transform(X_train).tolist(),
        "Z_test": Z_test.tolist(),
        "back": model.inverse_transform(Z_test).tolist(),
    }


CASES = [("iris", 2), ("iris", 4), ("wine", 5), ("wine standardised", 3), ("digits", 10), ("wide (6 x 9)", 5)]


@pytest.fixture(scope="module", params=CASES, ids=[f"{n}, n_components={k}" for n, k in CASES])
def fitted(request, user, ref_cache):
    name, k = request.param
    X_train, X_test = data(name)
    expected = ref_cache.get(f"pca {name} {k}", lambda: sklearn_pca(name, k))
    model = user.PCA(k).fit(X_train.copy())
    return model, expected, X_train, X_test, f"{name}, n_components={k}"


def test_components_match_sklearn(fitted):
    """components_ equal sklearn's PCA (signs by the largest-entry rule)"""
    model, expected, _, _, what = fitted
    assert_close(to_numpy(model.components_, np.float64, "components_"), expected["components"], **TOL,
                 what=f"components_ ({what})")


def test_variances_match_sklearn(fitted):
    """explained_variance_ (ddof 1) and explained_variance_ratio_ equal sklearn's"""
    model, expected, _, _, what = fitted
    assert_close(to_numpy(model.explained_variance_, np.float64), expected["variance"], **TOL,
                 what=f"explained_variance_ ({what})")
    assert_close(to_numpy(model.explained_variance_ratio_, np.float64), expected["ratio"], **TOL,
                 what=f"explained_variance_ratio_ ({what})")


def test_mean_and_projections_match_sklearn(fitted):
    """mean_, transform of training and new rows, and inverse_transform equal sklearn's"""
    model, expected, X_train, X_test, what = fitted
    assert_close(to_numpy(model.mean_, np.float64), expected["mean"], **TOL, what=f"mean_ ({what})")
    assert_close(to_numpy(model.transform(X_train.copy()), np.float64), expected["Z_train"], **TOL,
                 what=f"transform(X_train) ({what})")
    Z = to_numpy(model.transform(X_test.copy()), np.float64)
    assert_close(Z, expected["Z_test"], **TOL, what=f"transform(X_test) ({what})")
    assert_close(to_numpy(model.inverse_transform(Z), np.float64), expected["back"], **TOL,
                 what=f"inverse_transform(transform(X_test)) ({what})")


def test_sign_rule_on_every_component(user):
    """each component's largest-magnitude entry is positive"""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(40, 6)) @ rng.normal(size=(6, 6)) + 5.0
    for flip in (1.0, -1.0):  # mirrored data has the same components: the rule fixes their signs
        comps = to_numpy(user.PCA(6).fit(flip * X).components_, np.float64, "components_")
        biggest = comps[np.arange(6), np.abs(comps).argmax(axis=1)]
        assert (biggest > 0).all(), f"largest-magnitude entries {biggest.round(4).tolist()} must all be positive"


def test_mean_is_removed(user):
    """data far from the origin: the components are those of the centred data"""
    X = np.array([[100.0, 200.0], [102.0, 201.0], [104.0, 202.0], [106.0, 203.0]])
    model = user.PCA(1).fit(X)
    v = np.array([2.0, 1.0]) / np.sqrt(5.0)
    assert_close(to_numpy(model.components_, np.float64), [v], atol=1e-12, what="the one component")
    # projections of (0, 2, 4, 6) + (0, 1, 2, 3) minus their mean on (2, 1)/√5: multiples of √5
    assert_close(to_numpy(model.explained_variance_, np.float64), [25.0 / 3.0], atol=1e-12,
                 what="explained_variance_ (ddof 1)")
    assert_close(to_numpy(model.transform(X), np.float64), np.sqrt(5.0) * np.array([[-1.5], [-0.5], [0.5], [1.5]]),
                 atol=1e-12, what="transform(X)")


def test_ratio_uses_total_variance(user):
    """explained_variance_ratio_ divides by the total variance of all directions, not only the kept ones"""
    X_train, _ = data("wine standardised")
    ratio = to_numpy(user.PCA(2).fit(X_train).explained_variance_ratio_, np.float64)
    assert ratio.sum() < 0.7, f"2 of 13 standardised wine components explain about 0.55, got {ratio.sum():.4f}"


WHITEN = [("iris", 3), ("digits", 8)]


@pytest.mark.parametrize("name, k", WHITEN, ids=[f"{n}, n_components={k}" for n, k in WHITEN])
def test_whiten(user, ref_cache, name, k):
    """with whiten=True the training projections have unit variance (ddof 1) and match sklearn"""
    X_train, X_test = data(name)
    expected = ref_cache.get(f"pca whiten {name} {k}", lambda: sklearn_pca(name, k, whiten=True))
    model = user.PCA(k, whiten=True).fit(X_train)
    Z = to_numpy(model.transform(X_train), np.float64)
    assert_close(np.cov(Z, rowvar=False, ddof=1), np.eye(k), atol=1e-8, what="covariance of whitened projections")
    assert_close(Z, expected["Z_train"], **TOL, what="whitened transform(X_train)")
    Zt = to_numpy(model.transform(X_test), np.float64)
    assert_close(Zt, expected["Z_test"], **TOL, what="whitened transform(X_test)")
    assert_close(to_numpy(model.inverse_transform(Zt), np.float64), expected["back"], **TOL,
                 what="inverse_transform of whitened projections")


def test_full_rank_round_trip(user):
    """keeping every component, inverse_transform(transform(X)) gives X back (whitened or not)"""
    X_train, X_test = data("wine")
    for whiten in (False, True):
        model = user.PCA(13, whiten=whiten).fit(X_train)
        back = to_numpy(model.inverse_transform(model.transform(X_test)), np.float64)
        assert_close(back, X_test, atol=1e-8, rtol=1e-10, what=f"round trip (whiten={whiten})")


FRACTIONS = [("wine standardised", 0.5), ("wine standardised", 0.8), ("digits", 0.9), ("digits", 0.95),
             ("iris", 0.99)]


@pytest.mark.parametrize("name, fraction", FRACTIONS, ids=[f"{n}, {f}" for n, f in FRACTIONS])
def test_float_n_components(user, ref_cache, name, fraction):
    """a float n_components keeps the fewest components whose cumulative ratio exceeds it, as sklearn"""
    X_train, _ = data(name)
    expected = ref_cache.get(f"pca fraction {name} {fraction}", lambda: sklearn_pca(name, fraction))
    model = user.PCA(fraction).fit(X_train)
    comps = to_numpy(model.components_, np.float64, "components_")
    assert comps.shape[0] == len(expected["components"]), \
        f"n_components={fraction} on {name}: expected {len(expected['components'])} components, got {comps.shape[0]}"
    assert_close(comps, expected["components"], **TOL, what=f"components_ ({name}, {fraction})")
    assert_close(to_numpy(model.explained_variance_ratio_, np.float64), expected["ratio"], **TOL,
                 what=f"explained_variance_ratio_ ({name}, {fraction})")


def test_inputs_untouched_and_fit_returns_self(user):
    """fit returns self; fit, transform and inverse_transform leave their inputs unchanged"""
    X_train, X_test = data("iris")
    X0, T0 = X_train.copy(), X_test.copy()
    model = user.PCA(2, whiten=True)
    assert model.fit(X_train) is model, "fit must return self"
    Z = to_numpy(model.transform(X_test), np.float64)
    Z0 = Z.copy()
    model.inverse_transform(Z)
    assert_equal(X_train, X0, what="X after fit")
    assert_equal(X_test, T0, what="X after transform")
    assert_equal(Z, Z0, what="Z after inverse_transform")


def test_two_rows_are_enough(user):
    """two rows are enough to fit one component"""
    model = user.PCA(1).fit(np.array([[0.0, 0.0], [3.0, 4.0]]))
    assert_close(to_numpy(model.components_, np.float64), [[0.6, 0.8]], atol=1e-12, what="components_")
    assert_close(to_numpy(model.explained_variance_, np.float64), [12.5], atol=1e-12,
                 what="explained_variance_ (ddof 1)")


def test_lists_are_accepted(user):
    """plain lists work for fit, transform and inverse_transform"""
    X = [[1.0, 2.0, 3.0], [2.0, 2.0, 5.0], [4.0, 1.0, 1.0], [0.0, 3.0, 2.0]]
    a = user.PCA(2).fit(X)
    b = user.PCA(2).fit(np.array(X))
    assert_close(to_numpy(a.transform(X), np.float64), to_numpy(b.transform(np.array(X)), np.float64), atol=1e-12,
                 what="transform of a list")
    Z = [[1.0, 0.5], [0.0, -1.0]]
    assert_close(to_numpy(a.inverse_transform(Z), np.float64), to_numpy(b.inverse_transform(np.array(Z)), np.float64),
                 atol=1e-12, what="inverse_transform of a list")


def test_integer_input(user):
    """integer data is accepted and treated as floats"""
    X = np.array([[1, 2, 3], [2, 2, 5], [4, 1, 1], [0, 3, 2], [5, 5, 5]])
    a = user.PCA(2).fit(X)
    b = user.PCA(2).fit(X.astype(np.float64))
    assert_close(to_numpy(a.components_, np.float64), to_numpy(b.components_, np.float64), atol=1e-12,
                 what="components_ from integer data")
    assert_close(to_numpy(a.explained_variance_, np.float64), to_numpy(b.explained_variance_, np.float64),
                 atol=1e-12, what="explained_variance_ from integer data")


BAD_INIT = {
    "n_components=0": 0,
    "n_components above min(n, d)": 5,
    "n_components negative": -1,
    "fraction 1.0": 1.0,
    "fraction 0.0": 0.0,
    "fraction above 1": 1.5,
}


@pytest.mark.parametrize("case", list(BAD_INIT), ids=list(BAD_INIT))
def test_bad_n_components(user, case):
    """an impossible n_components raises ValueError at fit"""
    X = np.random.default_rng(0).normal(size=(10, 4))
    assert_raises_value_error(lambda: user.PCA(BAD_INIT[case]).fit(X), what=case)


def test_n_components_may_equal_min_n_d(user):
    """n_components = min(n, d) is allowed (here 3 rows, 5 columns)"""
    X = np.random.default_rng(1).normal(size=(3, 5))
    model = user.PCA(3).fit(X)
    assert to_numpy(model.components_, np.float64).shape == (3, 5), "components_ must have shape (3, 5)"


def test_bad_shapes_raise(user):
    """wrong widths at transform and inverse_transform, a 1-D X or one row at fit, raise ValueError"""
    X = np.random.default_rng(0).normal(size=(10, 4))
    model = user.PCA(2).fit(X)
    assert_raises_value_error(model.transform, np.zeros((3, 5)), what="transform with 5 features after fitting 4")
    assert_raises_value_error(model.transform, np.zeros((3, 1)), what="transform with 1 feature after fitting 4")
    assert_raises_value_error(model.transform, np.zeros(4), what="transform of a 1-D array")
    assert_raises_value_error(model.inverse_transform, np.zeros((3, 3)),
                              what="inverse_transform with 3 columns for 2 components")
    whitened = user.PCA(2, whiten=True).fit(X)
    assert_raises_value_error(whitened.inverse_transform, np.zeros((3, 1)),
                              what="inverse_transform (whiten=True) with 1 column for 2 components")
    assert_raises_value_error(lambda: user.PCA(1).fit(np.zeros(5)), what="fit on a 1-D X")
    assert_raises_value_error(lambda: user.PCA(1).fit(np.zeros((1, 3))), what="fit on a single row")
