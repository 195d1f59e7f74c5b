"""Hidden suite for the classification-metrics kata: scikit-learn's definitions, ties included."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm

from nnquiz.grading.katalib.checks import (CheckFailure, assert_close, assert_equal, assert_raises_value_error,
                                   assert_scalar_close, to_numpy)

ATOL = 1e-12
AVERAGES = ["macro", "micro", "weighted"]


def triple(value, what):
    """The user's (precision, recall, f1) as three floats."""
    arr = to_numpy(value, np.float64, what=what)
    if arr.shape != (3,):
        raise CheckFailure(f"{what}: expected (precision, recall, f1), got shape {arr.shape}")
    return arr


def label_cases():
    """Multiclass label pairs: random, with absent classes, constant predictions, strings."""
    rng = np.random.default_rng(0)
    cases = {}
    for i in range(4):
        cases[f"random 4 classes #{i}"] = (rng.integers(0, 4, 40), rng.integers(0, 4, 40))
    cases["class 4 only predicted, class 0 never predicted"] = (rng.integers(0, 4, 30), rng.integers(1, 5, 30))
    cases["constant prediction"] = (rng.integers(0, 3, 25), np.full(25, 2))
    cases["labels 3, 7, 11"] = (rng.choice([3, 7, 11], 20), rng.choice([3, 7, 11], 20))
    cases["perfect"] = (np.arange(12) % 3, np.arange(12) % 3)
    return cases


LABEL_CASES = label_cases()
STRING_CASE = (np.array(["cat", "dog", "bird", "dog", "cat", "cat", "fish"]),
               np.array(["dog", "dog", "bird", "cat", "cat", "bird", "bird"]))


@pytest.fixture(scope="session")
def sk_multiclass(ref_cache):
    def compute():
        out = {}
        for name, (yt, yp) in LABEL_CASES.items():
            out[name] = {"cm": skm.confusion_matrix(yt, yp).tolist(),
                         **{f"{av}-{zd}": list(skm.precision_recall_fscore_support(
                             yt, yp, average=av, zero_division=zd)[:3])
                            for av in AVERAGES for zd in (0.0, 1.0)}}
        return out
    return ref_cache.get("sklearn-multiclass", compute)


@pytest.mark.parametrize("name", list(LABEL_CASES), ids=list(LABEL_CASES))
def test_confusion_matrix_equals_sklearn(user, sk_multiclass, name):
    """confusion_matrix: rows are true labels, columns predicted, labels sorted, as sklearn's"""
    yt, yp = LABEL_CASES[name]
    got = user.confusion_matrix(yt.copy(), yp.copy())
    assert_equal(got, np.array(sk_multiclass[name]["cm"]), what=f"confusion matrix ({name})")


def test_confusion_matrix_with_labels_and_strings(user):
    """labels= fixes the order and the set (pairs outside it ignored); string labels work"""
    yt, yp = STRING_CASE
    assert_equal(user.confusion_matrix(yt, yp), skm.confusion_matrix(yt, yp), what="confusion matrix of strings")
    for labels in (["fish", "dog", "cat", "bird"], ["dog", "cat"], ["dog", "cow", "cat"]):
        assert_equal(user.confusion_matrix(yt, yp, labels=labels), skm.confusion_matrix(yt, yp, labels=labels),
                     what=f"confusion matrix with labels={labels}")
    yt, yp = LABEL_CASES["random 4 classes #0"]
    assert_equal(user.confusion_matrix(yt, yp, labels=[3, 1, 0, 2, 9]),
                 skm.confusion_matrix(yt, yp, labels=[3, 1, 0, 2, 9]), what="confusion matrix with labels=[3, 1, 0, 2, 9]")


CASE_AV = [(name, av, zd) for name in LABEL_CASES for av in AVERAGES for zd in (0.0, 1.0)]


@pytest.mark.parametrize("name, average, zero_division", CASE_AV,
                         ids=[f"{n}, {a}, zero_division={z:g}" for n, a, z in CASE_AV])
def test_precision_recall_f1_equal_sklearn(user, sk_multiclass, name, average, zero_division):
    """precision, recall and F1 equal sklearn's precision_recall_fscore_support (atol 1e-12)"""
    yt, yp = LABEL_CASES[name]
    got = triple(user.precision_recall_f1(yt.copy(), yp.copy(), average=average, zero_division=zero_division),
                 what="precision_recall_f1")
    assert_close(got, sk_multiclass[name][f"{average}-{zero_division}"], atol=ATOL,
                 what=f"(precision, recall, f1), average={average!r}, zero_division={zero_division:g}")


