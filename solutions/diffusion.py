"""Reference solution: DDPM (Ho et al. 2020) on 2-D points, epsilon-prediction with an MLP."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

T_TRAIN = 100  # the suite samples with make_schedule(100, "cosine")


def make_schedule(T: int, kind: str = "linear") -> dict[str, torch.Tensor]:
    if T < 1:
        raise ValueError(f"T must be at least 1, got {T}")
    if kind == "linear":
        betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    elif kind == "cosine":
        # abar(t) = f(t) / f(0), f(t) = cos^2(((t/T + s) / (1 + s)) * pi/2);  beta_t = 1 - abar_t / abar_{t-1}
        s = 0.008
        steps = torch.arange(T + 1, dtype=torch.float64) / T
        f = torch.cos((steps + s) / (1 + s) * math.pi / 2) ** 2
        betas = (1 - f[1:] / f[:-1]).clamp(max=0.999)
    else:
        raise ValueError(f"kind must be 'linear' or 'cosine', got {kind!r}")
    alphas = 1 - betas
    return {"betas": betas, "alphas": alphas, "alphas_cumprod": torch.cumprod(alphas, 0)}


def _per_row(values: torch.Tensor, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    # schedule values at each row's step, shaped (n, 1, ..., 1) to broadcast against `like`
    return values[t].to(like.dtype).reshape(-1, *([1] * (like.dim() - 1)))


def q_sample(x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor,
             schedule: dict[str, torch.Tensor]) -> torch.Tensor:
    # x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps
    abar = _per_row(schedule["alphas_cumprod"], t, x0)
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise


def diffusion_loss(model: Callable[..., torch.Tensor], x0: torch.Tensor, t: torch.Tensor,
                   noise: torch.Tensor, schedule: dict[str, torch.Tensor]) -> torch.Tensor:
    # || eps - eps_theta(x_t, t) ||^2, averaged over every element
    return F.mse_loss(model(q_sample(x0, t, noise, schedule), t), noise)


@torch.no_grad()
def sample(model: Callable[..., torch.Tensor], n: int, schedule: dict[str, torch.Tensor],
           gen: torch.Generator) -> torch.Tensor:
    betas, alphas, abar = schedule["betas"], schedule["alphas"], schedule["alphas_cumprod"]
    x = torch.randn(n, 2, generator=gen)                                   # x_T ~ N(0, I)
    for t in reversed(range(len(betas))):
        eps = model(x, torch.full((n,), t, dtype=torch.long))
        # mean = (x_t - beta_t / sqrt(1 - abar_t) * eps) / sqrt(alpha_t)
        x = (x - betas[t] / (1 - abar[t]).sqrt() * eps) / alphas[t].sqrt()
        if t > 0:
            x = x + betas[t].sqrt() * torch.randn(n, 2, generator=gen)     # sigma_t^2 = beta_t
    return x


class Denoiser(nn.Module):
    """eps_theta(x_t, t): an MLP on [x_t, sinusoidal embedding of t]."""

    def __init__(self, hidden: int = 128, emb: int = 16) -> None:
        super().__init__()
        self.register_buffer("freqs", torch.exp(-math.log(1000.0) * torch.arange(emb // 2) / (emb // 2)))
        self.net = nn.Sequential(
            nn.Linear(2 + emb, hidden), nn.SiLU(),
            nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, 2),
        )

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        angles = t.to(x.dtype)[:, None] * self.freqs.to(x.dtype)          # (n, emb/2)
        return self.net(torch.cat([x, angles.sin(), angles.cos()], dim=1))


def train_diffusion(sample_real: Callable[[int, torch.Generator], torch.Tensor],
                    steps: int = 1500, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)                        # initial weights
    gen = torch.Generator().manual_seed(seed)      # data, steps and noise
    schedule = make_schedule(T_TRAIN, "cosine")
    model = Denoiser()
    ema = copy.deepcopy(model).requires_grad_(False)   # the average of the weights is what we sample with
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    batch = 512
    for _ in range(steps):
        x0 = sample_real(batch, gen)                                        # (B, 2)
        t = torch.randint(T_TRAIN, (batch,), generator=gen)                 # (B,) uniform steps
        noise = torch.randn(batch, 2, generator=gen)                        # (B, 2)
        loss = diffusion_loss(model, x0, t, noise, schedule)
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():                                               # ema <- 0.99 ema + 0.01 w
            for avg, w in zip(ema.parameters(), model.parameters()):
                avg.lerp_(w, 0.01)
    return ema.eval()
