"""Reference solution: greedy, sampling (temperature, top-k, top-p) and beam search decoding."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

NextLogits = Callable[[list[int]], np.ndarray]


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max()
    return z - np.log(np.exp(z).sum())


def greedy(next_logits: NextLogits, prompt: list[int], max_new: int,
           eos_id: int | None = None) -> list[int]:
    out: list[int] = []
    for _ in range(max_new):
        token = int(np.argmax(next_logits(list(prompt) + out)))   # ties: lowest index
        out.append(token)
        if token == eos_id:
            break
    return out


def filtered_probs(logits: np.ndarray, temperature: float, top_k: int | None,
                   top_p: float | None) -> np.ndarray:
    """softmax(logits / T) restricted to the top-k, then to the top-p nucleus, renormalised."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    if top_k is not None:
        kth = np.sort(z)[::-1][min(top_k, len(z)) - 1]
        z = np.where(z >= kth, z, -np.inf)                 # ties with the k-th logit stay
    p = np.exp(z - z.max())
    p /= p.sum()
    if top_p is not None:
        desc = np.sort(p)[::-1]
        crossing = desc[np.searchsorted(np.cumsum(desc), top_p)]   # first total >= top_p
        p = np.where(p >= crossing, p, 0.0)                # the crossing token (and its ties) stay
        p /= p.sum()
    return p


def sample(next_logits: NextLogits, prompt: list[int], max_new: int, rng: np.random.Generator,
           temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
           eos_id: int | None = None) -> list[int]:
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")
    if temperature == 0:
        return greedy(next_logits, prompt, max_new, eos_id)
    out: list[int] = []
    for _ in range(max_new):
        p = filtered_probs(next_logits(list(prompt) + out), temperature, top_k, top_p)
        token = int(rng.choice(len(p), p=p))
        out.append(token)
        if token == eos_id:
            break
    return out


def beam_search(next_logits: NextLogits, prompt: list[int], max_new: int, beam_width: int,
                eos_id: int, length_penalty: float = 1.0) -> list[int]:
    if beam_width < 1:
        raise ValueError(f"beam_width must be at least 1, got {beam_width}")

    def score(beam: tuple[list[int], float]) -> float:
        tokens, logp = beam
        return logp / len(tokens) ** length_penalty if tokens else 0.0   # sum log p / length^lp

    live: list[tuple[list[int], float]] = [([], 0.0)]
    finished: list[tuple[list[int], float]] = []
    for _ in range(max_new):
        candidates = [(tokens + [v], logp + float(lp))
                      for tokens, logp in live
                      for v, lp in enumerate(log_softmax(np.asarray(next_logits(list(prompt) + tokens), float)))]
        candidates.sort(key=lambda c: -c[1])               # stable: earlier beam, lower id first
        best = candidates[:beam_width]
        finished += [c for c in best if c[0][-1] == eos_id]   # set aside, never extended
        live = [c for c in best if c[0][-1] != eos_id]
        if not live:
            break
    return max(finished + live, key=score)[0]
