"""Reference solution: greedy decoding with a key/value cache for the kata's small GPT."""

from __future__ import annotations

import math

import torch
from torch import nn


def attend_cached(attn: nn.Module, x: torch.Tensor, cache: list[torch.Tensor] | None):
    """Self-attention of the new positions x (1, n, D) over the cached ones plus themselves."""
    B, n, D = x.shape
    H = attn.n_heads
    q, k, v = attn.qkv(x).split(D, dim=-1)
    q, k, v = (t.view(B, n, H, D // H).transpose(1, 2) for t in (q, k, v))  # (1, H, n, dh)
    if cache is not None:
        k = torch.cat([cache[0], k], dim=2)                                 # (1, H, L + n, dh)
        v = torch.cat([cache[1], v], dim=2)
    L = k.shape[2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(D // H)                    # (1, H, n, L)
    # new position i sits at L - n + i and may see keys 0 .. L - n + i
    future = torch.triu(torch.ones(n, L, dtype=torch.bool, device=x.device), diagonal=L - n + 1)
    weights = scores.masked_fill(future, float("-inf")).softmax(dim=-1)
    out = (weights @ v).transpose(1, 2).reshape(B, n, D)
    return attn.proj(out), [k, v]


def forward_cached(model: nn.Module, new_ids: torch.Tensor, caches: list, start: int) -> torch.Tensor:
    """Logits (1, n, V) of the new tokens at positions start .. start + n - 1; caches updated."""
    positions = torch.arange(start, start + new_ids.shape[1], device=new_ids.device)
    x = model.tok(new_ids) + model.pos(positions)                           # (1, n, D)
    for i, block in enumerate(model.blocks):
        a, caches[i] = attend_cached(block.attn, block.ln1(x), caches[i])
        x = x + a
        x = x + block.mlp(block.ln2(x))
    return model.head(model.ln_f(x))


@torch.no_grad()
def generate_cached(model: nn.Module, prompt_ids: list[int], max_new: int) -> list[int]:
    ids = [int(i) for i in prompt_ids]
    if not ids:
        raise ValueError("prompt_ids is empty: greedy decoding needs at least one token")
    if max_new < 0:
        raise ValueError(f"max_new must be >= 0, got {max_new}")
    if len(ids) + max_new > model.max_len:
        raise ValueError(f"{len(ids)} prompt + {max_new} new tokens exceed max_len={model.max_len}")
    caches: list = [None] * len(model.blocks)
    new = torch.tensor([ids])                          # prefill: the whole prompt at once
    for _ in range(max_new):
        logits = forward_cached(model, new, caches, start=len(ids) - new.shape[1])
        ids.append(int(logits[0, -1].argmax()))
        new = torch.tensor([[ids[-1]]])                # then one token per step
    return ids
