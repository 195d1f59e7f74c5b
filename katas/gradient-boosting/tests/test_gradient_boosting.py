"""Hidden suite for the gradient-boosting kata: exact trees against scikit-learn, Newton leaves."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.model_selection import train_test_split

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_at_least,
    assert_at_most,
    assert_close,
    assert_equal,
    assert_raises_value_error,
    to_numpy,
)
from nnquiz.grading.katalib.data import dataset_split

# ---------------------------------------------------------------- data

# Crafted data: every feature is a permutation of 0, 1/8, 2/8, ... (distinct values, exact in
# float32 as scikit-learn's trees use), and test rows sit at (k + 1/4)/8, never on a threshold.
# The seeds were chosen so that, in every tree of the configurations below, no two different
# ways of splitting a node reach the same score: any correct exact greedy search builds the
# same trees as scikit-learn.


def crafted(seed, n, kind):
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.permutation(n) / 8 for _ in range(3)])
    y = np.sin(X[:, 0]) + 0.3 * X[:, 1] - 0.05 * X[:, 2] ** 2 + rng.normal(scale=0.2, size=n)
    if kind == "log_loss":
        y = np.where(y + rng.normal(scale=0.5, size=n) > np.median(y), "yes", "no")
    X_new = np.column_stack([(rng.integers(-2, n + 2, 40) + 0.25) / 8 for _ in range(3)])
    return X, y, X_new


REG = crafted(1, 80, "squared_error")
CLF = crafted(2, 60, "log_loss")
REG_CONFIGS = [(20, 0.1, 3), (10, 0.5, 2), (5, 1.0, 1)]
CLF_CONFIGS = [(15, 0.2, 2), (10, 0.5, 2), (5, 1.0, 1)]


def diabetes_split():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=0)


def model(user, loss, n_estimators=100, learning_rate=0.1, max_depth=3, seed=0):
    return user.GradientBoosting(loss=loss, n_estimators=n_estimators, learning_rate=learning_rate,
                                 max_depth=max_depth, seed=seed)


def stages(generator, n, what):
    """The list of arrays a staged_* method yields; exactly n of them."""
    out = [to_numpy(s, None, f"{what}, stage {i + 1}") for i, s in enumerate(generator)]
    if len(out) != n:
        raise CheckFailure(f"{what}: expected {n} stages (one per tree), got {len(out)}")
    return out


def log_loss(t, p1):
    p1 = np.clip(p1, 1e-300, 1 - 1e-16)
    return float(-np.mean(t * np.log(p1) + (1 - t) * np.log1p(-p1)))


def sklearn_fit(cls, X, y, X_new, n_estimators, learning_rate, max_depth):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = cls(n_estimators=n_estimators, learning_rate=learning_rate, max_depth=max_depth,
                  random_state=0).fit(X, y)
    rows = np.vstack([X, X_new])
    if cls is GradientBoostingRegressor:
        return [s.tolist() for s in est.staged_predict(rows)]
    return [s[:, 1].tolist() for s in est.staged_predict_proba(rows)]


# ---------------------------------------------------------------- exact trees


@pytest.mark.parametrize("cfg", REG_CONFIGS, ids=[f"{n} trees, lr {lr}, depth {d}" for n, lr, d in REG_CONFIGS])
def test_squared_error_stages_equal_sklearn(user, ref_cache, cfg):
    """squared error: every stage's predictions equal GradientBoostingRegressor's (atol 1e-9)"""
    X, y, X_new = REG
    n_estimators, lr, depth = cfg
    ref = ref_cache.get(f"gbr-{cfg}", lambda: sklearn_fit(GradientBoostingRegressor, X, y, X_new, *cfg))
    est = model(user, "squared_error", n_estimators, lr, depth).fit(X.copy(), y.copy())
    got = stages(est.staged_predict(np.vstack([X, X_new])), n_estimators, "staged_predict")
    for i in (0, 1, n_estimators - 1):
        assert_close(got[i], ref[i], atol=1e-9, what=f"predictions after {i + 1} trees (training rows, then new rows)")
    assert_close(est.predict(X_new), ref[-1][len(X):], atol=1e-9, what="predict on new rows")


@pytest.mark.parametrize("cfg", CLF_CONFIGS, ids=[f"{n} trees, lr {lr}, depth {d}" for n, lr, d in CLF_CONFIGS])
def test_log_loss_stages_equal_sklearn(user, ref_cache, cfg):
    """log-loss: every stage's probabilities equal GradientBoostingClassifier's (atol 1e-9)"""
    X, y, X_new = CLF
    n_estimators, lr, depth = cfg
    ref = ref_cache.get(f"gbc-{cfg}", lambda: sklearn_fit(GradientBoostingClassifier, X, y, X_new, *cfg))
    est = model(user, "log_loss", n_estimators, lr, depth).fit(X.copy(), y.copy())
    got = stages(est.staged_predict_proba(np.vstack([X, X_new])), n_estimators, "staged_predict_proba")
    for i in (0, 1, n_estimators - 1):
        if got[i].shape != (len(X) + len(X_new), 2):
            raise CheckFailure(f"staged_predict_proba: expected shape {(len(X) + len(X_new), 2)}, got {got[i].shape}")
        assert_close(got[i][:, 1], ref[i], atol=1e-9, what=f"P('yes') after {i + 1} trees")
        assert_close(got[i].sum(1), np.ones(len(got[i])), atol=1e-12, what="probability rows sum to 1")
    p1 = np.array(ref[-1][len(X):])
    labels = to_numpy(est.predict(X_new), None, "predict")
    assert_equal(labels, np.where(p1 > 0.5, "yes", "no"), what="predicted labels on new rows")
    assert_equal(to_numpy(est.classes_, None, "classes_"), np.array(["no", "yes"]), what="classes_")


def test_staged_predict_labels_and_last_stage(user):
    """staged_predict yields predict's output after each tree (labels for log-loss) and ends at predict"""
    X, y, X_new = CLF
    est = model(user, "log_loss", 5, 1.0, 1).fit(X, y)
    labels = stages(est.staged_predict(X_new), 5, "staged_predict")
    proba = stages(est.staged_predict_proba(X_new), 5, "staged_predict_proba")
    for i in range(5):
        assert_equal(labels[i], np.where(proba[i][:, 1] > 0.5, "yes", "no"), what=f"labels after {i + 1} trees")
    assert_equal(labels[-1], to_numpy(est.predict(X_new), None, "predict"), what="last stage vs predict")
    assert_close(proba[-1], est.predict_proba(X_new), atol=0, what="last stage vs predict_proba")


