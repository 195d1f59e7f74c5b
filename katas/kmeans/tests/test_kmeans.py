"""Hidden suite for the kmeans kata: k-means++ seeding, Lloyd iterations, best of n_init."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_at_most,
    assert_close,
    assert_equal,
    assert_raises_value_error,
    assert_scalar_close,
    to_numpy,
)
from nnquiz.grading.katalib import seeding
from nnquiz.grading.katalib.data import dataset

# ---------------------------------------------------------------- data


def blobs(seed=0):
    """Four 2-D Gaussian blobs of 60 points, well separated."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [6.0, 1.0], [2.0, 7.0], [8.0, 8.0]])
    return np.concatenate([c + rng.normal(scale=1.0, size=(60, 2)) for c in centres])


def outlier_blobs():
    """Four blobs of 50 points and three far outliers: farthest-first seeding picks the
    outliers and merges two blobs; D^2 sampling rarely does, and a best of 10 never."""
    rng = np.random.default_rng(5)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    points = [c + rng.normal(size=(50, 2)) for c in centres]
    return np.concatenate(points + [np.array([[40.0, -25.0], [-28.0, 35.0], [45.0, 42.0]])])


def grid_blobs():
    """Nine blobs on a 3 x 3 grid: one k-means++ run finds the best clustering about 60% of
    the time, so a best of 10 almost always does and the last of 10 often does not."""
    rng = np.random.default_rng(1)
    centres = np.array([[4.0 * i, 4.0 * j] for i in range(3) for j in range(3)])
    return np.concatenate([c + rng.normal(scale=0.5, size=(25, 2)) for c in centres])


DATA = {
    "blobs, k=4": (lambda: blobs(), 4),
    "blobs with 3 far outliers, k=4": (outlier_blobs, 4),
    "iris, k=3": (lambda: dataset("iris")[0], 3),
    "iris, k=5": (lambda: dataset("iris")[0], 5),
    "digits, k=10": (lambda: dataset("digits")[0], 10),
}


def sq_dists(X, C):
    """Exact (n, k) squared distances, no expansion trick."""
    return ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)


def run(user, X, k, **kw):
    """Call kmeans and return (centers, labels, inertia) as checked arrays."""
    out = user.kmeans(X.copy(), k, **kw)
    if not isinstance(out, tuple) or len(out) != 3:
        raise CheckFailure(f"kmeans must return a tuple (centers, labels, inertia), got {type(out).__name__}")
    centers = to_numpy(out[0], np.float64, "centers")
    labels = np.asarray(to_numpy(out[1], None, "labels"))
    if centers.shape != (k, X.shape[1]):
        raise CheckFailure(f"centers: expected shape {(k, X.shape[1])}, got {centers.shape}")
    if labels.shape != (len(X),) or labels.dtype.kind not in "iu":
        raise CheckFailure(f"labels: expected {len(X)} integers, got shape {labels.shape} dtype {labels.dtype}")
    if labels.min() < 0 or labels.max() >= k:
        raise CheckFailure(f"labels must lie in 0..{k - 1}, got {labels.min()}..{labels.max()}")
    inertia = to_numpy(out[2], np.float64, "inertia")
    if inertia.size != 1:
        raise CheckFailure(f"inertia: expected a single number, got shape {inertia.shape}")
    return centers, labels.astype(np.int64), float(inertia.reshape(()))


def check_consistent(X, centers, labels, inertia, what):
    """Each label names a nearest returned centre, and inertia is recomputed from them."""
    d2 = sq_dists(X, centers)
    own = d2[np.arange(len(X)), labels]
    best = d2.min(1)
    slack = 1e-9 * (1.0 + best)
    bad = np.flatnonzero(own > best + slack)
    if bad.size:
        i = int(bad[0])
        raise CheckFailure(f"{what}: {bad.size} points are not labelled with their nearest centre; point {i} "
                           f"has label {labels[i]} at squared distance {own[i]:.6g}, but centre "
                           f"{int(d2[i].argmin())} is at {best[i]:.6g}")
    assert_scalar_close(inertia, own.sum(), rtol=1e-9, atol=1e-12,
                        what=f"{what}: inertia vs the sum of squared distances to the labelled centres")


@pytest.fixture(scope="module")
def fits(user):
    """The user's kmeans on every data set (default arguments), computed once."""
    return {name: (make(), k, run(user, make(), k)) for name, (make, k) in DATA.items()}


# ---------------------------------------------------------------- results


@pytest.mark.parametrize("name", list(DATA), ids=list(DATA))
def test_labels_are_nearest_centres_and_inertia_matches(fits, name):
    """labels name each point's nearest returned centre and inertia is their sum of squared distances"""
    X, _, (centers, labels, inertia) = fits[name]
    check_consistent(X, centers, labels, inertia, name)


