"""A GAN in PyTorch that learns a ring of 8 Gaussians in the plane.

Run `nnquiz grade gan` to check your work; `nnquiz hint gan` gives the next hint.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """BCE(real -> 1) + BCE(fake -> 0), each a mean over its own batch; a scalar tensor.

    Logits are raw discriminator outputs, (N, 1) or (N,); real and fake may differ in N.
    Must stay finite and exact for logits in [-100, 100] and keep the autograd graph.
    """
    raise NotImplementedError("write discriminator_loss")


def generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """The non-saturating generator loss BCE(fake -> 1) = mean softplus(-logits); a scalar tensor."""
    raise NotImplementedError("write generator_loss")


def build_generator(z_dim: int = 2, hidden: int = 128) -> nn.Module:
    """An MLP mapping noise (N, z_dim) to points (N, 2)."""
    raise NotImplementedError("write build_generator")


def build_discriminator(hidden: int = 128) -> nn.Module:
    """An MLP mapping points (N, 2) to logits (N, 1)."""
    raise NotImplementedError("write build_discriminator")


def train_gan(sample_real: Callable[[int, torch.Generator], torch.Tensor], z_dim: int = 2,
              steps: int = 3000, batch_size: int = 256, seed: int = 0) -> nn.Module:
    """Train a GAN on the distribution behind `sample_real` and return the generator.

    sample_real(n, gen) returns an (n, 2) float32 tensor of real points, drawing from the
    torch.Generator `gen`. Run `steps` steps, each one discriminator update and one
    generator update on batches of `batch_size`. The same seed gives the same generator.
    """
    raise NotImplementedError("write train_gan")
