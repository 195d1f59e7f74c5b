"""Hidden suite for the lora kata."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from nnquiz.grading.katalib.checks import (
    assert_at_least,
    assert_at_most,
    assert_close,
    assert_raises_value_error,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.data import dataset_split

# Models this small run several times faster on one thread than on two.
torch.set_num_threads(1)

DOUBLE = torch.float64
RTOL, ATOL = 1e-10, 1e-12      # float64 formula checks
MERGE_ATOL = 1e-6              # merged vs unmerged outputs (the contract's tolerance)
MARGIN = 0.03                  # fine-tuned accuracy >= reference - MARGIN
MAX_TRAINABLE = 0.10           # share of all parameters that may require grad
HIDDEN = 128
FT_RANK, FT_ALPHA, FT_LR, FT_EPOCHS, FT_BATCH = 4, 8, 5e-3, 60, 64
TARGETS = ["0", "2", "4"]


def linear(n_in, n_out, seed, bias=True):
    torch.manual_seed(seed)
    layer = nn.Linear(n_in, n_out, bias=bias).to(DOUBLE)
    with torch.no_grad():
        if bias:
            layer.bias.uniform_(-1, 1)
    return layer


def wrap(user, base, **kwargs):
    lora = user.LoRALinear(base, **kwargs)
    require(isinstance(lora, nn.Module), f"LoRALinear must be an nn.Module, got {type(lora).__name__}")
    for name in ("base", "A", "B"):
        require(hasattr(lora, name), f"LoRALinear has no attribute {name!r} (see the instructions)")
    return lora


def set_B(lora, seed, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        lora.B.copy_(scale * torch.randn(lora.B.shape, generator=g, dtype=lora.B.dtype))


def formula(base, A, B, x, alpha, r):
    """base(x) + (alpha / r) x A^T B^T in float64, straight from the definition."""
    W, b = base.weight.detach().double(), base.bias
    out = x.double() @ W.T + (0 if b is None else b.detach().double())
    return out + (alpha / r) * (x.double() @ A.double().T @ B.double().T)


# ---------------------------------------------------------------- the layer


def test_shapes_dtype_and_zero_B(user):
    """A has shape (r, in) and B (out, r), in the base weight's dtype; B starts at zero"""
    lora = wrap(user, linear(12, 7, seed=0), r=3, alpha=6)
    require(isinstance(lora.A, nn.Parameter) and isinstance(lora.B, nn.Parameter), "A and B must be nn.Parameters")
    require(tuple(lora.A.shape) == (3, 12), f"A: expected shape (3, 12), got {tuple(lora.A.shape)}")
    require(tuple(lora.B.shape) == (7, 3), f"B: expected shape (7, 3), got {tuple(lora.B.shape)}")
    require(lora.A.dtype == DOUBLE and lora.B.dtype == DOUBLE,
            f"A and B must take the base weight's dtype (float64 here), got {lora.A.dtype} and {lora.B.dtype}")
    assert_close(lora.B, np.zeros((7, 3)), atol=0.0, what="B at initialisation")


def test_output_at_init_equals_base(user):
    """at initialisation the output equals the base layer's, for 2-d and 3-d inputs"""
    base = linear(10, 6, seed=1)
    lora = wrap(user, base, r=4, alpha=8)
    g = torch.Generator().manual_seed(1)
    for shape in ((5, 10), (2, 3, 10)):
        x = torch.randn(shape, generator=g, dtype=DOUBLE)
        assert_close(lora(x), base(x), atol=ATOL, what=f"output at initialisation, input {shape}")


