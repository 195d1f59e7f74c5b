"""LoRA: low-rank adapters for nn.Linear, in PyTorch.

Run `nnquiz grade lora` to check your work; `nnquiz hint lora` gives the next hint.
"""

from __future__ import annotations

import math  # noqa: F401

import torch
from torch import nn


class LoRALinear(nn.Module):
    """y = base(x) + (alpha / r) * dropout(x) @ A.T @ B.T, with the base layer frozen.

    Attributes: base (the given nn.Linear, weight and bias frozen), A (r, in) and B (out, r),
    nn.Parameters in the base weight's dtype. A starts like nn.Linear's weight (Kaiming
    uniform, a=sqrt(5)); B starts at zero. Dropout acts on the low-rank path's input only.
    ValueError for r < 1.
    """

    def __init__(self, base: nn.Linear, r: int = 8, alpha: float = 16, dropout: float = 0.0) -> None:
        super().__init__()
        raise NotImplementedError("write LoRALinear.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (..., in) -> (..., out); the update is not added again once merged."""
        raise NotImplementedError("write LoRALinear.forward")

    def merge(self) -> None:
        """Fold (alpha / r) B A into base.weight in place; a no-op when already merged."""
        raise NotImplementedError("write LoRALinear.merge")

    def unmerge(self) -> None:
        """Take (alpha / r) B A out of base.weight again; a no-op when not merged."""
        raise NotImplementedError("write LoRALinear.unmerge")


def add_lora(model: nn.Module, target_names: list[str], r: int = 8, alpha: float = 16) -> nn.Module:
    """Replace the named nn.Linear submodules (names as in model.named_modules()) by LoRALinear
    wrappers, freeze every other parameter, and return the same model.

    ValueError, before any change, for a name that is missing or not an nn.Linear.
    """
    raise NotImplementedError("write add_lora")
