"""Hidden suite for the ab-testing kata: tests, intervals, sample sizes and BH against SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_at_most,
    assert_equal,
    assert_raises_value_error,
    assert_scalar_close,
    to_numpy,
)

ATOL = 1e-8
ALTERNATIVES = ["two-sided", "greater", "less"]


def pair(value, what):
    """A result that must be a pair of plain numbers."""
    arr = to_numpy(value, np.float64, what)
    if arr.shape != (2,):
        raise CheckFailure(f"{what}: expected a pair of numbers, got shape {arr.shape}")
    return float(arr[0]), float(arr[1])


def triple(value, what):
    arr = to_numpy(value, np.float64, what)
    if arr.shape != (3,):
        raise CheckFailure(f"{what}: expected (t, df, p), got shape {arr.shape}")
    return float(arr[0]), float(arr[1]), float(arr[2])


def p_from(stat, alternative, dist):
    if alternative == "two-sided":
        return 2 * dist.sf(abs(stat))
    return dist.sf(stat) if alternative == "greater" else dist.cdf(stat)


# ---------------------------------------------------------------- two-proportion z-test


def ref_ztest(x1, n1, x2, n2, alternative):
    pool = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    z = 0.0 if se == 0 else (x1 / n1 - x2 / n2) / se
    return z, p_from(z, alternative, stats.norm)


Z_CASES = {
    "120/1000 vs 100/1000": ((120, 100), (1000, 1000)),
    "45/500 vs 80/700 (B higher)": ((45, 80), (500, 700)),
    "7/20 vs 2/35 (small)": ((7, 2), (20, 35)),
    "3/4000 vs 9/3000 (rare)": ((3, 9), (4000, 3000)),
    "0/50 vs 6/60 (no successes in A)": ((0, 6), (50, 60)),
    "40/40 vs 30/45 (all successes in A)": ((40, 30), (40, 45)),
    "1/1 vs 3/10 (a single trial in A)": ((1, 3), (1, 10)),
}
Z_PARAMS = [(c, alt) for c in Z_CASES for alt in ALTERNATIVES]


@pytest.mark.parametrize("case, alternative", Z_PARAMS, ids=[f"{c}, {a}" for c, a in Z_PARAMS])
def test_ztest_matches_pooled_formula(user, case, alternative):
    """the two-proportion z-test uses the pooled standard error (z and p within 1e-8)"""
    (x1, x2), (n1, n2) = Z_CASES[case]
    z_exp, p_exp = ref_ztest(x1, n1, x2, n2, alternative)
    z, p = pair(user.two_proportion_ztest([x1, x2], [n1, n2], alternative=alternative), "(z, p)")
    assert_scalar_close(z, z_exp, atol=ATOL, rtol=1e-9, what=f"z ({case})")
    assert_scalar_close(p, p_exp, atol=ATOL, rtol=1e-9, what=f"p-value ({case}, {alternative})")


def test_ztest_default_is_two_sided(user):
    """the default alternative is two-sided"""
    z_exp, p_exp = ref_ztest(45, 500, 80, 700, "two-sided")
    z, p = pair(user.two_proportion_ztest((45, 80), (500, 700)), "(z, p)")
    assert_scalar_close(z, z_exp, atol=ATOL, what="z")
    assert_scalar_close(p, p_exp, atol=ATOL, what="two-sided p-value")


def test_ztest_one_sided_direction(user):
    """'greater' tests p_A > p_B: a lower rate in A gives p > 0.5, not half the two-sided p"""
    z, p_greater = pair(user.two_proportion_ztest((45, 80), (500, 700), "greater"), "(z, p)")
    _, p_less = pair(user.two_proportion_ztest((45, 80), (500, 700), "less"), "(z, p)")
    assert_at_most(z, 0.0, what="z when group A converts less")
    assert_scalar_close(p_greater + p_less, 1.0, atol=1e-12, what="p(greater) + p(less)")
    assert_at_most(p_less, 0.1, what="p(less) when A converts clearly less")


@pytest.mark.parametrize("successes, trials, alternative, expected", [
    ((0, 0), (30, 50), "two-sided", 1.0), ((30, 50), (30, 50), "two-sided", 1.0),
    ((0, 0), (30, 50), "greater", 0.5), ((30, 50), (30, 50), "less", 0.5),
], ids=["no successes anywhere", "all successes everywhere", "no successes, greater",
        "all successes, less"])
def test_ztest_degenerate_pool(user, successes, trials, alternative, expected):
    """with a pooled rate of 0 or 1 the z statistic is 0 (not NaN) and p follows from it"""
    z, p = pair(user.two_proportion_ztest(successes, trials, alternative), "(z, p)")
    assert_scalar_close(z, 0.0, atol=0, what="z with a pooled rate of 0 or 1")
    assert_scalar_close(p, expected, atol=1e-12, what="p-value with a pooled rate of 0 or 1")


@pytest.mark.parametrize("successes, trials, alternative", [
    ((5, 0), (10, 0), "two-sided"), ((11, 6), (10, 20), "two-sided"), ((-1, 6), (10, 20), "two-sided"),
    ((5, 6), (10, 20), "larger"), ((5, 6, 7), (10, 20, 30), "two-sided"),
], ids=["zero trials", "more successes than trials", "negative successes",
        "unknown alternative", "three groups"])
def test_ztest_rejects_bad_input(user, successes, trials, alternative):
    """bad counts or an unknown alternative raise ValueError"""
    assert_raises_value_error(user.two_proportion_ztest, successes, trials, alternative,
                              what=f"two_proportion_ztest({successes}, {trials}, {alternative!r})")


# ---------------------------------------------------------------- Welch's t-test


def samples(seed):
    rng = np.random.default_rng(seed)
    return {
        "12 vs 30, sd 1 vs 4": (rng.normal(0.0, 1.0, 12), rng.normal(0.8, 4.0, 30)),
        "200 vs 50, sd 3 vs 0.5": (rng.normal(10.0, 3.0, 200), rng.normal(9.6, 0.5, 50)),
        "5 vs 5, skewed": (rng.exponential(2.0, 5), rng.exponential(1.0, 5)),
        "2 vs 3": (np.array([1.0, 2.5]), np.array([0.0, 4.0, 9.0])),
        "1000 vs 999, equal sd": (rng.normal(0.0, 1.0, 1000), rng.normal(0.05, 1.0, 999)),
        "3 vs 2": (np.array([0.5, 1.5, 4.0]), np.array([2.0, 3.5])),
        "equal standard errors (1, 2, 3) vs (4, 5, 6)": (np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])),
    }


T_CASES = samples(3)
T_PARAMS = [(c, alt) for c in T_CASES for alt in ALTERNATIVES]


@pytest.mark.parametrize("case, alternative", T_PARAMS, ids=[f"{c}, {a}" for c, a in T_PARAMS])
def test_welch_matches_scipy(user, case, alternative):
    """Welch's t, df and p equal scipy.stats.ttest_ind(equal_var=False) (within 1e-8)"""
    a, b = T_CASES[case]
    ref = stats.ttest_ind(a, b, equal_var=False, alternative=alternative)
    t, df, p = triple(user.welch_ttest(a.copy(), b.copy(), alternative=alternative), "(t, df, p)")
    assert_scalar_close(t, ref.statistic, atol=ATOL, rtol=1e-9, what=f"t ({case})")
    assert_scalar_close(df, ref.df, atol=ATOL, rtol=1e-9, what=f"Welch-Satterthwaite df ({case})")
    assert_scalar_close(p, ref.pvalue, atol=ATOL, rtol=1e-9, what=f"p-value ({case}, {alternative})")


