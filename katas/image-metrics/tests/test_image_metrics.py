"""Hidden suite for the image-metrics kata: MSE, PSNR and SSIM against scikit-image."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.ndimage import uniform_filter
from skimage import data as skdata
from skimage.metrics import mean_squared_error, peak_signal_noise_ratio, structural_similarity

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_raises_value_error,
    assert_scalar_close,
    to_numpy,
)

ATOL = 1e-6


def number(value, what):
    arr = to_numpy(value, np.float64, what)
    if arr.size != 1:
        raise CheckFailure(f"{what}: expected a single number, got shape {arr.shape}")
    return float(arr.reshape(()))


# ---------------------------------------------------------------- images


def make_pairs():
    """(a, b, data_range) image pairs: random and structured, float64, float32 and uint8."""
    rng = np.random.default_rng(0)
    camera = skdata.camera()[100:228, 150:310]  # (128, 160) uint8, structured
    coins = skdata.coins()[40:190, 60:260]  # (150, 200) uint8
    noise = rng.random((96, 128))
    cam = camera / 127.5 - 1.0  # floats in [-1, 1]
    return {
        "random float64 in [0, 1] + noise, R=1": (
            noise, np.clip(noise + 0.1 * rng.normal(size=noise.shape), 0, 1), 1.0),
        "camera float64 in [-1, 1] vs blurred, R=2": (cam, uniform_filter(cam, 3), 2.0),
        "camera uint8 + Gaussian noise, R=255": (
            camera,
            np.clip(camera + rng.normal(0, 20, camera.shape), 0, 255).astype(np.uint8),
            255.0),
        "coins uint8 vs brighter copy, R=255": (
            coins, np.clip(coins.astype(np.int64) + 30, 0, 255).astype(np.uint8), 255.0),
        "camera float32 in [0, 1] + noise, R=1": (
            (camera / 255).astype(np.float32),
            np.clip(camera / 255 + 0.05 * rng.normal(size=camera.shape), 0, 1).astype(np.float32),
            1.0),
        "random float64, 9 x 20, R=1": (rng.random((9, 20)), rng.random((9, 20)), 1.0),
    }


PAIRS = make_pairs()


def f64(x):
    return np.asarray(x, dtype=np.float64)


# ---------------------------------------------------------------- mse and psnr


@pytest.mark.parametrize("case", list(PAIRS), ids=list(PAIRS))
def test_mse_matches_skimage(user, case):
    """mse equals skimage's mean_squared_error, in float64 (atol 1e-6)"""
    a, b, _ = PAIRS[case]
    expected = mean_squared_error(f64(a), f64(b))
    got = number(user.mse(a.copy(), b.copy()), "MSE")
    assert_scalar_close(got, expected, atol=ATOL, what=f"MSE ({case})")


@pytest.mark.parametrize("case", list(PAIRS), ids=list(PAIRS))
def test_psnr_matches_skimage(user, case):
    """psnr equals skimage's peak_signal_noise_ratio with the given data_range (atol 1e-6)"""
    a, b, data_range = PAIRS[case]
    expected = peak_signal_noise_ratio(f64(a), f64(b), data_range=data_range)
    got = number(user.psnr(a.copy(), b.copy(), data_range), "PSNR")
    assert_scalar_close(got, expected, atol=ATOL,
                        what=f"PSNR in dB ({case}, data_range={data_range:g})")


@pytest.mark.parametrize("data_range", [1.0, 2.0, 255.0], ids=["R=1", "R=2", "R=255"])
def test_psnr_uses_data_range_squared(user, data_range):
    """psnr is 10 log10(R^2 / MSE) for R = 1, 2 and 255 (a constant error of 0.1 * R)"""
    a = np.zeros((16, 16))
    b = np.full((16, 16), 0.1 * data_range)  # MSE = 0.01 R^2 -> PSNR = 20 dB whatever R
    got = number(user.psnr(a, b, data_range), "PSNR")
    assert_scalar_close(got, 20.0, atol=ATOL,
                        what=f"PSNR of a constant error of 0.1 * {data_range:g}")


# ---------------------------------------------------------------- ssim


SSIM_CASES = [(case, w) for case in PAIRS for w in (3, 7, 11) if w <= min(PAIRS[case][0].shape)]
SSIM_CASES.append(("random float64, 9 x 20, R=1", 9))  # window as large as the smaller side


@pytest.mark.parametrize("case, win_size", SSIM_CASES, ids=[f"{c}, win={w}" for c, w in SSIM_CASES])
def test_ssim_matches_skimage(user, case, win_size):
    """ssim equals skimage's structural_similarity (uniform window, sample covariance, atol 1e-6)"""
    a, b, data_range = PAIRS[case]
    expected = structural_similarity(f64(a), f64(b), data_range=data_range, win_size=win_size)
    got = number(user.ssim(a.copy(), b.copy(), data_range, win_size=win_size), "SSIM")
    assert_scalar_close(got, expected, atol=ATOL, what=f"SSIM ({case}, win_size={win_size})")


