"""Hidden suite for the vae kata."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

from nnquiz.grading.katalib.checks import (
    assert_at_most,
    assert_close,
    assert_scalar_close,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.data import dataset_split

# Models this small run several times faster on one thread than on two (no parallel speed-up
# on tiny tensors, and OpenMP threads spin against each other on a busy 2-core machine).
torch.set_num_threads(1)

MARGIN = 1.05      # the user's test negative ELBO must be <= MARGIN x the reference VAE's
EVAL_DRAWS = 10    # eps draws per test digit when the suite estimates the ELBO
DOUBLE = torch.float64


def seeded(seed):
    return torch.Generator().manual_seed(seed)


def dtype_of(model):
    """The dtype of the model's first parameter (float32 for a model without parameters)."""
    param = next(iter(model.parameters()), None)
    return param.dtype if param is not None else torch.float32


def kl_reference(mu, logvar):
    """KL(N(mu, exp(logvar)) || N(0, 1)) summed over latent dims, by torch.distributions."""
    q = Normal(mu.double(), torch.exp(0.5 * logvar.double()))
    p = Normal(torch.zeros_like(q.loc), torch.ones_like(q.scale))
    return kl_divergence(q, p).sum(-1)


# ---------------------------------------------------------------- the pieces


KL_CASES = {
    "N=5, latent 3": (5, 3, 1.0),
    "N=4, latent 8, wide logvar": (4, 8, 4.0),
    "N=1, latent 1": (1, 1, 1.0),
}


@pytest.mark.parametrize("case", list(KL_CASES))
def test_kl_matches_torch_distributions(user, case):
    """kl_divergence equals torch.distributions' KL to N(0, I), one value per sample"""
    n, d, spread = KL_CASES[case]
    g = seeded(11)
    mu = 2 * torch.randn(n, d, generator=g, dtype=DOUBLE)
    logvar = spread * torch.randn(n, d, generator=g, dtype=DOUBLE)
    got = user.kl_divergence(mu.clone(), logvar.clone())
    assert_close(got, kl_reference(mu, logvar), rtol=1e-6, atol=1e-9, what=f"KL per sample ({case})")


def test_kl_is_zero_for_the_prior(user):
    """kl_divergence is 0 when mu = 0 and logvar = 0"""
    got = user.kl_divergence(torch.zeros(3, 4, dtype=DOUBLE), torch.zeros(3, 4, dtype=DOUBLE))
    assert_close(got, np.zeros(3), atol=1e-12, what="KL of N(0, I) to itself")


def test_reparameterize_gradients(user):
    """reparameterize: z = mu + exp(logvar/2) * eps, with dz/dmu = 1 and dz/dlogvar = (z - mu)/2"""
    g = seeded(5)
    mu = torch.randn(6, 4, generator=g, dtype=DOUBLE).requires_grad_(True)
    logvar = torch.randn(6, 4, generator=g, dtype=DOUBLE).requires_grad_(True)
    w = torch.randn(6, 4, generator=g, dtype=DOUBLE)
    z = user.reparameterize(mu, logvar, seeded(0))
    require(isinstance(z, torch.Tensor) and tuple(z.shape) == (6, 4),
            f"reparameterize: expected a tensor of shape (6, 4), got {getattr(z, 'shape', type(z))}")
    require(z.requires_grad, "reparameterize: z must stay on the autograd graph of mu and logvar")
    (z * w).sum().backward()
    require(mu.grad is not None and logvar.grad is not None,
            "reparameterize: gradients do not reach mu and logvar")
    zd = z.detach()
    noise = zd - mu.detach()
    require(bool(noise.abs().max() > 1e-3), "reparameterize: z equals mu; the noise eps is missing")
    assert_close(mu.grad, w, rtol=1e-6, atol=1e-9, what="d(sum w*z)/d mu (expected w)")
    # sigma = exp(logvar/2) gives dz/dlogvar = sigma*eps/2 = (z - mu)/2
    assert_close(logvar.grad, 0.5 * w * noise, rtol=1e-6, atol=1e-9,
                 what="d(sum w*z)/d logvar (expected w * (z - mu) / 2; std = exp(logvar / 2))")


