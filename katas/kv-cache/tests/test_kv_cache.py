"""Hidden suite for the kv-cache kata."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_close,
    assert_equal,
    assert_raises_value_error,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.tiny_gpt import make_gpt

# Models this small run several times faster on one thread than on two.
torch.set_num_threads(1)

RTOL, ATOL = 1e-5, 1e-5   # logits of a float64 model
SPEEDUP = 3.0             # cached decoding of 256 tokens vs full recomputation, best of 3 each
SPEED_PROMPT, SPEED_NEW, SPEED_MAX_LEN = 128, 256, 512


def model64(vocab=96, d_model=64, n_heads=4, n_layers=2, max_len=128, seed=0):
    return make_gpt(vocab, d_model, n_heads, n_layers, max_len, seed).double()


def prompt_of(length, vocab, seed):
    return torch.randint(0, vocab, (length,), generator=torch.Generator().manual_seed(seed)).tolist()


@torch.no_grad()
def greedy_full(model, prompt, max_new):
    """Greedy decoding that recomputes the whole sequence at every step."""
    ids = list(prompt)
    for _ in range(max_new):
        ids.append(int(model(torch.tensor([ids]))[0, -1].argmax()))
    return ids


class Watch:
    """Forward hooks on the model's modules: what each pass of generate_cached feeds them."""

    def __init__(self, model):
        self.positions, self.logits = [], []
        self.qkv_lengths = [[] for _ in model.blocks]
        self.handles = [
            model.pos.register_forward_hook(lambda m, args, out: self.positions.append(
                to_numpy(args[0], np.int64).ravel().tolist())),
            model.head.register_forward_hook(lambda m, args, out: self.logits.append(
                out.detach().double().reshape(-1, out.shape[-1])[-1].clone())),
        ]
        for i, block in enumerate(model.blocks):
            self.handles.append(block.attn.qkv.register_forward_hook(
                lambda m, args, out, i=i: self.qkv_lengths[i].append(int(args[0].reshape(-1, args[0].shape[-1]).shape[0]))))

    def close(self):
        for h in self.handles:
            h.remove()


def run_watched(user, model, prompt, max_new):
    watch = Watch(model)
    try:
        with torch.no_grad():
            ids = user.generate_cached(model, list(prompt), max_new)
    finally:
        watch.close()
    return to_numpy(ids, np.int64, what="generate_cached's result").ravel().tolist(), watch


CASES = {
    "prompt 1, 20 new": {"plen": 1, "new": 20, "model": {}},
    "prompt 7, 40 new": {"plen": 7, "new": 40, "model": {}},
    "prompt 30, 60 new, 3 layers, 8 heads of 4": {"plen": 30, "new": 60, "model": {"d_model": 32, "n_heads": 8, "n_layers": 3}},
    "prompt 12, 30 new, 1 layer, 1 head": {"plen": 12, "new": 30, "model": {"d_model": 48, "n_heads": 1, "n_layers": 1}},
    "prompt 100, 28 new, fills max_len": {"plen": 100, "new": 28, "model": {}},
}


@pytest.fixture(scope="module")
def runs(user):
    """generate_cached on every case, watched, next to greedy decoding with full recomputation."""
    out = {}
    for i, (name, case) in enumerate(CASES.items()):
        model = model64(seed=i, **case["model"])
        prompt = prompt_of(case["plen"], 96, seed=10 + i)
        expected = greedy_full(model, prompt, case["new"])
        with torch.no_grad():
            full_logits = model(torch.tensor([expected]))[0]          # (N, V): logits at every position
        ids, watch = run_watched(user, model, prompt, case["new"])
        out[name] = {"case": case, "prompt": prompt, "expected": expected, "full_logits": full_logits,
                     "ids": ids, "watch": watch}
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_tokens_equal_full_recomputation(runs, name):
    """generate_cached returns the same ids as greedy decoding that recomputes everything"""
    r = runs[name]
    require(len(r["ids"]) == len(r["expected"]),
            f"expected {len(r['expected'])} ids (prompt + max_new), got {len(r['ids'])}")
    assert_equal(r["ids"], r["expected"], what=f"ids ({name})")


@pytest.mark.parametrize("name", list(CASES))
def test_positions_grow_by_one_per_step(runs, name):
    """model.pos sees positions 0, 1, 2, ... once each: the prompt, then one new position per pass"""
    r = runs[name]
    plen, new = r["case"]["plen"], r["case"]["new"]
    calls = r["watch"].positions
    require(calls, "model.pos was never called: call the model's own modules (see the instructions)")
    seen = [p for c in calls for p in c]
    n = len(seen)
    require(n in (plen + new - 1, plen + new) and seen == list(range(n)),
            f"positions fed to model.pos, in order: expected 0..{plen + new - 2} (or ..{plen + new - 1}) "
            f"each once, got {seen[:8]}{' ...' if len(seen) > 8 else ''} ({n} in all)")
    after = [len(c) for c in calls if c[-1] >= plen]
    require(all(k == 1 for k in after),
            f"after the prompt each pass must feed exactly one new position; pass sizes were {after[:10]}")