def test_A_is_kaiming_uniform(user):
    """A is drawn like nn.Linear's weight: uniform on [-1/sqrt(in), 1/sqrt(in)], not all equal"""
    n_in = 256
    lora = wrap(user, linear(n_in, 32, seed=2), r=64, alpha=64)
    a = to_numpy(lora.A, np.float64).ravel()
    bound = 1 / math.sqrt(n_in)
    require(np.isfinite(a).all(), "A has NaN or inf")
    require(np.abs(a).max() <= bound * (1 + 1e-6),
            f"A must lie within +-1/sqrt(in) = {bound:.5f}; its largest |value| is {np.abs(a).max():.5f}")
    require(np.abs(a).max() >= 0.95 * bound,
            f"A should fill [-{bound:.4f}, {bound:.4f}]; its largest |value| is only {np.abs(a).max():.5f}")
    assert_close(a.std(), bound / math.sqrt(3), rtol=0.05, what="std of A (uniform: bound / sqrt(3))")
    assert_close(a.mean(), 0.0, atol=0.03 * bound, what="mean of A")
    hist = np.histogram(a, bins=8, range=(-bound, bound))[0] / a.size
    assert_close(hist, np.full(8, 1 / 8), atol=0.02, what="share of A's values in 8 equal bins (uniform)")


def test_base_frozen_and_only_A_B_train(user):
    """the base weight and bias are frozen: only A and B require grad and receive gradients"""
    base = linear(8, 5, seed=3)
    lora = wrap(user, base, r=2, alpha=4)
    trainable = sorted(n for n, p in lora.named_parameters() if p.requires_grad)
    require(trainable == ["A", "B"], f"parameters that require grad: expected ['A', 'B'], got {trainable}")
    set_B(lora, 3)
    x = torch.randn(4, 8, generator=torch.Generator().manual_seed(3), dtype=DOUBLE)
    lora(x).pow(2).sum().backward()
    require(base.weight.grad is None and base.bias.grad is None, "the base layer received gradients")
    require(lora.A.grad is not None and lora.B.grad is not None, "A and B must receive gradients")


CASES = {"r=4, alpha=8": (4, 8), "r=8, alpha=16": (8, 16), "r=2, alpha=1": (2, 1), "r=16, alpha=16": (16, 16),
         "r=1, alpha=3": (1, 3)}


@pytest.mark.parametrize("case", list(CASES))
def test_forward_formula_and_gradients(user, case):
    """output = base(x) + (alpha / r) x A^T B^T, and A and B get the formula's gradients (float64)"""
    r, alpha = CASES[case]
    base = linear(9, 6, seed=4 + r)
    lora = wrap(user, base, r=r, alpha=alpha)
    set_B(lora, r)
    g = torch.Generator().manual_seed(r)
    x = torch.randn(3, 4, 9, generator=g, dtype=DOUBLE)
    w = torch.randn(3, 4, 6, generator=g, dtype=DOUBLE)
    out = lora(x)
    assert_close(out, formula(base, lora.A, lora.B, x, alpha, r), atol=ATOL, rtol=RTOL, what=f"output ({case})")
    (out * w).sum().backward()
    A = lora.A.detach().clone().requires_grad_(True)
    B = lora.B.detach().clone().requires_grad_(True)
    (formula(base, A, B, x, alpha, r) * w).sum().backward()
    assert_close(lora.A.grad, A.grad, atol=ATOL, rtol=1e-9, what=f"gradient of A ({case})")
    assert_close(lora.B.grad, B.grad, atol=ATOL, rtol=1e-9, what=f"gradient of B ({case})")


def test_base_without_bias(user):
    """a base layer without bias works (output = x W^T + (alpha / r) x A^T B^T)"""
    base = linear(7, 4, seed=5, bias=False)
    lora = wrap(user, base, r=3, alpha=5)
    set_B(lora, 5)
    x = torch.randn(6, 7, generator=torch.Generator().manual_seed(5), dtype=DOUBLE)
    assert_close(lora(x), formula(base, lora.A, lora.B, x, 5, 3), atol=ATOL, rtol=RTOL, what="output")


