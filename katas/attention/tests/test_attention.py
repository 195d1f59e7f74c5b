"""Hidden suite for the attention kata: softmax, masks, SDPA and multi-head attention vs torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_close,
    assert_equal,
    assert_raises_value_error,
    to_numpy,
)

ATOL = 1e-8


def t(x):
    return torch.from_numpy(np.asarray(x, dtype=np.float64).copy())


def pair(result, what):
    """(out, weights) as two float64 arrays."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise CheckFailure(f"{what}: expected a pair (out, weights), got {type(result).__name__}")
    out = to_numpy(result[0], np.float64, f"{what} out")
    return out, to_numpy(result[1], np.float64, f"{what} weights")


def torch_attention(q, k, v, mask=None):
    """Expected (out, weights): F.scaled_dot_product_attention and the masked softmax it uses."""
    q, k, v = t(q), t(k), t(v)
    m = None if mask is None else torch.from_numpy(np.asarray(mask, dtype=bool).copy())
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=m)
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    if m is not None:
        scores = scores.masked_fill(~m, float("-inf"))
    weights = torch.softmax(scores, dim=-1).nan_to_num(0.0)  # no allowed key: zero weights
    return out.numpy(), weights.numpy()


# ---------------------------------------------------------------- softmax and causal_mask


SOFTMAX_CASES = {
    "vector": ((7,), -1),
    "rows of a matrix": ((4, 6), -1),
    "columns (axis=0)": ((4, 6), 0),
    "3-d, axis=1": ((2, 5, 3), 1),
    "3-d, default axis": ((2, 3, 8), -1),
}


@pytest.mark.parametrize("case", list(SOFTMAX_CASES), ids=list(SOFTMAX_CASES))
def test_softmax_matches_torch(user, case):
    """softmax equals torch.softmax along the given axis (atol 1e-8)"""
    shape, axis = SOFTMAX_CASES[case]
    x = np.random.default_rng(len(shape) * 10 + axis).normal(size=shape) * 3
    expected = torch.softmax(t(x), dim=axis).numpy()
    if case == "3-d, default axis":
        got = user.softmax(x.copy())
    else:
        got = user.softmax(x.copy(), axis=axis)
    assert_close(got, expected, atol=ATOL, what=f"softmax ({case})")


def test_softmax_is_stable_for_large_logits(user):
    """softmax of logits as large as +-1e4 stays finite and correct"""
    x = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4 - 1.0], [2e4, 1e4, 0.0]])
    expected = torch.softmax(t(x), dim=-1).numpy()
    got = to_numpy(user.softmax(x.copy()), np.float64, "softmax")
    if not np.isfinite(got).all():
        raise CheckFailure(f"softmax of logits up to 1e4: got non-finite values {got.tolist()}")
    assert_close(got, expected, atol=ATOL, what="softmax of logits up to +-1e4")


@pytest.mark.parametrize("L", [1, 4, 7], ids=["L=1", "L=4", "L=7"])
def test_causal_mask(user, L):
    """causal_mask(L) is a bool (L, L) array, True where key j <= query i"""
    got = to_numpy(user.causal_mask(L), None, "causal mask")
    if got.dtype != np.bool_:
        raise CheckFailure(f"causal mask: expected dtype bool, got {got.dtype}")
    expected = torch.ones(L, L, dtype=torch.bool).tril().numpy()
    assert_equal(got, expected, what=f"causal_mask({L})")


# ---------------------------------------------------------------- scaled dot-product attention


def random_mask(shape, seed):
    """A random keep-mask with at least one allowed key per query row."""
    rng = np.random.default_rng(seed)
    m = rng.random(shape) < 0.6
    m[..., 0] |= ~m.any(axis=-1)
    return m