# ---------------------------------------------------------------- crafted stumps


def test_squared_error_stump(user):
    """one stump on y = 1, 2, 10, 12: starts from the mean 6.25, fits residuals, cuts at 2.5 (x <= 2.5 left)"""
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    y = np.array([1.0, 2.0, 10.0, 12.0])
    est = model(user, "squared_error", 1, 0.1, 1).fit(X, y)
    got = est.predict(np.array([[0.0], [2.4], [2.5], [2.6], [100.0]]))
    # residuals -5.25, -4.25, 3.75, 5.75; leaf means -4.75 and 4.75; 6.25 -+ 0.1 * 4.75
    assert_close(got, [5.775, 5.775, 5.775, 6.725, 6.725], atol=1e-12, what="stump predictions")


def test_two_rows_still_split(user):
    """a node with two rows of different x and y splits: 0.5 -+ learning_rate * 0.5"""
    est = model(user, "squared_error", 1, 0.4, 1).fit(np.array([[0.0], [1.0]]), np.array([0.0, 1.0]))
    assert_close(est.predict(np.array([[0.2], [0.8]])), [0.3, 0.7], atol=1e-12, what="predictions after one stump")


def test_defaults_and_list_inputs(user):
    """the defaults are squared_error, 100 trees, learning_rate 0.1, max_depth 3; lists work as X"""
    X, y, X_new = REG
    explicit = model(user, "squared_error", 100, 0.1, 3).fit(X, y).predict(X_new)
    default = user.GradientBoosting().fit(X.tolist(), y.tolist()).predict(X_new.tolist())
    assert_close(default, explicit, atol=1e-12, what="GradientBoosting() vs the explicit defaults")


def test_midpoint_rounding_onto_the_upper_value(user):
    """when the midpoint of two neighbouring floats rounds onto the upper one, the lower one is the threshold"""
    lo, hi = 1.0 + 2.0**-52, 1.0 + 2.0**-51  # (lo + hi) / 2 rounds (to even) onto hi
    est = model(user, "squared_error", 1, 1.0, 1).fit(np.array([[lo], [hi]]), np.array([0.0, 1.0]))
    assert_close(est.predict(np.array([[lo], [hi]])), [0.0, 1.0], atol=1e-12, what="predictions at the two values")


def test_cuts_only_between_distinct_values(user):
    """a cut inside a run of equal values is not allowed: x = 0, 1, 1, 1, 2 is cut at 0.5"""
    X = np.array([[0.0], [1.0], [1.0], [1.0], [2.0]])
    y = np.array([0.0, 0.0, 10.0, 10.0, 10.0])
    est = model(user, "squared_error", 1, 1.0, 1).fit(X, y)
    # residuals -6, -6, 4, 4, 4: splitting the 1s (score 72 + 48) is impossible with a threshold;
    # the real cuts score 36 + 9 (at 0.5) and 4 + 16 (at 1.5)
    got = est.predict(np.array([[0.0], [0.9], [1.0], [1.2], [2.0]]))
    assert_close(got, [0.0, 7.5, 7.5, 7.5, 7.5], atol=1e-12, what="predictions of the stump")