def test_welch_default_two_sided_and_order(user):
    """the default is two-sided and t is positive when mean(a) > mean(b)"""
    b, a = T_CASES["12 vs 30, sd 1 vs 4"]
    ref = stats.ttest_ind(a, b, equal_var=False)
    t, df, p = triple(user.welch_ttest(list(a), list(b)), "(t, df, p)")
    assert_scalar_close(t, ref.statistic, atol=ATOL, what="t (lists as input)")
    assert_scalar_close(df, ref.df, atol=ATOL, what="df (lists as input)")
    assert_scalar_close(p, ref.pvalue, atol=ATOL, what="two-sided p-value")


def test_welch_leaves_inputs_unchanged(user):
    """welch_ttest does not modify its inputs"""
    a, b = T_CASES["200 vs 50, sd 3 vs 0.5"]
    a0, b0 = a.copy(), b.copy()
    user.welch_ttest(a, b)
    assert_equal(a, a0, what="a after the call")
    assert_equal(b, b0, what="b after the call")


@pytest.mark.parametrize("a, b", [
    ([1.0], [1.0, 2.0, 3.0]), ([1.0, 2.0], [4.0]), ([2.0, 2.0, 2.0], [5.0, 5.0]),
    ([[1.0, 2.0], [3.0, 5.0]], [1.0, 2.0, 4.0]), ([1.0, 2.0, 4.0], [[1.0, 2.0], [3.0, 5.0]]),
], ids=["one value in a", "one value in b", "both samples constant", "a is 2-D", "b is 2-D"])
def test_welch_rejects_bad_input(user, a, b):
    """fewer than two values in a sample, or two constant samples, raise ValueError"""
    assert_raises_value_error(user.welch_ttest, np.array(a), np.array(b), what=f"welch_ttest({a}, {b})")


