"""Sentence classification with a convolutional network over word embeddings (Kim, 2014).

Run `nnquiz grade text-cnn` to check your work; `nnquiz hint text-cnn` gives the next hint.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def build_vocab(texts: list[str], min_freq: int = 1) -> dict[str, int]:
    """Token -> id. Tokens: text.lower().split(). Ids: "<pad>" 0, "<unk>" 1, then every token seen
    at least min_freq times, by descending count, ties in alphabetical (sorted()) order.
    """
    raise NotImplementedError("write build_vocab")


def encode(texts: list[str], vocab: dict[str, int], max_len: int) -> torch.Tensor:
    """LongTensor (N, max_len) of ids: tokens as in build_vocab, unknown -> 1, the first max_len
    tokens kept, shorter texts padded with 0 on the right.
    """
    raise NotImplementedError("write encode")


class TextCNN(nn.Module):
    """Embedding (padding_idx=0) -> one Conv1d(embed_dim, num_filters, k) per k in kernel_sizes
    -> ReLU -> max over positions -> concatenate
    -> Linear(num_filters * len(kernel_sizes), num_classes).

    forward: LongTensor (N, L) of ids, L >= max(kernel_sizes) -> logits (N, num_classes).
    """

    def __init__(self, vocab_size: int, embed_dim: int = 32, num_classes: int = 2,
                 kernel_sizes: tuple[int, ...] = (2, 3, 4), num_filters: int = 32):
        super().__init__()
        raise NotImplementedError("write TextCNN")

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("write TextCNN.forward")


def train_text_cnn(texts: list[str], labels: np.ndarray, epochs: int = 20,
                   seed: int = 0) -> tuple[TextCNN, dict[str, int]]:
    """Build the vocabulary from `texts`, train a TextCNN on them, return (model, vocab).

    labels: (N,) class indices. The same seed gives the same model.
    """
    raise NotImplementedError("write train_text_cnn")


def predict_texts(model: TextCNN, vocab: dict[str, int], texts: list[str]) -> np.ndarray:
    """Integer labels (N,) for raw texts, in eval mode without autograd.

    Choose the padding length yourself: at least the widest kernel, so one-word texts work.
    """
    raise NotImplementedError("write predict_texts")