@pytest.mark.parametrize("name", list(DATA), ids=list(DATA))
def test_inertia_close_to_sklearn(fits, ref_cache, name):
    """inertia is at most 1.01 x sklearn's KMeans(k, n_init=10, random_state=0)"""
    X, k, (_, _, inertia) = fits[name]
    ref = ref_cache.get(f"sklearn-inertia-{name}",
                        lambda: float(KMeans(k, n_init=10, random_state=0).fit(X).inertia_))
    assert_at_most(inertia, 1.01 * ref, what=f"inertia on {name} (sklearn {ref:.6g})")


def test_best_of_n_init_by_inertia(user, ref_cache):
    """the run kept is the one with the lowest inertia: seeds 0-9 all reach the best clustering of a 3 x 3 grid"""
    X = grid_blobs()
    ref = ref_cache.get("sklearn-inertia-grid", lambda: float(KMeans(9, n_init=10, random_state=0).fit(X).inertia_))
    worst = max(run(user, X, 9, seed=seed)[2] for seed in range(10))
    assert_at_most(worst, 1.01 * ref, what=f"largest inertia over seeds 0-9 (sklearn {ref:.6g})")


def test_same_seed_same_result_and_input_unchanged(user):
    """the same seed gives the same result (seed 0 by default), X is not modified, and X may be a list"""
    X = dataset("iris")[0]
    X0 = X.copy()
    a = user.kmeans(X, 3, seed=4)
    assert_equal(X, X0, what="X after kmeans")
    b = run(user, X, 3, seed=4)
    assert_close(a[0], b[0], atol=0, what="centers of two runs with seed 4")
    assert_equal(to_numpy(a[1], np.int64), b[1], what="labels of two runs with seed 4")
    c = user.kmeans(X[:40].tolist(), 5)
    d = run(user, X[:40], 5, seed=0)
    assert_close(c[0], d[0], atol=0, what="centers with the default seed (X as a list) vs seed=0")


def test_one_cluster_and_one_point_per_cluster(user):
    """k = 1 gives the mean and the total sum of squares (also for a single point); k = n gives inertia 0"""
    X = blobs(3)[:40]
    centers, labels, inertia = run(user, X, 1)
    assert_close(centers[0], X.mean(0), rtol=1e-10, atol=1e-12, what="the centre for k = 1")
    assert_scalar_close(inertia, ((X - X.mean(0)) ** 2).sum(), rtol=1e-9, what="inertia for k = 1")
    centers, labels, inertia = run(user, X[:1], 1)
    assert_close(centers, X[:1], atol=0, what="the centre of a single point")
    small = X[:6]
    centers, labels, inertia = run(user, small, 6, n_init=2)
    assert_scalar_close(inertia, 0.0, atol=1e-12, what="inertia for k = n")
    assert_equal(np.sort(labels), np.arange(6), what="labels for k = n (each point its own cluster)")


# ---------------------------------------------------------------- Lloyd from a given start


def lloyd(X, C, max_iter, tol):
    """The contract's Lloyd loop, spelled out (no empty clusters in the cases that use it)."""
    tol_abs = tol * X.var(axis=0).mean()
    for _ in range(max_iter):
        d2 = np.sort(sq_dists(X, C), axis=1)
        assert (d2[:, 1] - d2[:, 0]).min() > 1e-6, "the suite's own case has a near-tie"
        labels = sq_dists(X, C).argmin(1)
        new = np.array([X[labels == j].mean(0) for j in range(len(C))])
        shift = ((new - C) ** 2).sum()
        C = new
        if shift <= tol_abs:
            break
    return C


def iris_start():
    """Iris and three starting centres near its first rows, nudged off the 0.1 grid so that no
    point is equally far from two centres during the runs below."""
    X = dataset("iris")[0]
    return X, X[[0, 1, 2]] + np.array([[0.0123], [-0.0311], [0.0457]])


def test_one_iteration_from_a_given_start(user):
    """with init given and max_iter = 1: one assignment, one mean update, then labels for those centres"""
    X, init = iris_start()
    centers, labels, inertia = run(user, X, 3, init=init.copy(), max_iter=1)
    assert_close(centers, lloyd(X, init, 1, 0.0), rtol=1e-10, atol=1e-12, what="centres after one iteration")
    check_consistent(X, centers, labels, inertia, "after one iteration")


@pytest.mark.parametrize("tol", [0.1, 0.009], ids=["tol 0.1 (stops after 4 updates)", "tol 0.009 (after 8)"])
def test_tol_is_relative_to_the_mean_variance(user, tol):
    """Lloyd stops once the summed squared centre shift is <= tol x mean feature variance (at any scale)"""
    X, init = iris_start()
    expected = lloyd(X, init, 300, tol)
    for scale in (1.0, 1000.0):
        centers, _, _ = run(user, scale * X, 3, init=scale * init, tol=tol)
        assert_close(centers / scale, expected, rtol=1e-9, atol=1e-9,
                     what=f"centres with tol={tol}, data scaled by {scale:g}")


@pytest.mark.parametrize("name, rows", [("iris", [0, 60, 120, 3]), ("digits", list(range(0, 100, 10)))],
                         ids=["iris from 4 rows", "digits from 10 rows"])
