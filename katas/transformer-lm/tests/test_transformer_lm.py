"""Hidden suite for the transformer-lm kata."""

from __future__ import annotations

import ast
import hashlib
import math
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.stats import chi2
from torch import nn

from nnquiz.grading.katalib import char_corpus
from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_at_most,
    assert_close,
    assert_equal,
    assert_raises_value_error,
    require,
    to_numpy,
)

# Models this small run several times faster on one thread than on two.
torch.set_num_threads(1)

# The training run the suite asks of train_lm (the reference trains the same way).
D_MODEL, N_HEADS, N_LAYERS, MAX_LEN = 64, 4, 2, 64
STEPS, BATCH, LR = 800, 16, 5e-3
MARGIN = 0.10           # nats per character above the reference model's held-out cross-entropy
UNIGRAM_SHARE = 0.8     # and at most this share of the unigram model's
MAX_PARAMS = 1_000_000
CHI2_P = 1e-3           # sampling tests fail only when p < CHI2_P
DRAWS = 400
SMALL_MAX_LEN, SAMPLER_STEPS = 16, 60  # the small model the generation tests sample from
FORBIDDEN = {"MultiheadAttention", "scaled_dot_product_attention", "Transformer", "TransformerEncoder",
             "TransformerDecoder", "TransformerEncoderLayer", "TransformerDecoderLayer"}
FORBIDDEN_MODULES = (nn.MultiheadAttention, nn.Transformer, nn.TransformerEncoder, nn.TransformerDecoder,
                     nn.TransformerEncoderLayer, nn.TransformerDecoderLayer)


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def build(user, vocab=50, seed=0, **kwargs):
    torch.manual_seed(seed)
    model = user.build_model(vocab, **kwargs)
    require(isinstance(model, nn.Module), f"build_model must return a torch.nn.Module, got {type(model).__name__}")
    return model


def logits_of(model, ids):
    with torch.no_grad():
        out = model(ids)
    require(isinstance(out, torch.Tensor), f"the model must return a tensor of logits, got {type(out).__name__}")
    return out.double()


def corpus_ids():
    train, heldout = char_corpus.split()
    return (torch.as_tensor(char_corpus.encode(train)), torch.as_tensor(char_corpus.encode(heldout)),
            len(char_corpus.vocabulary()))


CORPUS_KEY = hashlib.sha256(char_corpus.corpus().encode()).hexdigest()[:12]


def heldout_cross_entropy(model, heldout, vocab):
    """Mean next-character cross-entropy (nats) over non-overlapping windows of MAX_LEN + 1."""
    model.eval()
    n = (len(heldout) - 1) // MAX_LEN
    x = heldout[: n * MAX_LEN].view(n, MAX_LEN)
    y = heldout[1: n * MAX_LEN + 1].view(n, MAX_LEN)
    logits = logits_of(model, x)
    require(tuple(logits.shape) == (n, MAX_LEN, vocab),
            f"logits on held-out windows: expected shape {(n, MAX_LEN, vocab)}, got {tuple(logits.shape)}")
    value = F.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1)).item()
    return value if math.isfinite(value) else float("inf")


def unigram_cross_entropy(train, heldout, vocab):
    counts = np.bincount(train.numpy(), minlength=vocab) + 1.0   # add-one smoothing
    return float(-np.log(counts / counts.sum())[heldout.numpy()].mean())


# ---------------------------------------------------------------- the model's shape and causality


@pytest.mark.parametrize("T", [16, 5, 1], ids=["T = max_len", "T = 5", "T = 1"])
def test_logits_shape(user, T):
    """the model maps token ids (B, T) to logits (B, T, vocab_size) for any T up to max_len"""
    model = build(user, vocab=50, d_model=32, n_heads=4, n_layers=2, max_len=16).eval()
    ids = torch.randint(0, 50, (3, T), generator=torch.Generator().manual_seed(1))
    out = logits_of(model, ids)
    require(tuple(out.shape) == (3, T, 50), f"logits: expected shape (3, {T}, 50), got {tuple(out.shape)}")
    require(bool(torch.isfinite(out).all()), "logits contain NaN or inf")


@pytest.mark.parametrize("t", [0, 6, 14], ids=["t = 0", "t = 6", "t = 14"])
def test_causality(user, t):
    """changing the tokens after position t changes no logit at or before t"""
    model = build(user, vocab=30, d_model=32, n_heads=4, n_layers=2, max_len=16).eval()
    g = torch.Generator().manual_seed(2 + t)
    ids = torch.randint(0, 30, (2, 16), generator=g)
    changed = ids.clone()
    changed[:, t + 1:] = (ids[:, t + 1:] + 1 + torch.randint(0, 28, (2, 15 - t), generator=g)) % 30
    before, after = logits_of(model, ids), logits_of(model, changed)
    assert_close(after[:, : t + 1], before[:, : t + 1], atol=1e-5, rtol=1e-5,
                 what=f"logits at positions 0..{t} after changing the tokens at {t + 1}..15")
    require(float((after[:, t + 1:] - before[:, t + 1:]).abs().max()) > 1e-6,
            "the logits after t ignore the tokens there: the model must read its input")


