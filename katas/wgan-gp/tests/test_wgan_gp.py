"""Hidden suite for the wgan-gp kata."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from nnquiz.grading.katalib.checks import (
    assert_at_most,
    assert_close,
    assert_scalar_close,
    require,
    to_numpy,
)

# Models this small run several times faster on one thread than on two (no parallel speed-up
# on tiny tensors, and OpenMP threads spin against each other on a busy 2-core machine).
torch.set_num_threads(1)

DOUBLE = torch.float64
RTOL, ATOL = 1e-6, 1e-9
SHAPES = {"vectors (N, D)": (16, 5), "images (N, C, H, W)": (8, 2, 4, 4)}


def seeded(seed):
    return torch.Generator().manual_seed(seed)


class Recorder(nn.Module):
    """Wraps a critic and keeps a copy of every batch it is called on."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.inputs = []

    def forward(self, x):
        self.inputs.append(x.detach().clone())
        return self.net(x)

    def points(self, shape):
        """The interpolated batch the critic saw: one call on the whole batch, or calls that add up to it."""
        require(self.inputs, "gradient_penalty never called the critic")
        whole = [x for x in self.inputs if tuple(x.shape) == tuple(shape)]
        if whole:
            return whole[-1]
        joined = torch.cat([x.reshape(-1, *shape[1:]) for x in self.inputs])
        require(tuple(joined.shape) == tuple(shape),
                f"the critic should be called on the {tuple(shape)} batch of interpolated points; "
                f"it was called on shapes {[tuple(x.shape) for x in self.inputs]}")
        return joined


def linear_critic(shape, norm, seed=0):
    """A critic w . x + b with ||w|| = norm: its input gradient is w everywhere."""
    d = int(np.prod(shape[1:]))
    lin = nn.Linear(d, 1).to(DOUBLE)
    with torch.no_grad():
        w = torch.randn(1, d, generator=seeded(seed), dtype=DOUBLE)
        lin.weight.copy_(norm * w / w.norm())
    return nn.Sequential(nn.Flatten(), lin) if len(shape) > 2 else lin


def smooth_critic(shape, seed=0):
    """A small non-linear critic (tanh/softplus, so second derivatives are not zero)."""
    torch.manual_seed(seed)
    if len(shape) == 2:
        net = nn.Sequential(nn.Linear(shape[1], 32), nn.Tanh(), nn.Linear(32, 32), nn.Softplus(),
                            nn.Linear(32, 1))
    else:
        c, h, w = shape[1:]
        net = nn.Sequential(nn.Conv2d(c, 4, 3, padding=1), nn.Tanh(), nn.Flatten(),
                            nn.Linear(4 * h * w, 1))
    return net.to(DOUBLE)


def batches(shape, seed=1):
    """real ~ N(+1, 1), fake ~ N(-1, 1) in float64: every pair is far apart."""
    g = seeded(seed)
    return torch.randn(shape, generator=g, dtype=DOUBLE) + 1, torch.randn(shape, generator=g, dtype=DOUBLE) - 1


def penalty_at(critic, x_hat, lam, create_graph=False):
    """lam * mean((||grad_x critic(x)||_2 - 1)^2) at the given points, norms over all non-batch dims."""
    x = x_hat.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=create_graph)
    return lam * ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()


# ---------------------------------------------------------------- losses


SCORE_CASES = {"(N, 1) scores": ((6, 1), (6, 1)), "(N,) scores, 5 real and 3 fake": ((5,), (3,))}


@pytest.mark.parametrize("case", list(SCORE_CASES))
def test_critic_loss(user, case):
    """critic_loss = mean(fake) - mean(real), with gradients -1/N_real and +1/N_fake"""
    rshape, fshape = SCORE_CASES[case]
    g = seeded(2)
    real = torch.randn(rshape, generator=g, dtype=DOUBLE).requires_grad_(True)
    fake = torch.randn(fshape, generator=g, dtype=DOUBLE).requires_grad_(True)
    loss = user.critic_loss(real, fake)
    expected = (fake.mean() - real.mean()).item()
    assert_scalar_close(loss, expected, rtol=RTOL, atol=ATOL, what=f"critic loss ({case})")
    require(isinstance(loss, torch.Tensor) and loss.requires_grad,
            "critic_loss must return a tensor on the autograd graph")
    loss.backward()
    assert_close(real.grad, torch.full(rshape, -1.0 / real.numel()), rtol=RTOL, atol=ATOL,
                 what="d critic_loss / d real_scores")
    assert_close(fake.grad, torch.full(fshape, 1.0 / fake.numel()), rtol=RTOL, atol=ATOL,
                 what="d critic_loss / d fake_scores")


@pytest.mark.parametrize("case", list(SCORE_CASES))
def test_generator_loss(user, case):
    """generator_loss = -mean(fake), with gradient -1/N"""
    _, fshape = SCORE_CASES[case]
    fake = torch.randn(fshape, generator=seeded(3), dtype=DOUBLE).requires_grad_(True)
    loss = user.generator_loss(fake)
    assert_scalar_close(loss, -fake.mean().item(), rtol=RTOL, atol=ATOL, what=f"generator loss ({case})")
    require(isinstance(loss, torch.Tensor) and loss.requires_grad,
            "generator_loss must return a tensor on the autograd graph")
    loss.backward()
    assert_close(fake.grad, torch.full(fshape, -1.0 / fake.numel()), rtol=RTOL, atol=ATOL,
                 what="d generator_loss / d fake_scores")


# ---------------------------------------------------------------- gradient penalty


