"""Hidden suite for the random-forest kata."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_close,
    assert_equal,
    assert_scalar_close,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.data import dataset_split

SEEDS = (0, 1, 2)


def accuracy(model, X, y):
    return float((to_numpy(model.predict(X), what="predictions") == y).mean())


def proba(model, X, k, what="predict_proba"):
    p = to_numpy(model.predict_proba(X), np.float64, what=what)
    require(p.shape == (len(X), k), f"{what}: expected shape ({len(X)}, {k}), got {p.shape}")
    return p


@pytest.mark.parametrize(
    "labels, expected",
    [([0, 0, 1, 1], 0.5), ([3, 3, 3], 0.0), (["a", "b", "c"], 2 / 3), ([1, 1, 1, 2], 0.375),
     ([2, 0, 1, 0, 2, 0], 1 - (1 / 4 + 1 / 9 + 1 / 36))],
    ids=["two classes 50/50", "pure", "three strings", "3 to 1", "three classes 3/2/1"],
)
def test_gini_values(user, labels, expected):
    """gini(y) = 1 - sum_k p_k^2"""
    assert_scalar_close(user.gini(np.array(labels)), expected, atol=1e-12, what=f"gini({labels})")


# one feature decides: the best cut on feature 1 lies between 3 and 5 (midpoint 4.0);
# feature 0 is a decoy whose best cut misclassifies one point
X_CUT = np.array([[1.0, 1.0], [2.0, 2.0], [6.0, 3.0], [3.0, 5.0], [4.0, 6.0], [5.0, 8.0]])
Y_CUT = np.array(["no", "no", "no", "yes", "yes", "yes"])


@pytest.mark.parametrize(
    "x1, expected",
    [(4.0, "no"), (3.5, "no"), (3.9, "no"), (4.1, "yes"), (4.5, "yes"), (3.0, "no"), (5.0, "yes")],
    ids=["exactly on the midpoint 4.0 goes left", "3.5", "3.9", "4.1", "4.5", "training value 3",
         "training value 5"],
)
def test_depth_one_tree_splits_at_the_midpoint(user, x1, expected):
    """a depth-1 tree splits feature 1 at the midpoint 4.0, and x <= 4.0 goes left"""
    tree = user.DecisionTree(max_depth=1).fit(X_CUT, Y_CUT)
    got = to_numpy(tree.predict(np.array([[3.5, x1]])), what="prediction")
    assert_equal(got, np.array([expected]), what=f"prediction at feature 1 = {x1} (the split is x1 <= 4.0)")


def test_depth_one_tree_leaf_probabilities(user):
    """a depth-1 tree picks the lowest weighted Gini cut and its leaves hold class fractions"""
    # cut 5.5 gives weighted Gini 0.178, cut 3.5 gives 0.185: 5.5 must win
    X = np.arange(1.0, 10.0)[:, None]
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1, 1])
    tree = user.DecisionTree(max_depth=1).fit(X, y)
    probe = np.array([[0.0], [5.0], [5.5], [5.6], [6.0], [20.0]])
    expected = np.array([[0.8, 0.2]] * 3 + [[0.0, 1.0]] * 3)
    assert_close(proba(tree, probe, 2), expected, atol=1e-12,
                 what="predict_proba at x = 0, 5, 5.5, 5.6, 6, 20 (leaves x <= 5.5: 4/5 class 0; else all class 1)")


def xor():
    return np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1, 0])


FULL_FIT = ["breast_cancer", "wine", "xor"]


@pytest.mark.parametrize("name", FULL_FIT, ids=["breast_cancer", "wine", "xor (the first split gains nothing)"])
def test_full_tree_fits_training_data(user, name):
    """a full-depth tree classifies its training data perfectly, with one-hot probabilities"""
    X, y = xor() if name == "xor" else dataset_split(name)[0::2]
    tree = user.DecisionTree().fit(X, y)
    assert_equal(to_numpy(tree.predict(X)), y, what=f"{name} training predictions")
    k = len(np.unique(y))
    assert_close(proba(tree, X, k), np.eye(k)[np.searchsorted(np.unique(y), y)], atol=1e-12,
                 what=f"{name} training probabilities (one-hot, columns in classes_ order)")


def relabel(y):
    """wine labels as strings whose sorted order differs from their order of appearance"""
    return np.array(["zinfandel", "merlot", "chianti"])[y]


@pytest.mark.parametrize("kind", ["DecisionTree", "RandomForest"])
def test_probabilities_follow_classes_order(user, kind):
    """predict_proba rows sum to 1, columns follow classes_ (sorted), predict = classes_[argmax]"""
    X_train, X_test, y_train, _ = dataset_split("wine")
    y = relabel(y_train)
    model = user.DecisionTree(seed=0) if kind == "DecisionTree" else user.RandomForest(n_estimators=10, seed=0)
    model.fit(X_train, y)
    classes = np.array(["chianti", "merlot", "zinfandel"])
    assert_equal(to_numpy(model.classes_), classes, what="classes_ (sorted)")
    p = proba(model, X_test, 3)
    require(bool((p >= 0).all()), "predict_proba has negative entries")
    assert_close(p.sum(axis=1), np.ones(len(X_test)), atol=1e-9, what="row sums of predict_proba")
    assert_equal(to_numpy(model.predict(X_test)), classes[p.argmax(axis=1)], what="predict vs classes_[argmax proba]")
    p_train = proba(model, X_train, 3, what="predict_proba on the training set")
    on_true = p_train[np.arange(len(y)), np.searchsorted(classes, y)].mean()
    assert_at_least(on_true, 0.8, what="mean training probability in the column of the true class")


@pytest.fixture(scope="session")
def forest_scores(user, ref_cache):
    """Mean test accuracy over seeds 0-2 of the user's forest and sklearn's figure, per data set."""
    out = {}
    for name in ("breast_cancer", "wine"):
        X_train, X_test, y_train, y_test = dataset_split(name)
        mine = [accuracy(user.RandomForest(seed=s).fit(X_train, y_train), X_test, y_test) for s in SEEDS]
        ref = ref_cache.get(f"sklearn-rf-{name}", lambda: float(
            RandomForestClassifier(n_estimators=50, random_state=0).fit(X_train, y_train).score(X_test, y_test)))
        out[name] = (float(np.mean(mine)), ref)
    return out


@pytest.mark.parametrize("name", ["breast_cancer", "wine"])
def test_forest_accuracy_close_to_sklearn(user, forest_scores, name):
    """forest test accuracy (mean over seeds 0-2) >= sklearn's RandomForestClassifier - 0.03"""
    mine, ref = forest_scores[name]
    assert_at_least(mine, ref - 0.03, what=f"{name} test accuracy (sklearn reaches {ref:.4f}, minus 0.03)")


