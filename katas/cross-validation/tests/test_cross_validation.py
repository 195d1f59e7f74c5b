"""Hidden suite for the cross-validation kata: stratified folds, leak-free scoring, grid search."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import assert_close, assert_equal, assert_raises_value_error, to_numpy
from nnquiz.grading.katalib.data import dataset

# ----- helpers -----------------------------------------------------------------------------


def labels(name):
    if name in ("iris", "wine", "breast_cancer"):
        return dataset(name)[1]
    if name == "imbalanced strings":  # classes first appear in the order b, a, c
        rng = np.random.default_rng(11)
        return rng.choice(np.array(["b", "a", "c"]), size=47, p=[0.6, 0.3, 0.1])
    if name == "tiny class":  # one class with fewer members than folds
        return np.array([2, 0, 0, 1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 2])
    rng = np.random.default_rng(int(name.split()[-1]))
    n, c = int(rng.integers(10, 80)), int(rng.integers(2, 6))
    return rng.integers(0, c, size=n) * 3 + 7


def sklearn_folds(y, k):
    from sklearn.model_selection import StratifiedKFold

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "the least populated class has only 1 member"
        return [(a.tolist(), b.tolist()) for a, b in StratifiedKFold(k).split(np.zeros(len(y)), y)]


def as_folds(result, n, what):
    """The submission's folds as a list of (train, test) int arrays, checked for form."""
    assert isinstance(result, (list, tuple)), f"{what}: expected a list of (train, test) pairs, got {type(result)}"
    out = []
    for i, pair in enumerate(result):
        assert len(pair) == 2, f"{what}: fold {i} must be a (train_idx, test_idx) pair"
        train, test = (to_numpy(a, None, f"{what} fold {i}") for a in pair)
        for arr, part in ((train, "train"), (test, "test")):
            assert arr.ndim == 1 and arr.dtype.kind in "iu", \
                f"{what}: fold {i} {part} indices must be a 1-D integer array, got {arr.dtype} {arr.shape}"
        out.append((train, test))
    return out


def check_partition(folds, y, k, what):
    n = len(y)
    assert len(folds) == k, f"{what}: expected {k} folds, got {len(folds)}"
    tests = np.concatenate([t for _, t in folds])
    assert_equal(np.sort(tests), np.arange(n), what=f"{what}: test indices over all folds (each row once)")
    for i, (train, test) in enumerate(folds):
        assert_equal(train, np.setdiff1d(np.arange(n), test), what=f"{what}: fold {i} train = the other rows, sorted")
        assert_equal(test, np.sort(test), what=f"{what}: fold {i} test indices sorted")
    sizes = np.array([len(t) for _, t in folds])
    assert sizes.max() - sizes.min() <= 1, f"{what}: fold sizes {sizes.tolist()} differ by more than one"
    for c in np.unique(y):
        per_fold = np.array([(y[t] == c).sum() for _, t in folds])
        assert per_fold.max() - per_fold.min() <= 1, \
            f"{what}: class {c!r} counts per fold {per_fold.tolist()} differ by more than one"


# ----- stratified_kfold ----------------------------------------------------------------------

SPLITS = [("iris", 5), ("wine", 3), ("breast_cancer", 10), ("imbalanced strings", 4), ("tiny class", 5)] + [
    (f"random labels {s}", k) for s, k in ((1, 2), (2, 3), (3, 5), (4, 7), (5, 4))]


@pytest.mark.parametrize("name, k", SPLITS, ids=[f"{n}, n_splits={k}" for n, k in SPLITS])
def test_folds_equal_sklearn(user, ref_cache, name, k):
    """shuffle=False folds equal sklearn's StratifiedKFold, fold by fold"""
    y = labels(name)
    expected = ref_cache.get(f"folds {name} {k}", lambda: sklearn_folds(y, k))
    got = as_folds(user.stratified_kfold(y.copy(), n_splits=k), len(y), f"stratified_kfold({name}, {k})")
    check_partition(got, y, k, f"{name}, n_splits={k}")
    for i, ((train, test), (e_train, e_test)) in enumerate(zip(got, expected)):
        assert_equal(test, np.array(e_test), what=f"{name}, n_splits={k}: fold {i} test indices")
        assert_equal(train, np.array(e_train), what=f"{name}, n_splits={k}: fold {i} train indices")