def test_log_loss_stump_newton_leaves(user):
    """one log-loss stump on y = 0, 0, 1, 1, 1: log-odds start, leaves sum(r) / sum(p(1-p)) = -2.5 and 5/3"""
    X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    y = np.array([0, 0, 1, 1, 1])
    est = model(user, "log_loss", 1, 0.1, 1).fit(X, y)
    f0 = np.log(0.6 / 0.4)
    # p = 0.6 everywhere: r = -0.6, -0.6, 0.4, 0.4, 0.4; p(1 - p) = 0.24
    # left leaf -1.2 / 0.48 = -2.5, right leaf 1.2 / 0.72 = 5/3
    raw = np.array([f0 - 0.25, f0 + 0.1 * 5 / 3])
    expected = 1 / (1 + np.exp(-raw))
    proba = to_numpy(est.predict_proba(np.array([[2.0], [4.0]])), np.float64, "predict_proba")
    assert_close(proba, np.column_stack([1 - expected, expected]), atol=1e-12, what="stump probabilities")
    assert_equal(to_numpy(est.predict(np.array([[2.0], [4.0]])), np.int64), [1, 1], what="stump labels")


def test_no_split_keeps_the_starting_value(user):
    """with no possible split predictions stay at the mean or the base rate (p = 0.5 predicts classes_[0])"""
    rng = np.random.default_rng(4)
    X = np.ones((30, 1))
    y = rng.normal(3.0, 2.0, 30)
    est = model(user, "squared_error", 5, 0.1, 3).fit(X, y)
    assert_close(est.predict(X[:3]), np.full(3, y.mean()), atol=1e-12, what="squared error with no split")
    labels = np.array([0] * 21 + [1] * 9)
    est = model(user, "log_loss", 5, 0.1, 3).fit(X, labels)
    assert_close(to_numpy(est.predict_proba(X[:2]), np.float64, "predict_proba"), [[0.7, 0.3]] * 2,
                 atol=1e-12, what="log-loss with no split (base rate 0.3)")
    est = model(user, "log_loss", 2, 0.1, 3).fit(X[:10], np.array(["b", "a"] * 5))
    assert_equal(to_numpy(est.predict(X[:1]), None), np.array(["a"]),
                 what="label at p = 0.5 exactly (classes_[1] only when p > 0.5)")
    est = model(user, "squared_error", 3, 0.1, 3).fit(np.array([[2.0, 3.0]]), np.array([4.5]))
    assert_close(est.predict(np.array([[0.0, 0.0]])), [4.5], atol=1e-12, what="a single training row")


def test_log_loss_with_string_labels_and_ties_in_features(user):
    """labels may be any two sortable values; predict returns them"""
    X = np.array([[0.0], [0.0], [1.0], [1.0], [2.0], [2.0]])
    y = np.array(["cat", "cat", "dog", "cat", "dog", "dog"])
    est = model(user, "log_loss", 3, 0.5, 2).fit(X, y)
    assert_equal(to_numpy(est.predict(np.array([[-1.0], [3.0]])), None), np.array(["cat", "dog"]),
                 what="labels at both ends")


# ---------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def figures(user, user_cache):
    """The user's models (default settings) on diabetes and breast_cancer, fitted once."""

    def compute():
        X_tr, X_te, y_tr, y_te = diabetes_split()
        reg = model(user, "squared_error").fit(X_tr.copy(), y_tr.copy())
        pred = to_numpy(reg.predict(X_te), np.float64, "diabetes predictions")
        r2 = 1 - ((y_te - pred) ** 2).sum() / ((y_te - y_te.mean()) ** 2).sum()
        reg_loss = [float(np.mean((y_tr - to_numpy(s, np.float64, "stage")) ** 2))
                    for s in stages(reg.staged_predict(X_tr), 100, "staged_predict")]
        Xc_tr, Xc_te, yc_tr, yc_te = dataset_split("breast_cancer")
        clf = model(user, "log_loss").fit(Xc_tr.copy(), yc_tr.copy())
        acc = float((to_numpy(clf.predict(Xc_te), np.int64, "labels") == yc_te).mean())
        clf_loss = [log_loss(yc_tr, to_numpy(s, np.float64, "stage")[:, 1])
                    for s in stages(clf.staged_predict_proba(Xc_tr), 100, "staged_predict_proba")]
        return {"r2": float(r2), "reg_loss": reg_loss, "acc": acc, "clf_loss": clf_loss}

    return user_cache.get("figures", compute)