LINEAR_CASES = {
    "vectors (N, D), ||w|| = 2.5, lam = 10": ((16, 5), 2.5, 10.0),
    "vectors (N, D), ||w|| = 0.3, lam = 2": ((16, 5), 0.3, 2.0),
    "images (N, C, H, W), ||w|| = 2.5, lam = 10": ((8, 2, 4, 4), 2.5, 10.0),
    "images (N, C, H, W), ||w|| = 0.5, lam = 3": ((8, 2, 4, 4), 0.5, 3.0),
}


@pytest.mark.parametrize("case", list(LINEAR_CASES))
def test_linear_critic_penalty_is_exact(user, case):
    """a linear critic w.x + b gives exactly lam * (||w|| - 1)^2"""
    shape, norm, lam = LINEAR_CASES[case]
    real, fake = batches(shape)
    gp = user.gradient_penalty(linear_critic(shape, norm), real, fake, lam=lam, gen=seeded(0))
    assert_scalar_close(gp, lam * (norm - 1) ** 2, rtol=RTOL, atol=ATOL,
                        what=f"penalty ({case}); the norm runs over all non-batch dims")


def test_default_lambda_and_no_generator(user):
    """lam defaults to 10 and gen may be left out"""
    shape = SHAPES["vectors (N, D)"]
    real, fake = batches(shape)
    gp = user.gradient_penalty(linear_critic(shape, 2.5), real, fake)
    assert_scalar_close(gp, 10.0 * 1.5**2, rtol=RTOL, atol=ATOL, what="penalty with the defaults")


@pytest.mark.parametrize("case", list(SHAPES))
def test_penalty_matches_recomputation(user, case):
    """for a non-linear critic the penalty equals lam * mean((||grad||_2 - 1)^2) at the points the critic saw"""
    shape = SHAPES[case]
    real, fake = batches(shape)
    critic = Recorder(smooth_critic(shape))
    gp = user.gradient_penalty(critic, real, fake, lam=10.0, gen=seeded(0))
    x_hat = critic.points(shape)
    expected = penalty_at(critic.net, x_hat, 10.0).item()
    assert_scalar_close(gp, expected, rtol=RTOL, atol=ATOL,
                        what=f"penalty for a non-linear critic ({case})")


SEGMENT_CASES = {"vectors (N, D)": (2000, 3), "images (N, C, H, W)": (1000, 2, 3, 3)}
KS_BAR = {"vectors (N, D)": 0.06, "images (N, C, H, W)": 0.08}  # far beyond the 0.001 critical value


@pytest.mark.parametrize("case", list(SEGMENT_CASES))
def test_interpolates_lie_on_segments_with_one_eps_per_sample(user, case):
    """x_hat = eps*real + (1 - eps)*fake with one eps ~ U[0, 1] per sample (not per batch, not per element)"""
    shape = SEGMENT_CASES[case]
    real, fake = batches(shape, seed=4)
    critic = Recorder(linear_critic(shape, 1.5))
    user.gradient_penalty(critic, real, fake, gen=seeded(0))
    x_hat = critic.points(shape)
    n = shape[0]
    d = (real - fake).reshape(n, -1)
    off = (x_hat - fake).reshape(n, -1)
    eps = (off * d).sum(1) / (d * d).sum(1)                      # least-squares eps per sample
    residual = (off - eps[:, None] * d).abs().max().item()
    require(residual <= 1e-6,
            f"x_hat is off the segment between its real and fake pair by up to {residual:.3g} "
            "(allowed 1e-6): use one eps per sample, broadcast over all other dims")
    e = to_numpy(eps, np.float64)
    require(bool(e.min() >= -1e-9 and e.max() <= 1 + 1e-9),
            f"eps must lie in [0, 1], got values from {e.min():.4f} to {e.max():.4f}")
    require(float(e.std()) > 0.1,
            f"eps should differ from sample to sample (U[0, 1] has std 0.289), got std {e.std():.4f}")
    s = np.sort(e)
    ks = max(np.max(np.arange(1, n + 1) / n - s), np.max(s - np.arange(n) / n))
    assert_at_most(ks, KS_BAR[case], what=f"Kolmogorov-Smirnov distance of {n} eps values from U[0, 1]")


@pytest.mark.parametrize("case", list(SHAPES))
def test_penalty_backpropagates_to_the_critic(user, case):
    """the penalty keeps its graph (create_graph=True): backward gives the critic's weight gradients"""
    shape = SHAPES[case]
    real, fake = batches(shape)
    critic = Recorder(smooth_critic(shape))
    gp = user.gradient_penalty(critic, real, fake, lam=10.0, gen=seeded(0))
    require(isinstance(gp, torch.Tensor) and gp.requires_grad,
            "the penalty is cut off from the critic's weights: call torch.autograd.grad(..., create_graph=True)")
    params = list(critic.net.parameters())
    for p in params:
        p.grad = None
    gp.backward()
    expected = torch.autograd.grad(penalty_at(critic.net, critic.points(shape), 10.0, create_graph=True),
                                   params, allow_unused=True)  # the last bias does not move the gradient
    for i, (p, e) in enumerate(zip(params, expected)):
        got = p.grad if p.grad is not None else torch.zeros_like(p)
        e = e if e is not None else torch.zeros_like(p)
        assert_close(got, e, rtol=1e-5, atol=1e-9, what=f"d penalty / d critic parameter {i} ({case})")


def test_penalty_draws_eps_from_gen(user):
    """the same gen seed gives the same penalty"""
    shape = SHAPES["vectors (N, D)"]
    real, fake = batches(shape)
    critic = smooth_critic(shape)
    a = user.gradient_penalty(critic, real, fake, gen=seeded(5))
    torch.rand(10)  # move the global generator: only gen may matter
    b = user.gradient_penalty(critic, real, fake, gen=seeded(5))
    assert_close(to_numpy(b, np.float64), to_numpy(a, np.float64), atol=1e-12,
                 what="penalty from a second generator seeded 5")
