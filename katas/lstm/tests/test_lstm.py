"""Hidden suite for the lstm kata."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch import nn

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_at_most,
    assert_close,
    assert_raises_value_error,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.series import HOLDOUT, series_split

N_IN = 12
RATIO = 0.7  # held-out one-step MSE <= 0.7 x the naive last-value MSE
FORECAST_ATOL = 1e-3  # series units

# A model this small runs several times faster on one thread than on two (no parallel speed-up
# on tiny tensors, and OpenMP threads spin against each other on a busy 2-core machine).
torch.set_num_threads(1)


@torch.no_grad()
def predict(model: nn.Module, X: np.ndarray) -> np.ndarray:
    """The model's forward pass in eval mode: windows (N, n_in) -> (N, n_out), float64."""
    model.eval()
    out = to_numpy(model(torch.as_tensor(X, dtype=torch.float32).unsqueeze(-1)), np.float64, "forward output")
    require(out.ndim == 2 and out.shape[0] == len(X),
          f"forward output: expected shape ({len(X)}, n_out), got {out.shape}")
    return out


def held_out_windows(full: np.ndarray, n_in: int = N_IN):
    """Inputs full[t - n_in : t] and targets full[t] for the last 24 points t."""
    ts = np.arange(len(full) - HOLDOUT, len(full))
    return np.stack([full[t - n_in:t] for t in ts]), full[ts]


def fitted(module, series, **kwargs) -> nn.Module:
    model = module.fit_forecaster(series, **kwargs)
    require(isinstance(model, nn.Module), f"fit_forecaster must return the model, got {type(model).__name__}")
    return model


@pytest.fixture(scope="session")
def forecaster(user):
    """The user's forecaster fitted once on the first 216 points with the defaults."""
    train, full = series_split()
    return fitted(user, train.copy()), train, full


def windows_by_loop(series, n_in, n_out):
    m = len(series) - n_in - n_out + 1
    X = [series[i:i + n_in] for i in range(m)]
    Y = [series[i + n_in:i + n_in + n_out] for i in range(m)]
    return np.array(X, dtype=np.float64), np.array(Y, dtype=np.float64)


WINDOW_CASES = [(10, 3, 1), (10, 3, 2), (6, 5, 1), (7, 1, 1), (12, 4, 3)]


@pytest.mark.parametrize("n, n_in, n_out", WINDOW_CASES,
                         ids=[f"len={n}, n_in={i}, n_out={o}" for n, i, o in WINDOW_CASES])
def test_make_windows_exact(user, n, n_in, n_out):
    """make_windows slides one step at a time: X[i] = s[i:i+n_in], Y[i] = s[i+n_in:i+n_in+n_out]"""
    series = np.arange(n, dtype=np.float64)
    result = user.make_windows(series.copy(), n_in, n_out)
    require(isinstance(result, tuple) and len(result) == 2,
          f"make_windows must return a pair (X, Y), got {type(result).__name__}")
    X_exp, Y_exp = windows_by_loop(series, n_in, n_out)
    assert_close(result[0], X_exp, atol=0, what=f"X for arange({n}), n_in={n_in}, n_out={n_out}")
    assert_close(result[1], Y_exp, atol=0, what=f"Y for arange({n}), n_in={n_in}, n_out={n_out}")


BAD_WINDOWS = {
    "series too short (m = 0)": (5, 4, 2),
    "n_in = 0": (10, 0, 1),
    "n_out = 0": (10, 3, 0),
}


@pytest.mark.parametrize("case", list(BAD_WINDOWS))
def test_make_windows_bad_input(user, case):
    """make_windows raises ValueError when no window fits or n_in, n_out < 1"""
    n, n_in, n_out = BAD_WINDOWS[case]
    assert_raises_value_error(user.make_windows, np.arange(n, dtype=np.float64), n_in, n_out, what=case)


@pytest.mark.parametrize("n_out", [1, 3], ids=["n_out=1", "n_out=3"])
def test_forecaster_output_shape(user, n_out):
    """Forecaster(n_out) maps (N, n_in, 1) windows to (N, n_out)"""
    torch.manual_seed(0)
    model = user.Forecaster(n_out=n_out)
    out = predict(model, np.random.default_rng(0).normal(10, 3, size=(4, N_IN)))
    require(out.shape == (4, n_out), f"forward output: expected shape (4, {n_out}), got {out.shape}")
    require(bool(np.isfinite(out).all()), "forward output: expected finite values")


