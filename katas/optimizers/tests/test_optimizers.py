"""Hidden suite for the optimizers kata: 100-step trajectories against torch.optim."""

from __future__ import annotations

import numpy as np
import pytest

from nnquiz.grading.katalib.checks import CheckFailure, assert_close, to_numpy

STEPS = 100
ATOL = 1e-10


class Quadratic:
    """f = 0.5 θᵀHθ − cᵀθ, θ = concat(W.ravel(), b): two arrays, W (3, 4) and b (4,)."""

    name = "quadratic"
    sgd_lr, adam_lr = 0.05, 0.05

    def __init__(self) -> None:
        rng = np.random.default_rng(0)
        q, _ = np.linalg.qr(rng.normal(size=(16, 16)))
        self.H = q @ np.diag(np.linspace(0.2, 5.0, 16)) @ q.T  # SPD, condition number 25
        self.c = rng.normal(size=16)
        self.start = [rng.normal(size=(3, 4)), rng.normal(size=4)]

    def grads(self, params):
        theta = np.concatenate([p.ravel() for p in params])
        g = self.H @ theta - self.c  # ∇f = Hθ − c, (16,)
        return [g[:12].reshape(3, 4), g[12:].copy()]


class Rosenbrock:
    """f = Σ 100(y − x²)² + (1 − x)² over three (x, y) pairs held in one (2, 3) array."""

    name = "Rosenbrock"
    sgd_lr, adam_lr = 2e-4, 0.01

    def __init__(self) -> None:
        self.start = [np.array([[-1.2, 0.0, 1.5], [1.0, 0.5, 2.0]])]

    def grads(self, params):
        x, y = params[0]
        dx = -400.0 * x * (y - x**2) - 2.0 * (1.0 - x)
        dy = 200.0 * (y - x**2)
        return [np.stack([dx, dy])]


PROBLEMS = {"quadratic": Quadratic(), "Rosenbrock": Rosenbrock()}

# (optimizer, settings other than lr, whether lr is passed): lr comes from the problem
SETTINGS = [
    ("SGD", {}, True),
    ("SGD", {"momentum": 0.9}, True),
    ("SGD", {"momentum": 0.9, "nesterov": True}, True),
    ("SGD", {"weight_decay": 0.1}, True),
    ("SGD", {"momentum": 0.5, "weight_decay": 0.1}, True),
    ("SGD", {"momentum": 0.9, "nesterov": True, "weight_decay": 0.01}, True),
    ("Adam", {}, True),
    ("Adam", {}, False),
    ("Adam", {"weight_decay": 0.1}, True),
    ("Adam", {"betas": (0.8, 0.99), "eps": 1e-6}, True),
    ("AdamW", {}, True),
    ("AdamW", {}, False),
    ("AdamW", {"weight_decay": 0.1, "betas": (0.8, 0.99)}, True),
]
CASES = [(p, *s) for p in PROBLEMS for s in SETTINGS]


def describe(opt: str, settings: dict, pass_lr: bool, problem: str) -> str:
    parts = [f"{k}={v}" for k, v in settings.items()]
    if not pass_lr:
        parts.insert(0, "defaults")
    return f"{problem}: {opt}({', '.join(parts)})"


def settings_for(problem, opt: str, settings: dict, pass_lr: bool) -> dict:
    kwargs = dict(settings)
    if pass_lr:
        kwargs["lr"] = problem.sgd_lr if opt == "SGD" else problem.adam_lr
    return kwargs


def torch_trajectory(problem, opt: str, kwargs: dict, steps: int = STEPS) -> np.ndarray:
    """(steps, n_params) parameters after each torch.optim step, float64."""
    import torch  # only when the cache is cold

    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in problem.start]
    optimizer = getattr(torch.optim, opt)(params, **kwargs)
    out = []
    for _ in range(steps):
        grads = problem.grads([p.detach().numpy().copy() for p in params])
        for p, g in zip(params, grads):
            p.grad = torch.from_numpy(g)
        optimizer.step()
        out.append(np.concatenate([p.detach().numpy().ravel() for p in params]))
    return np.array(out)


