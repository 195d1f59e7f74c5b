"""A small convolutional network for the 8x8 digits, in PyTorch.

Run `nnquiz grade cnn` to check your work; `nnquiz hint cnn` gives the next hint.
"""

from __future__ import annotations

import numpy as np
import torch  # noqa: F401  (you will need it)
from torch import nn


def build_cnn(num_classes: int = 10) -> nn.Module:
    """A model mapping float32 images (N, 1, 8, 8) to logits (N, num_classes).

    At least one nn.Conv2d and at most 100,000 parameters. The grader calls
    torch.manual_seed(0) just before build_cnn, so the initial weights are reproducible.
    """
    raise NotImplementedError("write build_cnn")


def train_cnn(model: nn.Module, X: np.ndarray, y: np.ndarray, epochs: int = 30, lr: float = 1e-3,
              batch_size: int = 64, seed: int = 0) -> nn.Module:
    """Train `model` with mini-batches (cross-entropy, Adam) and return it.

    X: float array (N, 64) of rows, or (N, 1, 8, 8) images; an image is X.reshape(N, 1, 8, 8)
    (row-major: pixel (i, j) is column 8*i + j). y: (N,) class indices 0..num_classes-1.
    The same seed and the same initial model give the same trained model.
    """
    raise NotImplementedError("write train_cnn")


def predict(model: nn.Module, X: np.ndarray) -> np.ndarray:
    """Integer labels (N,): the argmax of the logits, in eval mode and without autograd.

    X as in train_cnn: (N, 64) rows or (N, 1, 8, 8) images.
    """
    raise NotImplementedError("write predict")
