"""Hidden suite for the svm kata."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.svm import SVC, LinearSVC

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_at_most,
    assert_close,
    assert_equal,
    assert_raises_value_error,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.data import class_names, dataset_split, standardise


def blobs(seed=0):
    """Two separable Gaussian blobs away from the origin (a line through 0 cannot split them).

    The classes_[1] blob comes first, so "the first label seen is +1" is caught.
    """
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([5.0, 6.0], 0.5, (50, 2)), rng.normal([2.0, 3.0], 0.5, (50, 2))])
    y = np.repeat([7, 3], 50)
    return X, y


@pytest.fixture(scope="session")
def cancer():
    X_train, X_test, y_train, y_test = dataset_split("breast_cancer")
    X_train, X_test = standardise(X_train, X_test)
    return X_train, X_test, y_train, y_test


def primal_objective(w, b, X, t, C):
    """0.5 * ||w||^2 + C * sum_i max(0, 1 - t_i (w.x_i + b))"""
    return float(0.5 * w @ w + C * np.maximum(0.0, 1.0 - t * (X @ w + b)).sum())


def fitted_params(model, d):
    w = to_numpy(model.coef_, np.float64, what="coef_")
    require(w.shape == (d,), f"coef_: expected shape ({d},), got {w.shape}")
    b = to_numpy(model.intercept_, np.float64, what="intercept_")
    require(b.size == 1, f"intercept_: expected a single number, got shape {b.shape}")
    return w, float(b.reshape(()))


def test_fit_returns_self_and_sets_attributes(user):
    """fit returns self and sets coef_ (d,), intercept_ (a number) and classes_ (sorted)"""
    X, y = blobs()
    model = user.LinearSVM()
    require(model.fit(X, y) is model, "fit must return self")
    fitted_params(model, 2)
    assert_equal(to_numpy(model.classes_), np.array([3, 7]), what="classes_ (sorted labels)")


def test_separable_blobs_are_fit_perfectly(user):
    """separable blobs: 100% training accuracy and t_i * f(x_i) > 0 for every point"""
    X, y = blobs()
    model = user.LinearSVM().fit(X, y)
    assert_equal(to_numpy(model.predict(X)), y, what="training predictions")
    t = np.where(y == 7, 1.0, -1.0)  # +1 for classes_[1] = 7
    f = to_numpy(model.decision_function(X), np.float64, what="decision_function")
    require(f.shape == (len(X),), f"decision_function: expected shape ({len(X)},), got {f.shape}")
    worst = int(np.argmin(t * f))
    require(t[worst] * f[worst] > 0,
            f"t_i * f(x_i) must be > 0 for every training point (t = +1 for classes_[1] = 7); "
            f"point {worst} (label {y[worst]}) has f = {f[worst]:.4f}")


def test_sign_convention(user):
    """f(x) > 0 means classes_[1]; decision_function equals X @ coef_ + intercept_"""
    X = np.array([[0.0], [1.0], [2.0], [5.0], [6.0], [7.0]])
    y = np.array(["right", "right", "right", "left", "left", "left"])  # seen first: "right"
    model = user.LinearSVM(C=10.0).fit(X, y)
    assert_equal(to_numpy(model.classes_), np.array(["left", "right"]), what="classes_")
    w, b = fitted_params(model, 1)
    # "right" = classes_[1] lies at small x here, so t = +1 there and w must be negative
    require(w[0] < 0, f"coef_ must point towards classes_[1] ('right', at small x): expected < 0, got {w[0]:.4f}")
    probe = np.array([[-1.0], [0.5], [6.5], [8.0]])
    f = to_numpy(model.decision_function(probe), np.float64, what="decision_function")
    assert_close(f, probe @ w + b, atol=1e-9, what="decision_function vs X @ coef_ + intercept_")
    assert_equal(to_numpy(model.predict(probe)), np.where(f > 0, "right", "left"),
                 what="predict vs the sign of decision_function (> 0 is classes_[1])")
    assert_equal(to_numpy(model.predict(probe)), np.array(["right", "right", "left", "left"]),
                 what="predictions")


def test_symmetric_data_reach_the_hard_margin_solution(user):
    """symmetric 1-D data x = -2, -1 | 1, 2 reach the hard-margin solution w = 1, b = 0 (J = 0.5)"""
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    t = np.where(y == 1, 1.0, -1.0)
    w, b = fitted_params(user.LinearSVM().fit(X, y), 1)
    require(w[0] > 0, f"coef_ must point towards classes_[1] (at large x): expected > 0, got {w[0]:.4f}")
    assert_at_most(primal_objective(w, b, X, t, 1.0) / 0.5, 1.1,
                   what="J(coef_, intercept_) / 0.5 (the optimum, at w = 1, b = 0; t = +1 for label 1)")
    assert_close(-b / w[0], 0.0, atol=0.1, what="decision boundary -intercept_ / coef_ (the midpoint 0)")


def test_defaults_are_the_stated_ones(user):
    """LinearSVM() fits the same model as LinearSVM(C=1.0, lr=0.01, epochs=200, seed=0)"""
    X, y = blobs()
    w1, b1 = fitted_params(user.LinearSVM(C=1.0, lr=0.01, epochs=200, seed=0).fit(X, y), 2)
    w2, b2 = fitted_params(user.LinearSVM().fit(X, y), 2)
    assert_close(w2, w1, atol=0.0, what="coef_ of LinearSVM() vs LinearSVM(C=1.0, lr=0.01, epochs=200, seed=0)")
    assert_close(b2, b1, atol=0.0, what="intercept_ of LinearSVM() vs LinearSVM(C=1.0, lr=0.01, epochs=200, seed=0)")


@pytest.fixture(scope="session")
def linear_svc_accuracy(cancer, ref_cache):
    X_train, X_test, y_train, y_test = cancer
    return ref_cache.get("linearsvc-accuracy", lambda: float(
        (LinearSVC(C=1.0, random_state=0).fit(X_train, y_train).predict(X_test) == y_test).mean()))


def test_breast_cancer_accuracy(user, cancer, linear_svc_accuracy):
    """breast_cancer (standardised): test accuracy >= 0.93 and >= LinearSVC's - 0.03"""
    X_train, X_test, y_train, y_test = cancer
    model = user.LinearSVM().fit(X_train, y_train)
    acc = float((to_numpy(model.predict(X_test)) == y_test).mean())
    assert_at_least(acc, 0.93, what="test accuracy (floor)")
    assert_at_least(acc, linear_svc_accuracy - 0.03,
                    what=f"test accuracy (LinearSVC(C=1.0) reaches {linear_svc_accuracy:.4f}, minus 0.03)")