def test_forest_beats_a_single_tree(user, forest_scores):
    """on wine the forest beats one full tree by >= 0.03 (both averaged over seeds 0-2)"""
    X_train, X_test, y_train, y_test = dataset_split("wine")
    tree = np.mean([accuracy(user.DecisionTree(seed=s).fit(X_train, y_train), X_test, y_test) for s in SEEDS])
    forest = forest_scores["wine"][0]
    assert_at_least(forest - tree, 0.03, what=f"forest accuracy {forest:.4f} minus tree accuracy {tree:.4f}")


def test_bootstrap_changes_the_training_probabilities(user):
    """max_features=None: bootstrap=True gives fractional training probabilities, bootstrap=False one-hot"""
    X_train, _, y_train, _ = dataset_split("breast_cancer")
    p = proba(user.RandomForest(n_estimators=10, max_features=None, bootstrap=False, seed=0).fit(X_train, y_train),
              X_train, 2, what="training probabilities without bootstrap")
    assert_close(p, np.eye(2)[y_train], atol=1e-9,
                 what="training probabilities without bootstrap (every tree sees every row: one-hot)")
    p = proba(user.RandomForest(n_estimators=10, max_features=None, bootstrap=True, seed=0).fit(X_train, y_train),
              X_train, 2, what="training probabilities with bootstrap")
    fractional = int(((p > 1e-9) & (p < 1 - 1e-9)).any(axis=1).sum())
    require(fractional > 0, "with bootstrap=True every training row got one-hot probabilities: "
                            "each tree must be grown on n rows drawn with replacement")


def test_same_seed_same_model(user):
    """the same seed gives the same probabilities (tree with max_features=3, and forest)"""
    X_train, X_test, y_train, _ = dataset_split("wine")
    for make, what in ((lambda: user.DecisionTree(max_features=3, seed=1), "DecisionTree(max_features=3, seed=1)"),
                       (lambda: user.RandomForest(n_estimators=5, seed=1), "RandomForest(n_estimators=5, seed=1)")):
        a = proba(make().fit(X_train, y_train), X_test, 3)
        b = proba(make().fit(X_train, y_train), X_test, 3)
        assert_close(b, a, atol=0.0, what=f"probabilities of a second {what}")


# ---------------------------------------------------------------- rules that ordinary data hides

X_NINE = np.arange(1.0, 10.0)[:, None]
Y_NINE = np.array([0, 0, 0, 1, 0, 1, 1, 1, 1])


