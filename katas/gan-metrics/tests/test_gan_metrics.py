"""Hidden suite for the gan-metrics kata: FID and Inception Score against a SciPy reference."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import linalg
from scipy.special import rel_entr

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_close,
    assert_scalar_close,
    assert_raises_value_error,
    to_numpy,
)

RTOL = 1e-6


# ---------------------------------------------------------------- the SciPy reference


def sqrtm_product(s1, s2, eps):
    """sqrtm(s1 @ s2), or with eps on both diagonals when it is not finite (pytorch-fid)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        covmean = linalg.sqrtm(s1.dot(s2))
        finite = bool(np.isfinite(covmean).all())
        if not finite:
            offset = np.eye(s1.shape[0]) * eps
            covmean = linalg.sqrtm((s1 + offset).dot(s2 + offset))
    return covmean, finite


def ref_fid(mu1, s1, mu2, s2, eps=1e-6):
    covmean, _ = sqrtm_product(s1, s2, eps)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.real(np.trace(covmean)))


def ref_fid_no_eps(mu1, s1, mu2, s2):
    """The same formula without the fallback (NaN when sqrtm is not finite)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        covmean = linalg.sqrtm(s1.dot(s2))
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.real(np.trace(covmean)))


def exact_fid(mu1, s1, mu2, s2):
    """FID with tr((S1 S2)^(1/2)) = sum sqrt(eigenvalues of S1^(1/2) S2 S1^(1/2)) (symmetric, PSD)."""
    w, V = np.linalg.eigh(s1)
    r = (V * np.sqrt(np.clip(w, 0.0, None))) @ V.T
    lam = np.clip(np.linalg.eigvalsh(r @ s2 @ r), 0.0, None)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(lam).sum())


def exact_tolerance(s1, s2, value):
    """How far a correct square root of a singular product may land from the exact value.

    Round-off leaves each zero eigenvalue of S1 S2 at about d * 1e-16 * |S1| |S2|, and its square
    root (about 1e-8 for unit covariances) enters the trace: d of them, plus rtol 1e-6.
    """
    d = s1.shape[0]
    scale = np.linalg.norm(s1, 2) * np.linalg.norm(s2, 2)
    return d * np.sqrt(d * 1e-15 * scale) + RTOL * abs(value)


def check_singular_fid(got, mu1, s1, mu2, s2, eps, what, extra=()):
    """Rank-deficient statistics: the exact value (a finite square root needs no fallback), the
    eps fallback's value for this eps (rtol 1e-6), or one of `extra` (rtol 1e-6)."""
    if not np.isfinite(got):
        raise CheckFailure(f"{what}: expected a finite number, got {got!r} (is the eps fallback there?)")
    exact = exact_fid(mu1, s1, mu2, s2)
    if abs(got - exact) <= exact_tolerance(s1, s2, exact):
        return
    for c in (ref_fid(mu1, s1, mu2, s2, eps=eps), *extra):
        if np.isfinite(c) and abs(got - c) <= RTOL * abs(c):
            return
    raise CheckFailure(
        f"{what}: got {got!r}; expected either the exact value {exact!r} (within "
        f"{exact_tolerance(s1, s2, exact):.1e}) or the eps={eps:g} fallback's value "
        f"{ref_fid(mu1, s1, mu2, s2, eps=eps)!r} (rtol 1e-6)")


def stats(f):
    return f.mean(axis=0), np.cov(f, rowvar=False)


def ref_inception_score(probs, splits):
    m = len(probs) // splits
    scores = []
    for i in range(splits):
        part = probs[i * m:(i + 1) * m]
        py = part.mean(axis=0)
        kl = [rel_entr(row, py).sum() for row in part]
        scores.append(np.exp(np.mean(kl)))
    return float(np.mean(scores)), float(np.std(scores))


def real_number(value, what):
    """A real float (a complex result means the imaginary part was not dropped)."""
    if np.iscomplexobj(np.asarray(value)):
        raise CheckFailure(f"{what}: expected a real number, got the complex value {value!r} "
                           "(drop the imaginary part of the matrix square root)")
    arr = to_numpy(value, np.float64, what)
    if arr.size != 1:
        raise CheckFailure(f"{what}: expected a single number, got shape {arr.shape}")
    return float(arr.reshape(()))


# ---------------------------------------------------------------- data