BINARY = {
    "random": ([0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0], [0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0]),
    "never predicts 1": ([0, 1, 1, 0, 1], [0, 0, 0, 0, 0]),
    "no true 1, one predicted": ([0, 0, 0, 0], [0, 1, 0, 0]),
    "only zeros": ([0, 0, 0], [0, 0, 0]),
    "all correct": ([1, 0, 1], [1, 0, 1]),
}
BIN_CASES = [(n, zd) for n in BINARY for zd in (0.0, 1.0)]


@pytest.mark.parametrize("name, zero_division", BIN_CASES, ids=[f"{n}, zero_division={z:g}" for n, z in BIN_CASES])
def test_binary_average_and_zero_division(user, ref_cache, name, zero_division):
    """average='binary' scores label 1; 0/0 gives zero_division, as sklearn"""
    yt, yp = BINARY[name]
    expected = ref_cache.get(f"binary-{name}-{zero_division}", lambda: list(skm.precision_recall_fscore_support(
        yt, yp, average="binary", zero_division=zero_division)[:3]))
    got = triple(user.precision_recall_f1(np.array(yt), np.array(yp), average="binary", zero_division=zero_division),
                 what="precision_recall_f1")
    assert_close(got, expected, atol=ATOL, what=f"binary (precision, recall, f1), zero_division={zero_division:g}")


def test_strings_with_macro_average(user):
    """string labels work with the macro, micro and weighted averages"""
    yt, yp = STRING_CASE
    for av in AVERAGES:
        got = triple(user.precision_recall_f1(yt, yp, average=av), what="precision_recall_f1")
        assert_close(got, skm.precision_recall_fscore_support(yt, yp, average=av, zero_division=0.0)[:3],
                     atol=ATOL, what=f"(precision, recall, f1) of strings, average={av!r}")


def score_cases():
    rng = np.random.default_rng(1)
    cases = {}
    for i in range(5):
        y = rng.integers(0, 2, 80)
        cases[f"random, scores with many ties #{i}"] = (y, rng.integers(0, 6, 80) / 5.0)
    y = rng.integers(0, 2, 200)
    cases["200 distinct scores"] = (y, rng.normal(size=200) + y)
    cases["all scores tied"] = (np.array([0, 1, 1, 0, 1]), np.full(5, 0.3))
    cases["perfect ranking"] = (np.array([0, 0, 1, 1, 1]), np.array([0.1, 0.2, 0.3, 0.4, 0.9]))
    cases["inverted ranking"] = (np.array([1, 1, 0, 0]), np.array([0.1, 0.2, 0.3, 0.4]))
    cases["positive tied with the top negative"] = (np.array([1, 0, 1, 0, 0, 1]), np.array([0.9, 0.9, 0.5, 0.5, 0.1, 0.2]))
    cases["one positive"] = (np.array([0, 0, 1, 0]), np.array([3.0, 1.0, 2.0, 2.0]))
    cases["bool labels, negative scores"] = (np.array([True, False, True, False, True]),
                                              np.array([-1.0, -2.0, -1.0, -5.0, -0.5]))
    return cases


SCORE_CASES = score_cases()


@pytest.fixture(scope="session")
def sk_scores(ref_cache):
    def compute():
        return {name: {"auc": skm.roc_auc_score(y, s), "ap": skm.average_precision_score(y, s)}
                for name, (y, s) in SCORE_CASES.items()}
    return ref_cache.get("sklearn-scores", compute)


@pytest.mark.parametrize("name", list(SCORE_CASES), ids=list(SCORE_CASES))
def test_roc_auc_equals_sklearn(user, sk_scores, name):
    """roc_auc equals sklearn's roc_auc_score; a tie between a positive and a negative counts one half"""
    y, s = SCORE_CASES[name]
    assert_scalar_close(user.roc_auc(y.copy(), s.copy()), sk_scores[name]["auc"], atol=ATOL, what=f"ROC AUC ({name})")


@pytest.mark.parametrize("name", list(SCORE_CASES), ids=list(SCORE_CASES))
def test_average_precision_equals_sklearn(user, sk_scores, name):
    """average_precision equals sklearn's step-wise sum over distinct thresholds (not the trapezoid)"""
    y, s = SCORE_CASES[name]
    assert_scalar_close(user.average_precision(y.copy(), s.copy()), sk_scores[name]["ap"], atol=ATOL,
                        what=f"average precision ({name})")