def test_positions_see_the_past(user):
    """the logits at the last position depend on the first token (attention reaches back)"""
    model = build(user, vocab=30, d_model=32, n_heads=4, n_layers=2, max_len=16).eval()
    ids = torch.randint(0, 30, (1, 16), generator=torch.Generator().manual_seed(4))
    changed = ids.clone()
    changed[0, 0] = (ids[0, 0] + 7) % 30
    diff = float((logits_of(model, changed)[0, -1] - logits_of(model, ids)[0, -1]).abs().max())
    require(diff > 1e-6, "changing token 0 left the logits at position 15 unchanged: no attention to the past")


def test_batch_rows_are_independent(user):
    """each sequence in a batch is processed on its own: changing one row leaves the others' logits alone"""
    model = build(user, vocab=30, d_model=32, n_heads=4, n_layers=2, max_len=16).eval()
    ids = torch.randint(0, 30, (3, 12), generator=torch.Generator().manual_seed(5))
    changed = ids.clone()
    changed[1] = (ids[1] + 3) % 30
    before, after = logits_of(model, ids), logits_of(model, changed)
    assert_close(after[[0, 2]], before[[0, 2]], atol=1e-5, rtol=1e-5, what="logits of rows 0 and 2")
    alone = logits_of(model, ids[2:3])
    assert_close(alone[0], before[2], atol=1e-5, rtol=1e-5, what="logits of row 2 run as a batch of one")


def test_parameter_budget(user):
    """build_model(vocab_size, 64, 4, 2, 128) has at most 1,000,000 parameters"""
    vocab = len(char_corpus.vocabulary())
    count = n_params(build(user, vocab=vocab, d_model=64, n_heads=4, n_layers=2, max_len=128))
    require(0 < count <= MAX_PARAMS, f"parameters: needed at most {MAX_PARAMS:,}, got {count:,}")


def test_size_follows_the_arguments(user):
    """each extra layer adds the same number of parameters, and a wider model has more"""
    sizes = [n_params(build(user, vocab=40, d_model=32, n_heads=4, n_layers=n, max_len=16)) for n in (1, 2, 3)]
    require(sizes[1] - sizes[0] == sizes[2] - sizes[1] > 0,
            f"parameters for n_layers = 1, 2, 3: {sizes}; each block should add the same positive amount")
    narrow = n_params(build(user, vocab=40, d_model=16, n_heads=4, n_layers=2, max_len=16))
    require(narrow < sizes[1], f"d_model=16 gave {narrow:,} parameters, d_model=32 gave {sizes[1]:,}")
    bigger_vocab = n_params(build(user, vocab=41, d_model=32, n_heads=4, n_layers=2, max_len=16))
    require(bigger_vocab > sizes[1], "one more vocabulary entry must add parameters (embedding and output)")


def test_dropout_only_in_training(user):
    """dropout > 0 makes training-mode outputs random; eval mode is deterministic"""
    model = build(user, vocab=30, d_model=32, n_heads=4, n_layers=2, max_len=16, dropout=0.5)
    ids = torch.randint(0, 30, (2, 16), generator=torch.Generator().manual_seed(6))
    model.train()
    a, b = logits_of(model, ids), logits_of(model, ids)
    require(float((a - b).abs().max()) > 1e-6, "dropout=0.5 in train mode: two forward passes gave the same logits")
    model.eval()
    assert_close(logits_of(model, ids), logits_of(model, ids), atol=0.0, what="two forward passes in eval mode")


def test_indivisible_heads_raise(user):
    """build_model raises ValueError when d_model is not divisible by n_heads"""
    assert_raises_value_error(user.build_model, 30, d_model=30, n_heads=4, n_layers=1, max_len=8,
                              what="build_model(30, d_model=30, n_heads=4)")


# ---------------------------------------------------------------- attention written by hand


def forbidden_names(source):
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN:
            found.add(node.attr)
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN:
            found.add(node.id)
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in FORBIDDEN:
            found.add(node.name)
    return found


def test_source_uses_no_library_attention(user):
    """the source names no nn.MultiheadAttention, nn.Transformer* or scaled_dot_product_attention"""
    found = forbidden_names(Path(user.__file__).read_text(encoding="utf-8"))
    require(not found, f"write attention yourself; your file uses {', '.join(sorted(found))}")


