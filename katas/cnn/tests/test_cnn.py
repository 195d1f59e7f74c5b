"""Hidden suite for the cnn kata."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_at_most,
    assert_equal,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.data import dataset_split

FLOOR = 0.96  # digits test accuracy
MARGIN = 0.03  # below the reference CNN's accuracy
MAX_PARAMS = 100_000
SMALL = 256  # rows for the cheap determinism and input-shape runs

# Models this small run several times faster on one thread than on two (no parallel speed-up
# on tiny tensors, and OpenMP threads spin against each other on a busy 2-core machine).
torch.set_num_threads(1)


def images(X) -> torch.Tensor:
    """(N, 64) rows -> float32 (N, 1, 8, 8), row-major: pixel (i, j) is column 8 i + j."""
    return torch.as_tensor(np.asarray(X), dtype=torch.float32).reshape(-1, 1, 8, 8)


def build(module, num_classes: int = 10) -> nn.Module:
    torch.manual_seed(0)
    model = module.build_cnn(num_classes)
    require(isinstance(model, nn.Module), f"build_cnn must return a torch.nn.Module, got {type(model).__name__}")
    return model


def trained_model(module, X, y, **kwargs) -> nn.Module:
    model = module.train_cnn(build(module), X, y, **kwargs)
    require(isinstance(model, nn.Module), f"train_cnn must return the model, got {type(model).__name__}")
    return model


@torch.no_grad()
def eval_logits(model: nn.Module, X) -> np.ndarray:
    model.eval()
    return to_numpy(model(images(X)), np.float64, "logits")


def labels(value, n: int, what: str) -> np.ndarray:
    got = to_numpy(value, None, what)
    require(got.shape == (n,), f"{what}: expected shape ({n},), got {got.shape}")
    require(got.dtype.kind in "iu", f"{what}: expected integer labels, got dtype {got.dtype}")
    return got


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def architecture_problem(model: nn.Module) -> str:
    if not any(isinstance(m, nn.Conv2d) for m in model.modules()):
        return "the model has no nn.Conv2d"
    if n_params(model) > MAX_PARAMS:
        return f"the model has {n_params(model):,} parameters (at most {MAX_PARAMS:,})"
    return ""


def max_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Largest |a - b| (inf when the shapes differ or a value is not finite)."""
    if a.shape != b.shape:
        return float("inf")
    d = np.abs(a - b)
    return float(d.max()) if np.isfinite(d).all() else float("inf")


SHAPES = {"(N, 64)": lambda X: X, "(N, 1, 8, 8)": lambda X: X.reshape(-1, 1, 8, 8)}


def measure_digits(module) -> dict:
    """Train `module`'s CNN on the digits training part with the defaults and measure it."""
    X_train, X_test, y_train, y_test = dataset_split("digits")
    problem = architecture_problem(build(module))
    if problem:
        return {"problem": problem}
    model = trained_model(module, X_train, y_train)
    expected = eval_logits(model, X_test).argmax(axis=1)
    figures = {"problem": "", "expected": expected.tolist(), "y_test": y_test.tolist()}
    for shape, view in SHAPES.items():
        try:
            got = labels(module.predict(model, view(X_test).copy()), len(X_test), f"predict on {shape} input")
            figures[shape] = got.tolist()
        except AssertionError as exc:
            figures[shape] = str(exc)
    return figures


# The same name and code for the user's and the reference's figures: grading the reference
# file itself trains once (see user_cache).
DIGITS = "digits-figures"


def accuracy_of(figures: dict) -> float:
    return float((predicted(figures, "(N, 64)") == np.asarray(figures["y_test"])).mean())


@pytest.fixture(scope="session")
def digits_figures(user, user_cache):
    """Train the user's CNN once on the digits training part with the defaults and measure it.
    The figures are cached for this exact file, so grading it again skips training."""

    figures = user_cache.get(DIGITS, lambda: measure_digits(user))
    if figures["problem"]:
        pytest.fail(f"not trained: {figures['problem']} (see the architecture tests)", pytrace=False)
    return figures