def test_dropout_only_on_the_lora_path(user):
    """dropout (inverted, p = 0.5) acts on the input of the low-rank path only, and only in training mode"""
    base = linear(40, 40, seed=6)
    lora = wrap(user, base, r=40, alpha=40, dropout=0.5)
    x = torch.rand(50, 40, generator=torch.Generator().manual_seed(6), dtype=DOUBLE) + 0.5
    lora.train()
    assert_close(lora(x), base(x), atol=ATOL, what="training-mode output with B = 0 (the base path has no dropout)")
    with torch.no_grad():  # A = B = I and alpha / r = 1: the low-rank path returns dropout(x) itself
        lora.A.copy_(torch.eye(40, dtype=DOUBLE))
        lora.B.copy_(torch.eye(40, dtype=DOUBLE))
    torch.manual_seed(0)
    dropped = to_numpy(lora(x) - base(x), np.float64, what="low-rank path output")
    zero = np.abs(dropped) < 1e-9
    assert_close(zero.mean(), 0.5, atol=0.05, what="share of inputs zeroed on the low-rank path (p = 0.5)")
    assert_close(dropped[~zero], 2 * x.numpy()[~zero], rtol=1e-9, atol=ATOL,
                 what="kept inputs on the low-rank path (scaled by 1 / (1 - p) = 2)")
    lora.eval()
    assert_close(lora(x) - base(x), x, atol=ATOL, rtol=RTOL, what="low-rank path in eval mode (no dropout)")


@pytest.mark.parametrize("r", [0, -2], ids=["r = 0", "r = -2"])
def test_rank_below_one_raises(user, r):
    """LoRALinear raises ValueError for a rank r < 1"""
    assert_raises_value_error(user.LoRALinear, linear(4, 3, seed=0), r=r, alpha=4, what=f"LoRALinear(base, r={r})")


# ---------------------------------------------------------------- merge and unmerge


def test_merge_folds_the_scaled_update(user):
    """merge() sets W to W + (alpha / r) B A; outputs agree with the unmerged layer (atol 1e-6)"""
    base = linear(11, 9, seed=7)
    W0 = base.weight.detach().clone()
    lora = wrap(user, base, r=3, alpha=7)
    set_B(lora, 7)
    x = torch.randn(5, 11, generator=torch.Generator().manual_seed(7), dtype=DOUBLE)
    before = lora(x).detach()
    lora.merge()
    expected_W = W0 + (7 / 3) * lora.B.detach() @ lora.A.detach()
    assert_close(lora.base.weight, expected_W, atol=ATOL, rtol=RTOL, what="base weight after merge()")
    assert_close(lora(x), before, atol=MERGE_ATOL, what="output after merge() (the update must count once)")
    require(not lora.base.weight.requires_grad, "the merged base weight must stay frozen")
    lora.merge()
    assert_close(lora.base.weight, expected_W, atol=ATOL, rtol=RTOL, what="base weight after a second merge()")


def test_unmerge_restores_the_weight(user):
    """unmerge() after merge() restores the base weight and the same outputs; a second unmerge() changes nothing"""
    base = linear(11, 9, seed=8)
    W0 = base.weight.detach().clone()
    lora = wrap(user, base, r=5, alpha=10)
    set_B(lora, 8)
    x = torch.randn(5, 11, generator=torch.Generator().manual_seed(8), dtype=DOUBLE)
    before = lora(x).detach()
    lora.unmerge()  # not merged: nothing to undo
    assert_close(lora.base.weight, W0, atol=ATOL, what="base weight after unmerge() on an unmerged layer")
    lora.merge()
    lora.unmerge()
    assert_close(lora.base.weight, W0, atol=ATOL, rtol=RTOL, what="base weight after merge() then unmerge()")
    assert_close(lora(x), before, atol=MERGE_ATOL, what="output after merge() then unmerge()")
    lora.unmerge()
    assert_close(lora.base.weight, W0, atol=ATOL, rtol=RTOL, what="base weight after a second unmerge()")


# ---------------------------------------------------------------- add_lora


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 8)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(8, 8)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = Encoder()
        self.norm = nn.LayerNorm(8)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        return self.head(self.norm(self.enc(x)))


def small_net(seed=9):
    torch.manual_seed(seed)
    return Net().to(DOUBLE)