def test_reparameterize_has_the_right_spread(user):
    """reparameterize draws z ~ N(mu, exp(logvar)): mean mu and std exp(logvar/2) over 20000 draws"""
    mu = torch.tensor([1.0, -2.0, 0.0], dtype=DOUBLE).expand(20000, 3).contiguous()
    sigma = torch.tensor([2.0, 0.5, 1.0], dtype=DOUBLE)
    logvar = (2 * sigma.log()).expand(20000, 3).contiguous()
    z = to_numpy(user.reparameterize(mu, logvar, seeded(1)), np.float64, what="z")
    require(z.shape == (20000, 3), f"z: expected shape (20000, 3), got {z.shape}")
    s = sigma.numpy()
    assert_close(z.mean(0), mu[0].numpy(), atol=0.03 * s.max(), what="mean of z per latent dim")
    assert_close(z.std(0), s, rtol=0.03, what="std of z per latent dim (expected exp(logvar / 2))")


def test_reparameterize_uses_its_generator(user):
    """reparameterize draws eps from gen: the same seed gives the same z"""
    mu, logvar = torch.zeros(4, 3, dtype=DOUBLE), torch.zeros(4, 3, dtype=DOUBLE)
    a = user.reparameterize(mu, logvar, seeded(42))
    torch.randn(10)  # move the global generator: only gen may matter
    b = user.reparameterize(mu, logvar, seeded(42))
    assert_close(b, a, atol=0.0, what="z from a second generator seeded 42")


LOSS_CASES = {"batch of 6, 10 pixels": (6, 10), "batch of 1, 64 pixels": (1, 64)}


@pytest.mark.parametrize("case", list(LOSS_CASES))
def test_vae_loss_value(user, case):
    """vae_loss = batch mean of (BCE-with-logits summed over pixels + KL)"""
    n, d = LOSS_CASES[case]
    g = seeded(9)
    logits = 3 * torch.randn(n, d, generator=g, dtype=DOUBLE)
    x = torch.randint(0, 17, (n, d), generator=g).to(DOUBLE) / 16  # digit-like values in [0, 1]
    mu = torch.randn(n, 4, generator=g, dtype=DOUBLE)
    logvar = torch.randn(n, 4, generator=g, dtype=DOUBLE)
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)
    expected = (bce + kl_reference(mu, logvar)).mean().item()
    got = user.vae_loss(logits.clone(), x.clone(), mu.clone(), logvar.clone())
    assert_scalar_close(got, expected, rtol=1e-6, atol=1e-9, what=f"vae_loss ({case})")


def test_vae_module_shapes(user):
    """VAE: encode gives (mu, logvar), decode gives logits, forward gives all three, sample gives probabilities"""
    torch.manual_seed(0)
    model = user.VAE(input_dim=10, latent_dim=3, hidden=16)
    require(isinstance(model, torch.nn.Module), "VAE must be a torch.nn.Module")
    x = torch.rand(5, 10)
    with torch.no_grad():
        out = model.encode(x)
        require(isinstance(out, tuple) and len(out) == 2, "encode(x) must return (mu, logvar)")
        for name, t in zip(("mu", "logvar"), out):
            require(tuple(t.shape) == (5, 3), f"encode: {name} should have shape (5, 3), got {tuple(t.shape)}")
        logits = model.decode(torch.randn(5, 3))
        require(tuple(logits.shape) == (5, 10), f"decode: expected shape (5, 10), got {tuple(logits.shape)}")
        out = model(x)
        require(isinstance(out, tuple) and len(out) == 3, "forward(x) must return (logits, mu, logvar)")
        shapes = [tuple(t.shape) for t in out]
        require(shapes == [(5, 10), (5, 3), (5, 3)],
                f"forward: expected shapes [(5, 10), (5, 3), (5, 3)], got {shapes}")
        model.eval()
        mu, logvar = model.encode(x)
        _, mu2, logvar2 = model(x)
        assert_close(mu2, mu, atol=1e-6, what="mu from forward vs encode (eval mode)")
        assert_close(logvar2, logvar, atol=1e-6, what="logvar from forward vs encode (eval mode)")
        s = to_numpy(model.sample(7, seeded(3)), np.float64, what="sample(7)")
    require(s.shape == (7, 10), f"sample(7): expected shape (7, 10), got {s.shape}")
    require(bool(np.isfinite(s).all() and (s >= 0).all() and (s <= 1).all()),
            f"sample: probabilities must lie in [0, 1], got range [{s.min():.3g}, {s.max():.3g}]")