@pytest.mark.parametrize("name, k", [("iris", 5), ("imbalanced strings", 4), ("random labels 4", 7)],
                         ids=["iris, 5", "imbalanced strings, 4", "random labels, 7"])
def test_shuffled_folds(user, name, k):
    """shuffle=True: a partition with the same class counts per fold, seeded, and different from unshuffled"""
    y = labels(name)
    plain = as_folds(user.stratified_kfold(y, k), len(y), "unshuffled")
    a = as_folds(user.stratified_kfold(y, k, shuffle=True, seed=0), len(y), "shuffled, seed 0")
    b = as_folds(user.stratified_kfold(y, k, shuffle=True, seed=0), len(y), "shuffled again, seed 0")
    c = as_folds(user.stratified_kfold(y, k, shuffle=True, seed=1), len(y), "shuffled, seed 1")
    default = as_folds(user.stratified_kfold(y, k, shuffle=True), len(y), "shuffled, default seed")
    check_partition(a, y, k, f"shuffled {name}")
    for i in range(k):
        assert_equal(a[i][1], b[i][1], what=f"fold {i} test indices with the same seed twice")
        assert_equal(default[i][1], a[i][1], what=f"fold {i} test indices with the default seed (0)")
        for cls in np.unique(y):
            assert (y[a[i][1]] == cls).sum() == (y[plain[i][1]] == cls).sum(), \
                f"fold {i}: class {cls!r} count differs from the unshuffled folds"
    assert any(not np.array_equal(a[i][1], plain[i][1]) for i in range(k)), "shuffle=True gave the unshuffled folds"
    assert any(not np.array_equal(a[i][1], c[i][1]) for i in range(k)), "seeds 0 and 1 gave the same folds"


BAD_SPLITS = {
    "n_splits=1": (np.array([0, 1] * 5), 1),
    "n_splits above the largest class": (np.array([0, 0, 0, 1, 1, 1, 1]), 5),
    "y is 2-D": (np.array([[0], [1]] * 5), 2),
}


@pytest.mark.parametrize("case", list(BAD_SPLITS), ids=list(BAD_SPLITS))
def test_bad_splits_raise(user, case):
    """impossible splits raise ValueError with a message"""
    y, k = BAD_SPLITS[case]
    assert_raises_value_error(user.stratified_kfold, y, k, what=case)


def test_defaults_and_list_labels(user, ref_cache):
    """the defaults are n_splits=5 and shuffle=False; y may be a plain list"""
    y = labels("iris")
    expected = ref_cache.get("folds iris 5", lambda: sklearn_folds(y, 5))
    got = as_folds(user.stratified_kfold(y.tolist()), len(y), "stratified_kfold(list of labels)")
    assert len(got) == 5, f"expected 5 folds by default, got {len(got)}"
    for i, (_, test) in enumerate(got):
        assert_equal(test, np.array(expected[i][1]), what=f"fold {i} test indices with the defaults")


def test_n_splits_equal_to_largest_class_is_allowed(user):
    """n_splits may equal the size of the largest class (smaller classes leave some folds without them)"""
    y = np.array([0, 0, 0, 0, 1, 1, 2])
    folds = as_folds(user.stratified_kfold(y, 4), len(y), "stratified_kfold(y, 4)")
    check_partition(folds, y, 4, "7 labels, n_splits=4")


# ----- cross_validate with spies ----------------------------------------------------------------


