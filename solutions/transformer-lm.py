"""Reference solution: a small decoder-only transformer language model (pre-LN GPT)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, dropout: float) -> None:
        super().__init__()
        if d_model % n_heads != 0:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, D = x.shape
        H = self.n_heads
        q, k, v = self.qkv(x).split(D, dim=-1)
        q, k, v = (t.view(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))  # (B, H, T, dh)
        scores = q @ k.transpose(-2, -1) / math.sqrt(D // H)                   # (B, H, T, T)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        weights = self.drop(scores.masked_fill(future, float("-inf")).softmax(dim=-1))
        out = (weights @ v).transpose(1, 2).reshape(B, T, D)                   # concat heads
        return self.drop(self.proj(out))


class Block(nn.Module):
    def __init__(self, d_model: int, n_heads: int, dropout: float) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads, dropout)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(),
                                 nn.Linear(4 * d_model, d_model), nn.Dropout(dropout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))  # pre-LN: x + f(LN(x))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size: int, d_model: int, n_heads: int, n_layers: int,
                 max_len: int, dropout: float) -> None:
        super().__init__()
        self.max_len = max_len
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)  # learned positions
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(Block(d_model, n_heads, dropout) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        T = idx.shape[1]
        if T > self.max_len:
            raise ValueError(f"sequence of {T} tokens is longer than max_len={self.max_len}")
        x = self.drop(self.tok(idx) + self.pos(torch.arange(T, device=idx.device)))  # (B, T, D)
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))  # (B, T, V)


def build_model(vocab_size: int, d_model: int = 64, n_heads: int = 4, n_layers: int = 2,
                max_len: int = 128, dropout: float = 0.0) -> nn.Module:
    return GPT(vocab_size, d_model, n_heads, n_layers, max_len, dropout)


def train_lm(model: nn.Module, ids: torch.Tensor, steps: int = 800, batch_size: int = 16,
             lr: float = 5e-3, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    ids = torch.as_tensor(ids, dtype=torch.long)
    T = min(model.max_len, len(ids) - 1)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1)
    model.train()
    for _ in range(steps):
        starts = torch.randint(0, len(ids) - T, (batch_size,), generator=gen)
        window = torch.stack([ids[s:s + T + 1] for s in starts.tolist()])   # (B, T + 1)
        logits = model(window[:, :-1])                                    # (B, T, V)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), window[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
    return model.eval()


@torch.no_grad()
def generate(model: nn.Module, prompt_ids, max_new: int, temperature: float = 1.0,
             seed: int = 0) -> list[int]:
    gen = torch.Generator().manual_seed(seed)
    ids = [int(i) for i in prompt_ids]
    was_training = model.training
    model.eval()
    for _ in range(max_new):
        context = torch.tensor([ids[-model.max_len:]])            # crop to the last max_len
        logits = model(context)[0, -1] / temperature              # (V,)
        ids.append(int(torch.multinomial(logits.softmax(-1), 1, generator=gen)))
    model.train(was_training)
    return ids