def user_trajectory(user, problem, opt: str, kwargs: dict, steps: int = STEPS) -> np.ndarray:
    """(steps, n_params) values of the arrays handed to the user's optimizer, after each step."""
    params = [p.copy() for p in problem.start]
    optimizer = getattr(user, opt)(params, **kwargs)
    out = []
    for _ in range(steps):
        optimizer.step(problem.grads([p.copy() for p in params]))
        out.append(np.concatenate([to_numpy(p, np.float64, "parameters").ravel() for p in params]))
    return np.array(out)


def assert_same_trajectory(got: np.ndarray, expected: np.ndarray, start: np.ndarray) -> None:
    """Fail on the first step whose parameters differ from torch's; got, expected (steps, n)."""
    if (got == start).all():
        raise CheckFailure("the arrays passed to the optimizer never changed: step(grads) must "
                           "update them in place (p -= ..., p[...] = ...), not build new arrays")
    bad = ~np.isclose(got, expected, rtol=0, atol=ATOL)  # NaN counts as a difference
    step = int(np.argmax(bad.any(axis=1))) if bad.any() else len(expected) - 1
    assert_close(got[step], expected[step], atol=ATOL, what=f"parameters after step {step + 1}")


class Constant:
    """A constant gradient for two arrays, W (2, 3) and b (3,)."""

    def __init__(self) -> None:
        self.start = [np.ones((2, 3)), np.full(3, -1.0)]

    def grads(self, params):
        return [np.full((2, 3), 0.5), np.full(3, -2.0)]


IN_PLACE = {
    "SGD": {"lr": 0.1, "momentum": 0.9},
    "Adam": {"lr": 0.1},
    "AdamW": {"lr": 0.1},
}


@pytest.fixture(scope="session")
def torch_results(ref_cache):
    """torch.optim's trajectories for every case, computed once and cached on disk."""

    def compute():
        out = {}
        for p, o, s, lr in CASES:
            kwargs = settings_for(PROBLEMS[p], o, s, lr)
            out[describe(o, s, lr, p)] = torch_trajectory(PROBLEMS[p], o, kwargs).tolist()
        for opt, kwargs in IN_PLACE.items():
            out[f"in place: {opt}"] = torch_trajectory(Constant(), opt, kwargs, steps=2).tolist()
        return out

    raw = ref_cache.get("torch-trajectories", compute)
    return {k: np.array(v, dtype=np.float64) for k, v in raw.items()}


@pytest.mark.parametrize("problem, opt, settings, pass_lr", CASES,
                         ids=[describe(o, s, lr, p) for p, o, s, lr in CASES])
def test_trajectory_matches_torch(user, torch_results, problem, opt, settings, pass_lr):
    """100 steps give the same parameters as torch.optim with the same settings"""
    prob = PROBLEMS[problem]
    kwargs = settings_for(prob, opt, settings, pass_lr)
    expected = torch_results[describe(opt, settings, pass_lr, problem)]
    got = user_trajectory(user, prob, opt, kwargs)
    start = np.concatenate([p.ravel() for p in prob.start])
    assert_same_trajectory(got, expected, start)


@pytest.mark.parametrize("opt", list(IN_PLACE))
def test_updates_arrays_in_place(user, torch_results, opt):
    """step(grads) updates the very arrays passed in, in place"""
    problem = Constant()
    w, b = (p.copy() for p in problem.start)
    optimizer = getattr(user, opt)([w, b], **IN_PLACE[opt])
    for _ in range(2):
        optimizer.step(problem.grads([w, b]))
    got = np.concatenate([to_numpy(w, np.float64).ravel(), to_numpy(b, np.float64).ravel()])
    if np.array_equal(got, np.concatenate([p.ravel() for p in problem.start])):
        raise CheckFailure("the arrays passed in are unchanged after two steps: update them in "
                           "place (p -= lr * g or p[...] = ...), do not replace them")
    expected = torch_results[f"in place: {opt}"][-1]
    assert_close(got, expected, atol=ATOL, what="the original arrays after two steps")
