"""Reference solution: a one-step LSTM forecaster that scales inside the model."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def make_windows(series, n_in, n_out=1):
    series = np.asarray(series)
    m = len(series) - n_in - n_out + 1
    if n_in < 1 or n_out < 1:
        raise ValueError(f"n_in and n_out must be at least 1, got n_in={n_in}, n_out={n_out}")
    if m < 1:
        raise ValueError(f"{len(series)} points are too few for n_in={n_in}, n_out={n_out}")
    idx = np.arange(m)[:, None]  # window i starts at i
    X = series[idx + np.arange(n_in)]  # (m, n_in): x[i : i + n_in]
    Y = series[idx + n_in + np.arange(n_out)]  # (m, n_out): x[i + n_in : i + n_in + n_out]
    return X, Y


class Forecaster(nn.Module):
    def __init__(self, n_out=1, hidden_size=32):
        super().__init__()
        self.n_in = None  # set by fit_forecaster
        self.lstm = nn.LSTM(1, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_out)
        # series units <-> model units: z = (x - mean) / scale
        self.register_buffer("mean", torch.tensor(0.0))
        self.register_buffer("scale", torch.tensor(1.0))

    def forward(self, x):  # (N, n_in, 1) in series units -> (N, n_out) in series units
        h, _ = self.lstm((x - self.mean) / self.scale)  # (N, n_in, hidden)
        # predict the change from the last value: the trend carries on past the training range
        return x[:, -1] + self.head(h[:, -1]) * self.scale  # (N, 1) + (N, n_out)


def fit_forecaster(series, n_in=12, n_out=1, epochs=200, seed=0):
    torch.manual_seed(seed)
    series = np.asarray(series, dtype=np.float64)
    X, Y = make_windows(series, n_in, n_out)
    X = torch.tensor(X, dtype=torch.float32).unsqueeze(-1)  # (m, n_in, 1)
    Y = torch.tensor(Y, dtype=torch.float32)  # (m, n_out)
    model = Forecaster(n_out)
    model.n_in = n_in
    model.mean.fill_(series.mean())
    model.scale.fill_(series.std())
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(X), generator=gen).split(32):
            # loss in scaled units, so the learning rate does not depend on the series' scale
            loss = nn.functional.mse_loss(model(X[idx]) / model.scale, Y[idx] / model.scale)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model.eval()


@torch.no_grad()
def forecast(model, history, steps):
    model.eval()
    window = [float(v) for v in np.asarray(history)[-model.n_in:]]
    out = []
    for _ in range(steps):  # recursive: each prediction becomes the newest input
        x = torch.tensor(window, dtype=torch.float32).view(1, -1, 1)
        y = float(model(x)[0, 0])
        out.append(y)
        window = window[1:] + [y]
    return np.array(out)