def predicted(figures: dict, shape: str) -> np.ndarray:
    got = figures[shape]
    require(not isinstance(got, str), got)
    return np.asarray(got, dtype=np.int64)


@pytest.fixture(scope="session")
def small_runs(user, user_cache):
    """Three cheap trainings on 256 rows (2 epochs): flat rows twice, then (N, 1, 8, 8) images;
    the largest differences between their test logits."""

    def compute():
        X_train, X_test, y_train, _ = dataset_split("digits")
        X, y = X_train[:SMALL], y_train[:SMALL]
        runs = {}
        for name, data in [("flat", X), ("flat again", X), ("images", X.reshape(-1, 1, 8, 8))]:
            model = trained_model(user, data.copy(), y.copy(), epochs=2)
            runs[name] = eval_logits(model, X_test)
        return {"images": max_difference(runs["images"], runs["flat"]),
                "flat again": max_difference(runs["flat again"], runs["flat"])}

    return user_cache.get("small-runs", compute)


@pytest.mark.parametrize("num_classes", [10, 3], ids=["10 classes", "3 classes"])
def test_output_shape(user, num_classes):
    """the model maps (N, 1, 8, 8) images to (N, num_classes) logits"""
    model = build(user, num_classes)
    out = eval_logits(model, np.random.default_rng(0).random((5, 64)))
    require(out.shape == (5, num_classes), f"logits: expected shape (5, {num_classes}), got {out.shape}")
    require(bool(np.isfinite(out).all()), "logits: expected finite values")


def test_has_a_conv2d(user):
    """the model has at least one nn.Conv2d"""
    modules = list(build(user).modules())
    kinds = sorted({type(m).__name__ for m in modules})
    require(any(isinstance(m, nn.Conv2d) for m in modules),
          f"expected at least one torch.nn.Conv2d among the modules, found: {', '.join(kinds)}")


def test_parameter_count(user):
    """the model has at most 100,000 parameters"""
    assert_at_most(n_params(build(user)), MAX_PARAMS, what="number of parameters")


def probe_model() -> nn.Module:
    """A CNN of the suite's own with batch norm and dropout, so eval mode changes the output."""
    torch.manual_seed(1)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(),
        nn.Dropout(0.5), nn.Linear(8 * 64, 10),
    )
    with torch.no_grad():  # running statistics that differ from any batch's own
        model[1].running_mean.uniform_(-1, 1)
        model[1].running_var.uniform_(0.5, 2)
    model.train()
    return model


def test_predict_uses_eval_mode_and_no_grad(user):
    """predict runs the model in eval mode and without autograd (torch.no_grad)"""
    model = probe_model()
    seen = []
    model.register_forward_pre_hook(
        lambda mod, inp: seen.append((any(m.training for m in mod.modules()), torch.is_grad_enabled()))
    )
    X = dataset_split("digits")[1][:50]
    user.predict(model, X.copy())
    require(bool(seen), "predict did not call the model")
    require(not any(training for training, _ in seen),
          "the model was in training mode during predict: call model.eval() first (dropout and "
          "batch norm behave differently in training)")
    require(not any(grad for _, grad in seen),
          "autograd was on during predict: wrap the forward pass in torch.no_grad()")


@pytest.mark.parametrize("shape", ["(N, 64)", "(N, 1, 8, 8)"])
def test_predict_is_argmax_of_eval_logits(user, shape):
    """predict returns integer labels, the argmax of the eval-mode logits of X.reshape(N, 1, 8, 8)"""
    X = dataset_split("digits")[1][:100]
    model = probe_model()
    expected = eval_logits(model, X).argmax(axis=1)
    data = X if shape == "(N, 64)" else X.reshape(-1, 1, 8, 8)
    got = labels(user.predict(model, data.copy()), len(X), f"predict on {shape} input")
    assert_equal(got, expected, what=f"labels for {shape} input")


def test_digits_accuracy(reference, ref_cache, digits_figures):
    """digits test accuracy is at least 0.96 and within 0.03 of the reference CNN's"""
    accuracy = accuracy_of(digits_figures)
    ref = accuracy_of(ref_cache.get(DIGITS, lambda: measure_digits(reference)))
    assert_at_least(accuracy, FLOOR, what="digits test accuracy (floor)")
    assert_at_least(accuracy, ref - MARGIN, what=f"digits test accuracy (reference CNN {ref:.4f} - {MARGIN})")