def features(n, d, seed, shift=0.0, scale=1.0):
    """n samples of d correlated features: a random linear map of Gaussian noise."""
    rng = np.random.default_rng(seed)
    mix = rng.normal(size=(d, d)) / np.sqrt(d)
    return scale * rng.normal(size=(n, d)) @ mix + shift


# Four samples of four ReLU-like features, each set with a dead (constant) feature: the
# covariances have rank 3 and 2, and sqrtm(sigma1 @ sigma2) is not finite with SciPy's
# sqrtm, so the eps fallback decides the value.
DEAD_1 = np.array([[0, 2, 0, 0], [0, 1, 0, 2], [0, 0, 0, 0], [1, 0, 0, 0]], dtype=np.float64)
DEAD_2 = np.array([[2, 0, 1, 0], [1, 1, 1, 0], [2, 0, 0, 0], [0, 2, 2, 0]], dtype=np.float64)


def fid_cases():
    rng = np.random.default_rng(7)
    a = rng.normal(size=(3, 3))
    b = rng.normal(size=(3, 3))
    return {
        "2-d: sigma I vs 4I, means (0,0) vs (1,1)": (
            np.zeros(2), np.eye(2), np.ones(2), 4 * np.eye(2)),
        "3-d non-commuting covariances": (rng.normal(size=3), a @ a.T + 0.1 * np.eye(3),
                                          rng.normal(size=3), b @ b.T + 0.1 * np.eye(3)),
        "64-d, 500 samples each": (
            *stats(features(500, 64, 1)), *stats(features(500, 64, 2, shift=0.3))),
        "16-d, 300 vs 200 samples, scaled": (*stats(features(300, 16, 3)),
                                             *stats(features(200, 16, 4, shift=-0.5, scale=2.0))),
        "5-d, equal means": (np.zeros(5), np.diag([1.0, 2, 3, 4, 5]), np.zeros(5), np.eye(5)),
    }


FID_CASES = fid_cases()


# ---------------------------------------------------------------- frechet_distance


@pytest.mark.parametrize("case", list(FID_CASES), ids=list(FID_CASES))
def test_frechet_distance_matches_scipy_reference(user, case):
    """frechet_distance equals the SciPy reference (rtol 1e-6)"""
    mu1, s1, mu2, s2 = (x.copy() for x in FID_CASES[case])
    expected = ref_fid(mu1, s1, mu2, s2)
    got = real_number(user.frechet_distance(mu1.copy(), s1.copy(), mu2.copy(), s2.copy()), "FID")
    assert_scalar_close(got, expected, rtol=RTOL, atol=0, what=f"FID ({case})")


def test_frechet_distance_closed_form(user):
    """a 2-d example: N((0,0), I) vs N((1,1), 4I) is 2 + tr(I + 4I - 2*2I) = 4"""
    got = user.frechet_distance(np.zeros(2), np.eye(2), np.ones(2), 4 * np.eye(2))
    got = real_number(got, "FID")
    assert_scalar_close(got, 4.0, atol=1e-9, what="FID of the 2-d example")


@pytest.mark.parametrize("d", [1, 8, 32], ids=["1-d", "8-d", "32-d"])
def test_frechet_distance_zero_for_identical_statistics(user, d):
    """identical statistics give a distance of 0 (within 1e-6)"""
    mu, sigma = stats(features(200, d, 10 + d)) if d > 1 else (np.array([0.5]), np.array([[2.0]]))
    sigma = np.atleast_2d(sigma)
    got = real_number(user.frechet_distance(mu, sigma, mu.copy(), sigma.copy()), "FID")
    assert_scalar_close(got, 0.0, atol=1e-6, what=f"FID of identical {d}-d statistics")


@pytest.mark.parametrize("case", ["64-d, 500 samples each", "3-d non-commuting covariances"])
def test_frechet_distance_is_symmetric(user, case):
    """swapping the two distributions gives the same distance (rtol 1e-6)"""
    mu1, s1, mu2, s2 = FID_CASES[case]
    ab = real_number(user.frechet_distance(mu1, s1, mu2, s2), "FID(a, b)")
    ba = real_number(user.frechet_distance(mu2, s2, mu1, s1), "FID(b, a)")
    assert_scalar_close(ba, ab, rtol=RTOL, atol=0, what=f"FID(b, a) vs FID(a, b) ({case})")


