"""Hidden suite for the decoding kata: greedy, sampling with temperature/top-k/top-p, beam search."""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import pytest
from scipy.stats import chisquare

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_equal,
    assert_raises_value_error,
    require,
)

N_DRAWS = 20_000
MIN_P_VALUE = 1e-6   # chi-square p-value below which a sampling distribution is rejected


def tokens_of(value, what):
    """The user's tokens as a list of Python ints, or a clear failure."""
    try:
        out = list(value)
    except TypeError:
        raise CheckFailure(f"{what}: expected a list of token ids, got {type(value).__name__}") from None
    for t in out:
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)):
            raise CheckFailure(f"{what}: token ids must be ints, got {t!r} ({type(t).__name__})")
    return [int(t) for t in out]


class RandomModel:
    """next_logits(prefix): logits fixed by a hash of the prefix (a deterministic toy LM); records calls."""

    def __init__(self, vocab, seed, scale=2.0):
        self.vocab, self.seed, self.scale = vocab, seed, scale
        self.calls = []

    def __call__(self, prefix):
        key = tuple(int(t) for t in prefix)
        self.calls.append(key)
        h = zlib.crc32(repr((self.seed, key)).encode())
        return self.scale * np.random.default_rng(h).standard_normal(self.vocab)


class FixedModel:
    """The same logits whatever the prefix."""

    def __init__(self, logits):
        self.logits = np.asarray(logits, dtype=np.float64)

    def __call__(self, prefix):
        return self.logits.copy()


def log_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    m = z.max()
    return z - m - np.log(np.exp(z - m).sum())


# ---------------------------------------------------------------- greedy

def greedy_rule(model, prompt, max_new, eos_id):
    out = []
    for _ in range(max_new):
        t = int(np.argmax(model(list(prompt) + out)))
        out.append(t)
        if t == eos_id:
            break
    return out


GREEDY_CASES = [(v, seed, prompt, max_new, eos) for v, seed, prompt, max_new, eos in [
    (5, 0, [1, 2], 8, None), (7, 1, [], 10, None), (4, 2, [3], 12, 0), (10, 3, [0, 0, 0], 6, 7),
    (3, 4, [2], 15, 1), (6, 5, [5, 4], 0, None),
]]


@pytest.mark.parametrize("vocab, seed, prompt, max_new, eos_id", GREEDY_CASES,
                         ids=[f"V={c[0]}, prompt {c[2]}, max_new={c[3]}, eos={c[4]}" for c in GREEDY_CASES])
def test_greedy_is_exact(user, vocab, seed, prompt, max_new, eos_id):
    """greedy takes the argmax at each step, feeds prompt + tokens so far, and stops after eos"""
    expected = greedy_rule(RandomModel(vocab, seed), prompt, max_new, eos_id)
    model = RandomModel(vocab, seed)
    given = list(prompt)
    got = tokens_of(user.greedy(model, given, max_new, eos_id=eos_id), what="greedy")
    assert_equal(got, expected, what=f"greedy tokens (V={vocab}, max_new={max_new}, eos={eos_id})")
    require(given == prompt, f"greedy modified the prompt list: {given}")
    require(model.calls == [tuple(prompt) + tuple(expected[:i]) for i in range(len(expected))],
            f"next_logits must be called once per new token with prompt + tokens so far; calls were {model.calls[:6]}")


def test_greedy_stops_at_eos_and_keeps_it(user):
    """generation stops right after eos_id, which is part of the output; without eos it runs max_new steps"""
    model = lambda prefix: np.eye(5)[(len(prefix) + 1) % 5] * 3.0   # noqa: E731  next token = (len + 1) % 5
    assert_equal(tokens_of(user.greedy(model, [9, 9], 10, eos_id=0), "greedy"), [3, 4, 0], what="greedy with eos_id=0")
    assert_equal(tokens_of(user.greedy(model, [9, 9], 6), "greedy"), [3, 4, 0, 1, 2, 3], what="greedy without eos")
    assert_equal(tokens_of(user.greedy(model, [9, 9], 2, eos_id=0), "greedy"), [3, 4], what="greedy, max_new before eos")


def test_greedy_ties_go_to_the_lowest_id(user):
    """a tie between the highest logits goes to the lowest token id"""
    model = FixedModel([0.0, 2.0, -1.0, 2.0, 2.0])
    assert_equal(tokens_of(user.greedy(model, [], 3), "greedy"), [1, 1, 1], what="greedy with tied maxima")