@pytest.fixture(scope="session")
def svc_objective(cancer, ref_cache):
    X_train, _, y_train, _ = cancer
    t = np.where(y_train == 1, 1.0, -1.0)

    def compute():
        svc = SVC(kernel="linear", C=0.1).fit(X_train, y_train)
        return primal_objective(svc.coef_[0], svc.intercept_[0], X_train, t, 0.1)

    return ref_cache.get("svc-objective-C0.1", compute)


def test_primal_objective_close_to_svc(user, cancer, svc_objective):
    """at C=0.1 the primal objective is <= 1.15 x that of SVC(kernel='linear', C=0.1)"""
    X_train, _, y_train, _ = cancer
    model = user.LinearSVM(C=0.1).fit(X_train, y_train)
    w, b = fitted_params(model, X_train.shape[1])
    t = np.where(y_train == 1, 1.0, -1.0)  # classes_ = [0, 1]: +1 for label 1
    ratio = primal_objective(w, b, X_train, t, 0.1) / svc_objective
    assert_at_most(ratio, 1.15, what=f"objective / SVC's objective ({svc_objective:.4f})")


def test_string_labels(user, cancer):
    """string labels: classes_ sorted, predictions are those strings, accuracy >= 0.93"""
    X_train, X_test, y_train, y_test = cancer
    names = np.array(class_names("breast_cancer"))  # ['malignant', 'benign']: sorted order differs
    model = user.LinearSVM().fit(X_train, names[y_train])
    assert_equal(to_numpy(model.classes_), np.array(["benign", "malignant"]), what="classes_")
    pred = to_numpy(model.predict(X_test), what="predictions")
    require(pred.dtype.kind == "U", f"expected string predictions (dtype kind 'U'), got dtype {pred.dtype}")
    assert_at_least(float((pred == names[y_test]).mean()), 0.93, what="test accuracy with string labels")
    f = to_numpy(model.decision_function(X_test), np.float64, what="decision_function")
    assert_equal(pred, np.where(f > 0, "malignant", "benign"),
                 what="predictions vs the sign of decision_function (> 0 is classes_[1] = 'malignant')")


def test_same_seed_same_model(user, cancer):
    """the same seed gives the same coef_ and intercept_"""
    X_train, _, y_train, _ = cancer
    d = X_train.shape[1]
    w1, b1 = fitted_params(user.LinearSVM(epochs=50, seed=0).fit(X_train, y_train), d)
    w2, b2 = fitted_params(user.LinearSVM(epochs=50, seed=0).fit(X_train, y_train), d)
    assert_close(w2, w1, atol=0.0, what="coef_ of a second fit with seed=0")
    assert_close(b2, b1, atol=0.0, what="intercept_ of a second fit with seed=0")


@pytest.mark.parametrize("case", ["one class", "three classes", "feature mismatch at predict"])
def test_bad_input_raises_value_error(user, case):
    """bad input raises ValueError with a message"""
    X, y = blobs()
    if case == "one class":
        assert_raises_value_error(user.LinearSVM().fit, X, np.zeros(len(X), dtype=int), what=case)
    elif case == "three classes":
        assert_raises_value_error(user.LinearSVM().fit, X, np.arange(len(X)) % 3, what=case)
    else:
        model = user.LinearSVM(epochs=5).fit(X, y)
        assert_raises_value_error(model.predict, np.zeros((3, 3)), what=case)
