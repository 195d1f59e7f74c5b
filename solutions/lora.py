"""Reference solution: low-rank adaptation (LoRA) of nn.Linear layers."""

from __future__ import annotations

import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    """y = base(x) + (alpha / r) * dropout(x) A^T B^T, with the base layer frozen."""

    def __init__(self, base: nn.Linear, r: int = 8, alpha: float = 16, dropout: float = 0.0) -> None:
        super().__init__()
        if r < 1:
            raise ValueError(f"rank r must be >= 1, got {r}")
        self.base = base
        for p in base.parameters():
            p.requires_grad_(False)
        w = base.weight
        self.A = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))   # (r, in)
        self.B = nn.Parameter(torch.zeros(base.out_features, r, dtype=w.dtype, device=w.device))  # (out, r)
        nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))  # nn.Linear's init: U(-1/sqrt(in), 1/sqrt(in))
        self.r, self.alpha, self.scaling = r, alpha, alpha / r
        self.dropout = nn.Dropout(dropout)
        self.merged = False

    def delta_weight(self) -> torch.Tensor:
        return self.scaling * (self.B @ self.A)  # (out, in)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.base(x)
        if not self.merged:
            out = out + self.scaling * (self.dropout(x) @ self.A.T @ self.B.T)
        return out

    @torch.no_grad()
    def merge(self) -> None:
        if not self.merged:
            self.base.weight += self.delta_weight()
            self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        if self.merged:
            self.base.weight -= self.delta_weight()
            self.merged = False


def add_lora(model: nn.Module, target_names: list[str], r: int = 8, alpha: float = 16) -> nn.Module:
    """Wrap the named nn.Linear submodules in LoRALinear; freeze everything else."""
    modules = dict(model.named_modules())
    for name in target_names:
        if not isinstance(modules.get(name), nn.Linear):
            raise ValueError(f"{name!r} is not an nn.Linear submodule of the model")  # noqa: TRY004
    for p in model.parameters():
        p.requires_grad_(False)
    for name in target_names:
        parent_name, _, child = name.rpartition(".")
        setattr(modules[parent_name], child, LoRALinear(modules[name], r=r, alpha=alpha))
    return model