@pytest.mark.parametrize("shape", list(SHAPES))
def test_trained_model_reads_row_major_images(digits_figures, shape):
    """the trained model reads X.reshape(N, 1, 8, 8): predict equals the argmax of its logits"""
    assert_equal(predicted(digits_figures, shape), np.asarray(digits_figures["expected"]),
                 what=f"predict vs argmax of model(X.reshape(N, 1, 8, 8)) for {shape} input")


def test_train_accepts_images(small_runs):
    """train_cnn treats (N, 1, 8, 8) images exactly like the (N, 64) rows they come from"""
    assert_at_most(small_runs["images"], 1e-5,
                   what="largest |difference| of test logits after training on images vs on rows")


def test_determinism(small_runs):
    """the same seed (and the same initial model) gives the same trained model"""
    assert_at_most(small_runs["flat again"], 1e-5,
                   what="largest |difference| of test logits of two trainings with seed=0")


def test_outputs_are_logits_not_probabilities(user):
    """the model outputs logits: its rows are not probabilities (cross_entropy applies the softmax itself)"""
    model = build(user)
    out = eval_logits(model, np.random.default_rng(1).random((20, 64)))
    probabilities = bool(((out >= 0) & (out <= 1)).all()) and float(np.abs(out.sum(axis=1) - 1).max()) < 1e-4
    require(not probabilities,
          "the model's outputs are rows of probabilities (each in [0, 1], summing to 1): end the model "
          "with a Linear layer and return logits; cross_entropy applies log-softmax itself, so a "
          "final nn.Softmax squashes the gradients")


def test_train_runs_every_epoch(user):
    """train_cnn passes over all the rows once per epoch (epochs=3: three passes)"""
    model = probe_model()
    sizes = []
    model.register_forward_pre_hook(lambda mod, inp: sizes.append(int(inp[0].shape[0])))
    X_train, _, y_train, _ = dataset_split("digits")
    user.train_cnn(model, X_train[:64].copy(), y_train[:64].copy(), epochs=3, batch_size=32)
    require(sum(sizes) >= 3 * 64,
          f"train_cnn(64 rows, epochs=3, batch_size=32): expected three passes over the 64 rows "
          f"(at least 192 rows through the model), got {sum(sizes)} in batches of {sizes}: "
          f"loop over range(epochs)")


def test_train_puts_the_model_in_training_mode(user):
    """train_cnn trains in training mode (even on a model in eval mode) on mini-batches of batch_size (default 64)"""
    model = probe_model()
    model.eval()
    seen = []
    sizes = []
    model.register_forward_pre_hook(
        lambda mod, inp: seen.append((all(m.training for m in mod.modules()), torch.is_grad_enabled())))
    model.register_forward_pre_hook(lambda mod, inp: sizes.append(int(inp[0].shape[0])))
    X_train, _, y_train, _ = dataset_split("digits")
    user.train_cnn(model, X_train[:64].copy(), y_train[:64].copy(), epochs=1, batch_size=32)
    require(bool(seen), "train_cnn did not call the model")
    require(all(training for training, _ in seen),
          "train_cnn ran the model in eval mode: call model.train() before the training loop "
          "(a model that predict left in eval mode would train without dropout and with frozen "
          "batch-norm statistics)")
    require(all(grad for _, grad in seen), "autograd was off during training")
    require(max(sizes) <= 32 and sum(sizes) >= 64,
          f"train_cnn(64 rows, epochs=1, batch_size=32): expected mini-batches of at most 32 rows covering "
          f"all 64, got batches of {sizes}")
    sizes.clear()
    user.train_cnn(model, X_train[:130].copy(), y_train[:130].copy(), epochs=1)
    require(max(sizes) <= 64 and sum(sizes) >= 130,
          f"train_cnn(130 rows, epochs=1) with the default batch_size=64: expected mini-batches of at "
          f"most 64 rows covering all 130, got batches of {sizes}")