def sdpa_cases():
    rng = np.random.default_rng(42)
    n = rng.normal
    return {
        "2-d, no mask": (n(size=(5, 8)), n(size=(7, 8)), n(size=(7, 3)), None),
        "batch (2, 3) of heads, Lq != Lk, dv != d": (n(size=(2, 3, 5, 8)), n(size=(2, 3, 6, 8)),
                                                    n(size=(2, 3, 6, 4)), None),
        "causal mask (L, L) broadcast over the batch": (
            n(size=(2, 6, 8)), n(size=(2, 6, 8)), n(size=(2, 6, 5)),
            np.tril(np.ones((6, 6), bool))),
        "padding mask (B, 1, 1, Lk)": (
            n(size=(2, 3, 5, 4)), n(size=(2, 3, 6, 4)), n(size=(2, 3, 6, 4)),
            random_mask((2, 1, 1, 6), 1)),
        "full random mask (B, H, Lq, Lk)": (n(size=(2, 2, 4, 16)), n(size=(2, 2, 9, 16)),
                                            n(size=(2, 2, 9, 3)), random_mask((2, 2, 4, 9), 2)),
        "d = 1": (n(size=(3, 1)), n(size=(4, 1)), n(size=(4, 2)), None),
    }


SDPA_CASES = sdpa_cases()


@pytest.mark.parametrize("case", list(SDPA_CASES), ids=list(SDPA_CASES))
def test_sdpa_matches_torch(user, case):
    """scaled_dot_product_attention equals torch's F.scaled_dot_product_attention (atol 1e-8)"""
    q, k, v, mask = SDPA_CASES[case]
    exp_out, exp_w = torch_attention(q, k, v, mask)
    args = [q.copy(), k.copy(), v.copy()] + ([] if mask is None else [mask.copy()])
    out, w = pair(user.scaled_dot_product_attention(*args), "attention")
    assert_close(w, exp_w, atol=ATOL, what=f"attention weights ({case})")
    assert_close(out, exp_out, atol=ATOL, what=f"attention output ({case})")


def test_sdpa_weights_rows_sum_to_one(user):
    """every query's weights are non-negative and sum to 1"""
    q, k, v, mask = SDPA_CASES["full random mask (B, H, Lq, Lk)"]
    _, w = pair(user.scaled_dot_product_attention(q, k, v, mask), "attention")
    if (w < 0).any():
        raise CheckFailure(f"attention weights: found a negative weight {w.min()!r}")
    assert_close(w.sum(axis=-1), np.ones(w.shape[:-1]), atol=ATOL,
                 what="row sums of the attention weights")


def test_sdpa_fully_masked_query_gets_zeros(user):
    """a query with no allowed key gets zero weights and a zero output (no NaN)"""
    rng = np.random.default_rng(3)
    q, k, v = rng.normal(size=(2, 4, 8)), rng.normal(size=(2, 5, 8)), rng.normal(size=(2, 5, 3))
    mask = random_mask((2, 4, 5), 4)
    mask[0, 1] = False  # query 1 of batch 0 may attend to nothing
    mask[1, 3] = False
    exp_out, exp_w = torch_attention(q, k, v, mask)
    out, w = pair(user.scaled_dot_product_attention(q, k, v, mask), "attention")
    if np.isnan(out).any() or np.isnan(w).any():
        raise CheckFailure("a query with no allowed key gave NaN; "
                           "expected zero weights and a zero output")
    assert_close(w, exp_w, atol=ATOL, what="attention weights with fully masked queries")
    assert_close(out, exp_out, atol=ATOL, what="attention output with fully masked queries")