# ---------------------------------------------------------------- training on digits


def digits():
    X_train, X_test, _, _ = dataset_split("digits")
    return X_train, X_test


def negative_elbo(model, X, draws=EVAL_DRAWS, seed=123):
    """Mean over X of E_eps[BCE(decode(mu + sigma*eps), x)] + KL, with the suite's own eps."""
    model.eval()
    dtype = dtype_of(model)
    x = torch.as_tensor(X, dtype=DOUBLE)
    g = seeded(seed)
    with torch.no_grad():
        mu, logvar = (t.to(DOUBLE) for t in model.encode(x.to(dtype)))
        kl = -0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(-1)           # (N,)
        total = torch.zeros(len(x), dtype=DOUBLE)
        for _ in range(draws):
            z = mu + torch.exp(0.5 * logvar) * torch.randn(mu.shape, generator=g, dtype=DOUBLE)
            logits = model.decode(z.to(dtype)).to(DOUBLE)
            total += F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)
    value = (total / draws + kl).mean().item()
    return value if math.isfinite(value) else float("inf")


def measure(model, X_test) -> dict:
    """Every figure the tests read from a trained model (JSON-friendly, so it can be cached)."""
    model.eval()
    dtype = dtype_of(model)
    with torch.no_grad():
        mu, logvar = model.encode(torch.as_tensor(X_test, dtype=dtype))
        x = torch.as_tensor(X_test[:6], dtype=dtype)
        recon = torch.sigmoid(model.decode(model.encode(x)[0]))
        shown = model.sample(8, seeded(8))
    s = to_numpy(model.sample(64, seeded(4)), np.float64, what="sample(64)")
    a = to_numpy(model.sample(5, seeded(77)), np.float64, what="sample(5)")
    torch.randn(10)  # disturb the global generator: sample must use the one it is given
    b = to_numpy(model.sample(5, seeded(77)), np.float64, what="sample(5)")
    finite = bool(np.isfinite(s).all())
    return {
        "n_test": len(X_test), "mu_shape": list(mu.shape), "logvar_shape": list(logvar.shape),
        "negative_elbo": negative_elbo(model, X_test),
        "samples_shape": list(s.shape), "samples_finite": finite,
        "samples_range": [float(np.nanmin(s)), float(np.nanmax(s))] if s.size else [0.0, 0.0],
        "samples_spread": float(s.std(axis=0).mean()) if s.ndim == 2 and finite else 0.0,
        "resample_difference": float(np.abs(a - b).max()) if a.shape == b.shape and np.isfinite(a - b).all()
        else float("inf"),
        "shown": {
            "samples": to_numpy(shown, np.float64).clip(0, 1).round(4).tolist(),
            "originals": X_test[:6].round(4).tolist(),
            "reconstructions": to_numpy(recon, np.float64).clip(0, 1).round(4).tolist(),
        },
    }


def train_and_measure(module) -> dict:
    """`module`'s VAE trained on the digits training split with the defaults, and its figures."""
    X_train, X_test = digits()
    model = module.train_vae(X_train.copy())  # the defaults: latent_dim=8, epochs=100, seed=0
    require(isinstance(model, torch.nn.Module),
            f"train_vae must return the model (a torch.nn.Module), got {type(model).__name__}")
    return measure(model, X_test)


@pytest.fixture(scope="session")
def trained(user, artifacts, user_cache):
    """The user's VAE trained once on the digits training split, and its figures (cached for
    this exact file, so grading it again skips training)."""
    figures = user_cache.get("trained", lambda: train_and_measure(user))
    artifacts.save("vae", figures["shown"])
    return figures


