"""Hidden suite for the diffusion kata: DDPM schedules, forward noising, loss, sampler and training."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_close,
    assert_raises_value_error,
    assert_scalar_close,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.generative import RING_STD, ring_figures, ring_sampler, scatter_artifact

torch.set_num_threads(1)

ROTATION = 0.6       # radians: the ring the user's model must learn
T_SAMPLE = 100       # the suite samples with make_schedule(100, "cosine")
TRAIN_STEPS = 1500
N_EVAL = 2500
MIN_QUALITY = 0.40
MIN_MODES = 6
MIN_POINTS = 20
N_STAT = 200_000     # draws for the sampler's mean and variance checks


def schedule_of(value, T, what):
    require(isinstance(value, dict), f"{what}: expected a dict, got {type(value).__name__}")
    out = {}
    for key in ("betas", "alphas", "alphas_cumprod"):
        require(key in value, f"{what}: missing key {key!r} (keys: {sorted(value)})")
        arr = to_numpy(value[key], np.float64, what=f"{what}[{key!r}]")
        require(arr.shape == (T,), f"{what}[{key!r}]: expected shape ({T},), got {arr.shape}")
        out[key] = arr
    return out


def linear_formula(T):
    betas = np.linspace(1e-4, 0.02, T)
    return betas, 1 - betas, np.cumprod(1 - betas)


def cosine_formula(T, s=0.008):
    t = np.arange(T + 1) / T
    f = np.cos((t + s) / (1 + s) * np.pi / 2) ** 2
    betas = np.minimum(1 - f[1:] / f[:-1], 0.999)
    return betas, 1 - betas, np.cumprod(1 - betas)


@pytest.mark.parametrize("kind, T", [("linear", 1000), ("linear", 10), ("linear", 1), ("cosine", 1000),
                                     ("cosine", 50), ("cosine", 4)],
                         ids=["linear, T=1000", "linear, T=10", "linear, T=1", "cosine, T=1000",
                              "cosine, T=50", "cosine, T=4"])
def test_schedule_values(user, kind, T):
    """betas, alphas and alphas_cumprod follow Ho et al. (linear) and Nichol & Dhariwal (cosine), atol 1e-8"""
    got = schedule_of(user.make_schedule(T, kind), T, what=f"make_schedule({T}, {kind!r})")
    betas, alphas, abar = (linear_formula if kind == "linear" else cosine_formula)(T)
    assert_close(got["betas"], betas, atol=1e-8, what=f"betas ({kind}, T={T})")
    assert_close(got["alphas"], alphas, atol=1e-8, what=f"alphas ({kind}, T={T})")
    assert_close(got["alphas_cumprod"], abar, atol=1e-8, what=f"alphas_cumprod ({kind}, T={T})")


def test_cosine_betas_are_clipped(user):
    """the last cosine beta (which would be 1) is clipped at 0.999, so alphas_cumprod stays positive"""
    got = schedule_of(user.make_schedule(1000, "cosine"), 1000, what="make_schedule(1000, 'cosine')")
    assert_scalar_close(got["betas"][-1], 0.999, atol=1e-12, what="last cosine beta")
    require(got["alphas_cumprod"][-1] > 0, f"alphas_cumprod[-1] must be > 0, got {got['alphas_cumprod'][-1]}")


@pytest.mark.parametrize("T, kind", [(0, "linear"), (-3, "cosine"), (10, "quadratic")],
                         ids=["T = 0", "T < 0", "unknown kind"])
def test_bad_schedule_is_rejected(user, T, kind):
    """make_schedule raises ValueError for T < 1 or an unknown kind"""
    assert_raises_value_error(user.make_schedule, T, kind, what=f"make_schedule({T}, {kind!r})")


def suite_schedule(betas):
    betas = torch.tensor(betas, dtype=torch.float64)
    return {"betas": betas, "alphas": 1 - betas, "alphas_cumprod": torch.cumprod(1 - betas, 0)}


@pytest.mark.parametrize("shape", [(6, 2), (5, 3, 4), (1, 2)], ids=["(6, 2)", "(5, 3, 4)", "(1, 2)"])
def test_q_sample_values(user, shape):
    """q_sample = sqrt(abar_t) x0 + sqrt(1 - abar_t) noise, row by row, for any trailing shape (rtol 1e-10)"""
    g = torch.Generator().manual_seed(sum(shape))
    sched = suite_schedule(np.linspace(0.05, 0.3, 12))
    x0 = torch.randn(*shape, generator=g, dtype=torch.float64) * 3 + 1
    noise = torch.randn(*shape, generator=g, dtype=torch.float64)
    t = torch.randint(12, (shape[0],), generator=g)
    t[0] = 11
    if shape[0] > 1:
        t[1] = 0
    keep = (x0.clone(), t.clone(), noise.clone())
    abar = sched["alphas_cumprod"][t].reshape(-1, *([1] * (len(shape) - 1)))
    expected = abar.sqrt() * x0 + (1 - abar).sqrt() * noise
    got = user.q_sample(x0, t, noise, sched)
    assert_close(got, expected, atol=1e-12, rtol=1e-10, what=f"q_sample for x0 of shape {shape}")
    for name, before, after in zip(("x0", "t", "noise"), keep, (x0, t, noise)):
        require(torch.equal(before, after), f"q_sample modified its input {name}")


def test_q_sample_statistics(user):
    """q_sample(x0, t, noise ~ N(0, I)) has mean sqrt(abar_t) x0 and variance 1 - abar_t"""
    sched = suite_schedule(cosine_formula(20)[0])
    g = torch.Generator().manual_seed(5)
    n, t_val = 100_000, 7
    x0 = torch.full((n, 2), 2.0, dtype=torch.float64)
    x0[:, 1] = -1.0
    xt = to_numpy(user.q_sample(x0, torch.full((n,), t_val), torch.randn(n, 2, generator=g, dtype=torch.float64),
                                sched), np.float64, what="q_sample")
    abar = float(sched["alphas_cumprod"][t_val])
    assert_close(xt.mean(0), math.sqrt(abar) * np.array([2.0, -1.0]), atol=0.01, what="mean of x_t")
    assert_close(xt.var(0), [1 - abar, 1 - abar], rtol=0.03, what="variance of x_t")


class LinearEps(torch.nn.Module):
    """A fixed 'noise predictor' eps(x, t) = x @ W + (t + 1) * b, with gradients."""

    def __init__(self, seed=0):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.W = torch.nn.Parameter(torch.randn(2, 2, generator=g, dtype=torch.float64))
        self.b = torch.nn.Parameter(0.1 * torch.randn(2, generator=g, dtype=torch.float64))

    def forward(self, x, t):
        return x @ self.W + (t.to(x.dtype)[:, None] + 1) * self.b


def test_diffusion_loss_value_and_gradient(user):
    """diffusion_loss = mean over every element of (noise - model(x_t, t))^2, with gradients for the model"""
    g = torch.Generator().manual_seed(3)
    sched = suite_schedule(np.linspace(0.02, 0.4, 10))
    x0 = torch.randn(16, 2, generator=g, dtype=torch.float64)
    noise = torch.randn(16, 2, generator=g, dtype=torch.float64)
    t = torch.randint(10, (16,), generator=g)
    ref_model, model = LinearEps(), LinearEps()
    abar = sched["alphas_cumprod"][t][:, None]
    expected = ((noise - ref_model(abar.sqrt() * x0 + (1 - abar).sqrt() * noise, t)) ** 2).mean()
    expected.backward()
    got = user.diffusion_loss(model, x0, t, noise, sched)
    require(isinstance(got, torch.Tensor) and got.numel() == 1,
            f"diffusion_loss must return a scalar tensor, got {type(got).__name__}")
    assert_scalar_close(got, expected.item(), rtol=1e-10, what="diffusion loss")
    got.backward()
    require(model.W.grad is not None, "diffusion_loss must keep the autograd graph (no .item() or numpy)")
    assert_close(model.W.grad, ref_model.W.grad, rtol=1e-9, atol=1e-12, what="d loss / d W")
    assert_close(model.b.grad, ref_model.b.grad, rtol=1e-9, atol=1e-12, what="d loss / d b")


class AffineEps:
    """eps(x, t) = c * x + a * (t + 1), elementwise; records the t values it is called with."""

    def __init__(self, c, a):
        self.c, self.a = c, torch.tensor(a)
        self.calls = []

    def __call__(self, x, t):
        require(isinstance(t, torch.Tensor) and tuple(t.shape) == (x.shape[0],),
                f"the model must be called with t as a tensor of shape ({x.shape[0]},), got {t!r:.60}")
        require(not t.is_floating_point(), f"t must be an integer tensor (the step index), got {t.dtype}")
        require(tuple(x.shape[1:]) == (2,), f"the model must be called with x of shape (n, 2), got {tuple(x.shape)}")
        self.calls.append(sorted(set(t.tolist())))
        return self.c * x + self.a.to(x.dtype) * (t.to(x.dtype)[:, None] + 1)


def sampler_moments(betas, c, a):
    """Exact mean and variance per coordinate of the DDPM sampler (sigma_t^2 = beta_t, no noise at t=0)."""
    betas = np.asarray(betas, dtype=np.float64)
    alphas = 1 - betas
    abar = np.cumprod(alphas)
    mean, var = np.zeros(2), np.ones(2)
    for t in reversed(range(len(betas))):
        coef = betas[t] / np.sqrt(1 - abar[t])
        k = (1 - coef * c) / np.sqrt(alphas[t])
        mean = k * mean - coef * np.asarray(a) * (t + 1) / np.sqrt(alphas[t])
        var = k ** 2 * var + (betas[t] if t > 0 else 0.0)
    return mean, var


SAMPLER_CASES = {
    "zero model, 5 large betas": (np.array([0.3, 0.2, 0.25, 0.1, 0.4]), 0.0, (0.0, 0.0)),
    "eps = 0.5 x + (t+1)(0.2, -0.1), 5 betas": (np.array([0.3, 0.2, 0.25, 0.1, 0.4]), 0.5, (0.2, -0.1)),
    "eps = 0.3 x + (t+1)(0.05, 0.1), cosine T=20": (cosine_formula(20)[0], 0.3, (0.05, 0.1)),
    "eps = -0.2 x, linear betas 0.05..0.3, T=8": (np.linspace(0.05, 0.3, 8), -0.2, (0.0, 0.0)),
}


@pytest.mark.parametrize("case", list(SAMPLER_CASES), ids=list(SAMPLER_CASES))
def test_sampler_mean_and_variance(user, case):
    """the DDPM sampler: x_T ~ N(0, I), x_{t-1} = (x_t - beta_t/sqrt(1-abar_t) eps)/sqrt(alpha_t) + sqrt(beta_t) z, no z at t=0"""
    betas, c, a = SAMPLER_CASES[case]
    model = AffineEps(c, a)
    T = len(betas)
    with torch.no_grad():
        x = user.sample(model, N_STAT, suite_schedule(betas), torch.Generator().manual_seed(11))
    x = to_numpy(x, np.float64, what="samples")
    require(x.shape == (N_STAT, 2), f"sample must return shape ({N_STAT}, 2), got {x.shape}")
    require(model.calls == [[t] for t in reversed(range(T))],
            f"the model must be called once per step with t = T-1, ..., 0 (0-based); calls had t = {model.calls}")
    mean, var = sampler_moments(betas, c, a)
    se = np.sqrt(var / N_STAT)
    assert_close(x.mean(0), mean, atol=float(6 * se.max()) + 1e-4, what=f"sample mean ({case})")
    assert_close(x.var(0), var, rtol=0.03, what=f"sample variance ({case}; sigma_t^2 = beta_t, no noise at t=0)")


def test_sampler_uses_the_generator(user):
    """sample draws all its noise from `gen`: the same seed gives the same points whatever the global seed"""
    sched = suite_schedule(np.linspace(0.05, 0.3, 6))
    model = AffineEps(0.1, (0.0, 0.0))
    torch.manual_seed(1)
    a = to_numpy(user.sample(model, 64, sched, torch.Generator().manual_seed(4)), np.float64, what="samples")
    torch.manual_seed(2)
    b = to_numpy(user.sample(model, 64, sched, torch.Generator().manual_seed(4)), np.float64, what="samples")
    c = to_numpy(user.sample(model, 64, sched, torch.Generator().manual_seed(5)), np.float64, what="samples")
    assert_close(b, a, atol=1e-6, what="samples with the same generator seed")
    require(np.abs(c - a).max() > 1e-3, "another generator seed gave the same samples: draw noise from `gen`")


def generate(user, model, schedule):
    if isinstance(model, torch.nn.Module):
        model.eval()
    with torch.no_grad():
        pts = user.sample(model, N_EVAL, schedule, torch.Generator().manual_seed(2024))
    return to_numpy(pts, np.float64, what="generated points")


@pytest.fixture(scope="session")
def evaluated(user, artifacts, user_cache):
    """Train the user's model once on the rotated ring and sample 2500 points with T = 100 (cosine)."""

    def compute():
        model = user.train_diffusion(ring_sampler(ROTATION), steps=TRAIN_STEPS, seed=0)
        require(callable(model), f"train_diffusion must return the model, got {type(model).__name__}")
        points = generate(user, model, user.make_schedule(T_SAMPLE, "cosine"))
        require(points.shape == (N_EVAL, 2), f"sampled points: expected shape ({N_EVAL}, 2), got {points.shape}")
        return ring_figures(points, ROTATION, min_points=MIN_POINTS)

    cov = user_cache.get("evaluated", compute)
    artifacts.save("diffusion", scatter_artifact(cov, ROTATION))
    return cov