# ---------------------------------------------------------------- sampling distributions

def draw_counts(user, logits, vocab, seed, **kwargs):
    rng = np.random.default_rng(seed)
    model = FixedModel(logits)
    counts = np.zeros(vocab, dtype=np.int64)
    for _ in range(N_DRAWS):
        out = tokens_of(user.sample(model, [0], 1, rng, **kwargs), what="sample(max_new=1)")
        if len(out) != 1 or not 0 <= out[0] < vocab:
            raise CheckFailure(f"sample(..., max_new=1) must return one token id in 0..{vocab - 1}, got {out}")
        counts[out[0]] += 1
    return counts


def check_distribution(counts, expected, what):
    expected = np.asarray(expected, dtype=np.float64)
    outside = np.nonzero((expected == 0) & (counts > 0))[0]
    if len(outside):
        raise CheckFailure(f"{what}: token {int(outside[0])} should never be drawn (probability 0), "
                           f"drawn {int(counts[outside[0]])} times of {N_DRAWS}; counts {counts.tolist()}")
    keep = expected > 0
    if keep.sum() > 1:
        stat, pvalue = chisquare(counts[keep], N_DRAWS * expected[keep] / expected[keep].sum())
        if pvalue < MIN_P_VALUE:
            raise CheckFailure(f"{what}: draws do not follow the expected distribution (chi-square p = {pvalue:.2e}); "
                               f"expected frequencies {np.round(expected, 4).tolist()}, "
                               f"got {np.round(counts / N_DRAWS, 4).tolist()}")


def probs_logits(probs):
    return np.log(np.asarray(probs, dtype=np.float64))


P5 = [0.35, 0.25, 0.2, 0.1, 0.1]
SAMPLING_CASES = {
    "temperature 1": (np.array([2.0, 1.0, 0.5, 0.0, -1.0, -3.0]), {}, None),
    "temperature 0.5 divides the logits": (np.array([1.0, 0.5, 0.0, -0.5]), {"temperature": 0.5}, None),
    "temperature 3 flattens": (np.array([3.0, 1.0, 0.0, -2.0]), {"temperature": 3.0}, None),
    "top_k=2": (np.array([0.3, 2.0, -1.0, 1.5, 0.0]), {"top_k": 2}, None),
    "top_k=2 keeps every tie with the 2nd logit": (np.array([3.0, 1.0, 1.0, 1.0, 0.0]), {"top_k": 2}, None),
    "top_p=0.65 keeps the token that crosses p": (probs_logits([0.4, 0.3, 0.2, 0.1]), {"top_p": 0.65},
                                                 [4 / 7, 3 / 7, 0, 0]),
    "top_p=0.6 keeps ties with the crossing token": (probs_logits([0.2, 0.5, 0.1, 0.2]), {"top_p": 0.6},
                                                    [2 / 9, 5 / 9, 0, 2 / 9]),
    "top_p=0.3 keeps only the top token when it reaches p": (probs_logits([0.1, 0.6, 0.3]), {"top_p": 0.3},
                                                             [0, 1, 0]),
    "top_k=3 then top_p=0.7 on the renormalised three": (probs_logits(P5), {"top_k": 3, "top_p": 0.7},
                                                         [0.35 / 0.6, 0.25 / 0.6, 0, 0, 0]),
    "temperature 2, top_k=3, top_p=0.9": (np.array([2.0, 0.0, 1.0, -1.0, 0.5]),
                                          {"temperature": 2.0, "top_k": 3, "top_p": 0.9}, None),
    "top_p=1 and top_k >= vocabulary keep everything": (np.array([0.5, -0.5, 1.0]), {"top_p": 1.0, "top_k": 10}, None),
    "-inf logits are never drawn": (np.array([0.0, -np.inf, 1.0, -np.inf]), {}, None),
}


