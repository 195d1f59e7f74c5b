"""Hidden suite for the gan kata."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_close,
    assert_scalar_close,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.generative import RING_STD, ring_figures, ring_sampler, scatter_artifact

# Models this small run several times faster on one thread than on two (no parallel speed-up
# on tiny tensors, and OpenMP threads spin against each other on a busy 2-core machine).
torch.set_num_threads(1)

ROTATION = 0.25  # radians: the ring the user's GAN must learn (not the textbook one at angle 0)
Z_DIM = 2
N_EVAL = 2500
MIN_QUALITY = 0.40
MIN_MODES = 6
MIN_POINTS = 20
RTOL, ATOL = 1e-5, 1e-6  # float64 inputs; an implementation computing in float32 still passes


def bce_real_closed(logits):
    """mean softplus(-x) = BCE with target 1, in float64."""
    return F.softplus(-logits.double()).mean().item()


def bce_fake_closed(logits):
    """mean softplus(x) = BCE with target 0, in float64."""
    return F.softplus(logits.double()).mean().item()


def logits_case(name):
    g = torch.Generator().manual_seed(7)
    if name == "random logits":
        return 3 * torch.randn(64, 1, generator=g, dtype=torch.float64), \
            3 * torch.randn(64, 1, generator=g, dtype=torch.float64)
    if name == "extreme logits":
        big = torch.tensor([-100.0, -50.0, -30.0, 0.0, 30.0, 50.0, 100.0], dtype=torch.float64)
        return big[:, None], big.flip(0)[:, None]
    if name == "real +-100, fake +-100":
        return torch.tensor([[-100.0], [100.0]], dtype=torch.float64), \
            torch.tensor([[100.0], [-100.0]], dtype=torch.float64)
    if name == "shape (N,), 5 real and 3 fake":
        return torch.randn(5, generator=g, dtype=torch.float64), \
            torch.randn(3, generator=g, dtype=torch.float64)
    raise KeyError(name)


CASES = ["random logits", "extreme logits", "real +-100, fake +-100", "shape (N,), 5 real and 3 fake"]


@pytest.mark.parametrize("case", CASES)
def test_discriminator_loss_value(user, case):
    """discriminator_loss = mean BCE(real -> 1) + mean BCE(fake -> 0), finite for extreme logits"""
    real, fake = logits_case(case)
    expected = bce_real_closed(real) + bce_fake_closed(fake)
    got = user.discriminator_loss(real.clone(), fake.clone())
    assert_scalar_close(got, expected, rtol=RTOL, atol=ATOL, what=f"discriminator loss ({case})")


@pytest.mark.parametrize("case", CASES)
def test_generator_loss_value(user, case):
    """generator_loss is the non-saturating mean BCE(fake -> 1), finite for extreme logits"""
    _, fake = logits_case(case)
    got = user.generator_loss(fake.clone())
    assert_scalar_close(got, bce_real_closed(fake), rtol=RTOL, atol=ATOL,
                        what=f"generator loss ({case}); expected mean softplus(-logits)")


def test_gradients_point_the_right_way(user):
    """gradients: D pushes real logits up and fake logits down, G pushes fake logits up"""
    g = torch.Generator().manual_seed(3)
    real = (2 * torch.randn(16, 1, generator=g, dtype=torch.float64)).requires_grad_(True)
    fake = (2 * torch.randn(16, 1, generator=g, dtype=torch.float64)).requires_grad_(True)
    user.discriminator_loss(real, fake).backward()
    require(real.grad is not None and fake.grad is not None,
            "discriminator_loss must return a tensor connected to its inputs (no .item(), no numpy)")
    n = len(real)
    # d/dr softplus(-r)/n = (sigmoid(r) - 1)/n < 0;  d/df softplus(f)/n = sigmoid(f)/n > 0
    assert_close(real.grad, (torch.sigmoid(real.detach()) - 1) / n, rtol=RTOL, atol=1e-8,
                 what="d loss_D / d real_logits (must be negative: D raises real logits)")
    assert_close(fake.grad, torch.sigmoid(fake.detach()) / n, rtol=RTOL, atol=1e-8,
                 what="d loss_D / d fake_logits (must be positive: D lowers fake logits)")
    fake2 = fake.detach().clone().requires_grad_(True)
    user.generator_loss(fake2).backward()
    require(fake2.grad is not None, "generator_loss must return a tensor connected to its input")
    assert_close(fake2.grad, (torch.sigmoid(fake2.detach()) - 1) / n, rtol=RTOL, atol=1e-8,
                 what="d loss_G / d fake_logits (must be negative: G raises fake logits)")


def test_generator_defaults_to_a_2d_latent(user):
    """build_generator() defaults to z_dim=2: it maps (N, 2) noise to (N, 2) points"""
    G = user.build_generator()
    with torch.no_grad():
        out = G(torch.randn(5, 2))
    require(tuple(out.shape) == (5, 2), f"build_generator() output: expected shape (5, 2), got {tuple(out.shape)}")


def test_networks_have_the_right_shapes(user):
    """build_generator maps (N, z_dim) to (N, 2); build_discriminator maps (N, 2) to (N, 1)"""
    G = user.build_generator(z_dim=3, hidden=32)
    D = user.build_discriminator(hidden=32)
    for name, net in (("generator", G), ("discriminator", D)):
        require(isinstance(net, torch.nn.Module),
                f"{name}: expected a torch.nn.Module, got {type(net).__name__}")
        require(any(True for _ in net.parameters()), f"{name}: has no trainable parameters")
    with torch.no_grad():
        out = G(torch.randn(5, 3))
        require(tuple(out.shape) == (5, 2),
                f"generator output: expected shape (5, 2), got {tuple(out.shape)}")
        out = D(torch.randn(5, 2))
        require(tuple(out.shape) == (5, 1),
                f"discriminator output: expected shape (5, 1), got {tuple(out.shape)}")


def generate(G, z):
    """G(z) in eval mode without gradients, as float64 numpy (z cast to G's dtype)."""
    G.eval()
    param = next(iter(G.parameters()), None)
    with torch.no_grad():
        out = G(z if param is None else z.to(param.dtype))
    return to_numpy(out, np.float64, what="generated points")


def test_generator_output_depends_on_the_noise(user):
    """a freshly built generator maps different noise to different points (not one point for all z)"""
    torch.manual_seed(0)
    G = user.build_generator()
    points = generate(G, torch.randn(64, 2, generator=torch.Generator().manual_seed(5)))
    spread = float(np.ptp(points, axis=0).max())
    require(spread > 1e-6, f"64 different noise vectors gave the same point (spread {spread:.1e}): "
                           "the generator's output must depend on z")


def test_train_gan_updates_the_generator(user):
    """the generator train_gan returns has been trained: 2 and 10 steps (same seed) differ"""
    z = torch.randn(64, Z_DIM, generator=torch.Generator().manual_seed(1))
    outs = []
    for steps in (2, 10):
        G = user.train_gan(ring_sampler(ROTATION), z_dim=Z_DIM, steps=steps, batch_size=64, seed=0)
        outs.append(generate(G, z))
    change = float(np.abs(outs[1] - outs[0]).max())
    require(change > 1e-6, "the generator after 10 steps is the one after 2 steps (largest change "
                           f"{change:.1e}): train_gan must update the generator's own parameters")


def test_train_gan_is_deterministic(user):
    """train_gan gives the same generator for the same seed (short run)"""
    z = torch.randn(64, Z_DIM, generator=torch.Generator().manual_seed(1))
    outs = []
    for _ in range(2):
        G = user.train_gan(ring_sampler(ROTATION), z_dim=Z_DIM, steps=20, batch_size=64, seed=0)
        outs.append(generate(G, z))
    assert_close(outs[1], outs[0], atol=1e-6, what="generator output of a second run with seed=0")


@pytest.fixture(scope="session")
def evaluated(user, artifacts, user_cache):
    """Train the user's GAN once on the rotated ring and evaluate 2500 generated points
    (the figures are cached for this exact file, so grading it again skips training)."""

    def compute():
        sample_real = ring_sampler(ROTATION)
        G = user.train_gan(sample_real, z_dim=Z_DIM, steps=3000, batch_size=256, seed=0)
        require(isinstance(G, torch.nn.Module),
                f"train_gan must return the generator (a torch.nn.Module), got {type(G).__name__}")
        z = torch.randn(N_EVAL, Z_DIM, generator=torch.Generator().manual_seed(2024))
        points = generate(G, z)
        require(points.shape == (N_EVAL, 2),
                f"generator output: expected shape ({N_EVAL}, 2), got {points.shape}")
        return ring_figures(points, ROTATION, min_points=MIN_POINTS)

    cov = user_cache.get("evaluated", compute)
    artifacts.save("gan", scatter_artifact(cov, ROTATION))
    return cov


def test_generated_points_are_high_quality(evaluated):
    """at least 40% of 2500 generated points lie within 3 std of a mode"""
    assert_at_least(evaluated["quality"], MIN_QUALITY,
                    what=f"fraction of points within 3 std ({3 * RING_STD:g}) of their nearest mode")


def test_generator_covers_the_modes(evaluated):
    """at least 6 of the 8 modes each hold at least 20 high-quality points (no mode collapse)"""
    require(evaluated["covered"] >= MIN_MODES,
            f"modes covered: needed at least {MIN_MODES} of 8 modes with >= {MIN_POINTS} "
            f"high-quality points each, got {evaluated['covered']} "
            f"(high-quality points per mode: {evaluated['counts']})")