def test_welch_rejects_unknown_alternative(user):
    """an unknown alternative raises ValueError"""
    a, b = T_CASES["2 vs 3"]
    assert_raises_value_error(user.welch_ttest, a, b, alternative="bigger",
                              what="welch_ttest(..., alternative='bigger')")


# ---------------------------------------------------------------- Wilson interval


def ref_wilson(x, n, confidence):
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


W_CASES = [(12, 100, 0.95), (1, 3, 0.95), (470, 1000, 0.9), (5, 20, 0.99), (0, 15, 0.95),
           (15, 15, 0.95), (1, 1, 0.8), (999, 1000, 0.95)]


@pytest.mark.parametrize("x, n, confidence", W_CASES, ids=[f"{x}/{n} at {c}" for x, n, c in W_CASES])
def test_wilson_matches_formula(user, x, n, confidence):
    """the Wilson score interval, no continuity correction, equals the formula (within 1e-8)"""
    low, high = pair(user.wilson_interval(x, n, confidence=confidence), "(low, high)")
    exp_low, exp_high = ref_wilson(x, n, confidence)
    assert_scalar_close(low, exp_low, atol=ATOL, rtol=1e-9, what=f"lower bound for {x}/{n}")
    assert_scalar_close(high, exp_high, atol=ATOL, rtol=1e-9, what=f"upper bound for {x}/{n}")


def test_wilson_default_confidence_and_edges(user):
    """the default confidence is 0.95; 0 successes give a lower bound of 0, all give an upper of 1"""
    low, high = pair(user.wilson_interval(30, 200), "(low, high)")
    exp_low, exp_high = ref_wilson(30, 200, 0.95)
    assert_scalar_close(low, exp_low, atol=ATOL, what="lower bound, default confidence")
    assert_scalar_close(high, exp_high, atol=ATOL, what="upper bound, default confidence")
    low0, _ = pair(user.wilson_interval(0, 40), "(low, high)")
    _, high1 = pair(user.wilson_interval(40, 40), "(low, high)")
    assert_scalar_close(low0, 0.0, atol=1e-12, what="lower bound for 0/40")
    assert_scalar_close(high1, 1.0, atol=1e-12, what="upper bound for 40/40")


@pytest.mark.parametrize("x, n, confidence", [(0, 0, 0.95), (11, 10, 0.99), (-1, 10, 0.99),
                                              (2, 4, 1.0), (2, 4, 0.0)],
                         ids=["zero trials", "more successes than trials", "negative successes",
                              "confidence 1", "confidence 0"])
def test_wilson_rejects_bad_input(user, x, n, confidence):
    """impossible counts or a confidence outside (0, 1) raise ValueError"""
    assert_raises_value_error(user.wilson_interval, x, n, confidence,
                              what=f"wilson_interval({x}, {n}, {confidence})")


# ---------------------------------------------------------------- sample size and power


def ref_sample_size(p1, mde, alpha, power):
    p2 = p1 + mde
    pbar = (p1 + p2) / 2
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    root = za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(root**2 / mde**2)