def test_add_lora_wraps_the_named_layers(user):
    """add_lora wraps exactly the named nn.Linear layers, keeps the outputs and returns the model"""
    net = small_net()
    x = torch.randn(4, 6, generator=torch.Generator().manual_seed(9), dtype=DOUBLE)
    before = net(x).detach()
    fc2_weight = net.enc.fc2.weight.detach().clone()
    out = user.add_lora(net, ["enc.fc1", "head"], r=2, alpha=4)
    require(out is net, "add_lora must return the model it was given (changed in place)")
    require(isinstance(net.enc.fc1, user.LoRALinear) and isinstance(net.head, user.LoRALinear),
            "enc.fc1 and head must now be LoRALinear modules")
    require(type(net.enc.fc2) is nn.Linear, "enc.fc2 was not named and must stay a plain nn.Linear")
    require(tuple(net.head.A.shape) == (2, 8), f"head.A: expected shape (2, 8) (r=2), got {tuple(net.head.A.shape)}")
    assert_close(net(x), before, atol=ATOL, what="model output right after add_lora")
    assert_close(net.enc.fc2.weight, fc2_weight, atol=0.0, what="enc.fc2's weight")
    set_B(net.head, 1)
    got = net(x)
    h = net.norm(net.enc(x))
    assert_close(got, formula(net.head.base, net.head.A, net.head.B, h, 4, 2), atol=ATOL, rtol=RTOL,
                 what="head output with alpha=4, r=2")


def test_add_lora_freezes_everything_else(user):
    """after add_lora only the LoRA A and B matrices require grad"""
    net = user.add_lora(small_net(), ["enc.fc2"], r=3, alpha=3)
    trainable = sorted(n for n, p in net.named_parameters() if p.requires_grad)
    require(trainable == ["enc.fc2.A", "enc.fc2.B"],
            f"parameters that require grad: expected ['enc.fc2.A', 'enc.fc2.B'], got {trainable}")


@pytest.mark.parametrize("names", [["enc.fc3"], ["enc.act"], ["enc.fc1", "norm"]],
                         ids=["missing name", "a ReLU", "a good name then a LayerNorm"])
def test_add_lora_rejects_bad_targets(user, names):
    """add_lora raises ValueError for a name that is not an nn.Linear submodule, changing nothing"""
    net = small_net()
    assert_raises_value_error(user.add_lora, net, names, r=2, alpha=4, what=f"add_lora(model, {names})")
    require(type(net.enc.fc1) is nn.Linear, "after the ValueError enc.fc1 must still be a plain nn.Linear")
    require(all(p.requires_grad for p in net.parameters()), "after the ValueError no parameter may be frozen")


# ---------------------------------------------------------------- fine-tuning on digits


def mlp():
    return nn.Sequential(nn.Linear(64, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 10))


def digits(classes):
    X_train, X_test, y_train, y_test = dataset_split("digits")
    keep_train, keep_test = np.isin(y_train, classes), np.isin(y_test, classes)
    return (torch.as_tensor(X_train[keep_train], dtype=torch.float32), torch.as_tensor(y_train[keep_train]),
            torch.as_tensor(X_test[keep_test], dtype=torch.float32), torch.as_tensor(y_test[keep_test]))


def fit(model, X, y, params, lr, epochs, seed):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(params, lr=lr)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(X), generator=gen).split(FT_BATCH):
            loss = F.cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model.eval()


def accuracy(model, X, y):
    with torch.no_grad():
        return float((model(X).argmax(-1) == y).double().mean())


@pytest.fixture(scope="session")
def pretrained(ref_cache):
    """An MLP 64-128-128-10 trained on digits 0-4 only (cached as lists of weights)."""

    def compute():
        torch.manual_seed(0)
        model = mlp()
        X, y, _, _ = digits([0, 1, 2, 3, 4])
        fit(model, X, y, list(model.parameters()), 1e-3, 40, seed=0)
        return {k: v.tolist() for k, v in model.state_dict().items()}

    state = ref_cache.get("pretrained-0-4", compute)
    return {k: torch.tensor(v, dtype=torch.float32) for k, v in state.items()}


