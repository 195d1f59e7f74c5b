"""A character-level transformer language model (a small GPT) in PyTorch.

Run `nnquiz grade transformer-lm` to check your work; `nnquiz hint transformer-lm` gives the
next hint. The corpus: nnquiz.grading.katalib.char_corpus (split(), vocabulary(), encode(), decode()).
"""

from __future__ import annotations

import math  # noqa: F401

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn


def build_model(vocab_size: int, d_model: int = 64, n_heads: int = 4, n_layers: int = 2,
                max_len: int = 128, dropout: float = 0.0) -> nn.Module:
    """A decoder-only transformer: ids (B, T) -> logits (B, T, vocab_size), T <= max_len.

    Pre-layer-norm blocks with causal multi-head self-attention written by hand (no
    library attention modules or functions), an MLP, a final LayerNorm and a linear head;
    learned or sinusoidal positions. ValueError when d_model % n_heads != 0.
    """
    raise NotImplementedError("write build_model")


def train_lm(model: nn.Module, ids: torch.Tensor, steps: int = 800, batch_size: int = 16,
             lr: float = 5e-3, seed: int = 0) -> nn.Module:
    """Train on random windows of the 1-D id tensor `ids` (next-character cross-entropy),
    windows as long as the model's max_len; return the model. Same seed, same model."""
    raise NotImplementedError("write train_lm")


def generate(model: nn.Module, prompt_ids: list[int], max_new: int, temperature: float = 1.0,
             seed: int = 0) -> list[int]:
    """The prompt followed by max_new ids, each drawn from softmax(logits / temperature) of the
    last position (context: the last max_len ids), randomness from a torch.Generator seeded
    with `seed`."""
    raise NotImplementedError("write generate")
