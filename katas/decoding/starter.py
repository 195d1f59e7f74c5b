"""Decoding strategies for a language model given as `next_logits(prefix) -> logits`.

NumPy only. Run `nnquiz grade decoding` to check your work; `nnquiz hint decoding` gives the next hint.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

NextLogits = Callable[[list[int]], np.ndarray]


def greedy(next_logits: NextLogits, prompt: list[int], max_new: int,
           eos_id: int | None = None) -> list[int]:
    """The new tokens (not the prompt): argmax at each step (ties: lowest id), stopping after eos_id."""
    raise NotImplementedError("write greedy")


def sample(next_logits: NextLogits, prompt: list[int], max_new: int, rng: np.random.Generator,
           temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
           eos_id: int | None = None) -> list[int]:
    """The new tokens, each drawn with `rng` from softmax(logits / temperature) filtered by top-k,
    then by top-p on the renormalised probabilities (ties at either boundary kept, the token that
    crosses p kept). temperature 0 is greedy. ValueError: temperature < 0, top_k < 1, top_p not in (0, 1].
    """
    raise NotImplementedError("write sample")


def beam_search(next_logits: NextLogits, prompt: list[int], max_new: int, beam_width: int,
                eos_id: int, length_penalty: float = 1.0) -> list[int]:
    """The new tokens of the best beam, score = sum of log-probabilities / len(new tokens) ** length_penalty.

    Each step keeps the beam_width best extensions by summed log-probability; those ending in eos_id
    are set aside as finished. ValueError: beam_width < 1.
    """
    raise NotImplementedError("write beam_search")