def test_diabetes_r2_close_to_sklearn(figures, ref_cache):
    """test R^2 on diabetes is at least GradientBoostingRegressor's (same settings) - 0.02"""

    def ref():
        X_tr, X_te, y_tr, y_te = diabetes_split()
        return float(GradientBoostingRegressor(random_state=0).fit(X_tr, y_tr).score(X_te, y_te))

    bar = ref_cache.get("sklearn-diabetes-r2", ref)
    assert_at_least(figures["r2"], bar - 0.02, what=f"test R^2 on diabetes (sklearn {bar:.4f})")


def test_breast_cancer_accuracy_close_to_sklearn(figures, ref_cache):
    """test accuracy on breast_cancer is at least GradientBoostingClassifier's (same settings) - 0.02"""

    def ref():
        X_tr, X_te, y_tr, y_te = dataset_split("breast_cancer")
        return float(GradientBoostingClassifier(random_state=0).fit(X_tr, y_tr).score(X_te, y_te))

    bar = ref_cache.get("sklearn-breast-cancer-accuracy", ref)
    assert_at_least(figures["acc"], bar - 0.02, what=f"test accuracy on breast_cancer (sklearn {bar:.4f})")


@pytest.mark.parametrize("key, what", [("reg_loss", "training MSE on diabetes"),
                                       ("clf_loss", "training log-loss on breast_cancer")],
                         ids=["squared error", "log-loss"])
def test_training_loss_never_increases(figures, key, what):
    """the training loss never increases from one stage to the next"""
    loss = np.array(figures[key])
    rise = np.diff(loss) - 1e-12 * np.abs(loss[:-1])
    if (rise > 0).any():
        i = int(np.argmax(rise))
        raise CheckFailure(f"{what} rose from {loss[i]:.10g} after {i + 1} trees to {loss[i + 1]:.10g}")
    assert_at_most(loss[-1], 0.5 * loss[0], what=f"{what} after 100 trees vs after 1")


# ---------------------------------------------------------------- contract details


def test_seed_changes_nothing_without_ties(user):
    """without ties between splits the seed changes nothing"""
    X, y, X_new = REG
    a = model(user, "squared_error", 10, 0.5, 2, seed=0).fit(X, y).predict(X_new)
    b = model(user, "squared_error", 10, 0.5, 2, seed=7).fit(X, y).predict(X_new)
    assert_close(b, a, atol=1e-12, what="predictions with seed 7 vs seed 0")


def test_inputs_unchanged(user):
    """fit and predict do not modify X or y"""
    X, y, X_new = CLF
    X0, y0, Xn0 = X.copy(), y.copy(), X_new.copy()
    est = model(user, "log_loss", 3, 0.5, 2).fit(X, y)
    est.predict_proba(X_new)
    est.predict(X_new)
    assert_equal(X, X0, what="X after fit")
    assert_equal(y, y0, what="y after fit")
    assert_equal(X_new, Xn0, what="X after predict")


BAD = {
    "unknown loss": ("huber", 10, 0.1, 3, "reg"),
    "three classes for log_loss": ("log_loss", 10, 0.1, 3, "three"),
    "one class for log_loss": ("log_loss", 10, 0.1, 3, "one"),
    "n_estimators = 0": ("squared_error", 0, 0.1, 3, "reg"),
    "learning_rate = 0": ("squared_error", 10, 0.0, 3, "reg"),
    "max_depth = 0": ("squared_error", 10, 0.1, 0, "reg"),
    "X and y of different lengths": ("squared_error", 10, 0.1, 3, "short"),
    "X is 1-D": ("squared_error", 10, 0.1, 3, "flat"),
    "y is 2-D": ("squared_error", 10, 0.1, 3, "column"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_rejects_bad_input(user, case):
    """bad settings or data raise ValueError (at construction or at fit)"""
    loss, n_estimators, lr, depth, data = BAD[case]
    X = np.arange(12.0).reshape(6, 2) if data != "flat" else np.arange(6.0)
    y = {"reg": np.arange(6.0), "three": np.array([0, 1, 2, 0, 1, 2]), "one": np.zeros(6),
         "short": np.arange(5.0), "flat": np.arange(6.0), "column": np.arange(6.0).reshape(6, 1)}[data]
    assert_raises_value_error(lambda: model(user, loss, n_estimators, lr, depth).fit(X, y), what=case)


def test_predict_proba_needs_log_loss(user):
    """predict_proba on a squared-error model raises ValueError"""
    est = model(user, "squared_error", 2, 0.1, 1).fit(np.arange(6.0).reshape(6, 1), np.arange(6.0))
    assert_raises_value_error(lambda: np.asarray(est.predict_proba(np.zeros((2, 1)))),
                              what="predict_proba with loss='squared_error'")