@pytest.mark.parametrize("name", list(CASES))
def test_layers_see_only_new_positions(runs, name):
    """every layer's qkv projection gets only the new positions of each pass (keys and values come from the cache)"""
    r = runs[name]
    sizes = [len(c) for c in r["watch"].positions]
    for i, lengths in enumerate(r["watch"].qkv_lengths):
        require(lengths == sizes,
                f"layer {i}: positions given to attn.qkv per pass {lengths[:10]}, expected the new positions "
                f"of each pass {sizes[:10]}")


@pytest.mark.parametrize("name", list(CASES))
def test_logits_match_full_recomputation(runs, name):
    """the logits of every step equal the full model's at that position (atol and rtol 1e-5, float64)"""
    r = runs[name]
    plen = r["case"]["plen"]
    calls, logits = r["watch"].positions, r["watch"].logits
    require(len(logits) == len(calls),
            f"model.head was called {len(logits)} times in {len(calls)} passes: call it once per pass")
    for c, got in zip(calls, logits):
        p = c[-1]
        if plen - 1 <= p < len(r["expected"]):
            assert_close(got, r["full_logits"][p], atol=ATOL, rtol=RTOL,
                         what=f"logits at position {p} ({name})")


def test_max_new_zero_returns_the_prompt(user):
    """max_new = 0 returns the prompt unchanged"""
    model = model64()
    prompt = prompt_of(5, 96, seed=3)
    with torch.no_grad():
        ids = user.generate_cached(model, list(prompt), 0)
    assert_equal(to_numpy(ids, np.int64).ravel(), prompt, what="generate_cached(model, prompt, 0)")


def test_inputs_left_alone(user):
    """generate_cached neither changes the prompt list nor the model's weights"""
    model = model64(seed=4)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    prompt = prompt_of(6, 96, seed=4)
    given = list(prompt)
    with torch.no_grad():
        user.generate_cached(model, given, 10)
    assert_equal(given, prompt, what="the prompt list after the call")
    for k, v in model.state_dict().items():
        assert_close(v, before[k], atol=0.0, what=f"model weight {k} after the call")


@pytest.mark.parametrize("plen,new", [(100, 29), (128, 1), (0, 5), (5, -1)],
                         ids=["prompt + max_new past max_len", "prompt fills max_len", "empty prompt", "negative max_new"])
def test_bad_lengths_raise(user, plen, new):
    """ValueError when the prompt is empty, max_new is negative, or prompt + max_new exceeds max_len"""
    model = model64()
    prompt = prompt_of(plen, 96, seed=5)
    with torch.no_grad():
        assert_raises_value_error(user.generate_cached, model, prompt, new,
                                  what=f"prompt of {plen}, max_new={new}, max_len=128")


def test_float32_model(user):
    """a float32 model works too (ids of the right length, the prompt first)"""
    model = make_gpt(96, max_len=128, seed=6)
    prompt = prompt_of(9, 96, seed=6)
    with torch.no_grad():
        ids = to_numpy(user.generate_cached(model, list(prompt), 15), np.int64).ravel()
    require(ids.shape == (24,), f"expected 24 ids, got {ids.shape[0]}")
    assert_equal(ids[:9], prompt, what="the first 9 ids (the prompt)")
    require(bool(((ids >= 0) & (ids < 96)).all()), "generated ids must lie in [0, 96)")


def test_at_least_three_times_faster(user):
    """256 new tokens after a 128-token prompt: at least 3x faster than full recomputation (best of 3 each)"""
    model = make_gpt(96, max_len=SPEED_MAX_LEN, seed=7)
    prompt = prompt_of(SPEED_PROMPT, 96, seed=7)
    full, cached = [], []
    with torch.no_grad():
        for _ in range(3):
            t = time.perf_counter()
            greedy_full(model, prompt, SPEED_NEW)
            full.append(time.perf_counter() - t)
            t = time.perf_counter()
            user.generate_cached(model, list(prompt), SPEED_NEW)
            cached.append(time.perf_counter() - t)
    ratio = min(full) / max(min(cached), 1e-9)
    assert_at_least(ratio, SPEEDUP, what=f"speed-up over full recomputation (full {min(full):.3f} s, "
                                         f"cached {min(cached):.3f} s)")
