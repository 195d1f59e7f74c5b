"""A DDPM (denoising diffusion probabilistic model) in PyTorch that learns a ring of 8 Gaussians.

Run `nnquiz grade diffusion` to check your work; `nnquiz hint diffusion` gives the next hint.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn


def make_schedule(T: int, kind: str = "linear") -> dict[str, torch.Tensor]:
    """{"betas", "alphas", "alphas_cumprod"}: float64 tensors of shape (T,).

    linear: betas evenly spaced from 1e-4 to 0.02 (Ho et al. 2020); cosine: Nichol & Dhariwal
    2021 with s = 0.008, betas clipped at 0.999. alphas = 1 - betas, alphas_cumprod = cumprod(alphas).
    Raises ValueError for T < 1 or an unknown kind.
    """
    raise NotImplementedError("write make_schedule")


def q_sample(x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor,
             schedule: dict[str, torch.Tensor]) -> torch.Tensor:
    """x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) noise, per row; x0 (n, ...), t (n,) int64 in 0..T-1."""
    raise NotImplementedError("write q_sample")


def diffusion_loss(model: Callable[..., torch.Tensor], x0: torch.Tensor, t: torch.Tensor,
                   noise: torch.Tensor, schedule: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean over every element of (noise - model(x_t, t))^2, a scalar tensor on the autograd graph."""
    raise NotImplementedError("write diffusion_loss")


def sample(model: Callable[..., torch.Tensor], n: int, schedule: dict[str, torch.Tensor],
           gen: torch.Generator) -> torch.Tensor:
    """(n, 2) points from the DDPM ancestral sampler with sigma_t^2 = beta_t, all noise from `gen`.

    x_T ~ N(0, I); for t = T-1 .. 0: eps = model(x, t as an (n,) int64 tensor),
    x = (x - beta_t / sqrt(1 - abar_t) * eps) / sqrt(alpha_t) + sqrt(beta_t) * z, z ~ N(0, I) (no z at t = 0).
    """
    raise NotImplementedError("write sample")


def train_diffusion(sample_real: Callable[[int, torch.Generator], torch.Tensor],
                    steps: int = 1500, seed: int = 0) -> nn.Module:
    """Train a noise predictor model(x_t, t) -> eps for make_schedule(100, "cosine") and return it."""
    raise NotImplementedError("write train_diffusion")
