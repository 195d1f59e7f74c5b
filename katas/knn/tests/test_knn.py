"""Hidden suite for the knn kata."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from nnquiz.grading.katalib.checks import assert_at_most, assert_equal, assert_raises_value_error, to_numpy
from nnquiz.grading.katalib.data import class_names, dataset_split


def rule_based(X_train, y_train, X_test, k):
    """The contract, spelled out slowly: exact distances, stable order, smallest tied label."""
    out = []
    for x in X_test:
        d = np.sqrt(((X_train - x) ** 2).sum(axis=1))
        order = np.argsort(d, kind="stable")[:k]
        labels, counts = np.unique(y_train[order], return_counts=True)
        out.append(labels[np.argmax(counts)])
    return np.array(out, dtype=y_train.dtype)


def boundary_tie_rows(X_train, X_test, k):
    """Rows whose k-th and (k+1)-th nearest distances are (nearly) equal: either order is fair."""
    d = np.sqrt(((X_test[:, None, :] - X_train[None, :, :]) ** 2).sum(-1))
    s = np.sort(d, axis=1)
    if k >= s.shape[1]:
        return np.zeros(len(X_test), dtype=bool)
    return np.isclose(s[:, k - 1], s[:, k], rtol=1e-9, atol=1e-12)


CASES = [(name, k) for name in ("iris", "wine", "digits") for k in (1, 3, 5, 7)]


def sklearn_answers(ref_cache, name, k):
    """sklearn's predictions, the rows whose k-th and (k+1)-th distances tie, and the rule's
    answers on them: library answers, computed once per kata and library versions."""

    def compute():
        X_train, X_test, y_train, _ = dataset_split(name)
        expected = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(X_train, y_train).predict(X_test)
        ties = np.flatnonzero(boundary_tie_rows(X_train, X_test, k))
        by_rule = rule_based(X_train, y_train, X_test[ties], k) if len(ties) else expected[:0]
        return {"expected": expected.tolist(), "ties": ties.tolist(), "by_rule": by_rule.tolist()}

    cached = ref_cache.get(f"sklearn-{name}-k{k}", compute)
    return (
        np.array(cached["expected"], dtype=np.int64),
        np.array(cached["ties"], dtype=np.intp),
        np.array(cached["by_rule"], dtype=np.int64),
    )


@pytest.mark.parametrize("name, k", CASES, ids=[f"{n}, k={k}" for n, k in CASES])
def test_matches_sklearn_brute_force(user, ref_cache, name, k):
    """predictions equal sklearn's KNeighborsClassifier(algorithm='brute')"""
    X_train, X_test, y_train, y_test = dataset_split(name)
    got = to_numpy(user.knn_predict(X_train.copy(), y_train.copy(), X_test.copy(), k=k), what="predictions")
    expected, ties, by_rule = sklearn_answers(ref_cache, name, k)
    # where the k-th and (k+1)-th neighbours are tied, the order among them is a floating-point
    # accident: on those rows accept sklearn's answer or the rule's answer
    if len(ties) and got.shape == expected.shape:
        fair = (got[ties] == expected[ties]) | (got[ties] == by_rule)
        expected[ties] = np.where(fair, got[ties], by_rule)
    assert_equal(got, expected, what=f"{name} predictions with k={k}")

@pytest.mark.parametrize(
    "k, expected",
    [(1, "b"), (2, "a"), (3, "a")],
    ids=["equal distances keep training order", "two-way vote tie", "three-way vote tie"],
)
def test_tie_rules(user, k, expected):
    """ties: equal distances keep training order; a vote tie goes to the smallest label"""
    X_train = np.array([[1.0], [-1.0], [2.0], [-3.0]])
    y_train = np.array(["b", "a", "c", "a"])
    got = to_numpy(user.knn_predict(X_train, y_train, np.array([[0.0]]), k=k))
    assert_equal(got, np.array([expected]), what=f"label for the point 0 with k={k}")


def test_equal_distances_prefer_lower_index_not_smaller_label(user):
    """equal distances: the lower training index wins even when its label is larger"""
    X_train = np.array([[0.0, 2.0], [0.0, -2.0], [2.0, 0.0], [5.0, 5.0]])
    y_train = np.array([7, 3, 7, 3])
    got = to_numpy(user.knn_predict(X_train, y_train, np.array([[0.0, 0.0]]), k=1))
    assert_equal(got, np.array([7]), what="label with k=1 (three points at distance 2)")
    got = to_numpy(user.knn_predict(X_train, y_train, np.array([[0.0, 0.0]]), k=3))
    assert_equal(got, np.array([7]), what="label with k=3 (votes 7, 3, 7)")


def test_vote_tie_goes_to_smallest_label(user):
    """a vote tie goes to the smallest tied label, whatever the order of the neighbours"""
    X_train = np.array([[1.0], [2.0], [3.0], [4.0]])
    y_train = np.array([9, 4, 9, 4])
    got = to_numpy(user.knn_predict(X_train, y_train, np.array([[0.0], [5.0]]), k=4))
    assert_equal(got, np.array([4, 4]), what="labels with a 2-2 vote")


def test_string_labels_keep_their_dtype(user, ref_cache):
    """string labels work and come back as strings"""
    X_train, X_test, y_train, _ = dataset_split("iris")
    names = np.array(class_names("iris"))
    got = user.knn_predict(X_train, names[y_train], X_test, k=5)
    got = to_numpy(got, what="predictions")
    assert got.dtype.kind == "U", f"expected string labels (dtype kind 'U'), got dtype {got.dtype}"
    expected = names[sklearn_answers(ref_cache, "iris", 5)[0]]
    assert_equal(got, expected, what="iris predictions with string labels")


def test_result_has_training_label_dtype(user):
    """the result has y_train's dtype (int32 labels stay int32)"""
    X_train, X_test, y_train, _ = dataset_split("wine")
    got = user.knn_predict(X_train, y_train.astype(np.int32), X_test, k=3)
    got = to_numpy(got, what="predictions")
    assert got.dtype == np.int32, f"expected dtype int32, got {got.dtype}"
    assert got.shape == (len(X_test),), f"expected shape ({len(X_test)},), got {got.shape}"


@pytest.mark.parametrize(
    "case", ["k=0", "k larger than the training set", "feature counts differ", "labels and rows differ"]
)
def test_bad_input_raises_value_error(user, case):
    """bad input raises ValueError with a message"""
    X = np.zeros((5, 2))
    y = np.arange(5)
    args = {
        "k=0": (X, y, X, 0),
        "k larger than the training set": (X, y, X, 6),
        "feature counts differ": (X, y, np.zeros((2, 3)), 1),
        "labels and rows differ": (X, np.arange(4), X, 1),
    }[case]
    assert_raises_value_error(user.knn_predict, *args, what=case)


def test_digits_split_memory(user):
    """the digits split (1347 x 450) runs in under 1 GB of memory"""
    X_train, X_test, y_train, _ = dataset_split("digits")
    tracemalloc.start()
    try:
        user.knn_predict(X_train, y_train, X_test, k=5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_at_most(peak / 2**30, 1.0, what="peak memory in GiB")