def test_samples_are_high_quality(evaluated):
    """at least 40% of 2500 sampled points lie within 3 std of a mode"""
    assert_at_least(evaluated["quality"], MIN_QUALITY,
                    what=f"fraction of points within 3 std ({3 * RING_STD:g}) of their nearest mode")


def test_samples_cover_the_modes(evaluated):
    """at least 6 of the 8 modes each hold at least 20 high-quality points"""
    require(evaluated["covered"] >= MIN_MODES,
            f"modes covered: needed at least {MIN_MODES} of 8 modes with >= {MIN_POINTS} high-quality points "
            f"each, got {evaluated['covered']} (high-quality points per mode: {evaluated['counts']})")


def test_train_diffusion_is_deterministic(user):
    """train_diffusion gives the same model for the same seed (short run)"""
    outs = []
    for _ in range(2):
        model = user.train_diffusion(ring_sampler(ROTATION), steps=20, seed=0)
        if isinstance(model, torch.nn.Module):
            model.eval()
        x = torch.randn(64, 2, generator=torch.Generator().manual_seed(1))
        t = torch.arange(64) % T_SAMPLE
        with torch.no_grad():
            outs.append(to_numpy(model(x, t), np.float64, what="model output"))
    assert_close(outs[1], outs[0], atol=1e-6, what="model output of a second run with seed=0")