N_CASES = [(0.1, 0.02, 0.05, 0.8), (0.3, -0.05, 0.05, 0.8), (0.5, 0.1, 0.01, 0.9),
           (0.02, 0.005, 0.05, 0.8), (0.6, 0.15, 0.1, 0.7), (0.25, 0.03, 0.05, 0.95)]


@pytest.mark.parametrize("p_base, mde, alpha, power", N_CASES,
                         ids=[f"{p} {m:+} alpha={a} power={b}" for p, m, a, b in N_CASES])
def test_sample_size_matches_formula(user, p_base, mde, alpha, power):
    """the sample size per arm equals the stated normal-approximation formula, rounded up"""
    expected = ref_sample_size(p_base, mde, alpha, power)
    got = user.sample_size_per_arm(p_base, mde, alpha=alpha, power=power)
    if not isinstance(got, (int, np.integer)) or isinstance(got, bool):
        raise CheckFailure(f"sample size: expected an int, got {type(got).__name__} {got!r}")
    assert_equal(np.array(int(got)), np.array(expected), what=f"sample size for {p_base} {mde:+}")


def test_sample_size_defaults(user):
    """the defaults are alpha = 0.05 and power = 0.8"""
    got = user.sample_size_per_arm(0.2, 0.04)
    assert_equal(np.array(int(got)), np.array(ref_sample_size(0.2, 0.04, 0.05, 0.8)),
                 what="sample_size_per_arm(0.2, 0.04)")


def simulated_power(n, p1, p2, alpha, draws, seed):
    """Share of simulated experiments (n users per arm) where the pooled z-test rejects."""
    rng = np.random.default_rng(seed)
    x1 = rng.binomial(n, p1, draws)
    x2 = rng.binomial(n, p2, draws)
    pool = (x1 + x2) / (2 * n)
    se = np.sqrt(pool * (1 - pool) * 2 / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (x1 - x2) / n / np.where(se > 0, se, 1), 0.0)
    return float((np.abs(z) > stats.norm.ppf(1 - alpha / 2)).mean())


P_CASES = [(0.1, 0.02, 0.05, 0.8), (0.3, -0.05, 0.05, 0.9), (0.05, 0.02, 0.01, 0.8)]


@pytest.mark.parametrize("p_base, mde, alpha, power", P_CASES,
                         ids=[f"{p} {m:+} alpha={a} power={b}" for p, m, a, b in P_CASES])
def test_sample_size_reaches_its_power_in_simulation(user, p_base, mde, alpha, power):
    """200,000 simulated experiments with that many users per arm reject at the asked power (+-0.03)"""
    n = int(user.sample_size_per_arm(p_base, mde, alpha=alpha, power=power))
    if n < 2:
        raise CheckFailure(f"sample size {n} is too small to simulate")
    got = simulated_power(n, p_base, p_base + mde, alpha, draws=200_000, seed=7)
    assert_scalar_close(got, power, atol=0.03, what=f"simulated power with n = {n} per arm")


@pytest.mark.parametrize("p_base, mde, alpha, power", [
    (0.0, 0.1, 0.05, 0.8), (0.95, 0.1, 0.05, 0.8), (0.3, 0.0, 0.05, 0.8), (0.3, 0.05, 1.2, 0.8),
    (0.3, 0.05, 0.05, 1.0), (0.3, -0.4, 0.05, 0.8), (1.0, -0.1, 0.05, 0.8), (0.5, 0.5, 0.05, 0.8),
    (0.25, -0.25, 0.05, 0.8), (0.3, 0.05, 0.0, 0.8), (0.3, 0.05, 1.0, 0.8), (0.3, 0.05, 0.05, 0.0),
], ids=["p_base 0", "p_base + mde above 1", "mde 0", "alpha above 1", "power 1",
        "p_base + mde below 0", "p_base 1", "p_base + mde exactly 1", "p_base + mde exactly 0",
        "alpha 0", "alpha 1", "power 0"])
def test_sample_size_rejects_bad_input(user, p_base, mde, alpha, power):
    """impossible rates, a zero MDE or alpha/power outside (0, 1) raise ValueError"""
    assert_raises_value_error(user.sample_size_per_arm, p_base, mde, alpha, power,
                              what=f"sample_size_per_arm({p_base}, {mde}, {alpha}, {power})")