def test_model_holds_no_library_attention(user):
    """the model contains no torch attention or transformer module and never calls scaled_dot_product_attention"""
    model = build(user, vocab=30, d_model=32, n_heads=4, n_layers=2, max_len=16).eval()
    bad = sorted({type(m).__name__ for m in model.modules() if isinstance(m, FORBIDDEN_MODULES)})
    require(not bad, f"write attention yourself; the model contains {', '.join(bad)}")
    calls = []
    original = F.scaled_dot_product_attention

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    F.scaled_dot_product_attention = spy
    try:
        logits_of(model, torch.zeros(1, 8, dtype=torch.long))
    finally:
        F.scaled_dot_product_attention = original
    require(not calls, "write attention yourself; the forward pass called F.scaled_dot_product_attention")


# ---------------------------------------------------------------- training and generation


def next_token_probs(model, prompt, temperature):
    with torch.no_grad():
        logits = model(torch.tensor([prompt]))[0, -1].double()
    return torch.softmax(logits / temperature, -1).numpy()


def chi_square_p(draws, probs):
    """p-value of the draws under probs; categories with expected count < 5 pooled into one."""
    counts = np.bincount(np.asarray(draws, dtype=np.int64), minlength=len(probs)).astype(float)
    expected = probs * len(draws)
    big = expected >= 5
    obs = np.append(counts[big], counts[~big].sum())
    exp = np.append(expected[big], expected[~big].sum())
    keep = exp > 0
    if (obs[~keep] > 0).any():
        return 0.0  # a token of probability 0 was drawn
    stat = float(((obs[keep] - exp[keep]) ** 2 / exp[keep]).sum())
    return float(chi2.sf(stat, max(int(keep.sum()) - 1, 1)))


def sampling_figures(user, model, prompt, probe) -> dict:
    """What the generation tests read (JSON-friendly, so it can be cached): three runs from
    `prompt` (longer than max_len), and 400 first tokens after `probe` (shorter than max_len,
    so that the model sees all of it however generate crops)."""
    figures: dict = {"prompt": prompt}
    first = user.generate(model, list(prompt), 100, temperature=1.0, seed=3)
    torch.randn(10)  # move the global generator: only the seed may matter
    again = user.generate(model, list(prompt), 100, temperature=1.0, seed=3)
    other = user.generate(model, list(prompt), 100, temperature=1.0, seed=4)
    figures["generated"] = [to_numpy(s, np.int64, what="generate's result").tolist() for s in (first, again, other)]
    for temperature in (0.7, 1.5):
        draws = [int(to_numpy(user.generate(model, list(probe), 1, temperature=temperature, seed=s),
                              np.int64)[-1]) for s in range(DRAWS)]
        figures[f"p_value_T{temperature}"] = chi_square_p(draws, next_token_probs(model, probe, temperature))
    return figures


@pytest.fixture(scope="session")
def sampling(user, user_cache):
    """generate on a small model of the user's, trained for a few steps (its next-character
    distributions are far from uniform, as the temperature tests need), so that a wrong
    generate is reported in seconds, before the long training. Cached for this exact file."""

    def compute():
        train, heldout, vocab = corpus_ids()
        model = build(user, vocab=vocab, d_model=32, n_heads=4, n_layers=1, max_len=SMALL_MAX_LEN)
        model = user.train_lm(model, train.clone(), steps=SAMPLER_STEPS, batch_size=BATCH, lr=LR, seed=0)
        require(isinstance(model, nn.Module),
                f"train_lm must return the model (a torch.nn.Module), got {type(model).__name__}")
        model.eval()
        return sampling_figures(user, model, heldout[:20].tolist(), heldout[20:32].tolist())

    return user_cache.get(f"sampling-{CORPUS_KEY}", compute)


def test_generate_returns_prompt_then_new_tokens(sampling):
    """generate returns the prompt followed by max_new token ids, past max_len too"""
    prompt, first = sampling["prompt"], sampling["generated"][0]
    vocab = len(char_corpus.vocabulary())
    require(len(first) == len(prompt) + 100,
            f"generate(prompt of 20, max_new=100) on a model with max_len={SMALL_MAX_LEN}: "
            f"expected 120 ids, got {len(first)}")
    assert_equal(first[: len(prompt)], prompt, what="the first 20 ids (the prompt)")
    require(all(0 <= i < vocab for i in first), f"generated ids must lie in [0, {vocab})")


def test_generate_is_reproducible(sampling):
    """generate gives the same ids for the same seed and different ids for another seed"""
    first, again, other = sampling["generated"]
    assert_equal(again, first, what="ids from a second call with seed=3")
    require(other != first, "seed=4 gave exactly the same 100 tokens as seed=3: the seed is not used")


