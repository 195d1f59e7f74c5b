"""The small GPT of the kv-cache kata (numpy only at import; torch is imported when a model is made).

The same shape as the transformer-lm reference: token and learned position embeddings,
pre-layer-norm blocks (causal multi-head self-attention, then a GELU MLP), a final
LayerNorm and a linear head. The kata's starter ships the same class for the learner to
read; the hidden suite builds its models from this copy.

    model = make_gpt(vocab_size=64, seed=0)          # float32, eval mode, seeded weights
    logits = model(ids)                              # (B, T) -> (B, T, vocab_size)
"""

from __future__ import annotations

import math
from typing import Any


def _classes() -> tuple[Any, Any, Any]:
    import torch
    from torch import nn

    class CausalSelfAttention(nn.Module):
        def __init__(self, d_model: int, n_heads: int) -> None:
            super().__init__()
            self.n_heads = n_heads
            self.qkv = nn.Linear(d_model, 3 * d_model)  # x -> [q | k | v]
            self.proj = nn.Linear(d_model, d_model)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            B, T, D = x.shape
            H = self.n_heads
            q, k, v = self.qkv(x).split(D, dim=-1)
            q, k, v = (t.view(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))  # (B, H, T, dh)
            scores = q @ k.transpose(-2, -1) / math.sqrt(D // H)  # (B, H, T, T)
            future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
            weights = scores.masked_fill(future, float("-inf")).softmax(dim=-1)
            out = (weights @ v).transpose(1, 2).reshape(B, T, D)  # concat heads
            return self.proj(out)

    class Block(nn.Module):
        def __init__(self, d_model: int, n_heads: int) -> None:
            super().__init__()
            self.ln1 = nn.LayerNorm(d_model)
            self.attn = CausalSelfAttention(d_model, n_heads)
            self.ln2 = nn.LayerNorm(d_model)
            self.mlp = nn.Sequential(
                nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
            )

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = x + self.attn(self.ln1(x))  # pre-LN: x + f(LN(x))
            return x + self.mlp(self.ln2(x))

    class GPT(nn.Module):
        def __init__(
            self,
            vocab_size: int,
            d_model: int = 64,
            n_heads: int = 4,
            n_layers: int = 2,
            max_len: int = 128,
        ) -> None:
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

    return CausalSelfAttention, Block, GPT


def make_gpt(
    vocab_size: int = 64,
    d_model: int = 64,
    n_heads: int = 4,
    n_layers: int = 2,
    max_len: int = 128,
    seed: int = 0,
) -> Any:
    """A GPT with seeded random weights, in eval mode (float32; call .double() for float64).

    The layer-norm gains and biases are randomised too, so that every parameter matters.
    """
    import torch

    *_, GPT = _classes()
    torch.manual_seed(seed)
    model = GPT(vocab_size, d_model, n_heads, n_layers, max_len)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if ".ln" in name or name.startswith("ln_f"):
                param.add_(0.2 * torch.randn_like(param))
    return model.eval()
