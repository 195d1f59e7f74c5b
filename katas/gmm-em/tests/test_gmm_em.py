"""Hidden suite for the gmm-em kata: EM steps against a SciPy reference, log-space stability."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal
from sklearn.mixture import GaussianMixture

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_at_least,
    assert_close,
    assert_equal,
    assert_raises_value_error,
    assert_scalar_close,
    to_numpy,
)
from nnquiz.grading.katalib import seeding
from nnquiz.grading.katalib.data import dataset

# ---------------------------------------------------------------- the SciPy reference


def log_joint(X, w, mu, cov):
    """(n, k) log w_j + log N(x | mu_j, Sigma_j) with scipy.stats.multivariate_normal."""
    return np.stack([np.log(w[j]) + multivariate_normal(mu[j], cov[j]).logpdf(X) for j in range(len(w))], 1)


def mean_loglik(X, w, mu, cov):
    return float(logsumexp(log_joint(X, w, mu, cov), axis=1).mean())


def m_step(X, resp, reg):
    nk = resp.sum(0)
    mu = resp.T @ X / nk[:, None]
    cov = np.stack([(resp[:, j, None] * (X - mu[j])).T @ (X - mu[j]) / nk[j] + reg * np.eye(X.shape[1])
                    for j in range(resp.shape[1])])
    return nk / len(X), mu, cov


def reference_em(X, init_means, n_iter, reg):
    """Hard assignment to the nearest initial mean, one M-step, then exactly n_iter EM iterations."""
    nearest = ((X[:, None, :] - init_means[None]) ** 2).sum(-1).argmin(1)
    params = m_step(X, np.eye(len(init_means))[nearest], reg)
    history = [mean_loglik(X, *params)]
    for _ in range(n_iter):
        lj = log_joint(X, *params)
        resp = np.exp(lj - logsumexp(lj, axis=1, keepdims=True))
        params = m_step(X, resp, reg)
        history.append(mean_loglik(X, *params))
    return params, history


# ---------------------------------------------------------------- data


def blobs(seed=0):
    """Three 2-D Gaussian blobs with different shapes and sizes (150, 100, 80 points)."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 6.0]])
    covs = [np.array([[1.0, 0.5], [0.5, 1.0]]), np.array([[2.0, -0.3], [-0.3, 0.5]]), 0.7 * np.eye(2)]
    return np.concatenate([rng.multivariate_normal(c, s, size=m) for c, s, m in zip(centres, covs, [150, 100, 80])])


BLOB_START = np.array([[0.5, 0.5], [4.0, 0.0], [0.0, 5.0]])
IRIS_START = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.5, 2.0]])


def run(user, X, k, **kw):
    """Call fit_gmm; check shapes; return float arrays (weights, means, covariances, history)."""
    out = user.fit_gmm(X.copy(), k, **kw)
    if not isinstance(out, tuple) or len(out) != 4:
        raise CheckFailure("fit_gmm must return a tuple (weights, means, covariances, history)")
    d = X.shape[1]
    w = to_numpy(out[0], np.float64, "weights")
    mu = to_numpy(out[1], np.float64, "means")
    cov = to_numpy(out[2], np.float64, "covariances")
    hist = to_numpy(out[3], np.float64, "log_likelihood_history")
    for arr, shape, what in ((w, (k,), "weights"), (mu, (k, d), "means"), (cov, (k, d, d), "covariances")):
        if arr.shape != shape:
            raise CheckFailure(f"{what}: expected shape {shape}, got {arr.shape}")
    if hist.ndim != 1 or hist.size < 2:
        raise CheckFailure(f"log_likelihood_history: expected a 1-D list of at least 2 values, got shape {hist.shape}")
    if not (np.isfinite(w).all() and np.isfinite(mu).all() and np.isfinite(cov).all() and np.isfinite(hist).all()):
        raise CheckFailure("fit_gmm returned NaN or inf (responsibilities in linear space underflow: use log-sum-exp)")
    return w, mu, cov, hist


# ---------------------------------------------------------------- exact EM steps


STEP_CASES = {
    "blobs, 1 iteration": ("blobs", 1), "blobs, 5 iterations": ("blobs", 5),
    "blobs, 25 iterations": ("blobs", 25), "iris, 8 iterations": ("iris", 8),
}


def step_data(name):
    return (blobs(), BLOB_START) if name == "blobs" else (dataset("iris")[0], IRIS_START)