def test_lloyd_converges_like_sklearn(user, ref_cache, name, rows):
    """from the same start with tol = 0, centres, labels and inertia equal sklearn's Lloyd"""
    X = dataset(name)[0]
    init = X[rows]
    k = len(rows)

    def sklearn_fit():
        km = KMeans(k, init=init, n_init=1, tol=0.0, max_iter=300, algorithm="lloyd").fit(X)
        return {"centers": km.cluster_centers_.tolist(), "labels": km.labels_.tolist(), "inertia": float(km.inertia_)}

    ref = ref_cache.get(f"sklearn-lloyd-{name}", sklearn_fit)
    centers, labels, inertia = run(user, X, k, init=init.copy(), tol=0.0)
    assert_close(centers, ref["centers"], atol=1e-8, what=f"converged centres on {name}")
    assert_equal(labels, ref["labels"], what=f"labels on {name}")
    assert_scalar_close(inertia, ref["inertia"], rtol=1e-8, what=f"inertia on {name}")


# 1-D points 0, 1, 2.2, 10, 11, 12.5 with starting centres 0.5, 11, 100, 200: the last two
# clusters are empty at once. Own-centre distances are 0.5, 0.5, 1.7, 1, 0, 1.5, so 2.2 re-seeds
# cluster 2 and 12.5 cluster 3; Lloyd then settles at 0.5, 10.5, 2.2, 12.5 (inertia 1.0).
EMPTY_X = np.array([[0.0], [1.0], [2.2], [10.0], [11.0], [12.5]])
EMPTY_INIT = np.array([[0.5], [11.0], [100.0], [200.0]])


def test_empty_clusters_reseeded_with_farthest_points(user):
    """an empty cluster takes the point farthest from its own centre (the farthest to the lowest index)"""
    centers, labels, inertia = run(user, EMPTY_X, 4, init=EMPTY_INIT.copy())
    assert_close(centers, [[0.5], [10.5], [2.2], [12.5]], atol=1e-12, what="centres after re-seeding")
    assert_equal(labels, [0, 0, 2, 1, 1, 3], what="labels after re-seeding")
    assert_scalar_close(inertia, 1.0, atol=1e-12, what="inertia after re-seeding")


def test_init_leaves_its_array_unchanged(user):
    """the init array passed in is not modified, and a nested list works as init too"""
    init = EMPTY_INIT.copy()
    user.kmeans(EMPTY_X.copy(), 4, init=init)
    assert_equal(init, EMPTY_INIT, what="init after kmeans")
    centers, _, inertia = run(user, EMPTY_X, 4, init=EMPTY_INIT.tolist())
    assert_close(centers, [[0.5], [10.5], [2.2], [12.5]], atol=1e-12, what="centres with init given as a list")
    assert_scalar_close(inertia, 1.0, atol=1e-12, what="inertia with init given as a list")


def test_a_single_run(user):
    """n_init = 1 is one k-means++ run"""
    X = blobs(2)
    centers, labels, inertia = run(user, X, 4, n_init=1, seed=3)
    check_consistent(X, centers, labels, inertia, "n_init = 1")


# ---------------------------------------------------------------- k-means++ sampling

@pytest.mark.parametrize("k, scale", [(2, 0.01), (3, 1.0)], ids=["k=2, points 0, 0.01, 0.03, 0.07", "k=3, points 0, 1, 3, 7"])
def test_kmeans_plusplus_samples_by_squared_distance(user, k, scale):
    """k-means++ picks the first centre uniformly and each next with probability D(x)^2 / sum D^2 (chi-square)"""
    seeding.check_d2_sampling(user.kmeans_plusplus, scale * seeding.LINE, k, draws=12000)


def test_kmeans_plusplus_with_too_few_distinct_points(user):
    """when every remaining D^2 is 0 (fewer distinct points than k), centres are still rows of X (X may be a list)"""
    X = seeding.check_too_few_distinct_rows(user.kmeans_plusplus)
    _, _, inertia = run(user, X, 3)
    assert_scalar_close(inertia, 0.0, atol=1e-12, what="inertia with two distinct points and k = 3")


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("k, kw", [(7, {}), (0, {}), (2, {"init": np.zeros((3, 1))}),
                                   (2, {"init": np.zeros((2, 2))}), (2, {"n_init": 0}),
                                   (2, {"max_iter": 0}), (2, {"tol": -1e-4})],
                         ids=["k > n", "k = 0", "init with the wrong number of rows",
                              "init with the wrong number of features", "n_init = 0", "max_iter = 0",
                              "negative tol"])
def test_rejects_bad_input(user, k, kw):
    """k outside 1..n, an init of the wrong shape, n_init or max_iter below 1, or tol < 0 raise ValueError"""
    X = EMPTY_X.copy()
    assert_raises_value_error(user.kmeans, X, k, what=f"kmeans(6 points, k={k}, {list(kw)})", **kw)


def test_rejects_one_dimensional_x(user):
    """X must be 2-D: a 1-D array raises ValueError"""
    assert_raises_value_error(user.kmeans, EMPTY_X.ravel(), 2, what="kmeans(1-D X, k=2)")