@pytest.mark.parametrize("temperature", [0.7, 1.5], ids=["T = 0.7", "T = 1.5"])
def test_generate_samples_softmax_of_logits_over_temperature(sampling, temperature):
    """generate draws the next token from softmax(logits / temperature) (chi-square over 400 seeds)"""
    p = sampling[f"p_value_T{temperature}"]
    assert_at_least(p, CHI2_P, what=f"chi-square p-value of 400 first tokens at temperature {temperature} "
                                    "against softmax(logits / temperature)")


def test_train_lm_is_deterministic(user):
    """train_lm gives the same model for the same seed (short run)"""
    ids = torch.as_tensor(char_corpus.encode(char_corpus.corpus()[:3000]))
    probe = ids[:16].view(1, 16)
    outs = []
    for _ in range(2):
        model = build(user, vocab=len(char_corpus.vocabulary()), d_model=32, n_heads=4, n_layers=1, max_len=16)
        model = user.train_lm(model, ids.clone(), steps=5, batch_size=4, lr=1e-3, seed=0)
        outs.append(logits_of(model.eval(), probe))
    assert_close(outs[1], outs[0], atol=1e-6, what="logits after a second run with seed=0")


CYCLE, CYCLE_STEPS = 13, 60  # the tokens 0, 1, ..., 12, 0, 1, ...: each one's successor is fixed


def test_train_lm_learns_the_next_token(user):
    """train_lm trains on the next token: after 60 steps on the cycle 0, 1, ..., 12, 0, 1, ... the successor is likelier than the token just read"""
    ids = torch.arange(CYCLE).repeat(200)
    model = build(user, vocab=CYCLE, d_model=32, n_heads=4, n_layers=1, max_len=16)
    model = user.train_lm(model, ids.clone(), steps=CYCLE_STEPS, batch_size=BATCH, lr=LR, seed=0)
    require(isinstance(model, nn.Module),
            f"train_lm must return the model (a torch.nn.Module), got {type(model).__name__}")
    probe = torch.arange(5, 5 + 16) % CYCLE
    logp = torch.log_softmax(logits_of(model.eval(), probe.view(1, 16))[0], dim=-1)
    rows = torch.arange(16)
    gain = float((logp[rows, (probe + 1) % CYCLE] - logp[rows, probe]).mean())
    require(gain > 0,
            f"after train_lm({CYCLE_STEPS} steps) on the sequence 0, 1, ..., {CYCLE - 1}, 0, 1, ... the model "
            f"gives the token it has just read {-gain:.2f} nats more log-probability than the next one "
            "(mean over 16 positions): it learned to copy its input. The targets must be the inputs "
            "shifted by one: feed window[:, :-1], predict window[:, 1:]")


# ---------------------------------------------------------------- the long training, last: a test
# failing above ends the grade before it (the grader stops at the first failure when asked to)


def trained_heldout_ce(module) -> float:
    """Build and train `module`'s model as the suite asks, then its held-out cross-entropy."""
    train, heldout, vocab = corpus_ids()
    model = build(module, vocab=vocab, d_model=D_MODEL, n_heads=N_HEADS, n_layers=N_LAYERS, max_len=MAX_LEN)
    model = module.train_lm(model, train.clone(), steps=STEPS, batch_size=BATCH, lr=LR, seed=0)
    require(isinstance(model, nn.Module),
            f"train_lm must return the model (a torch.nn.Module), got {type(model).__name__}")
    return heldout_cross_entropy(model.eval(), heldout, vocab)


# The same name and code for both: grading the reference file itself trains once (user_cache).
HELDOUT_CE = f"heldout-ce-{CORPUS_KEY}"


@pytest.fixture(scope="session")
def trained(user, user_cache):
    """The user's model built and trained once on the corpus (cached for this exact file)."""
    return {"heldout_ce": user_cache.get(HELDOUT_CE, lambda: trained_heldout_ce(user))}


@pytest.fixture(scope="session")
def reference_ce(reference, ref_cache):
    return ref_cache.get(HELDOUT_CE, lambda: trained_heldout_ce(reference))


def test_heldout_cross_entropy_near_reference(trained, reference_ce):
    """held-out cross-entropy is at most the reference model's + 0.10 nats per character"""
    assert_at_most(trained["heldout_ce"], reference_ce + MARGIN,
                   what=f"held-out cross-entropy in nats per character (reference {reference_ce:.3f}, "
                        f"bar reference + {MARGIN})")


def test_heldout_cross_entropy_beats_unigram(trained):
    """held-out cross-entropy is at most 0.8 x that of the unigram (character frequency) model"""
    train, heldout, vocab = corpus_ids()
    unigram = unigram_cross_entropy(train, heldout, vocab)
    assert_at_most(trained["heldout_ce"], UNIGRAM_SHARE * unigram,
                   what=f"held-out cross-entropy (unigram model {unigram:.3f}, bar {UNIGRAM_SHARE} x)")
