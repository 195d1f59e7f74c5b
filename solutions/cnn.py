"""Reference solution: a small CNN for the 8x8 digits, trained with Adam."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def build_cnn(num_classes: int = 10) -> nn.Module:
    # (N, 1, 8, 8) -> (N, 16, 8, 8) -> (N, 32, 8, 8) -> pool (N, 32, 4, 4) -> (N, 512) -> (N, K)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25),
        nn.Linear(32 * 4 * 4, 64), nn.ReLU(),
        nn.Linear(64, num_classes),
    )  # 38,378 parameters


def _images(X) -> torch.Tensor:
    # (N, 64) rows or (N, 1, 8, 8) images -> float32 (N, 1, 8, 8); row-major, like digits.images
    return torch.as_tensor(np.asarray(X), dtype=torch.float32).reshape(-1, 1, 8, 8)


def train_cnn(model, X, y, epochs=30, lr=1e-3, batch_size=64, seed=0):
    X, y = _images(X), torch.as_tensor(np.asarray(y), dtype=torch.long)
    gen = torch.Generator().manual_seed(seed)  # shuffling
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(X), generator=gen).split(batch_size):
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model


@torch.no_grad()
def predict(model, X) -> np.ndarray:
    model.eval()  # dropout off, batch-norm running statistics
    return model(_images(X)).argmax(dim=1).numpy()
