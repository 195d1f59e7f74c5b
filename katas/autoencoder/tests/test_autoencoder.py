"""Hidden suite for the autoencoder kata."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.decomposition import PCA
from torch import nn

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_at_most,
    assert_close,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.data import dataset_split

LATENT = 8
RATIO = 1.1  # digits test MSE <= 1.1 x PCA(8)'s
ATOL = 1e-5  # float32 forward passes compared with each other

# A model this small runs several times faster on one thread than on two (no parallel speed-up
# on tiny tensors, and OpenMP threads spin against each other on a busy 2-core machine).
torch.set_num_threads(1)


def tensor(X) -> torch.Tensor:
    return torch.as_tensor(np.asarray(X), dtype=torch.float32)


@torch.no_grad()
def run(fn, x, shape, what: str) -> np.ndarray:
    out = to_numpy(fn(tensor(x)), np.float64, what)
    require(out.shape == shape, f"{what}: expected shape {shape}, got {out.shape}")
    return out


def fresh(user, input_dim=64, latent_dim=LATENT) -> nn.Module:
    torch.manual_seed(0)
    model = user.AutoEncoder(input_dim, latent_dim)
    require(isinstance(model, nn.Module), f"AutoEncoder must be a torch.nn.Module, got {type(model).__name__}")
    return model.eval()


def trained(user, X, **kwargs) -> nn.Module:
    model = user.train_autoencoder(X, **kwargs)
    require(isinstance(model, nn.Module), f"train_autoencoder must return the model, got {type(model).__name__}")
    return model.eval()


def test_autoencoder_defaults(user):
    """AutoEncoder() defaults to input_dim=64 and latent_dim=8"""
    torch.manual_seed(0)
    model = user.AutoEncoder().eval()
    x = torch.rand(5, 64)
    with torch.no_grad():
        z = to_numpy(model.encode(x), np.float64, "AutoEncoder().encode(x)")
        out = to_numpy(model.decode(torch.as_tensor(z, dtype=torch.float32)), np.float64, "decode")
    require(z.shape == (5, 8), f"AutoEncoder().encode: expected shape (5, 8), got {z.shape}")
    require(out.shape == (5, 64), f"AutoEncoder().decode: expected shape (5, 64), got {out.shape}")


@pytest.fixture(scope="session")
def digits_model(user):
    """The user's autoencoder trained once on the digits training part with the defaults."""
    X_train, X_test, _, _ = dataset_split("digits")
    return trained(user, X_train.copy()), X_test


SHAPES = [(64, 8), (64, 3)]


@pytest.mark.parametrize("input_dim, latent_dim", SHAPES, ids=[f"{d} -> {k}" for d, k in SHAPES])
def test_shapes(user, input_dim, latent_dim):
    """encode gives (N, latent_dim); decode and forward give (N, input_dim)"""
    model = fresh(user, input_dim, latent_dim)
    x = np.random.default_rng(0).random((5, input_dim))
    run(model.encode, x, (5, latent_dim), "encode(x)")
    run(model.decode, np.random.default_rng(1).normal(size=(5, latent_dim)), (5, input_dim), "decode(z)")
    run(model, x, (5, input_dim), "forward(x)")


def model_for(user, request, which: str) -> nn.Module:
    return fresh(user) if which == "untrained" else request.getfixturevalue("digits_model")[0]


@pytest.mark.parametrize("which", ["untrained", pytest.param("trained", marks=pytest.mark.trains)])
def test_forward_is_decode_of_encode(user, request, which):
    """forward(x) equals decode(encode(x))"""
    model = model_for(user, request, which)
    x = dataset_split("digits")[1][:32]
    z = run(model.encode, x, (32, LATENT), "encode(x)")
    assert_close(run(model, x, (32, 64), "forward(x)"), run(model.decode, z, (32, 64), "decode(z)"),
                 atol=ATOL, what="forward(x) vs decode(encode(x))")


@pytest.mark.parametrize("which", ["untrained", pytest.param("trained", marks=pytest.mark.trains)])
def test_decode_depends_on_z_alone(user, request, which):
    """decode(z) depends on z alone: not on earlier inputs, nor on the other rows of the batch"""
    model = model_for(user, request, which)
    X_test = dataset_split("digits")[1]
    z = run(model.encode, X_test[:6], (6, LATENT), "encode(x)")
    first = run(model.decode, z, (6, 64), "decode(z)")
    run(model, X_test[6:12], (6, 64), "forward(x)")  # other digits pass through the model
    run(model.encode, X_test[12:18], (6, LATENT), "encode(x)")
    assert_close(run(model.decode, z, (6, 64), "decode(z)"), first, atol=ATOL,
                 what="decode(z) again after encoding other digits")
    one_by_one = np.concatenate([run(model.decode, z[i:i + 1], (1, 64), "decode(z)") for i in range(6)])
    assert_close(one_by_one, first, atol=ATOL, what="decode(z) one row at a time vs the whole batch")


@pytest.mark.parametrize("which", ["untrained", pytest.param("trained", marks=pytest.mark.trains)])
def test_output_in_unit_interval(user, request, which):
    """decode(z) lies in [0, 1] for any z, even far from the data"""
    model = model_for(user, request, which)
    rng = np.random.default_rng(0)
    z = np.concatenate([rng.normal(size=(64, LATENT)), 100 * rng.normal(size=(64, LATENT))])
    out = run(model.decode, z, (128, 64), "decode(z)")
    require(bool(np.isfinite(out).all()), "decode(z): expected finite values")
    assert_at_least(out.min(), 0.0, what="smallest value of decode(z)")
    assert_at_most(out.max(), 1.0, what="largest value of decode(z)")


def pca_test_mse() -> float:
    X_train, X_test, _, _ = dataset_split("digits")
    pca = PCA(LATENT, random_state=0).fit(X_train)
    return float(np.mean((pca.inverse_transform(pca.transform(X_test)) - X_test) ** 2))


@pytest.mark.trains
def test_reconstruction_beats_pca(digits_model, artifacts, ref_cache):
    """digits test reconstruction MSE is at most 1.1 x that of PCA with 8 components"""
    model, X_test = digits_model
    pca_mse = ref_cache.get("pca-test-mse", pca_test_mse)
    recon = run(model, X_test, X_test.shape, "forward(X_test)")
    mse = float(np.mean((recon - X_test) ** 2))
    artifacts.save("autoencoder", {
        "originals": np.round(X_test[:6], 4).tolist(),
        "reconstructions": np.round(np.clip(recon[:6], 0, 1), 4).tolist(),
    })
    assert_at_most(mse, RATIO * pca_mse, what=f"digits test MSE (PCA({LATENT}) MSE {pca_mse:.5f} x {RATIO})")


def test_determinism_and_latent_dim(user):
    """the same seed gives the same model, and latent_dim sets the width of the code"""
    X_train, X_test, _, _ = dataset_split("digits")
    models = [trained(user, X_train[:128].copy(), latent_dim=4, epochs=2, seed=0) for _ in range(2)]
    codes = [run(m.encode, X_test[:50], (50, 4), "encode(x) with latent_dim=4") for m in models]
    assert_close(codes[1], codes[0], atol=1e-6, what="codes of two trainings with seed=0")
    outs = [run(m, X_test[:50], (50, 64), "forward(x)") for m in models]
    assert_close(outs[1], outs[0], atol=1e-6, what="reconstructions of two trainings with seed=0")
