"""Hidden suite for the voting kata."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import VotingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, Perceptron
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted

from nnquiz.grading.katalib.checks import (
    assert_close,
    assert_equal,
    assert_raises_value_error,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.data import class_names, dataset_split


def soft_estimators():
    return [
        ("lr", make_pipeline(StandardScaler(), LogisticRegression(random_state=0))),
        ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ("nb", GaussianNB()),
    ]


def hard_estimators():
    """The SVC and the Perceptron have no predict_proba: hard voting must not need it."""
    return [
        ("svc", make_pipeline(StandardScaler(), SVC(random_state=0))),
        ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ("nb", GaussianNB()),
        ("perceptron", make_pipeline(StandardScaler(), Perceptron(random_state=0))),
    ]


WEIGHTS = {"hard": [1, 2, 1, 2], "soft": [1.0, 2.0, 0.5]}
CASES = [(name, voting, weighted) for name in ("iris", "wine", "breast_cancer")
         for voting in ("hard", "soft") for weighted in (False, True)]


def sklearn_figures(name, voting, weighted, labels=None):
    """sklearn's VotingClassifier on the standard split: test predictions (and probabilities)."""
    X_train, X_test, y_train, _ = dataset_split(name)
    y = y_train if labels is None else labels[y_train]
    estimators = soft_estimators() if voting == "soft" else hard_estimators()
    weights = WEIGHTS[voting] if weighted else None
    ref = VotingClassifier(estimators, voting=voting, weights=weights).fit(X_train, y)
    out = {"predict": ref.predict(X_test).tolist(), "classes": ref.classes_.tolist()}
    if voting == "soft":
        out["proba"] = ref.predict_proba(X_test).tolist()
    return out


@pytest.mark.parametrize("name, voting, weighted", CASES,
                         ids=[f"{n}, {v}{', weighted' if w else ''}" for n, v, w in CASES])
def test_matches_sklearn_voting_classifier(user, ref_cache, name, voting, weighted):
    """predictions and probabilities equal sklearn's VotingClassifier"""
    X_train, X_test, y_train, _ = dataset_split(name)
    weights = WEIGHTS[voting] if weighted else None
    expected = ref_cache.get(f"sklearn-{name}-{voting}-{weighted}",
                             lambda: sklearn_figures(name, voting, weighted))
    estimators = soft_estimators() if voting == "soft" else hard_estimators()
    ens = user.VotingEnsemble(estimators, voting=voting, weights=weights).fit(X_train, y_train)
    assert_equal(to_numpy(ens.classes_), np.array(expected["classes"]), what="classes_")
    assert_equal(to_numpy(ens.predict(X_test)), np.array(expected["predict"]),
                 what=f"{name} {voting}-vote predictions (weights={weights})")
    if voting == "soft":
        assert_close(ens.predict_proba(X_test), np.array(expected["proba"]), atol=1e-12,
                     what=f"{name} soft-vote probabilities (weights={weights})")


def test_string_labels(user, ref_cache):
    """string labels: classes_ and predictions are the strings, as in sklearn"""
    X_train, X_test, y_train, _ = dataset_split("iris")
    names = np.array(class_names("iris"))
    for voting in ("hard", "soft"):
        expected = ref_cache.get(f"sklearn-iris-strings-{voting}",
                                 lambda: sklearn_figures("iris", voting, True, labels=names))
        estimators = soft_estimators() if voting == "soft" else hard_estimators()
        ens = user.VotingEnsemble(estimators, voting=voting, weights=WEIGHTS[voting]).fit(X_train, names[y_train])
        assert_equal(to_numpy(ens.classes_), np.array(expected["classes"]), what=f"classes_ ({voting})")
        assert_equal(to_numpy(ens.predict(X_test)), np.array(expected["predict"]),
                     what=f"iris {voting}-vote predictions with string labels")


def test_fit_leaves_the_given_estimators_alone(user):
    """fit clones the estimators: the ones passed in stay unfitted and unchanged"""
    X_train, _, y_train, _ = dataset_split("wine")
    estimators = soft_estimators()
    objects = [est for _, est in estimators]
    params = [est.get_params(deep=False) for est in objects]
    user.VotingEnsemble(estimators, voting="soft").fit(X_train, y_train)
    for (name, est), original, before in zip(estimators, objects, params):
        require(est is original, f"the estimator list passed in was changed: {name!r} was replaced")
        try:
            check_is_fitted(est)
        except NotFittedError:
            pass
        else:
            pytest.fail(f"the estimator {name!r} passed in was fitted: fit must train clones "
                        "(sklearn.base.clone) and leave the originals untouched", pytrace=False)
        require(repr(est.get_params(deep=False)) == repr(before),
                f"the parameters of the estimator {name!r} passed in were changed")


def test_predict_proba_unavailable_in_hard_mode(user):
    """predict_proba raises AttributeError when voting='hard'"""
    X_train, X_test, y_train, _ = dataset_split("iris")
    ens = user.VotingEnsemble(soft_estimators(), voting="hard").fit(X_train, y_train)
    with pytest.raises(AttributeError):
        ens.predict_proba(X_test)


class Constant(ClassifierMixin, BaseEstimator):
    """Always votes for the `rank`-th smallest class it was fitted on (one-hot probabilities)."""

    def __init__(self, rank=0):
        self.rank = rank

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[self.rank])

    def predict_proba(self, X):
        p = np.zeros((len(X), len(self.classes_)))
        p[:, self.rank] = 1.0
        return p


TIES = [
    ("hard", [2, 1, 0], None, "ant", "three-way tie goes to the smallest class"),
    ("hard", [2, 1], None, "bee", "two-way tie goes to the smaller class"),
    ("hard", [2, 1, 1], [2, 1, 1], "bee", "weighted tie 2 vs 1+1 goes to the smaller class"),
    ("hard", [2, 1, 0], [2, 1, 1], "cat", "weights break the tie"),
    ("hard", [0, 2, 2], [3, 1, 1], "ant", "weight 3 beats two votes of weight 1"),
    ("soft", [2, 0], None, "ant", "soft tie: argmax takes the first (smallest) class"),
    ("soft", [2, 1, 0], [1, 1, 2], "ant", "soft: weights decide"),
]


@pytest.mark.parametrize("voting, ranks, weights, expected, label", TIES, ids=[t[-1] for t in TIES])
def test_vote_ties(user, voting, ranks, weights, expected, label):
    """vote ties go to the smallest class; weights count"""
    X = np.zeros((6, 1))
    y = np.array(["cat", "ant", "bee", "cat", "bee", "ant"])
    estimators = [(f"c{i}", Constant(rank)) for i, rank in enumerate(ranks)]
    ens = user.VotingEnsemble(estimators, voting=voting, weights=weights).fit(X, y)
    assert_equal(to_numpy(ens.predict(np.zeros((2, 1)))), np.array([expected, expected]),
                 what=f"{voting} vote of classes {[['ant', 'bee', 'cat'][r] for r in ranks]} with weights {weights}")


@pytest.mark.parametrize("case", ["weights length differs", "unknown voting mode"])
def test_bad_input_raises_value_error(user, case):
    """bad input raises ValueError with a message (from the constructor or from fit)"""
    X_train, _, y_train, _ = dataset_split("iris")

    def build_and_fit():
        if case == "weights length differs":
            ens = user.VotingEnsemble(soft_estimators(), voting="soft", weights=[1, 2])
        else:
            ens = user.VotingEnsemble(soft_estimators(), voting="average")
        ens.fit(X_train, y_train)

    assert_raises_value_error(build_and_fit, what=case)
