"""Hidden suite for the autograd kata: a scalar Value engine checked against torch autograd, float64."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch

from nnquiz.grading.katalib.checks import CheckFailure, assert_close, assert_raises_value_error

RTOL = 1e-9


def tt(v):
    return torch.tensor(float(v), dtype=torch.float64, requires_grad=True)


def num(x, what):
    """A Value's data or grad as a plain float."""
    try:
        return float(x)
    except (TypeError, ValueError):
        raise CheckFailure(f"{what}: expected a number, got {type(x).__name__}") from None


def close(got, expected, what, scale=1.0):
    """|got - expected| <= 1e-9 |expected| + 1e-9 scale (scale: the graph's largest magnitude)."""
    assert_close(got, expected, rtol=RTOL, atol=RTOL * max(1.0, scale), what=what)


# ---------------------------------------------------------------- each operation


UNARY = {
    "x + 2.5": lambda x: x + 2.5, "2.5 + x": lambda x: 2.5 + x,
    "x - 4": lambda x: x - 4, "4 - x": lambda x: 4 - x,
    "x * -3": lambda x: x * -3, "-3 * x": lambda x: -3 * x,
    "x / 4": lambda x: x / 4, "3 / x": lambda x: 3 / x,
    "x ** 2": lambda x: x ** 2, "x ** 3": lambda x: x ** 3, "x ** -1": lambda x: x ** -1,
    "-x": lambda x: -x, "exp": lambda x: x.exp(), "tanh": lambda x: x.tanh(),
    "relu": lambda x: x.relu(), "sigmoid": lambda x: x.sigmoid(),
}
POSITIVE_ONLY = {
    "log": lambda x: x.log(), "x ** 0.5": lambda x: x ** 0.5, "x ** -1.5": lambda x: x ** -1.5,
    "x ** 2.5": lambda x: x ** 2.5,
}
POINTS = [1.7, -0.6, 0.3]


def check_unary(user, name, f, a):
    x = user.Value(a)
    y = f(x)
    y.backward()
    xt = tt(a)
    yt = f(xt)
    yt.backward()
    close(num(y.data, "data"), yt.item(), f"{name} at x = {a}: value")
    close(num(x.grad, "grad"), xt.grad.item(), f"{name} at x = {a}: d/dx")


@pytest.mark.parametrize("name", list(UNARY), ids=list(UNARY))
def test_each_operation(user, name):
    """each operation's value and derivative equal torch's, with numbers on either side (rtol 1e-9)"""
    for a in POINTS:
        check_unary(user, name, UNARY[name], a)


@pytest.mark.parametrize("name", list(POSITIVE_ONLY), ids=list(POSITIVE_ONLY))
def test_operations_on_positive_inputs(user, name):
    """log and fractional powers: value and derivative equal torch's on positive inputs"""
    for a in (0.25, 1.0, 3.5):
        check_unary(user, name, POSITIVE_ONLY[name], a)


BINARY = {
    "a + b": lambda a, b: a + b, "a - b": lambda a, b: a - b, "a * b": lambda a, b: a * b,
    "a / b": lambda a, b: a / b,
}


@pytest.mark.parametrize("name", list(BINARY), ids=list(BINARY))
def test_binary_operations_between_values(user, name):
    """a + b, a - b, a * b and a / b between two Values: value and both derivatives"""
    f = BINARY[name]
    for va, vb in [(1.5, -2.0), (-0.3, 0.7)]:
        a, b = user.Value(va), user.Value(vb)
        y = f(a, b)
        y.backward()
        at, bt = tt(va), tt(vb)
        f(at, bt).backward()
        close(num(y.data, "data"), f(va, vb), f"{name} at ({va}, {vb}): value")
        close(num(a.grad, "grad"), at.grad.item(), f"{name} at ({va}, {vb}): d/da")
        close(num(b.grad, "grad"), bt.grad.item(), f"{name} at ({va}, {vb}): d/db")


def test_relu_at_zero_and_extreme_sigmoid(user):
    """relu'(0) = 0 as in torch; sigmoid of +-800 is finite (0 or 1) with derivative 0"""
    check_unary(user, "relu", lambda x: x.relu(), 0.0)
    check_unary(user, "relu", lambda x: x.relu(), -2.0)
    for a in (800.0, -800.0, 30.0, -30.0):
        check_unary(user, "sigmoid", lambda x: x.sigmoid(), a)