# ---------------------------------------------------------------- Benjamini-Hochberg


def ref_bh(p, q):
    """Step-up rule, spelled out: the largest i with p_(i) <= i q / m, then the i smallest."""
    m = len(p)
    order = np.argsort(p, kind="stable")
    k = 0
    for i in range(m, 0, -1):
        if p[order[i - 1]] <= q * i / m:
            k = i
            break
    mask = np.zeros(m, dtype=bool)
    mask[order[:k]] = True
    return mask


def bool_mask(value, n, what):
    arr = np.asarray(to_numpy(value, None, what))
    if arr.dtype != np.bool_:
        raise CheckFailure(f"{what}: expected a bool array, got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise CheckFailure(f"{what}: expected shape ({n},), got {arr.shape}")
    return arr


def bh_cases():
    rng = np.random.default_rng(11)
    mixed = np.concatenate([rng.uniform(0, 1, 80), rng.beta(0.3, 8, 20)])
    rng.shuffle(mixed)
    return {
        "step-up beats step-down: (0.02, 0.03, 0.035, 0.048)": (np.array([0.048, 0.02, 0.035, 0.03]), 0.05),
        # q = 1/8 and m = 4: every threshold i q / m is exact in binary, whatever the order
        "p-values exactly on their thresholds": (np.array([0.09375, 0.5, 0.01, 0.0625]), 0.125),
        "tied p-values": (np.array([0.04, 0.01, 0.04, 0.04, 0.5, 0.04]), 0.05),
        "100 mixed p-values, q = 0.1": (mixed, 0.1),
        "100 mixed p-values, q = 0.05": (mixed, 0.05),
        "nothing significant": (np.array([0.2, 0.5, 0.9, 0.03]), 0.05),
        "all zeros and ones": (np.array([0.0, 1.0, 0.0, 1.0]), 0.05),
        "a single p-value": (np.array([0.04]), 0.05),
    }


BH_CASES = bh_cases()


@pytest.mark.parametrize("case", list(BH_CASES), ids=list(BH_CASES))
def test_bh_matches_step_up_rule(user, case):
    """the BH mask equals the step-up rule, in the input's order"""
    p, q = BH_CASES[case]
    expected = ref_bh(p, q)
    got = bool_mask(user.benjamini_hochberg(p.copy(), q=q), len(p), "BH mask")
    assert_equal(got, expected, what=f"rejections ({case})")


def test_bh_agrees_with_scipy(user):
    """rejections equal scipy's false_discovery_control adjusted p-values <= q"""
    p, q = BH_CASES["100 mixed p-values, q = 0.1"]
    expected = stats.false_discovery_control(p, method="bh") <= q
    got = bool_mask(user.benjamini_hochberg(list(p), q=q), len(p), "BH mask")
    assert_equal(got, expected, what="rejections vs scipy")


def test_bh_default_q_empty_and_unchanged_input(user):
    """q defaults to 0.05, an empty list gives an empty mask, and the input is not modified"""
    p = np.array([0.05, 0.02, 0.035, 0.03, 0.001, 0.9])
    p0 = p.copy()
    got = bool_mask(user.benjamini_hochberg(p), len(p), "BH mask")
    assert_equal(got, ref_bh(p0, 0.05), what="rejections with the default q")
    assert_equal(p, p0, what="p-values after the call")
    bool_mask(user.benjamini_hochberg(np.array([])), 0, "BH mask of no p-values")


@pytest.mark.parametrize("p, q", [([0.1, 1.2], 0.05), ([-0.01, 0.3], 0.05), ([0.1, np.nan], 0.05),
                                  ([0.1, 0.2], 0.0), ([0.1, 0.2], 1.5), ([0.1, 0.2], 1.0)],
                         ids=["p above 1", "negative p", "NaN p", "q = 0", "q above 1", "q = 1"])
def test_bh_rejects_bad_input(user, p, q):
    """p-values outside [0, 1] or q outside (0, 1) raise ValueError"""
    assert_raises_value_error(user.benjamini_hochberg, np.array(p), q, what=f"benjamini_hochberg({p}, {q})")