@pytest.mark.parametrize("case", list(STEP_CASES), ids=list(STEP_CASES))
def test_em_iterations_equal_the_reference(user, case):
    """from given init_means with tol = 0, exactly max_iter EM iterations equal the SciPy reference (rtol 1e-7)"""
    name, n_iter = STEP_CASES[case]
    X, start = step_data(name)
    (w_exp, mu_exp, cov_exp), hist_exp = reference_em(X, start, n_iter, 1e-6)
    w, mu, cov, hist = run(user, X, len(start), max_iter=n_iter, tol=0.0, init_means=start.copy())
    assert_close(hist, hist_exp, rtol=1e-9, atol=1e-12, what=f"log-likelihood history ({case})")
    assert_close(w, w_exp, rtol=1e-7, atol=1e-12, what=f"weights ({case})")
    assert_close(mu, mu_exp, rtol=1e-7, atol=1e-10, what=f"means ({case})")
    assert_close(cov, cov_exp, rtol=1e-7, atol=1e-10, what=f"covariances ({case})")


def test_default_max_iter_is_100(user):
    """max_iter defaults to 100: with tol = 0 the history holds the start and 100 iterations"""
    hist = run(user, blobs(), 3, tol=0.0, init_means=BLOB_START.copy())[3]
    n = len(to_numpy(hist, what="log-likelihood history"))
    if n != 101:
        raise CheckFailure(f"history length with tol = 0 and the default max_iter: expected 101, got {n}")


@pytest.mark.parametrize("reg", [0.0, 1e-3, 0.5], ids=["reg_covar 0", "reg_covar 1e-3", "reg_covar 0.5"])
def test_reg_covar_on_the_diagonal(user, reg):
    """reg_covar is added to every covariance's diagonal, in every M-step"""
    X = blobs()
    (w_exp, mu_exp, cov_exp), hist_exp = reference_em(X, BLOB_START, 3, reg)
    w, mu, cov, hist = run(user, X, 3, max_iter=3, tol=0.0, reg_covar=reg, init_means=BLOB_START.copy())
    assert_close(w, w_exp, rtol=1e-7, atol=1e-12, what=f"weights with reg_covar={reg}")
    assert_close(mu, mu_exp, rtol=1e-7, atol=1e-10, what=f"means with reg_covar={reg}")
    assert_close(cov, cov_exp, rtol=1e-7, atol=1e-10, what=f"covariances with reg_covar={reg}")
    assert_close(hist, hist_exp, rtol=1e-9, atol=1e-12, what=f"history with reg_covar={reg}")


# ---------------------------------------------------------------- default fits


FITS = {"blobs, k=3": (blobs, 3), "iris, k=2": (lambda: dataset("iris")[0], 2)}


@pytest.fixture(scope="module")
def fits(user):
    return {name: (make(), k, run(user, make(), k)) for name, (make, k) in FITS.items()}


@pytest.mark.parametrize("name", list(FITS), ids=list(FITS))
def test_history_never_decreases(fits, name):
    """the log-likelihood history never decreases (beyond 1e-9)"""
    _, _, (_, _, _, hist) = fits[name]
    drop = hist[:-1] - hist[1:]
    if (drop > 1e-9).any():
        i = int(np.argmax(drop))
        raise CheckFailure(f"{name}: the mean log-likelihood fell from {hist[i]:.12g} to {hist[i + 1]:.12g} "
                           f"at iteration {i + 1}")


@pytest.mark.parametrize("name", list(FITS), ids=list(FITS))
def test_last_history_value_belongs_to_the_returned_parameters(fits, name):
    """the last history value is the mean log-likelihood of the returned parameters (rtol 1e-9)"""
    X, _, (w, mu, cov, hist) = fits[name]
    assert_scalar_close(hist[-1], mean_loglik(X, w, mu, cov), rtol=1e-9, atol=1e-12,
                        what=f"last history value vs the returned parameters ({name})")


@pytest.mark.parametrize("name", list(FITS), ids=list(FITS))
def test_stops_by_tol_or_max_iter(fits, name):
    """it stops at the first iteration whose change is below tol, or after max_iter iterations"""
    _, _, (_, _, _, hist) = fits[name]
    steps = np.abs(np.diff(hist))
    if len(steps) > 100:
        raise CheckFailure(f"{name}: {len(steps)} iterations with max_iter = 100")
    if (steps[:-1] < 1e-3).any():
        raise CheckFailure(f"{name}: the change {steps[:-1].min():.3g} was below tol = 1e-3 before the last "
                           "iteration, but EM went on")
    if len(steps) < 100 and steps[-1] >= 1e-3:
        raise CheckFailure(f"{name}: stopped after {len(steps)} iterations with a last change of "
                           f"{steps[-1]:.3g} >= tol")