def test_ssim_default_window_is_7(user):
    """ssim's default win_size is 7"""
    a, b, data_range = PAIRS["camera uint8 + Gaussian noise, R=255"]
    expected = structural_similarity(f64(a), f64(b), data_range=data_range, win_size=7)
    got = number(user.ssim(a, b, data_range), "SSIM")
    assert_scalar_close(got, expected, atol=ATOL, what="SSIM with the default window")


# ---------------------------------------------------------------- identities


BIG_ENOUGH = [c for c in PAIRS if "9 x 20" not in c]  # room for the default 7 x 7 window


@pytest.mark.parametrize("case", BIG_ENOUGH, ids=BIG_ENOUGH)
def test_identical_images(user, case):
    """identical images: MSE 0, PSNR inf, SSIM 1"""
    a, _, data_range = PAIRS[case]
    got = number(user.mse(a.copy(), a.copy()), "MSE")
    assert_scalar_close(got, 0.0, atol=0, what=f"MSE of an image with itself ({case})")
    got = number(user.psnr(a.copy(), a.copy(), data_range), "PSNR")
    if got != np.inf:
        raise CheckFailure(f"PSNR of an image with itself ({case}): expected inf, got {got!r}")
    got = number(user.ssim(a.copy(), a.copy(), data_range), "SSIM")
    assert_scalar_close(got, 1.0, atol=ATOL, what=f"SSIM of an image with itself ({case})")


@pytest.mark.parametrize("case", list(PAIRS)[:4], ids=list(PAIRS)[:4])
def test_metrics_are_symmetric(user, case):
    """mse, psnr and ssim give the same value with the images swapped"""
    a, b, data_range = PAIRS[case]
    for name, call in [
        ("MSE", lambda x, y: user.mse(x, y)),
        ("PSNR", lambda x, y: user.psnr(x, y, data_range)),
        ("SSIM", lambda x, y: user.ssim(x, y, data_range)),
    ]:
        ab = number(call(a.copy(), b.copy()), f"{name}(a, b)")
        ba = number(call(b.copy(), a.copy()), f"{name}(b, a)")
        assert_scalar_close(ba, ab, atol=ATOL, what=f"{name}(b, a) vs {name}(a, b) ({case})")


def test_inputs_are_not_modified(user):
    """the input images are left as they were"""
    a, b, data_range = PAIRS["camera uint8 + Gaussian noise, R=255"]
    a0, b0 = a.copy(), b.copy()
    user.mse(a, b)
    user.psnr(a, b, data_range)
    user.ssim(a, b, data_range)
    if not (np.array_equal(a, a0) and np.array_equal(b, b0)):
        raise CheckFailure("the input images were modified in place")


# ---------------------------------------------------------------- bad input


def test_bad_input_raises_value_error(user):
    """shape mismatch, an even win_size and a window larger than the image raise ValueError"""
    a, b = np.zeros((20, 30)), np.zeros((20, 31))
    assert_raises_value_error(user.mse, a, b, what="mse of (20, 30) and (20, 31) images")
    assert_raises_value_error(user.psnr, a, b, 1.0, what="psnr of (20, 30) and (20, 31) images")
    assert_raises_value_error(user.ssim, a, b, 1.0, what="ssim of (20, 30) and (20, 31) images")
    c = np.random.default_rng(1).random((20, 30))
    assert_raises_value_error(user.ssim, c, c, 1.0, win_size=6, what="ssim with win_size=6")
    assert_raises_value_error(user.ssim, c, c, 1.0, win_size=21,
                              what="ssim with win_size=21 on a 20 x 30 image")
    assert_raises_value_error(user.ssim, c[:5], c[:5], 1.0,
                              what="ssim with the default win_size=7 on a 5 x 30 image")


@pytest.mark.parametrize("other", [(1, 30), (20, 1), (30,), (1, 1)],
                         ids=["(1, 30)", "(20, 1)", "(30,)", "(1, 1)"])
def test_broadcastable_shapes_raise_value_error(user, other):
    """images whose shapes NumPy would broadcast, e.g. (20, 30) and (1, 30), still raise ValueError"""
    rng = np.random.default_rng(2)
    a, b = rng.random((20, 30)), rng.random(other)
    assert_raises_value_error(user.mse, a, b, what=f"mse of (20, 30) and {other} images")
    assert_raises_value_error(user.psnr, a, b, 1.0, what=f"psnr of (20, 30) and {other} images")
    assert_raises_value_error(user.ssim, a, b, 1.0, win_size=3, what=f"ssim of (20, 30) and {other} images")


def test_ssim_refuses_images_that_are_not_2d(user):
    """ssim of (H, W, 3) colour images or 1-D signals raises ValueError (grayscale 2-D only)"""
    rng = np.random.default_rng(3)
    rgb = rng.random((20, 30, 3))
    assert_raises_value_error(user.ssim, rgb, rgb.copy(), 1.0, win_size=3,
                              what="ssim of two (20, 30, 3) images with win_size=3")
    line = rng.random(30)
    assert_raises_value_error(user.ssim, line, line.copy(), 1.0, win_size=3,
                              what="ssim of two (30,) signals with win_size=3")