def test_frechet_distance_eps_fallback_when_sqrtm_is_not_finite(user):
    """rank-deficient covariances give a finite FID: the exact value, or the eps fallback's for the given eps"""
    mu1, s1 = stats(DEAD_1)
    mu2, s2 = stats(DEAD_2)
    for eps in (1e-6, 1e-3):
        got = user.frechet_distance(mu1.copy(), s1.copy(), mu2.copy(), s2.copy(), eps=eps)
        got = real_number(got, "FID")
        check_singular_fid(got, mu1, s1, mu2, s2, eps, f"FID of rank-deficient covariances, eps={eps:g}")
    ab = real_number(user.frechet_distance(mu1, s1, mu2, s2), "FID(a, b)")
    ba = real_number(user.frechet_distance(mu2, s2, mu1, s1), "FID(b, a)")
    if not ab >= -exact_tolerance(s1, s2, ab):
        raise CheckFailure(f"FID of rank-deficient covariances: expected >= 0, got {ab!r}")
    assert_scalar_close(ba, ab, rtol=1e-3, atol=0,
                        what="FID(b, a) vs FID(a, b) for rank-deficient covariances")


def test_frechet_distance_returns_a_real_float(user):
    """the distance is a real number even when sqrtm returns a complex matrix"""
    mu1, s1 = stats(features(20, 64, 5))  # 20 samples of 64 features: rank 19
    mu2, s2 = stats(features(20, 64, 6, shift=0.2))
    got = real_number(user.frechet_distance(mu1, s1, mu2, s2), "FID")
    check_singular_fid(got, mu1, s1, mu2, s2, 1e-6, "FID of 20 samples of 64 features")


# ---------------------------------------------------------------- fid_from_features


FEATURE_CASES = {
    "64-d, 500 vs 500 samples": (features(500, 64, 1), features(500, 64, 2, shift=0.3)),
    "16-d, 300 vs 200 samples": (features(300, 16, 3), features(200, 16, 4, shift=-0.5, scale=2.0)),
    "8-d, 50 vs 1000 samples": (features(50, 8, 8), features(1000, 8, 9, scale=0.5)),
}


@pytest.mark.parametrize("case", list(FEATURE_CASES), ids=list(FEATURE_CASES))
def test_fid_from_features_matches_scipy_reference(user, case):
    """fid_from_features uses row means and np.cov (ddof 1) and equals the reference (rtol 1e-6)"""
    f1, f2 = FEATURE_CASES[case]
    expected = ref_fid(*stats(f1), *stats(f2))
    got = real_number(user.fid_from_features(f1.copy(), f2.copy()), "FID")
    assert_scalar_close(got, expected, rtol=RTOL, atol=0, what=f"FID from features ({case})")


@pytest.mark.parametrize(
    "case", ["4 samples of 4 features, dead features", "20 samples of 64 features"],
)
def test_fid_from_features_finite_for_rank_deficient_features(user, case):
    """rank-deficient features give a finite FID equal to the reference (rtol 1e-6)"""
    if case.startswith("4"):
        f1, f2 = DEAD_1, DEAD_2
    else:
        f1, f2 = features(20, 64, 5), features(20, 64, 6, shift=0.2)
    got = real_number(user.fid_from_features(f1.copy(), f2.copy()), "FID")
    if not np.isfinite(got):
        raise CheckFailure(f"FID ({case}): expected a finite number, got {got!r}")
    # Whether sqrtm is finite can hang on the last bit of a covariance computed another
    # way, so either branch of the rule is accepted here.
    check_singular_fid(got, *stats(f1), *stats(f2), 1e-6, f"FID ({case})",
                       extra=(ref_fid_no_eps(*stats(f1), *stats(f2)),))


# ---------------------------------------------------------------- inception_score


def dirichlet_probs(n, k, seed, alpha=0.3):
    return np.random.default_rng(seed).dirichlet(np.full(k, alpha), size=n)


def sparse_probs(n, k, seed):
    """Rows with exact zeros: each spreads its mass over 1-3 classes."""
    rng = np.random.default_rng(seed)
    p = np.zeros((n, k))
    for i in range(n):
        cls = rng.choice(k, size=rng.integers(1, 4), replace=False)
        p[i, cls] = rng.dirichlet(np.ones(len(cls)))
    return p


IS_CASES = {
    "1000 x 10, splits=10": (dirichlet_probs(1000, 10, 0), 10),
    "600 x 1000 classes, splits=3": (dirichlet_probs(600, 1000, 1, alpha=0.05), 3),
    "500 x 10, splits=1": (dirichlet_probs(500, 10, 2, alpha=1.0), 1),
    "rows with exact zeros, splits=5": (sparse_probs(500, 20, 3), 5),
}


