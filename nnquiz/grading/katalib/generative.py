"""Seeded data and metrics for the generative katas (the gan kata's ring and mode coverage).

NumPy only at import; torch is imported inside the functions that need it.
The ring of 8 Gaussians (radius 2, std 0.05) is the toy set of the GAN mode-collapse
literature (Metz et al. 2017, "Unrolled GANs"); the suite picks its rotation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

RING_MODES = 8
RING_RADIUS = 2.0
RING_STD = 0.05


def ring_centres(
    rotation: float = 0.0, modes: int = RING_MODES, radius: float = RING_RADIUS
) -> np.ndarray:
    """(modes, 2) mode centres on a circle, the first at angle `rotation` (radians)."""
    angles = rotation + 2 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def ring_sampler(
    rotation: float, modes: int = RING_MODES, radius: float = RING_RADIUS, std: float = RING_STD
) -> Callable[..., Any]:
    """`sample_real(n, gen=None) -> (n, 2)` float32 tensor from the rotated ring.

    A mode is picked uniformly for each point, then N(centre, std^2 I); all draws come
    from the torch.Generator `gen` (the global generator when None).
    """
    import torch

    centres = torch.as_tensor(ring_centres(rotation, modes, radius), dtype=torch.float32)

    def sample_real(n: int, gen: Any = None) -> Any:
        n = int(n)
        idx = torch.randint(modes, (n,), generator=gen)  # (n,)
        return centres[idx] + std * torch.randn(n, 2, generator=gen)  # (n, 2)

    return sample_real


def mode_coverage(
    points: np.ndarray,
    centres: np.ndarray,
    std: float = RING_STD,
    within: float = 3.0,
    min_points: int = 20,
) -> dict[str, Any]:
    """How well `points` (N, 2) cover the modes at `centres` (K, 2).

    A point is high quality when it lies within `within * std` of its nearest centre
    (NaN and inf points never are); a mode is covered when it holds at least
    `min_points` high-quality points. Returns quality (fraction of high-quality points),
    counts (high-quality points per mode) and covered (number of covered modes).
    """
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    centres = np.asarray(centres, dtype=np.float64)
    if len(points) == 0:
        return {"quality": 0.0, "counts": [0] * len(centres), "covered": 0}
    d = np.sqrt(((points[:, None, :] - centres[None, :, :]) ** 2).sum(-1))  # (N, K)
    d = np.where(np.isfinite(d), d, np.inf)
    nearest = d.argmin(axis=1)
    good = d.min(axis=1) <= within * std
    counts = np.bincount(nearest[good], minlength=len(centres))
    return {
        "quality": float(good.mean()),
        "counts": [int(c) for c in counts],
        "covered": int((counts >= min_points).sum()),
    }


def ring_figures(points: np.ndarray, rotation: float, min_points: int = 20) -> dict[str, Any]:
    """`mode_coverage` of `points` against the rotated ring (within 3 std), plus the first
    1000 points to draw (non-finite ones drawn at the origin), all JSON-friendly."""
    points = np.asarray(points, dtype=np.float64)
    cov = mode_coverage(points, ring_centres(rotation), RING_STD, within=3.0, min_points=min_points)
    shown = points[:1000]
    return {**cov, "shown": np.where(np.isfinite(shown), shown, 0.0).round(4).tolist()}


def scatter_artifact(figures: dict[str, Any], rotation: float) -> dict[str, Any]:
    """What a kata with `picture: scatter` saves for the CLI: its points against the modes."""
    return {
        "points": figures["shown"],
        "modes": ring_centres(rotation).round(4).tolist(),
        "covered": figures["covered"],
        "quality": round(figures["quality"], 4),
        "std": RING_STD,
    }