@pytest.mark.parametrize("name", list(FITS), ids=list(FITS))
def test_final_loglik_close_to_sklearn(fits, ref_cache, name):
    """the final mean log-likelihood is at least sklearn's GaussianMixture(k, random_state=0) - 0.01"""
    X, k, (_, _, _, hist) = fits[name]
    ref = ref_cache.get(f"sklearn-gmm-{name}", lambda: float(GaussianMixture(k, random_state=0).fit(X).score(X)))
    assert_at_least(hist[-1], ref - 0.01, what=f"final mean log-likelihood on {name} (sklearn {ref:.4f})")


@pytest.mark.parametrize("name", list(FITS), ids=list(FITS))
def test_weights_and_covariances_are_valid(fits, name):
    """weights sum to 1 and each covariance is symmetric with eigenvalues >= reg_covar"""
    _, _, (w, _, cov, _) = fits[name]
    assert_scalar_close(w.sum(), 1.0, atol=1e-9, what="sum of weights")
    assert_close(cov, np.transpose(cov, (0, 2, 1)), atol=1e-12, rtol=1e-12, what="covariances vs their transposes")
    low = min(float(np.linalg.eigvalsh(c).min()) for c in cov)
    assert_at_least(low, 1e-6 * (1 - 1e-6), what="smallest covariance eigenvalue")


def test_same_seed_same_result_and_input_unchanged(user):
    """the same seed gives the same fit, and X is not modified"""
    X = blobs(1)
    X0 = X.copy()
    a = user.fit_gmm(X, 3, seed=5)
    assert_equal(X, X0, what="X after fit_gmm")
    b = run(user, X, 3, seed=5)
    for got, exp, what in zip(b, a, ("weights", "means", "covariances", "history")):
        assert_close(got, exp, atol=0, what=f"{what} of two runs with seed 5")


def test_one_component_and_one_per_point(user):
    """k = 1 is the sample mean and the biased covariance + reg_covar; k = n runs and stays finite; X may be a list"""
    X = blobs(4)[::7]
    w, mu, cov, hist = run(user, X, 1)
    assert_close(w, [1.0], atol=1e-12, what="weight for k = 1")
    assert_close(mu[0], X.mean(0), rtol=1e-10, atol=1e-12, what="mean for k = 1")
    assert_close(cov[0], np.cov(X.T, bias=True) + 1e-6 * np.eye(2), rtol=1e-9, atol=1e-12,
                 what="covariance for k = 1 (divide by n, plus reg_covar)")
    assert_scalar_close(hist[-1], mean_loglik(X, w, mu, cov), rtol=1e-9, what="history for k = 1")
    one = run(user, X[:1], 1)
    assert_close(one[1], X[:1], rtol=1e-12, atol=1e-12, what="the mean of a single point")
    small = X[:4]
    out = user.fit_gmm(small.tolist(), 4, max_iter=3)
    if not all(np.isfinite(to_numpy(part, np.float64, "k = n output")).all() for part in out):
        raise CheckFailure("fit_gmm with k = n (one point per component) returned NaN or inf")


# ---------------------------------------------------------------- the k-means++ start

@pytest.mark.parametrize("k, scale", [(2, 0.01), (3, 1.0)], ids=["k=2, points 0, 0.01, 0.03, 0.07", "k=3, points 0, 1, 3, 7"])
def test_kmeans_plusplus_samples_by_squared_distance(user, k, scale):
    """kmeans_plusplus picks the first centre uniformly and each next with probability D(x)^2 / sum D^2 (chi-square)"""
    seeding.check_d2_sampling(user.kmeans_plusplus, scale * seeding.LINE, k, draws=8000)


def test_kmeans_plusplus_with_too_few_distinct_points(user):
    """when every remaining D^2 is 0 (fewer distinct rows than k), centres are still rows of X (X may be a list)"""
    seeding.check_too_few_distinct_rows(user.kmeans_plusplus)