def test_crafted_auc_and_ap(user):
    """hand-computed values: tied pairs count one half in AUC; AP is sum (R_k - R_(k-1)) P_k"""
    y, s = np.array([1, 0, 1, 0]), np.array([0.8, 0.8, 0.3, 0.1])
    # pairs (pos, neg): (0.8, 0.8) tie = 0.5, (0.8, 0.1) = 1, (0.3, 0.8) = 0, (0.3, 0.1) = 1 -> 2.5 / 4
    assert_scalar_close(user.roc_auc(y, s), 0.625, atol=ATOL, what="ROC AUC with a tied pair")
    # thresholds 0.8: P = 1/2, R = 1/2; 0.3: P = 2/3, R = 1 -> AP = 0.5 * 0.5 + 0.5 * 2/3
    assert_scalar_close(user.average_precision(y, s), 0.25 + 1 / 3, atol=ATOL, what="average precision with ties")


LOGLOSS = {
    "binary, 1-D probabilities of label 1": (np.array([0, 1, 1, 0, 1]), np.array([0.1, 0.8, 0.6, 0.3, 0.99])),
    "binary, two columns": (np.array([1, 0, 1]), np.array([[0.2, 0.8], [0.7, 0.3], [0.45, 0.55]])),
    "three classes": (np.array([2, 0, 1, 2]), np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4]])),
    "probability 0 and 1 (clipped at eps)": (np.array([0, 1, 1, 0]), np.array([0.0, 1.0, 0.0, 1.0])),
    "a zero column for the true class": (np.array([0, 1, 2]), np.array([[0.0, 0.5, 0.5], [0.2, 0.8, 0.0], [0.5, 0.5, 0.0]])),
    "string labels, columns in sorted order": (np.array(["no", "yes", "maybe", "yes"]),
                                               np.array([[0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4]])),
}


@pytest.fixture(scope="session")
def sk_logloss(ref_cache):
    return ref_cache.get("sklearn-logloss", lambda: {k: skm.log_loss(y, p) for k, (y, p) in LOGLOSS.items()})


@pytest.mark.parametrize("name", list(LOGLOSS), ids=list(LOGLOSS))
def test_log_loss_equals_sklearn(user, sk_logloss, name):
    """log_loss equals sklearn's, with probabilities clipped to [eps, 1 - eps] (eps of float64), rtol 1e-10"""
    y, p = LOGLOSS[name]
    kept = p.copy()
    got = user.log_loss(y.copy(), p)
    assert_scalar_close(got, sk_logloss[name], rtol=1e-10, atol=ATOL, what=f"log loss ({name})")
    assert_equal(p, kept, what="probabilities after log_loss (must not be modified)")


def test_inputs_are_not_modified(user):
    """the metrics leave their input arrays unchanged"""
    yt, yp = (a.copy() for a in LABEL_CASES["random 4 classes #1"])
    y, s = (a.copy() for a in SCORE_CASES["random, scores with many ties #0"])
    user.confusion_matrix(yt, yp)
    user.precision_recall_f1(yt, yp, average="weighted")
    user.roc_auc(y, s)
    user.average_precision(y, s)
    assert_equal(yt, LABEL_CASES["random 4 classes #1"][0], what="y_true")
    assert_equal(yp, LABEL_CASES["random 4 classes #1"][1], what="y_pred")
    assert_equal(s, SCORE_CASES["random, scores with many ties #0"][1], what="scores")


ERRORS = {
    "roc_auc with only positives": lambda u: u.roc_auc([1, 1, 1], [0.2, 0.4, 0.9]),
    "roc_auc with only negatives": lambda u: u.roc_auc([0, 0], [0.2, 0.4]),
    "average_precision without positives": lambda u: u.average_precision([0, 0, 0], [0.1, 0.5, 0.2]),
    "roc_auc with labels other than 0/1": lambda u: u.roc_auc([0, 2, 1], [0.1, 0.5, 0.2]),
    "unknown average": lambda u: u.precision_recall_f1([0, 1], [1, 1], average="samples"),
    "binary average with three labels": lambda u: u.precision_recall_f1([0, 1, 2], [0, 1, 1], average="binary"),
    "confusion_matrix lengths differ": lambda u: u.confusion_matrix([0, 1, 1], [0, 1]),
    "log_loss with too few columns": lambda u: u.log_loss([0, 1, 2], [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]),
    "log_loss with a probability above 1": lambda u: u.log_loss([0, 1], [0.5, 1.5]),
    "log_loss with a column value of 1.5": lambda u: u.log_loss([0, 1], [[0.5, 0.5], [0.0, 1.5]]),
    "log_loss with one class": lambda u: u.log_loss([1, 1], [0.5, 0.9]),
    "log_loss with one class and one column": lambda u: u.log_loss([1, 1], [[1.0], [1.0]]),
}


@pytest.mark.parametrize("case", list(ERRORS), ids=list(ERRORS))
def test_bad_input_raises_value_error(user, case):
    """bad input raises ValueError with a message"""
    assert_raises_value_error(ERRORS[case], user, what=case)
