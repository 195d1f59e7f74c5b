"""Byte-pair encoding on UTF-8 bytes: train merges, encode text, decode ids.

Standard library only. Run `nnquiz grade bpe` to check your work; `nnquiz hint bpe` gives the next hint.
"""

from __future__ import annotations


def train_bpe(text: str, vocab_size: int) -> list[tuple[int, int]]:
    """The merges learned on the UTF-8 bytes of `text`, in order; merge k creates id 256 + k.

    Each step merges the most frequent adjacent pair (counted without overlap: "aaa" holds
    one "aa"); a tie goes to the pair that occurs first in the current sequence. Stops at
    vocab_size - 256 merges or when fewer than two tokens are left.
    Raises ValueError when vocab_size < 256.
    """
    raise NotImplementedError("write train_bpe")


def encode(text: str, merges: list[tuple[int, int]]) -> list[int]:
    """Token ids of `text`: its UTF-8 bytes with the merges applied by rank (lowest index first)."""
    raise NotImplementedError("write encode")


def decode(ids: list[int], merges: list[tuple[int, int]]) -> str:
    """The text behind `ids` (invalid UTF-8 becomes U+FFFD, as errors="replace").

    Raises ValueError for an id outside 0 .. 255 + len(merges).
    """
    raise NotImplementedError("write decode")