def test_default_seed_is_zero(user):
    """the default seed is 0"""
    X = blobs(1)
    a = run(user, X, 3, max_iter=3)
    b = run(user, X, 3, max_iter=3, seed=0)
    for got, exp, what in zip(a, b, ("weights", "means", "covariances", "history")):
        assert_close(got, exp, atol=0, what=f"{what} with the default seed vs seed=0")


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["seed 0", "seed 1", "seed 2"])
def test_fit_starts_from_kmeans_plusplus_with_the_seed(user, seed):
    """fit_gmm(seed=s) equals fit_gmm(init_means=kmeans_plusplus(X, k, np.random.default_rng(s)))"""
    X = dataset("iris")[0]
    centres = to_numpy(user.kmeans_plusplus(X.copy(), 3, np.random.default_rng(seed)), np.float64, "centres")
    a = run(user, X, 3, max_iter=4, tol=0.0, seed=seed)
    b = run(user, X, 3, max_iter=4, tol=0.0, init_means=centres)
    for got, exp, what in zip(a, b, ("weights", "means", "covariances", "history")):
        assert_close(got, exp, rtol=1e-12, atol=1e-12, what=f"{what}: seed {seed} vs its k-means++ centres")


# ---------------------------------------------------------------- numerical stability

SCALE = 1e120  # 3-D data this large puts every log-density near -830: exp underflows to 0


def test_log_space_survives_underflow(user):
    """data scaled by 1e120 (every density underflows exp) gives the same fit, rescaled"""
    rng = np.random.default_rng(3)
    X = np.concatenate([rng.normal(c, 1.0, size=(60, 3)) for c in ([0, 0, 0], [6, 0, 2], [0, 5, 5])])
    start = np.array([[1.0, 0.0, 0.0], [5.0, 1.0, 1.0], [0.0, 4.0, 4.0]])
    small = run(user, X, 3, max_iter=10, tol=0.0, init_means=start.copy())
    big = run(user, SCALE * X, 3, max_iter=10, tol=0.0, reg_covar=1e-6 * SCALE**2, init_means=SCALE * start)
    assert_close(big[0], small[0], rtol=1e-7, atol=1e-12, what="weights on data scaled by 1e120")
    assert_close(big[1] / SCALE, small[1], rtol=1e-7, atol=1e-10, what="means / 1e120")
    assert_close(big[2] / SCALE**2, small[2], rtol=1e-7, atol=1e-10, what="covariances / 1e240")
    assert_close(big[3] + 3 * np.log(SCALE), small[3], rtol=1e-9, atol=1e-9,
                 what="history + 3 log(1e120) vs the unscaled history")


def test_collapsed_component_stays_finite(user):
    """a component sitting on 25 copies of one point keeps covariance reg_covar * I and finite values"""
    X = np.concatenate([blobs(2)[:200], np.tile([[9.0, -4.0]], (25, 1))])
    start = np.array([[0.0, 0.0], [5.0, 1.0], [9.0, -4.0]])
    w, mu, cov, hist = run(user, X, 3, max_iter=15, tol=0.0, init_means=start.copy())
    assert_close(cov[2], 1e-6 * np.eye(2), atol=1e-12, what="covariance of the collapsed component")
    assert_close(mu[2], [9.0, -4.0], atol=1e-9, what="mean of the collapsed component")
    assert_scalar_close(w[2], 25 / 225, rtol=1e-9, what="weight of the collapsed component")
    (w_exp, mu_exp, cov_exp), hist_exp = reference_em(X, start, 15, 1e-6)
    assert_close(hist, hist_exp, rtol=1e-9, atol=1e-9, what="history with a collapsed component")
    assert_close(w, w_exp, rtol=1e-7, atol=1e-12, what="weights with a collapsed component")
    assert_close(mu, mu_exp, rtol=1e-7, atol=1e-10, what="means with a collapsed component")
    assert_close(cov, cov_exp, rtol=1e-7, atol=1e-10, what="covariances with a collapsed component")


# ---------------------------------------------------------------- bad input


BAD = {
    "k > n": (4, {}), "k = 0": (0, {}), "negative reg_covar": (2, {"reg_covar": -1e-6}),
    "max_iter = 0": (2, {"max_iter": 0}), "negative tol": (2, {"tol": -1.0}),
    "init_means of the wrong shape": (2, {"init_means": np.zeros((3, 2))}),
    "X is 1-D": (1, {"flat": True}),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_rejects_bad_input(user, case):
    """bad k, reg_covar, max_iter, tol, init_means or a 1-D X raise ValueError"""
    k, kw = BAD[case][0], dict(BAD[case][1])
    X = np.array([[0.0, 1.0], [2.0, 0.5], [1.0, 3.0]])
    if kw.pop("flat", False):
        X = X.ravel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_raises_value_error(user.fit_gmm, X, k, what=case, **kw)
