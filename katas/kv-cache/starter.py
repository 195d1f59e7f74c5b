"""Greedy decoding with a key/value cache for a small GPT, in PyTorch.

The GPT below is the model the tests use (the suite builds it from an identical copy, with
seeded random weights, in eval mode). Read it, keep it as it is, and write
generate_cached. Run `nnquiz grade kv-cache` to check your work; `nnquiz hint kv-cache`
gives the next hint.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)   # x -> [q | k | v]
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, D = x.shape
        H = self.n_heads
        q, k, v = self.qkv(x).split(D, dim=-1)
        q, k, v = (t.view(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))  # (B, H, T, dh)
        scores = q @ k.transpose(-2, -1) / math.sqrt(D // H)                   # (B, H, T, T)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        weights = scores.masked_fill(future, float("-inf")).softmax(dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(B, T, D)                   # concat heads
        return self.proj(out)


class Block(nn.Module):
    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(),
                                 nn.Linear(4 * d_model, d_model))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))  # pre-LN: x + f(LN(x))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size: int, d_model: int = 64, n_heads: int = 4, n_layers: int = 2,
                 max_len: int = 128) -> None:
        super().__init__()
        self.max_len = max_len
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        T = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(T, device=idx.device))  # (B, T, D)
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))  # (B, T, V)


@torch.no_grad()
def greedy_full(model: GPT, prompt_ids: list[int], max_new: int) -> list[int]:
    """Greedy decoding that recomputes the whole sequence every step (what you must match)."""
    ids = list(prompt_ids)
    for _ in range(max_new):
        ids.append(int(model(torch.tensor([ids]))[0, -1].argmax()))
    return ids


def generate_cached(model: GPT, prompt_ids: list[int], max_new: int) -> list[int]:
    """Greedy decoding with a key/value cache: the same ids as greedy_full, much faster.

    Feed the prompt once, keep every layer's keys and values, then feed one new token per
    step. Call the model's own modules (model.tok, model.pos, block.ln1, block.attn.qkv,
    block.attn.proj, block.ln2, block.mlp, model.ln_f, model.head); the tests watch them.
    Returns the prompt followed by max_new ids. ValueError for an empty prompt, a negative
    max_new, or when len(prompt_ids) + max_new > model.max_len.
    """
    raise NotImplementedError("write generate_cached")