def test_fresh_value(user):
    """a new Value holds its number as data and starts with grad 0"""
    v = user.Value(3)
    close(num(v.data, "data"), 3.0, "Value(3).data")
    close(num(v.grad, "grad"), 0.0, "Value(3).grad")
    w = v * 2 + 1
    close(num(v.data, "data"), 3.0, "Value(3).data after being used")
    close(num(w.data, "data"), 7.0, "(Value(3) * 2 + 1).data")


def test_log_of_non_positive_raises(user):
    """log() of 0 or a negative number raises ValueError"""
    assert_raises_value_error(lambda: user.Value(0.0).log(), what="Value(0).log()")
    assert_raises_value_error(lambda: user.Value(-2.0).log(), what="Value(-2).log()")


# ---------------------------------------------------------------- shared nodes and whole graphs


def test_shared_subexpressions_accumulate(user):
    """a node used several times receives the sum of its gradients"""
    def f(a, b):
        c = a * b
        d = c + a
        e = d * d + c * a - b / d
        return e, (c, d)

    a, b = user.Value(1.3), user.Value(-0.4)
    e, mids = f(a, b)
    e.backward()
    at, bt = tt(1.3), tt(-0.4)
    et, mids_t = f(at, bt)
    for m in mids_t:
        m.retain_grad()
    et.backward()
    close(num(a.grad, "grad"), at.grad.item(), "d/da with a used four times")
    close(num(b.grad, "grad"), bt.grad.item(), "d/db with b used twice")
    for name, m, mt in zip(("c = a*b", "d = c + a"), mids, mids_t):
        close(num(m.grad, "grad"), mt.grad.item(), f"grad of the intermediate node {name}")
    y = a * a  # the very same leaf twice in one operation
    a.grad = 0.0
    y.backward()
    close(num(a.grad, "grad"), 2 * 1.3, "d(a*a)/da")
    z = a + a
    a.grad = 0.0
    z.backward()
    close(num(a.grad, "grad"), 2.0, "d(a+a)/da")


OPS = ["add", "sub", "mul", "div", "radd", "rsub", "rmul", "rdiv", "neg", "pow", "exp", "log",
       "tanh", "relu", "sigmoid"]


def apply(op, x, y, c, k):
    """One step; every step keeps values in a safe, moderate range."""
    if op == "add":
        return x + y
    if op == "sub":
        return x - y
    if op == "mul":
        return x * y
    if op == "div":
        return x / (y * y + 0.5)
    if op == "radd":
        return c + x
    if op == "rsub":
        return c - x
    if op == "rmul":
        return c * x
    if op == "rdiv":
        return c / (x * x + 1.0)
    if op == "neg":
        return -x
    if op == "pow":
        return (x * x + 0.5) ** k if k in (-1.5, 0.5) else x ** k
    if op == "exp":
        return (x.tanh() * 2).exp()
    if op == "log":
        return (x * x + 0.1).log()
    return getattr(x, op)()


CONSTANTS = [-2.0, -0.5, 0.75, 1.5, 3.0]
EXPONENTS = [2, 3, -1.5, 0.5]
LEAF_VALUES = [-1.9, -1.1, -0.35, 0.05, 0.4, 0.9, 1.6, 2.3]


def random_program(seed):
    """A seeded random program: 1-4 leaves and 1-30 steps whose operands are earlier nodes."""
    rng = random.Random(seed)
    start = [rng.choice(LEAF_VALUES) for _ in range(rng.randint(1, 4))]
    steps = [(rng.choice(OPS), rng.randrange(10 ** 6), rng.randrange(10 ** 6), rng.choice(CONSTANTS),
              rng.choice(EXPONENTS)) for _ in range(rng.randint(1, 30))]
    return start, steps


def build(steps, nodes):
    """Run the program on a list of start nodes; operands are picked from everything built so far."""
    nodes = list(nodes)
    for op, i, j, c, k in steps:
        x, y = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(apply(op, x, y, c, k))
    out = nodes[-1]
    for w, node in zip((0.5, -0.25, 0.125), nodes[-4:-1]):
        out = out + w * node  # more of the graph reaches the output
    return nodes, out


GRAPH_BATCHES = [range(20), range(20, 40), range(40, 60)]


@pytest.mark.parametrize("seeds", GRAPH_BATCHES, ids=["graphs 0-19", "graphs 20-39", "graphs 40-59"])
def test_random_expression_graphs(user, seeds):
    """random expression graphs with shared nodes: output, leaf and intermediate grads equal torch's"""
    for seed in seeds:
        start, steps = random_program(seed)
        check_graph(user, seed, start, steps)


