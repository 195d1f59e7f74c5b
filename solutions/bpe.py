"""Reference solution: byte-level byte-pair encoding (BPE) without pre-splitting."""

from __future__ import annotations

from collections import Counter


def pair_counts(ids: list[int]) -> Counter[tuple[int, int]]:
    # adjacent pairs, keys in order of first occurrence
    counts = Counter(zip(ids, ids[1:]))
    # no overlap: a run of L equal ids holds L // 2 pairs, not L - 1, so recount (x, x) where x repeats 3+ times
    for x in {x for x, y, z in zip(ids, ids[1:], ids[2:]) if x == y == z}:
        counts[(x, x)] = len(ids) - len(merge(ids, (x, x), -1))   # one id fewer per merged pair
    return counts


def merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    # replace every occurrence of `pair`, scanning left to right without overlap
    first, second = pair
    out: list[int] = []
    i = 0
    while True:
        try:
            j = ids.index(first, i)          # next place the pair can start
        except ValueError:
            break
        if j + 1 < len(ids) and ids[j + 1] == second:
            out += ids[i:j]
            out.append(new_id)
            i = j + 2
        else:
            out += ids[i:j + 1]
            i = j + 1
    return out + ids[i:]


def train_bpe(text: str, vocab_size: int) -> list[tuple[int, int]]:
    if vocab_size < 256:
        raise ValueError(f"vocab_size must be at least 256 (the byte alphabet), got {vocab_size}")
    ids = list(text.encode("utf-8"))
    merges: list[tuple[int, int]] = []
    for new_id in range(256, vocab_size):
        counts = pair_counts(ids)
        if not counts:
            break
        best = max(counts, key=counts.__getitem__)   # the first maximum = earliest first occurrence
        ids = merge(ids, best, new_id)
        merges.append(best)
    return merges


def encode(text: str, merges: list[tuple[int, int]]) -> list[int]:
    rank = {pair: k for k, pair in enumerate(merges)}     # merge k creates id 256 + k
    ids = list(text.encode("utf-8"))
    while len(ids) > 1:
        pair = min(zip(ids, ids[1:]), key=lambda p: rank.get(p, len(merges)))
        if pair not in rank:
            break
        ids = merge(ids, pair, 256 + rank[pair])
    return ids


def decode(ids: list[int], merges: list[tuple[int, int]]) -> str:
    vocab = [bytes([b]) for b in range(256)]
    for a, b in merges:
        vocab.append(vocab[a] + vocab[b])
    for i in ids:
        if not 0 <= i < len(vocab):
            raise ValueError(f"unknown token id {i}: ids run from 0 to {len(vocab) - 1}")
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")