def spy_data(n=23, seed=0):
    """Column 0 holds the row id, column 1 is 1.0 (a spy preprocessor overwrites it), then noise."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.arange(n, dtype=float), np.ones(n), rng.normal(size=n)])
    y = np.arange(n) % 3
    return X, y


class Recorder:
    def __init__(self):
        self.preprocessors = []
        self.models = []
        self.events = []


def spy_factories(rec):
    class SpyPreprocessor:
        def __init__(self):
            self.number = len(rec.preprocessors)
            self.fitted_on = None
            rec.preprocessors.append(self)

        def fit(self, X, y=None):
            if self.fitted_on is not None:
                raise AssertionError("a preprocessor was fitted twice; make a fresh one per fold")
            self.fitted_on = np.asarray(X)[:, 0].astype(int).tolist()
            rec.events.append(("fit preprocessor", self.number))
            return self

        def transform(self, X):
            if self.fitted_on is None:
                raise AssertionError("transform called before fit")
            out = np.array(X, dtype=float)
            out[:, 1] = 10.0 + self.number  # marks which preprocessor produced the rows
            return out

        def fit_transform(self, X, y=None):
            return self.fit(X, y).transform(X)

    class SpyModel:
        def __init__(self, **params):
            self.number = len(rec.models)
            self.params = params
            self.fit_rows = None
            self.fit_marks = None
            self.score_rows = None
            self.score_marks = None
            rec.models.append(self)

        def fit(self, X, y):
            if self.fit_rows is not None:
                raise AssertionError("a model was fitted twice; make a fresh one per fold")
            X = np.asarray(X)
            self.fit_rows = X[:, 0].astype(int).tolist()
            self.fit_marks = sorted(set(X[:, 1].tolist()))
            self.fit_y = np.asarray(y).tolist()
            return self

        def score(self, X, y):
            if self.fit_rows is None:
                raise AssertionError("score called before fit")
            X = np.asarray(X)
            self.score_rows = X[:, 0].astype(int).tolist()
            self.score_marks = sorted(set(X[:, 1].tolist()))
            self.score_y = np.asarray(y).tolist()
            return np.asarray(float(np.mean(X[:, 0])) / 100.0)  # a fold-specific score, as a 0-d array

    return SpyPreprocessor, SpyModel


def plain_folds(y, k):
    """Folds for the spies (given to cross_validate; the user's splitter is not involved)."""
    return [(np.setdiff1d(np.arange(len(y)), t), t) for t in np.array_split(np.random.default_rng(5)
                                                                             .permutation(len(y)), k)]


@pytest.fixture(params=[True, False], ids=["with a preprocessor", "without a preprocessor"])
def spied(request, user):
    X, y = spy_data()
    folds = plain_folds(y, 4)
    folds = [(np.sort(a), np.sort(b)) for a, b in folds]
    rec = Recorder()
    Pre, Model = spy_factories(rec)
    X0 = X.copy()
    scores = user.cross_validate(Model, X, y, folds, preprocess=Pre if request.param else None)
    assert_equal(X, X0, what="X after cross_validate")
    return rec, scores, folds, y, request.param


def test_fresh_model_per_fold_fitted_on_training_rows(spied):
    """each fold gets a fresh model, fitted once on exactly its training rows and scored on its test rows"""
    rec, _, folds, y, _ = spied
    assert len(rec.models) == len(folds), f"expected one fresh model per fold ({len(folds)}), made {len(rec.models)}"
    for i, ((train, test), model) in enumerate(zip(folds, rec.models)):
        assert model.fit_rows is not None, f"fold {i}: the model was never fitted"
        assert sorted(model.fit_rows) == train.tolist(), f"fold {i}: the model was fitted on other rows than the fold's training rows"
        assert model.fit_y == y[model.fit_rows].tolist(), f"fold {i}: the labels passed to fit do not match the rows"
        assert model.score_rows is not None and sorted(model.score_rows) == test.tolist(), \
            f"fold {i}: the model was not scored on exactly the fold's test rows"
        assert model.score_y == y[model.score_rows].tolist(), f"fold {i}: the labels passed to score do not match"


def test_scores_in_fold_order(spied):
    """cross_validate returns one float per fold, in the order of the folds"""
    _, scores, folds, _, _ = spied
    assert isinstance(scores, list), f"expected a list of floats, got {type(scores).__name__}"
    assert all(isinstance(s, float) for s in scores), \
        f"every score must be a Python float (the spy's score returns 0-d arrays), got {[type(s).__name__ for s in scores]}"
    assert_close(scores, [float(np.mean(t)) / 100.0 for _, t in folds], atol=1e-12, what="scores per fold")


def test_preprocessor_never_sees_a_test_row(spied):
    """a fresh preprocessor per fold is fitted on the training rows only, and the model gets its output"""
    rec, _, folds, _, with_pre = spied
    if not with_pre:
        assert not rec.preprocessors, "preprocess=None must not make a preprocessor"
        for model in rec.models:
            assert model.fit_marks == [1.0] and model.score_marks == [1.0], "without a preprocessor X is used as is"
        return
    assert len(rec.preprocessors) == len(folds), \
        f"expected one fresh preprocessor per fold ({len(folds)}), made {len(rec.preprocessors)}"
    for i, (train, test) in enumerate(folds):
        pre = rec.preprocessors[i]
        assert pre.fitted_on is not None, f"fold {i}: the preprocessor was never fitted"
        leaked = sorted(set(pre.fitted_on) & set(test.tolist()))
        assert not leaked, f"fold {i}: the preprocessor was fitted on test rows {leaked[:5]}"
        assert sorted(pre.fitted_on) == train.tolist(), f"fold {i}: the preprocessor must see every training row"
        mark = 10.0 + pre.number
        model = rec.models[i]
        assert model.fit_marks == [mark] and model.score_marks == [mark], \
            f"fold {i}: the model must be fitted and scored on this fold's preprocessed rows"


CV_CASES = ["wine, scaler + 5-NN", "iris, 3-NN", "breast_cancer, scaler + logistic regression"]


def sklearn_scores(case, folds):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = dataset(case.split(",")[0])
    model = {"wine, scaler + 5-NN": lambda: make_pipeline(StandardScaler(), KNeighborsClassifier(5)),
             "iris, 3-NN": lambda: KNeighborsClassifier(3),
             "breast_cancer, scaler + logistic regression": lambda: make_pipeline(StandardScaler(),
                                                                                 LogisticRegression())}[case]()
    return cross_val_score(model, X, y, cv=[(np.array(a), np.array(b)) for a, b in folds]).tolist()


@pytest.mark.parametrize("case", CV_CASES, ids=CV_CASES)
def test_scores_equal_cross_val_score(user, ref_cache, case):
    """scores equal sklearn's cross_val_score with the same folds (scaler in a pipeline; X, y as lists for iris)"""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.preprocessing import StandardScaler

    X, y = dataset(case.split(",")[0])
    folds = sklearn_folds(y, 5)
    expected = ref_cache.get(f"cv {case}", lambda: sklearn_scores(case, folds))
    make, pre = {"wine, scaler + 5-NN": (lambda: KNeighborsClassifier(5), StandardScaler),
                 "iris, 3-NN": (lambda: KNeighborsClassifier(3), None),
                 "breast_cancer, scaler + logistic regression": (LogisticRegression, StandardScaler)}[case]
    if case == "iris, 3-NN":  # plain lists are accepted too
        X, y = X.tolist(), y.tolist()
    got = user.cross_validate(make, X, y, [(np.array(a), np.array(b)) for a, b in folds], preprocess=pre)
    assert_close(to_numpy(got, np.float64, "scores"), expected, atol=1e-12, what=f"fold scores ({case})")


# ----- grid_search -------------------------------------------------------------------------------


def test_grid_search_equals_gridsearchcv(user, ref_cache):
    """grid_search finds GridSearchCV's best parameters and best mean score (k-NN on wine, scaled)"""
    from sklearn.neighbors import KNeighborsClassifier

    X, y = dataset("wine")
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    folds = sklearn_folds(y, 4)
    grid = {"n_neighbors": [1, 3, 5, 7, 9, 15, 25], "weights": ["uniform", "distance"]}

    def compute():
        from sklearn.model_selection import GridSearchCV

        search = GridSearchCV(KNeighborsClassifier(), grid, cv=[(np.array(a), np.array(b)) for a, b in folds])
        search.fit(X, y)
        return {"params": search.best_params_, "score": float(search.best_score_)}

    expected = ref_cache.get("grid wine knn", compute)
    params, score = user.grid_search(KNeighborsClassifier, grid, X, y, [(np.array(a), np.array(b)) for a, b in folds])
    assert dict(params) == expected["params"], f"best parameters: expected {expected['params']}, got {params}"
    assert_close(float(score), expected["score"], atol=1e-12, what="best mean score")


def scripted_model(table, rec):
    """A model whose score is looked up from its parameters (ties on purpose)."""

    class Scripted:
        def __init__(self, **params):
            self.params = params
            rec.models.append(self)
            self.fits = 0

        def fit(self, X, y):
            self.fits += 1
            return self

        def score(self, X, y):
            return table[tuple(sorted(self.params.items()))]

    return Scripted


def test_grid_ties_go_to_the_first_combination(user):
    """equal mean scores: the first combination in grid order wins (dict order, last name fastest)"""
    # grid order: (zeta=1, alpha=1), (zeta=1, alpha=2), (zeta=2, alpha=1), (zeta=2, alpha=2), (zeta=3, ...)
    table = {(("alpha", 1), ("zeta", 1)): 0.5, (("alpha", 2), ("zeta", 1)): 0.75,
             (("alpha", 1), ("zeta", 2)): 0.75, (("alpha", 2), ("zeta", 2)): 0.25,
             (("alpha", 1), ("zeta", 3)): 0.75, (("alpha", 2), ("zeta", 3)): 0.125}
    rec = Recorder()
    X, y = spy_data(12)
    folds = plain_folds(y, 3)
    params, score = user.grid_search(scripted_model(table, rec), {"zeta": [1, 2, 3], "alpha": [1, 2]}, X, y, folds)
    assert dict(params) == {"zeta": 1, "alpha": 2}, \
        f"three combinations tie at 0.75; the first in grid order is {{'zeta': 1, 'alpha': 2}}, got {params}"
    assert_close(float(score), 0.75, atol=1e-12, what="best mean score")
    assert len(rec.models) == 6 * 3, f"expected a fresh model per combination and fold (18), made {len(rec.models)}"
    assert all(m.fits == 1 for m in rec.models), "every model must be fitted exactly once"


def test_grid_score_is_the_mean_over_folds(user):
    """a combination's score is the mean of its fold scores"""
    X, y = spy_data(20)
    folds = plain_folds(y, 4)
    rec = Recorder()
    _, Model = spy_factories(rec)

    def make(shift):
        m = Model()
        base = m.score

        def shifted(X_, y_):
            return base(X_, y_) + shift

        m.score = shifted
        return m

    params, score = user.grid_search(make, {"shift": [0.0, 0.5, 0.25]}, X, y, folds)
    expected = float(np.mean([np.mean(t) / 100.0 for _, t in folds])) + 0.5
    assert dict(params) == {"shift": 0.5}, f"expected the best shift 0.5, got {params}"
    assert_close(float(score), expected, atol=1e-12, what="best mean score")


def test_negative_scores(user):
    """the best of all-negative mean scores is found (e.g. a negated error as the score)"""
    table = {(("c", 1),): -0.5, (("c", 2),): -0.25, (("c", 3),): -0.75}
    rec = Recorder()
    X, y = spy_data(9)
    params, score = user.grid_search(scripted_model(table, rec), {"c": [1, 2, 3]}, X, y, plain_folds(y, 3))
    assert dict(params) == {"c": 2}, f"expected {{'c': 2}} (mean score -0.25), got {params}"
    assert_close(float(score), -0.25, atol=1e-12, what="best mean score")


@pytest.mark.parametrize("grid", [{}, {"a": [1, 2], "b": []}], ids=["empty grid", "a name with no values"])
def test_empty_grid_raises(user, grid):
    """an empty grid or a name with no values raises ValueError"""
    X, y = spy_data(10)
    rec = Recorder()
    assert_raises_value_error(user.grid_search, scripted_model({}, rec), grid, X, y, plain_folds(y, 2),
                              what="grid_search with nothing to try")
