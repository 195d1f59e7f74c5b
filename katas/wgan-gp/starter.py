"""WGAN-GP in PyTorch: the Wasserstein losses and the gradient penalty.

Run `nnquiz grade wgan-gp` to check your work; `nnquiz hint wgan-gp` gives the next hint.
"""

from __future__ import annotations

from collections.abc import Callable

import torch


def critic_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    """mean(fake_scores) - mean(real_scores); a scalar tensor on the autograd graph."""
    raise NotImplementedError("write critic_loss")


def generator_loss(fake_scores: torch.Tensor) -> torch.Tensor:
    """-mean(fake_scores); a scalar tensor on the autograd graph."""
    raise NotImplementedError("write generator_loss")


def gradient_penalty(critic: Callable[[torch.Tensor], torch.Tensor], real: torch.Tensor,
                     fake: torch.Tensor, lam: float = 10.0,
                     gen: torch.Generator | None = None) -> torch.Tensor:
    """lam * mean((||grad_x critic(x_hat)||_2 - 1)^2), a scalar tensor.

    x_hat = eps * real + (1 - eps) * fake with one eps ~ U[0, 1] per sample, drawn from
    `gen`. real and fake have the same shape, (N, D) or (N, C, H, W); the norm runs over
    all non-batch dims. Call the critic once on the whole x_hat batch, and keep the graph
    (create_graph=True) so that penalty.backward() reaches the critic's weights.
    """
    raise NotImplementedError("write gradient_penalty")