def expected_probs(logits, temperature=1.0, top_k=None, top_p=None):
    """The rule written out: softmax(z / T), top-k (ties kept), top-p on the renormalised rest (ties kept)."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    if top_k is not None:
        kth = np.sort(z)[::-1][min(top_k, len(z)) - 1]
        z = np.where(z >= kth, z, -np.inf)
    p = np.exp(z - z.max())
    p /= p.sum()
    if top_p is not None:
        order = np.sort(p)[::-1]
        total, crossing = 0.0, order[-1]
        for q in order:
            total += q
            if total >= top_p:
                crossing = q
                break
        p = np.where(p >= crossing, p, 0.0)
        p /= p.sum()
    return p


def test_temperature_zero_is_greedy(user):
    """temperature 0 gives exactly the greedy tokens"""
    for seed in range(5):
        expected = greedy_rule(RandomModel(8, seed), [1], 12, eos_id=3)
        got = tokens_of(user.sample(RandomModel(8, seed), [1], 12, np.random.default_rng(seed),
                                    temperature=0.0, eos_id=3), what="sample(temperature=0)")
        assert_equal(got, expected, what=f"sample with temperature 0 (model seed {seed})")


def test_sampling_feeds_the_prefix_and_stops_at_eos(user):
    """sample calls next_logits with prompt + tokens so far and stops right after eos_id"""
    # the only possible next token is (last token + 1) % 6: every other logit is -inf
    def model(prefix):
        z = np.full(6, -np.inf)
        z[(prefix[-1] + 1) % 6] = 0.0
        return z

    rng = np.random.default_rng(0)
    assert_equal(tokens_of(user.sample(model, [2], 10, rng, eos_id=5), "sample"), [3, 4, 5], what="sample with eos_id=5")
    assert_equal(tokens_of(user.sample(model, [4, 2], 5, rng, top_k=1), "sample"), [3, 4, 5, 0, 1],
                 what="sample without eos")
    assert_equal(tokens_of(user.sample(model, [0], 0, rng), "sample"), [], what="sample with max_new=0")


def test_sampling_is_reproducible_and_uses_rng(user):
    """the same seeded rng gives the same tokens; another seed gives other tokens"""
    runs = [tokens_of(user.sample(RandomModel(20, 7, scale=0.5), [0], 30, np.random.default_rng(s), top_p=0.95),
                      what="sample") for s in (11, 11, 12)]
    assert_equal(runs[1], runs[0], what="tokens from a second run with the same seed")
    require(runs[2] != runs[0], "two different rng seeds gave the same 30 tokens: draw from the rng you are given")


@pytest.mark.parametrize("kwargs", [{"temperature": -0.5}, {"top_k": 0}, {"top_p": 0.0}, {"top_p": 1.5}],
                         ids=["temperature < 0", "top_k = 0", "top_p = 0", "top_p > 1"])
def test_bad_sampling_settings_are_rejected(user, kwargs):
    """sample raises ValueError for a negative temperature, top_k < 1 or top_p outside (0, 1]"""
    assert_raises_value_error(user.sample, FixedModel([0.0, 1.0]), [0], 3, np.random.default_rng(0),
                              what=f"sample(..., {kwargs})", **kwargs)


# ---------------------------------------------------------------- beam search

def exhaustive(model, prompt, max_new, eos_id, length_penalty, vocab):
    """Best sequence over all sequences ending in eos or reaching max_new, with the normalised score."""
    scored = []
    for n in range(1, max_new + 1):
        for seq in itertools.product(range(vocab), repeat=n):
            if eos_id in seq[:-1] or (n < max_new and seq[-1] != eos_id):
                continue
            lp = sum(log_softmax(model(list(prompt) + list(seq[:i])))[t] for i, t in enumerate(seq))
            scored.append((lp / n ** length_penalty, list(seq)))
    scored.sort(key=lambda s: -s[0])
    return scored


EXHAUSTIVE = [(3, 0, 3, 0, 1.0), (3, 1, 3, 2, 0.0), (4, 2, 3, 1, 2.0), (3, 3, 4, 0, 1.0), (2, 4, 5, 1, 0.5),
              (4, 5, 2, 3, 1.0), (3, 6, 4, 1, 1.5), (3, 7, 3, 0, 1.0)]


@pytest.mark.parametrize("vocab, seed, max_new, eos_id, lp", EXHAUSTIVE,
                         ids=[f"V={v}, max_new={m}, eos={e}, length_penalty={lp}" for v, _, m, e, lp in EXHAUSTIVE])
def test_beam_search_equals_exhaustive_search(user, vocab, seed, max_new, eos_id, lp):
    """with beam_width >= V^(max_new-1) beam search finds the best normalised score of all sequences"""
    model = RandomModel(vocab, 100 + seed, scale=1.5)
    ranked = exhaustive(model, [1], max_new, eos_id, lp, vocab)
    require(ranked[0][0] - ranked[1][0] > 1e-9, "internal: the crafted case has a tie")   # never true for these seeds
    width = vocab ** (max_new - 1)
    got = tokens_of(user.beam_search(model, [1], max_new, width, eos_id, length_penalty=lp), what="beam_search")
    assert_equal(got, ranked[0][1], what=f"beam search result (beam_width={width})")


def test_beam_width_one_is_greedy(user):
    """beam_width=1 gives the greedy tokens"""
    for seed in range(4):
        expected = greedy_rule(RandomModel(6, seed), [2], 9, eos_id=4)
        got = tokens_of(user.beam_search(RandomModel(6, seed), [2], 9, 1, 4), what="beam_search(beam_width=1)")
        assert_equal(got, expected, what=f"beam search with width 1 (model seed {seed})")


BEAM_CASES = [(6, s, w, m, e, lp) for s, (w, m, e, lp) in enumerate(
    [(2, 6, 0, 1.0), (3, 6, 1, 1.0), (3, 8, 2, 0.0), (4, 5, 5, 2.0), (2, 7, 3, 0.7), (5, 6, 0, 1.0)])]


@pytest.mark.parametrize("vocab, seed, width, max_new, eos_id, lp", BEAM_CASES,
                         ids=[f"width {c[2]}, max_new={c[3]}, eos={c[4]}, length_penalty={c[5]}" for c in BEAM_CASES])
def test_beam_search_equals_the_rule(user, reference, vocab, seed, width, max_new, eos_id, lp):
    """narrow beams follow the rule: the best beam_width extensions, eos ones set aside, the rest extended"""
    model = RandomModel(vocab, 200 + seed, scale=2.0)
    expected = reference.beam_search(model, [0, 1], max_new, width, eos_id, length_penalty=lp)
    got = tokens_of(user.beam_search(RandomModel(vocab, 200 + seed, scale=2.0), [0, 1], max_new, width, eos_id,
                                     length_penalty=lp), what="beam_search")
    assert_equal(got, [int(t) for t in expected], what="beam search result")


class TreeModel:
    """A model given as {prefix (generated tokens only): {token: probability}}; other tokens get 1e-9."""

    def __init__(self, prompt, tree, vocab):
        self.prompt, self.tree, self.vocab = list(prompt), tree, vocab

    def __call__(self, prefix):
        gen = tuple(prefix[len(self.prompt):])
        p = np.full(self.vocab, 1e-9)
        for t, q in self.tree.get(gen, {}).items():
            p[t] = q
        return np.log(p / p.sum())


# token 0 is eos; the prompt has 3 tokens. [0] has log p = -1.0 (score -1.0), [1, 0] has -1.6 (score
# -0.8 with length 2). Counting the prompt in the length (-1/4 vs -1.6/5) or leaving eos out would flip it.
LENGTH_TREE = {(): {0: np.exp(-1.0), 1: 1 - np.exp(-1.0)},
               (1,): {0: np.exp(-1.6) / (1 - np.exp(-1.0)), 2: 0.17, 3: 0.17, 4: 0.17, 5: 0.17}}


@pytest.mark.parametrize("lp, expected", [(1.0, [1, 0]), (0.0, [0]), (2.0, [1, 0])],
                         ids=["length_penalty 1", "length_penalty 0", "length_penalty 2"])
def test_length_counts_generated_tokens_with_eos(user, lp, expected):
    """the score is sum log p / (generated tokens, eos included, prompt not)^length_penalty"""
    model = TreeModel([7, 7, 7], LENGTH_TREE, 6)
    got = tokens_of(user.beam_search(model, [7, 7, 7], 2, 2, 0, length_penalty=lp), what="beam_search")
    assert_equal(got, expected, what=f"beam search with length_penalty={lp}")


# eos (0) early is cheap per token only after normalisation: [0] scores log 0.3 = -1.20 at any penalty;
# [1, 2, 3, 4, 0] has log(0.7 * 0.8 * 0.8 * 0.8 * 0.8) = -1.25 in total, -0.25 per token.
NORM_TREE = {(): {0: 0.3, 1: 0.7}, (1,): {2: 0.8, 0: 0.2}, (1, 2): {3: 0.8, 0: 0.2}, (1, 2, 3): {4: 0.8, 0: 0.2},
             (1, 2, 3, 4): {0: 0.8, 5: 0.2}}


@pytest.mark.parametrize("lp, expected", [(1.0, [1, 2, 3, 4, 0]), (0.0, [0]), (0.5, [1, 2, 3, 4, 0])],
                         ids=["length_penalty 1 prefers the long sequence", "length_penalty 0 is the raw sum",
                              "length_penalty 0.5"])
def test_length_penalty_changes_the_winner(user, lp, expected):
    """with length_penalty 0 the raw log-probability wins; with 1 the per-token average does"""
    model = TreeModel([], NORM_TREE, 6)
    got = tokens_of(user.beam_search(model, [], 5, 2, 0, length_penalty=lp), what="beam_search")
    assert_equal(got, expected, what=f"beam search with length_penalty={lp}")


# an early eos beam ([2, 0], score log(0.5 * 0.9) / 2 = -0.40) must be kept aside: every live beam
# then runs into tokens of probability about 1e-3.
ASIDE_TREE = {(): {1: 0.5, 2: 0.5}, (2,): {0: 0.9, 3: 0.1}, (1,): {3: 0.6, 4: 0.4}}
for _a in (3, 4):
    ASIDE_TREE[(1, _a)] = dict(zip((1, 2, 3, 4, 5), (0.3, 0.25, 0.2, 0.15, 0.1)))
    for _b in (1, 2, 3, 4, 5):
        ASIDE_TREE[(1, _a, _b)] = dict(zip((1, 2, 3, 4, 5), (0.3, 0.25, 0.2, 0.15, 0.1)))
        for _c in (1, 2, 3, 4, 5):
            ASIDE_TREE[(1, _a, _b, _c)] = dict(zip((1, 2, 3, 4, 5), (0.3, 0.25, 0.2, 0.15, 0.1)))


def test_finished_beams_are_kept_aside(user):
    """a beam that ends with eos is kept aside, never extended, and can win at the end"""
    model = TreeModel([9], ASIDE_TREE, 6)
    got = tokens_of(user.beam_search(model, [9], 5, 2, 0), what="beam_search")
    assert_equal(got, [2, 0], what="beam search result (the early finished beam should win)")


def test_beam_search_edge_cases(user):
    """max_new=0 gives []; the output never runs past eos; prompt is not modified"""
    prompt = [3, 1]
    assert_equal(tokens_of(user.beam_search(RandomModel(4, 1), prompt, 0, 3, 0), "beam_search"), [],
                 what="beam search with max_new=0")
    for seed in range(6):
        got = tokens_of(user.beam_search(RandomModel(5, seed, scale=3.0), prompt, 6, 3, 2), "beam_search")
        require(1 <= len(got) <= 6, f"beam search returned {len(got)} tokens for max_new=6: {got}")
        require(2 not in got[:-1], f"beam search output continues after eos (id 2): {got}")
        require(len(got) == 6 or got[-1] == 2, f"a result shorter than max_new must end with eos: {got}")
    require(prompt == [3, 1], f"beam_search modified the prompt list: {prompt}")


def test_bad_beam_width_is_rejected(user):
    """beam_search raises ValueError when beam_width < 1"""
    assert_raises_value_error(user.beam_search, FixedModel([0.0, 1.0]), [0], 3, 0, 1, what="beam_search(beam_width=0)")


# ---------------------------------------------------------------- sampling distributions, last:
# 240,000 draws take seconds, and a test failing above ends a grade that stops at the first failure


@pytest.mark.parametrize("case", list(SAMPLING_CASES), ids=list(SAMPLING_CASES))
def test_sampling_distribution(user, case):
    """20,000 draws follow softmax(logits / T) restricted to top-k then top-p (chi-square, p >= 1e-6)"""
    logits, kwargs, hand = SAMPLING_CASES[case]
    expected = expected_probs(logits, **kwargs)
    if hand is not None:   # the crafted cases, computed by hand
        np.testing.assert_allclose(expected, hand, atol=1e-12)
    counts = draw_counts(user, logits, len(logits), seed=zlib.crc32(case.encode()), **kwargs)
    check_distribution(counts, expected, what=f"sample with {kwargs or 'defaults'} ({case})")