def finetune(module, pretrained):
    """Load the pretrained MLP, add LoRA (r=4, alpha=8) to its three layers, train on digits 5-9."""
    model = mlp()
    model.load_state_dict(pretrained)
    torch.manual_seed(0)
    model = module.add_lora(model, TARGETS, r=FT_RANK, alpha=FT_ALPHA)
    params = [p for p in model.parameters() if p.requires_grad]
    total = sum(p.numel() for p in model.parameters())
    X, y, X_test, y_test = digits([5, 6, 7, 8, 9])
    before = {k: v.clone() for k, v in model.state_dict().items() if "base" in k or k.split(".")[-1] in ("weight", "bias")}
    fit(model, X, y, params, FT_LR, FT_EPOCHS, seed=0)
    after = model.state_dict()
    base_moved = max((float((after[k] - v).abs().max()) for k, v in before.items() if k in after), default=0.0)
    return {"accuracy": accuracy(model, X_test, y_test), "trainable": sum(p.numel() for p in params),
            "total": total, "base_moved": base_moved}


@pytest.fixture(scope="session")
def tuned(user, user_cache, pretrained):
    return user_cache.get("finetuned", lambda: finetune(user, pretrained))


def test_pretrained_model_cannot_do_5_to_9(pretrained):
    """the pretrained MLP (digits 0-4) gets almost none of digits 5-9 right before fine-tuning"""
    model = mlp()
    model.load_state_dict(pretrained)
    _, _, X_test, y_test = digits([5, 6, 7, 8, 9])
    assert_at_most(accuracy(model.eval(), X_test, y_test), 0.05, what="accuracy on 5-9 before fine-tuning")


def test_finetuned_accuracy_near_reference(tuned, reference, ref_cache, pretrained):
    """fine-tuned with r=4 on digits 5-9, test accuracy is at least the reference's - 0.03"""
    # the user's figure's name and code: grading the reference file itself fine-tunes once
    ref = ref_cache.get("finetuned", lambda: finetune(reference, pretrained))["accuracy"]
    assert_at_least(tuned["accuracy"], ref - MARGIN,
                    what=f"test accuracy on digits 5-9 (reference {ref:.4f}, bar reference - {MARGIN})")


def test_few_parameters_trainable(tuned):
    """fewer than 10% of the model's parameters require grad after add_lora(r=4)"""
    share = tuned["trainable"] / max(tuned["total"], 1)
    require(tuned["trainable"] > 0, "no parameter requires grad after add_lora")
    assert_at_most(share, MAX_TRAINABLE - 1e-12,
                   what=f"share of trainable parameters ({tuned['trainable']} of {tuned['total']})")


def test_pretrained_weights_unchanged_by_finetuning(tuned):
    """fine-tuning leaves every pretrained weight and bias as it was"""
    assert_at_most(tuned["base_moved"], 0.0, what="largest change of a pretrained weight during fine-tuning")


def test_defaults_are_rank_8_and_alpha_16(user):
    """LoRALinear(base) and add_lora(model, names) default to r = 8, alpha = 16 (scaling 2)"""
    base = linear(5, 3, seed=11)
    layer = user.LoRALinear(base)
    model = user.add_lora(nn.Sequential(linear(5, 3, seed=12)), ["0"])
    for what, lora in (("LoRALinear(base)", layer), ("add_lora(model, ['0'])", model[0])):
        require(tuple(lora.A.shape) == (8, 5), f"{what}: A has shape {tuple(lora.A.shape)}, expected (8, 5)")
        require(tuple(lora.B.shape) == (3, 8), f"{what}: B has shape {tuple(lora.B.shape)}, expected (3, 8)")
        with torch.no_grad():
            torch.manual_seed(13)
            lora.B.copy_(torch.randn(3, 8, dtype=DOUBLE))
        lora.eval()
        x = torch.randn(4, 5, dtype=DOUBLE)
        with torch.no_grad():
            expected = lora.base(x) + 2.0 * (x @ lora.A.T @ lora.B.T)
            got = lora(x)
        assert_close(got, expected, rtol=RTOL, atol=ATOL, what=f"{what} output with the default scaling 16 / 8")