def check_graph(user, seed, start, steps):
    """One program run on torch tensors and on the user's Values, every grad compared."""
    leaves_t = [tt(v) for v in start]
    nodes_t, out_t = build(steps, leaves_t)
    for n in nodes_t[len(start):]:
        n.retain_grad()
    out_t.backward()
    leaves_u = [user.Value(v) for v in start]
    nodes_u, out_u = build(steps, leaves_u)
    out_u.backward()
    scale = max([abs(out_t.item())] + [abs(n.grad.item()) for n in nodes_t if n.grad is not None])
    close(num(out_u.data, "data"), out_t.item(), f"output value of random graph {seed} (leaves {start}, program {steps})", scale)
    for idx, (nu, nt) in enumerate(zip(nodes_u, nodes_t)):
        expected = 0.0 if nt.grad is None else nt.grad.item()
        kind = "leaf" if idx < len(start) else "intermediate node"
        close(num(nu.grad, "grad"), expected, f"grad of {kind} {idx} in random graph {seed} (leaves {start}, program {steps})", scale)


# ---------------------------------------------------------------- an MLP, repeated backward, deep chains


def mlp_loss(make, rng_seed=0):
    """A 3-4-1 tanh MLP on three samples with a squared error; returns (loss, weights, hidden nodes)."""
    rng = np.random.default_rng(rng_seed)
    w1 = [[make(v) for v in row] for row in rng.normal(size=(4, 3)).tolist()]
    b1 = [make(v) for v in rng.normal(size=4).tolist()]
    w2 = [make(v) for v in rng.normal(size=4).tolist()]
    b2 = make(0.1)
    xs = rng.normal(size=(3, 3)).tolist()
    ys = [1.0, -1.0, 0.5]
    loss, hidden = 0, []
    for x, y in zip(xs, ys):
        h = [(sum(wi * xi for wi, xi in zip(row, x)) + b).tanh() for row, b in zip(w1, b1)]
        hidden.extend(h)
        pred = sum(wi * hi for wi, hi in zip(w2, h)) + b2
        loss = loss + (pred - y) ** 2
    params = [w for row in w1 for w in row] + b1 + w2 + [b2]
    return loss / 3, params, hidden


def test_mlp_gradients_match_torch(user):
    """a small tanh MLP built from Values has torch's loss and parameter gradients"""
    loss, params, _ = mlp_loss(user.Value)
    loss.backward()
    loss_t, params_t, _ = mlp_loss(tt)
    loss_t.backward()
    close(num(loss.data, "data"), loss_t.item(), "MLP loss")
    assert_close([num(p.grad, "grad") for p in params], [p.grad.item() for p in params_t],
                 rtol=RTOL, atol=RTOL, what="MLP parameter gradients")


def test_backward_twice(user):
    """after zeroing the leaves' grads a second backward() gives the same grads; without, leaves accumulate"""
    loss, params, hidden = mlp_loss(user.Value)
    loss.backward()
    first = [num(p.grad, "grad") for p in params]
    first_hidden = [num(h.grad, "grad") for h in hidden]
    for p in params:
        p.grad = 0.0
    loss.backward()
    assert_close([num(p.grad, "grad") for p in params], first, rtol=RTOL, atol=RTOL,
                 what="parameter grads after zeroing them and calling backward() again")
    loss.backward()  # no zeroing: leaves add up, like torch's .grad
    assert_close([num(p.grad, "grad") for p in params], [2 * g for g in first], rtol=RTOL, atol=RTOL,
                 what="parameter grads after a third backward() without zeroing (twice the first)")
    assert_close([num(h.grad, "grad") for h in hidden], first_hidden, rtol=RTOL, atol=RTOL,
                 what="hidden-unit grads after repeated backward() (recomputed from zero each time)")


def test_deep_chain_sum(user):
    """backward() on a 10,000-node chain (y = y + x) needs no recursion: d/dx = 10,001"""
    x = user.Value(0.5)
    y = x
    for _ in range(10_000):
        y = y + x
    y.backward()
    close(num(y.data, "data"), 5000.5, "value at the end of the chain")
    close(num(x.grad, "grad"), 10001.0, "d/dx through 10,000 additions")


def test_deep_chain_tanh(user):
    """backward() through 10,000 nested tanh calls equals the product of the local derivatives"""
    x = user.Value(0.8)
    y = x
    value, grad = 0.8, 1.0
    for _ in range(10_000):
        y = y.tanh()
        value = math.tanh(value)
        grad *= 1.0 - value * value
    y.backward()
    close(num(y.data, "data"), value, "value after 10,000 tanh")
    assert_close(num(x.grad, "grad"), grad, rtol=1e-8, atol=0.0, what="d/dx through 10,000 tanh")