def test_sdpa_large_logits_stay_finite(user):
    """logits of about 1e4 give finite weights and outputs equal to torch's"""
    rng = np.random.default_rng(5)
    q = rng.normal(size=(2, 4, 16)) * 100.0
    k = rng.normal(size=(2, 6, 16)) * 50.0  # q.k / sqrt(16): thousands, up to about 1.2e4
    v = rng.normal(size=(2, 6, 3))
    exp_out, exp_w = torch_attention(q, k, v)
    out, w = pair(user.scaled_dot_product_attention(q, k, v), "attention")
    if not (np.isfinite(out).all() and np.isfinite(w).all()):
        raise CheckFailure("logits of about 1e4 gave inf or NaN: subtract the row max before exp")
    assert_close(w, exp_w, atol=ATOL, what="attention weights with logits of about 1e4")
    assert_close(out, exp_out, atol=ATOL, what="attention output with logits of about 1e4")
    mask = np.tril(np.ones((4, 6), bool))
    exp_out, exp_w = torch_attention(q, k, v, mask)
    out, w = pair(user.scaled_dot_product_attention(q, k, v, mask), "attention")
    assert_close(w, exp_w, atol=ATOL, what="masked attention weights with logits of about 1e4")
    assert_close(out, exp_out, atol=ATOL, what="masked attention output with logits of about 1e4")


# ---------------------------------------------------------------- multi-head attention


def torch_mha(x, w_q, w_k, w_v, w_o, n_heads, mask=None):
    """torch.nn.MultiheadAttention (no biases, batch_first) with the weights copied in."""
    B, L, D = x.shape
    mha = torch.nn.MultiheadAttention(D, n_heads, bias=False, batch_first=True).double()
    with torch.no_grad():
        # torch computes x @ W.T, so its weights are the transposes of ours
        mha.in_proj_weight.copy_(torch.cat([t(w_q).T, t(w_k).T, t(w_v).T]))
        mha.out_proj.weight.copy_(t(w_o).T)
        attn_mask = None
        if mask is not None:  # torch's boolean mask is True where attention is NOT allowed
            keep = np.broadcast_to(mask, (B, n_heads, L, L)).reshape(B * n_heads, L, L)
            attn_mask = torch.from_numpy(~keep)
        out, _ = mha(t(x), t(x), t(x), attn_mask=attn_mask, need_weights=False)
    return out.numpy()


MHA_CASES = [
    (2, 5, 8, 2, "none"),
    (3, 4, 12, 3, "causal (L, L)"),
    (2, 6, 16, 4, "padding (B, 1, 1, L)"),
    (1, 7, 6, 1, "none"),
    (2, 5, 12, 6, "causal (L, L)"),
]


MHA_IDS = [f"B={b} L={l} D={d} heads={h}, mask {m}" for b, l, d, h, m in MHA_CASES]


@pytest.mark.parametrize("B, L, D, H, mask_kind", MHA_CASES, ids=MHA_IDS)
def test_multi_head_attention_matches_torch(user, B, L, D, H, mask_kind):
    """multi_head_attention equals torch.nn.MultiheadAttention with the same weights (atol 1e-8)"""
    rng = np.random.default_rng(B * 100 + L * 10 + D)
    x = rng.normal(size=(B, L, D))
    w_q, w_k, w_v, w_o = (rng.normal(size=(D, D)) / np.sqrt(D) for _ in range(4))
    mask = {"none": None, "causal (L, L)": np.tril(np.ones((L, L), bool)),
            "padding (B, 1, 1, L)": random_mask((B, 1, 1, L), 7)}[mask_kind]
    expected = torch_mha(x, w_q, w_k, w_v, w_o, H, mask)
    args = [a.copy() for a in (x, w_q, w_k, w_v, w_o)]
    if mask is None:
        got = user.multi_head_attention(*args, H)
    else:
        got = user.multi_head_attention(*args, H, mask=mask)
    assert_close(got, expected, atol=ATOL, what=f"multi-head attention output ({mask_kind})")


def test_multi_head_attention_rejects_indivisible_heads(user):
    """D % n_heads != 0 raises ValueError"""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 3, 10))
    w = rng.normal(size=(10, 10))
    assert_raises_value_error(user.multi_head_attention, x, w, w, w, w, 3,
                              what="D=10 with n_heads=3")