@pytest.mark.parametrize("case", list(IS_CASES), ids=list(IS_CASES))
def test_inception_score_matches_scipy_reference(user, case):
    """inception_score (mean, std over consecutive splits) equals the reference (rtol 1e-6)"""
    probs, splits = IS_CASES[case]
    expected = ref_inception_score(probs, splits)
    got = user.inception_score(probs.copy(), splits=splits)
    got = to_numpy(got, np.float64, "(mean, std)")
    assert_close(got, np.array(expected), rtol=RTOL, atol=1e-12,
                 what=f"inception score (mean, std) ({case})")


def test_inception_score_default_splits_is_10(user):
    """inception_score without splits uses splits=10 (the 1000 x 10 case)"""
    probs, _ = IS_CASES["1000 x 10, splits=10"]
    got = to_numpy(user.inception_score(probs.copy()), np.float64, "(mean, std)")
    assert_close(got, np.array(ref_inception_score(probs, 10)), rtol=RTOL, atol=1e-12,
                 what="inception score (mean, std) of 1000 x 10 with the default splits (10)")


def test_inception_score_allows_one_row_per_split(user):
    """splits equal to the number of rows is allowed and scores (1, 0): each part's p(y) is its row"""
    probs = dirichlet_probs(40, 10, 4)
    got = to_numpy(user.inception_score(probs.copy(), splits=40), np.float64, "(mean, std)")
    assert_close(got, np.array([1.0, 0.0]), atol=1e-9,
                 what="inception score of 40 rows with splits=40 (one row per part)")


@pytest.mark.parametrize("k", [2, 10, 1000], ids=["2 classes", "10 classes", "1000 classes"])
def test_inception_score_is_one_for_uniform_predictions(user, k):
    """uniform predictions score (1, 0)"""
    probs = np.full((100, k), 1.0 / k)
    got = to_numpy(user.inception_score(probs, splits=10), np.float64, "(mean, std)")
    assert_close(got, np.array([1.0, 0.0]), atol=1e-9,
                 what=f"inception score of uniform {k}-class predictions")


@pytest.mark.parametrize("k", [2, 10, 100], ids=["2 classes", "10 classes", "100 classes"])
def test_inception_score_is_k_for_confident_balanced_predictions(user, k):
    """one-hot predictions, every class equally often in every split, score (K, 0)"""
    splits = 5
    probs = np.eye(k)[np.arange(k * splits * 3) % k]  # one-hot, classes cycling
    got = to_numpy(user.inception_score(probs, splits=splits), np.float64, "(mean, std)")
    assert_close(got, np.array([float(k), 0.0]), rtol=RTOL, atol=1e-9,
                 what=f"inception score of confident, balanced {k}-class predictions")


# ---------------------------------------------------------------- bad input


def test_bad_input_raises_value_error(user):
    """dimension mismatches and rows that are not probabilities raise ValueError"""
    mu, sigma = np.zeros(3), np.eye(3)
    assert_raises_value_error(user.frechet_distance, mu, sigma, np.zeros(4), np.eye(4),
                              what="frechet_distance with 3-d and 4-d statistics")
    assert_raises_value_error(user.frechet_distance, mu, sigma, np.zeros(3), np.eye(4),
                              what="frechet_distance with mu2 (3,) and sigma2 (4, 4)")
    assert_raises_value_error(user.fid_from_features, np.zeros((10, 3)), np.zeros((10, 4)),
                              what="fid_from_features with 3 and 4 features")
    probs = dirichlet_probs(100, 10, 4)
    logits = np.log(probs) + 1.0
    assert_raises_value_error(user.inception_score, logits, 10,
                              what="inception_score of log-probabilities")
    off = probs.copy()
    off[17] *= 1 + 1e-5
    assert_raises_value_error(user.inception_score, off, 10,
                              what="inception_score with a row summing to 1 + 1e-5")


def test_rows_within_tolerance_are_accepted(user):
    """rows that sum to 1 within 1e-6 are accepted"""
    probs = dirichlet_probs(100, 10, 5)
    probs[3] *= 1 + 1e-9
    got = to_numpy(user.inception_score(probs, splits=10), np.float64, "(mean, std)")
    assert_close(got, np.array(ref_inception_score(probs, 10)), rtol=RTOL, atol=1e-12,
                 what="inception score with a row summing to 1 + 1e-9")
