"""Reference solution: a fully connected autoencoder for the 8x8 digits."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class AutoEncoder(nn.Module):
    def __init__(self, input_dim=64, latent_dim=8):
        super().__init__()
        # 64 -> 128 -> 8 -> 128 -> 64; the code layer is linear, the output a sigmoid
        self.encoder = nn.Sequential(
            nn.Linear(input_dim, 128), nn.ReLU(), nn.Linear(128, latent_dim),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, 128), nn.ReLU(), nn.Linear(128, input_dim), nn.Sigmoid(),
        )

    def encode(self, x):  # (N, input_dim) -> (N, latent_dim)
        return self.encoder(x)

    def decode(self, z):  # (N, latent_dim) -> (N, input_dim), sigmoid: in [0, 1]
        return self.decoder(z)

    def forward(self, x):
        return self.decode(self.encode(x))


def train_autoencoder(X, latent_dim=8, epochs=100, seed=0):
    torch.manual_seed(seed)
    X = torch.as_tensor(np.asarray(X), dtype=torch.float32)  # (N, 64) in [0, 1]
    model = AutoEncoder(X.shape[1], latent_dim)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(X), generator=gen).split(32):  # mini-batches of 32
            loss = nn.functional.mse_loss(model(X[idx]), X[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model.eval()
