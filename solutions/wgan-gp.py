"""Reference solution: WGAN-GP losses and the gradient penalty (Gulrajani et al. 2017)."""

from __future__ import annotations

from collections.abc import Callable

import torch


def critic_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    # the critic maximises E[D(real)] - E[D(fake)], so it minimises the negative
    return fake_scores.mean() - real_scores.mean()


def generator_loss(fake_scores: torch.Tensor) -> torch.Tensor:
    return -fake_scores.mean()


def gradient_penalty(critic: Callable[[torch.Tensor], torch.Tensor], real: torch.Tensor,
                     fake: torch.Tensor, lam: float = 10.0,
                     gen: torch.Generator | None = None) -> torch.Tensor:
    # one eps ~ U[0, 1] per sample, broadcast over the other dims: (N, 1, ..., 1)
    eps = torch.rand((real.shape[0],) + (1,) * (real.dim() - 1), generator=gen, dtype=real.dtype)
    x_hat = (eps * real + (1 - eps) * fake).detach().requires_grad_(True)
    scores = critic(x_hat)
    # create_graph=True: the penalty must back-propagate into the critic's weights
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)
    norm = grad.flatten(start_dim=1).norm(2, dim=1)  # (N,): over every non-batch dim
    return lam * ((norm - 1) ** 2).mean()