def test_trained_latent_has_the_asked_size(trained):
    """train_vae with its defaults encodes digits to latent_dim=8 means and log-variances"""
    n = trained["n_test"]
    require(trained["mu_shape"] == [n, 8] and trained["logvar_shape"] == [n, 8],
            f"encode on the test digits: expected (mu, logvar) of shape ({n}, 8), "
            f"got {tuple(trained['mu_shape'])} and {tuple(trained['logvar_shape'])}")


def test_negative_elbo_close_to_reference(trained, reference, ref_cache):
    """digits test negative ELBO is at most 1.05 x the reference VAE's"""
    # the user's figures' name and code: grading the reference file itself trains once
    ref = ref_cache.get("trained", lambda: train_and_measure(reference))["negative_elbo"]
    assert_at_most(trained["negative_elbo"], MARGIN * ref,
                   what=f"test negative ELBO in nats per digit (reference {ref:.3f}, bar {MARGIN} x)")


def test_samples_are_probabilities(trained):
    """sample(n) from the prior gives (n, 64) probabilities in [0, 1] that vary with z"""
    shape = tuple(trained["samples_shape"])
    require(shape == (64, 64), f"sample(64): expected shape (64, 64), got {shape}")
    low, high = trained["samples_range"]
    require(trained["samples_finite"] and low >= 0 and high <= 1,
            f"sample: probabilities must lie in [0, 1], got range [{low:.3g}, {high:.3g}]")
    spread = trained["samples_spread"]
    require(spread > 1e-3, f"sample: all 64 samples are the same image (mean std across samples {spread:.2e})")


def test_sample_uses_its_generator(trained):
    """sample(n, gen) is reproducible: the same seed gives the same samples"""
    assert_at_most(trained["resample_difference"], 0.0,
                   what="largest |difference| between samples from two generators seeded 77")


def test_train_vae_is_deterministic(user):
    """train_vae gives the same model for the same seed (short run)"""
    rng = np.random.default_rng(5)  # digit-like data in [0, 1]; no need to load the digits here
    X, probe = rng.random((256, 64)), rng.random((32, 64))
    outs = []
    for _ in range(2):
        model = user.train_vae(X.copy(), latent_dim=8, epochs=2, seed=0)
        model.eval()
        with torch.no_grad():
            mu, _ = model.encode(torch.as_tensor(probe, dtype=dtype_of(model)))
        outs.append(to_numpy(mu, np.float64))
    assert_close(outs[1], outs[0], atol=1e-6, what="encoded means of a second run with seed=0")


def test_sample_decodes_prior_draws_to_probabilities(user):
    """sample(n, gen) draws z ~ N(0, I), calls decode(z) and returns sigmoid of those logits"""
    torch.manual_seed(0)
    model = user.VAE(input_dim=4, latent_dim=3, hidden=8)
    seen = []

    def decode(z):  # the suite's own decoder: logits 2 * (z0, z1, z2, z0)
        seen.append(to_numpy(z, np.float64, what="z passed to decode"))
        return 2.0 * z[:, [0, 1, 2, 0]]

    model.decode = decode
    with torch.no_grad():
        out = to_numpy(model.sample(4000, seeded(9)), np.float64, what="sample(4000)")
    require(len(seen) > 0, "sample(n, gen) must draw z and decode it with self.decode(z)")
    z = np.concatenate(seen)
    require(z.shape == (4000, 3), f"sample(4000): expected z of shape (4000, 3) in total, got {z.shape}")
    mean, std = z.mean(axis=0), z.std(axis=0)
    require(bool(np.abs(mean).max() < 0.08 and np.abs(std - 1).max() < 0.05),
            f"sample: z should come from the prior N(0, I); over 4000 draws its per-dimension means are "
            f"{np.round(mean, 3).tolist()} (need within 0.08 of 0) and stds {np.round(std, 3).tolist()} "
            "(need within 5% of 1)")
    expected = 1.0 / (1.0 + np.exp(-2.0 * z[:, [0, 1, 2, 0]]))
    assert_close(out, expected, atol=1e-6,
                 what="sample(4000): sigmoid of decode's logits (probabilities, not 0/1 draws)")