@pytest.mark.parametrize(
    "mss, expected",
    [(5, [[1.0, 0.0], [0.5, 0.5], [0.5, 0.5], [0.0, 1.0]]),
     (6, [[0.8, 0.2], [0.8, 0.2], [0.8, 0.2], [0.0, 1.0]])],
    ids=["min_samples_split=5", "min_samples_split=6"],
)
def test_min_samples_split_makes_impure_leaves(user, mss, expected):
    """a node with fewer than min_samples_split rows is a leaf holding its class fractions"""
    # root (9 rows) cuts at 5.5; its left child x=1..5 (labels 0 0 0 1 0) has 5 rows: with
    # min_samples_split=5 it cuts at 3.5 and x=4..5 (2 rows) stays an impure leaf; with 6 it is a leaf
    tree = user.DecisionTree(min_samples_split=mss).fit(X_NINE, Y_NINE)
    probe = np.array([[2.0], [4.0], [5.0], [8.0]])
    assert_close(proba(tree, probe, 2), np.array(expected), atol=1e-12,
                 what=f"predict_proba at x = 2, 4, 5, 8 with min_samples_split={mss}")


def test_duplicate_rows_with_different_labels_make_an_impure_leaf(user):
    """rows that cannot be separated (equal features, different labels) end in a leaf of their fractions"""
    X = np.array([[1.0, 5.0], [1.0, 5.0], [1.0, 5.0], [2.0, 5.0], [2.0, 5.0]])
    y = np.array(["a", "b", "b", "a", "a"])
    tree = user.DecisionTree().fit(X, y)
    assert_close(proba(tree, np.array([[1.0, 5.0], [2.0, 5.0], [0.0, 0.0]]), 2),
                 np.array([[1 / 3, 2 / 3], [1.0, 0.0], [1 / 3, 2 / 3]]), atol=1e-12,
                 what="predict_proba at (1, 5), (2, 5) and (0, 0) after fitting duplicate rows")


@pytest.mark.parametrize("n_trees", [1, 3], ids=["one tree", "three equal trees"])
def test_forest_without_bootstrap_averages_tree_probabilities(user, n_trees):
    """a forest of depth-1 trees on all rows (bootstrap=False) gives the trees' class fractions"""
    forest = user.RandomForest(n_estimators=n_trees, max_depth=1, max_features=None,
                               bootstrap=False, seed=0).fit(X_NINE, Y_NINE)
    probe = np.array([[0.0], [5.0], [5.6], [20.0]])
    assert_close(proba(forest, probe, 2), np.array([[0.8, 0.2], [0.8, 0.2], [0.0, 1.0], [0.0, 1.0]]),
                 atol=1e-12, what=f"forest predict_proba ({n_trees} depth-1 trees) at x = 0, 5, 5.6, 20")


@pytest.mark.parametrize("seed", [0, 1], ids=["seed 0", "seed 1"])
def test_class_missing_from_a_bootstrap_keeps_its_column(user, seed):
    """when a bootstrap sample misses a rare class, each tree's columns still land on its own classes"""
    X = np.arange(21.0)[:, None]
    y = np.array(["a"] * 10 + ["b"] + ["c"] * 10)  # 'b' is one row: about 1 bootstrap in 3 misses it
    forest = user.RandomForest(n_estimators=20, seed=seed).fit(X, y)
    assert_equal(to_numpy(forest.classes_, what="classes_"), np.array(["a", "b", "c"]), what="classes_")
    p = proba(forest, np.array([[2.0], [15.0], [10.0]]), 3)
    assert_close(p[:2], np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), atol=1e-12,
                 what="forest predict_proba deep inside class a (x=2) and class c (x=15)")
    assert_close(p.sum(axis=1), np.ones(3), atol=1e-9, what="row sums of predict_proba")


def test_max_features_limits_the_candidate_features(user):
    """max_features=1 draws one feature per node: some seeds miss the one perfect feature, None never does"""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(40, 4))
    y = (X[:, 0] > 0).astype(int)  # feature 0 separates the classes; features 1-3 are noise
    one = [accuracy(user.DecisionTree(max_depth=1, max_features=1, seed=s).fit(X, y), X, y) for s in range(12)]
    every = [accuracy(user.DecisionTree(max_depth=1, max_features=None, seed=s).fit(X, y), X, y)
             for s in range(3)]
    require(min(every) == 1.0, f"max_features=None: a depth-1 tree must find the perfect feature 0, "
                               f"training accuracies {every}")
    require(min(one) < 1.0 and max(one) == 1.0,
            f"max_features=1, seeds 0-11: expected some depth-1 trees to draw a noise feature (accuracy < 1) "
            f"and some to draw feature 0 (accuracy 1); training accuracies {one}")