def test_forecaster_has_an_lstm_of_hidden_size(user):
    """Forecaster(hidden_size=h) holds an nn.LSTM with h hidden units"""
    torch.manual_seed(0)
    model = user.Forecaster(n_out=1, hidden_size=16)
    sizes = [m.hidden_size for m in model.modules() if isinstance(m, nn.LSTM)]
    require(bool(sizes), "expected a torch.nn.LSTM among the model's modules, found none")
    require(16 in sizes, f"expected an nn.LSTM with hidden_size=16, found hidden sizes {sizes}")


def test_forecaster_defaults(user):
    """Forecaster() defaults to n_out=1 and hidden_size=32"""
    torch.manual_seed(0)
    model = user.Forecaster()
    out = predict(model, np.random.default_rng(1).normal(10, 3, size=(3, N_IN)))
    require(out.shape == (3, 1), f"Forecaster() output: expected shape (3, 1), got {out.shape}")
    sizes = [m.hidden_size for m in model.modules() if isinstance(m, nn.LSTM)]
    require(32 in sizes, f"Forecaster(): expected an nn.LSTM with hidden_size=32, found {sizes}")


def test_model_stores_n_in(forecaster):
    """the fitted model stores n_in (model.n_in == 12 with the defaults)"""
    model = forecaster[0]
    n_in = getattr(model, "n_in", None)
    require(n_in == N_IN, f"model.n_in: expected {N_IN}, got {n_in!r}")


def test_lstm_drives_the_predictions(forecaster):
    """the fitted model uses its nn.LSTM: perturbing the LSTM's weights changes the predictions"""
    model, _, full = forecaster
    X, _ = held_out_windows(full)
    before = predict(model, X)
    shaken = copy.deepcopy(model)
    lstms = [m for m in shaken.modules() if isinstance(m, nn.LSTM)]
    require(bool(lstms), "expected a torch.nn.LSTM among the fitted model's modules, found none")
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for lstm in lstms:
            for p in lstm.parameters():
                p.add_(0.5 * torch.randn(p.shape, generator=gen, dtype=p.dtype))
    change = float(np.abs(predict(shaken, X) - before).max())
    assert_at_least(change, 0.01, what="largest change of a held-out prediction (series units) "
                    "after adding N(0, 0.5^2) noise to the LSTM's weights")


def test_one_step_mse_beats_naive(forecaster):
    """held-out one-step MSE is at most 0.7 x the naive last-value MSE"""
    model, _, full = forecaster
    X, y = held_out_windows(full)
    pred = predict(model, X)
    require(pred.shape == (HOLDOUT, 1), f"forward output: expected shape ({HOLDOUT}, 1), got {pred.shape}")
    mse = float(np.mean((pred[:, 0] - y) ** 2))
    naive = float(np.mean((X[:, -1] - y) ** 2))
    assert_at_most(mse, RATIO * naive, what=f"held-out one-step MSE (naive last-value MSE {naive:.4f} x {RATIO})")


def test_forecast_is_recursive(user, forecaster):
    """forecast feeds each prediction back as the newest input, one step at a time"""
    model, train, _ = forecaster
    steps = HOLDOUT
    window = list(train[-N_IN:])
    expected = []
    for _ in range(steps):
        y = float(predict(model, np.array([window]))[0, 0])
        expected.append(y)
        window = window[1:] + [y]
    history = train.copy()
    got = to_numpy(user.forecast(model, history, steps), np.float64, "forecast")
    require(got.shape == (steps,), f"forecast: expected shape ({steps},), got {got.shape}")
    assert_close(got, expected, atol=FORECAST_ATOL, what="forecast vs recursive one-step predictions")
    assert_close(history, train, atol=0, what="history after forecast (it must not be changed)")


def test_determinism_and_n_in(user):
    """the same seed gives the same model, and n_in is the model's window length"""
    train, _ = series_split()
    short = train[:72]
    models = [fitted(user, short.copy(), n_in=6, epochs=3, seed=0) for _ in range(2)]
    for model in models:
        require(getattr(model, "n_in", None) == 6, f"model.n_in: expected 6, got {getattr(model, 'n_in', None)!r}")
    X = np.stack([train[t - 6:t] for t in range(100, 124)])
    assert_close(predict(models[1], X), predict(models[0], X), atol=1e-6,
                 what="predictions of two fits with seed=0")
