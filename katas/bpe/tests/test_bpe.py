"""Hidden suite for the bpe kata: byte-level BPE training, encoding and decoding."""

from __future__ import annotations

import copy
import random

import pytest

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_equal,
    assert_raises_value_error,
    require,
)

ENGLISH = (
    "A tokenizer turns text into numbers. Byte pair encoding starts from the 256 byte values "
    "and merges the most frequent neighbouring pair again and again, so that frequent words "
    "such as the, and, ing and tion end up as single tokens, while rare words fall back to "
    "smaller pieces and, at worst, to bytes. Nothing is ever unknown: every string is bytes."
)
CHINESE = (
    "分词器把文本变成数字。字节对编码从二百五十六个字节开始，反复合并出现次数最多的相邻字节对，"
    "于是常见的字和词变成一个词元，少见的字退回到更小的片段，最坏的情况下退回到字节。"
    "中文的一个汉字在 UTF-8 里占三个字节，所以最先合并的往往是同一个汉字内部的字节。"
)
REPEATS = "aaaaaaa bbb aaaa cccccccccc aa b a aaa zzzzzzzzzzzzzzzzz ab ab aab aaab"
MIXED = "Hello, 世界! naïve café — ok 👍👍👍 ∑x² ≥ 0; hello hello 世界世界"

CORPORA = {
    "english paragraph": (ENGLISH, 330),
    "chinese paragraph": (CHINESE, 330),
    "repeated characters": (REPEATS, 275),
    "mixed unicode and emoji": (MIXED, 300),
}

# a word list and a character list for the seeded 50 KB corpus (Zipf-like frequencies)
WORDS = (
    "the of and to in is was that for on as with by he at from his it an were are which this be "
    "or has had not first one their its new after but who they have her she two been other when "
    "there all during into school time may years more most only over city some world would where "
    "later up such used many can state about national out known university united then made "
    "river mountain token merge pair byte model train"
).split()
HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使"
    "点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明"
    "看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
)


def seeded_corpus(seed: int, n_bytes: int) -> str:
    """English-like sentences, Chinese phrases and runs of repeated characters, about n_bytes of UTF-8."""
    rng = random.Random(seed)
    word_weights = [1 / (r + 1) for r in range(len(WORDS))]
    char_weights = [1 / (r + 1) ** 0.8 for r in range(len(HANZI))]
    parts, size = [], 0
    while size < n_bytes:
        if rng.random() < 0.3:
            s = "".join(rng.choices(HANZI, weights=char_weights, k=rng.randint(4, 20))) + rng.choice("，。；：")
        else:
            s = " ".join(rng.choices(WORDS, weights=word_weights, k=rng.randint(3, 12)))
            s = s[0].upper() + s[1:] + rng.choice(".,;!?")
            if rng.random() < 0.05:
                s += " " + rng.choice("ahz-=") * rng.randint(2, 9)
        parts.append(s)
        size += len(s.encode("utf-8")) + 1
    return " ".join(parts).encode("utf-8")[:n_bytes].decode("utf-8", errors="ignore")


def random_unicode(rng: random.Random) -> str:
    """A string mixing ASCII, Latin-1, CJK, emoji, combining marks and rare planes (no surrogates)."""
    ranges = [(0x20, 0x7E), (0x00, 0x1F), (0xA0, 0x24F), (0x300, 0x36F), (0x4E00, 0x9FFF),
              (0x1F300, 0x1FAFF), (0xE000, 0xF8FF), (0x10000, 0x10FFFF)]
    out = []
    for _ in range(rng.randint(0, 40)):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def merges_of(value, what):
    """The user's merges as a list of (int, int) tuples, or a clear failure."""
    try:
        pairs = [tuple(p) for p in value]
    except TypeError:
        raise CheckFailure(f"{what}: expected a list of (int, int) pairs, got {type(value).__name__}") from None
    for p in pairs:
        if len(p) != 2 or not all(isinstance(i, int) and not isinstance(i, bool) for i in p):
            raise CheckFailure(f"{what}: every merge must be a pair of ints, got {p!r}")
    return [(int(a), int(b)) for a, b in pairs]


def ids_of(value, what):
    """The user's token ids as a list of ints, or a clear failure."""
    try:
        ids = list(value)
    except TypeError:
        raise CheckFailure(f"{what}: expected a list of ints, got {type(value).__name__}") from None
    for i in ids:
        if not isinstance(i, int) or isinstance(i, bool):
            raise CheckFailure(f"{what}: every token id must be an int, got {i!r} ({type(i).__name__})")
    return ids


def same_list(got, expected, what):
    """Compare two lists of ints (or of pairs) exactly, naming the first difference."""
    if got == expected:
        return
    for k, (g, e) in enumerate(zip(got, expected)):
        if g != e:
            raise CheckFailure(f"{what}: first difference at position {k}: expected {e!r}, got {g!r} "
                               f"(expected {len(expected)} items, got {len(got)})")
    raise CheckFailure(f"{what}: expected {len(expected)} items, got {len(got)}; "
                       f"the first {min(len(got), len(expected))} agree")


# ---------------------------------------------------------------- training on crafted text

CRAFTED = [
    ("aaa", 258, [(97, 97), (256, 97)]),
    ("aaaa", 258, [(97, 97), (256, 256)]),
    ("aaaaa", 260, [(97, 97), (256, 256), (257, 97)]),
    ("aaaabcbcbc", 258, [(98, 99), (97, 97)]),
    ("aaaaaab ab ab", 257, [(97, 97)]),
    ("aaaaab ab ab", 257, [(97, 98)]),
    ("mnab zy", 258, [(109, 110), (256, 97)]),
    ("zy ab ab zy", 257, [(122, 121)]),
    ("xyab ab xy", 259, [(120, 121), (97, 98), (257, 32)]),
    ("ab", 300, [(97, 98)]),
    ("a", 300, []),
    ("", 300, []),
    ("hello world", 256, []),
    ("你你", 258, [(228, 189), (256, 160)]),
]
CRAFTED_IDS = [
    "'aaa': one 'aa' at a time, left to right",
    "'aaaa' holds two 'aa', then one pair of them",
    "'aaaaa' holds two 'aa', then the leftover 'a'",
    "'aaaa' counts 2 (not 3), so 'bc' (3) wins",
    "run of 6 'a' counts 3 and beats 'ab' (3) by first occurrence",
    "run of 5 'a' counts 2 (not 4), so 'ab' (3) wins",
    "all pairs once: first occurrence wins (not the smallest or largest pair)",
    "two-way tie at count 2: first occurrence wins",
    "ties after a merge: first occurrence in the current sequence",
    "stops when one token is left",
    "one byte: no pair, no merge",
    "empty text: no merge",
    "vocab_size 256: no merge",
    "a Chinese character is three bytes",
]


@pytest.mark.parametrize("text, vocab_size, expected", CRAFTED, ids=CRAFTED_IDS)
def test_merges_on_crafted_text(user, text, vocab_size, expected):
    """merges count pairs without overlap, break ties by first occurrence, and stop when nothing is left"""
    got = merges_of(user.train_bpe(text, vocab_size), what=f"train_bpe({text!r}, {vocab_size})")
    same_list(got, expected, what=f"merges of train_bpe({text!r}, {vocab_size})")


@pytest.mark.parametrize("name", list(CORPORA), ids=list(CORPORA))
def test_merges_equal_the_reference(user, reference, ref_cache, name):
    """merges, in order, equal the reference's on fixed corpora"""
    text, vocab_size = CORPORA[name]
    expected = ref_cache.get(f"merges-{name}", lambda: [list(p) for p in reference.train_bpe(text, vocab_size)])
    got = merges_of(user.train_bpe(text, vocab_size), what=f"train_bpe on the {name}")
    same_list(got, [tuple(p) for p in expected], what=f"merges on the {name} (vocab_size {vocab_size})")


@pytest.fixture(scope="session")
def big_corpus():
    return seeded_corpus(0, 50_000)


@pytest.fixture(scope="session")
def big_merges(reference, ref_cache, big_corpus):
    return [tuple(p) for p in ref_cache.get("merges-50k", lambda: [list(p) for p in reference.train_bpe(big_corpus, 512)])]


def test_training_on_50_kb(user, big_corpus, big_merges):
    """training on a 50 KB corpus to vocab_size 512 gives the reference's 256 merges within the time limit"""
    got = merges_of(user.train_bpe(big_corpus, 512), what="train_bpe on the 50 KB corpus")
    same_list(got, big_merges, what="merges on the 50 KB corpus (vocab_size 512)")


def test_merges_use_only_earlier_ids(user):
    """merge k creates id 256 + k and may use ids made by earlier merges only"""
    merges = merges_of(user.train_bpe(ENGLISH, 300), what="train_bpe on the english paragraph")
    for k, (a, b) in enumerate(merges):
        require(0 <= a < 256 + k and 0 <= b < 256 + k,
                f"merge {k} is {(a, b)}: it may only use bytes and ids 256..{255 + k}")


# ---------------------------------------------------------------- encoding

ENCODE_CASES = [
    ("abc", [(98, 99), (97, 98), (257, 99)], [97, 256]),
    ("abcd", [(99, 100), (97, 98), (98, 99), (257, 99)], [257, 256]),
    ("aaa", [(97, 97)], [256, 97]),
    ("aaaaa", [(97, 97), (256, 256)], [257, 97]),
    ("abab", [(97, 98), (98, 97), (256, 256)], [258]),
    ("xabc", [(97, 98), (98, 99), (120, 97)], [120, 256, 99]),
    ("hello", [], [104, 101, 108, 108, 111]),
    ("", [(97, 98)], []),
    ("é", [(195, 169)], [256]),
    ("好好", [(229, 165), (256, 189), (257, 257)], [258]),
]
ENCODE_IDS = [
    "rank beats length: 'bc' (rank 0) before 'ab' and the longer 'abc'",
    "rank beats length: 'cd' then 'ab', never the longer 'abc'",
    "'aaa': left to right without overlap",
    "'aaaaa': pairs of pairs, one 'a' left",
    "merge 2 needs the result of merge 0 twice",
    "the lowest rank anywhere in the text goes first, not the leftmost pair",
    "no merges: the UTF-8 bytes",
    "empty text",
    "a two-byte character",
    "merges built on merges",
]


@pytest.mark.parametrize("text, merges, expected", ENCODE_CASES, ids=ENCODE_IDS)
def test_encode_applies_merges_by_rank(user, text, merges, expected):
    """encode applies the lowest-ranked merge present first, left to right, never the longest match"""
    given = [tuple(p) for p in merges]
    got = ids_of(user.encode(text, given), what=f"encode({text!r}, {merges})")
    same_list(got, expected, what=f"encode({text!r}, {merges})")
    require(given == [tuple(p) for p in merges], "encode must not modify the merges it is given")


@pytest.mark.parametrize("name", list(CORPORA), ids=list(CORPORA))
def test_encode_equals_the_reference(user, reference, ref_cache, name):
    """encoding a corpus and another text with the reference merges gives the reference's ids"""
    text, vocab_size = CORPORA[name]

    def compute():
        merges = reference.train_bpe(text, vocab_size)
        return {"merges": [list(p) for p in merges],
                "ids": reference.encode(text, merges),
                "other": reference.encode(MIXED + ENGLISH[::-1] + CHINESE[:40], merges)}

    exp = ref_cache.get(f"encode-{name}", compute)
    merges = [tuple(p) for p in exp["merges"]]
    got = ids_of(user.encode(text, list(merges)), what=f"encode of the {name}")
    same_list(got, exp["ids"], what=f"encode of the {name} with its own merges")
    other = ids_of(user.encode(MIXED + ENGLISH[::-1] + CHINESE[:40], list(merges)), what="encode of another text")
    same_list(other, exp["other"], what=f"encode of another text with the {name}'s merges")


# ---------------------------------------------------------------- decoding

def test_decode_maps_ids_back_to_text(user):
    """decode expands every id to its bytes and reads them as UTF-8"""
    merges = [(104, 101), (256, 108), (257, 108), (258, 111)]       # he, hel, hell, hello
    assert_equal(user.decode([258, 32, 256, 33], list(merges)), "hell he!", what="decode([258, 32, 256, 33])")
    assert_equal(user.decode([259, 259], list(merges)), "hellohello", what="decode([259, 259])")
    assert_equal(user.decode([], list(merges)), "", what="decode([])")
    assert_equal(user.decode([228, 189, 160], []), "你", what="decode of the three bytes of 你")


@pytest.mark.parametrize("ids, merges", [
    ([0xFF], []),
    ([0xE4, 0xBD], []),
    ([97, 0x80, 98], []),
    ([256, 97], [(0xE4, 0xBD)]),
], ids=["a lone 0xFF byte", "a truncated 3-byte character", "a stray continuation byte",
        "a merge holding half a character"])
def test_decode_replaces_invalid_utf8(user, ids, merges):
    """bytes that are not valid UTF-8 decode as Python's bytes.decode('utf-8', errors='replace')"""
    vocab = [bytes([b]) for b in range(256)]
    for a, b in merges:
        vocab.append(vocab[a] + vocab[b])
    expected = b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")
    assert_equal(user.decode(list(ids), list(merges)), expected, what=f"decode({ids}, {merges})")


def test_round_trip_on_random_unicode(user, reference, ref_cache):
    """decode(encode(s)) == s for 300 random Unicode strings, with merges from mixed text"""
    merges = [tuple(p) for p in ref_cache.get(
        "merges-roundtrip", lambda: [list(p) for p in reference.train_bpe(MIXED + ENGLISH + CHINESE, 400)])]
    rng = random.Random(1234)
    texts = [random_unicode(rng) for _ in range(300)] + [MIXED, CHINESE, "", "\x00", "a" * 51]
    for s in texts:
        ids = ids_of(user.encode(s, list(merges)), what=f"encode({s!r})")
        back = user.decode(ids, list(merges))
        require(back == s, f"decode(encode(s)) != s for s = {s!r}: got {back!r}")


def test_round_trip_with_your_own_merges(user):
    """decode(encode(s)) == s with merges your train_bpe learned, and ids stay below 256 + len(merges)"""
    merges = merges_of(user.train_bpe(MIXED + REPEATS, 320), what="train_bpe")
    rng = random.Random(99)
    for s in [MIXED, REPEATS, ENGLISH] + [random_unicode(rng) for _ in range(50)]:
        ids = ids_of(user.encode(s, list(merges)), what=f"encode({s!r})")
        require(all(0 <= i < 256 + len(merges) for i in ids),
                f"encode({s!r}) gave ids outside 0..{255 + len(merges)}: {ids}")
        back = user.decode(ids, list(merges))
        require(back == s, f"decode(encode(s)) != s for s = {s!r}: got {back!r}")


def test_encoding_the_training_text_reproduces_training(user, reference, ref_cache):
    """encoding the training text takes as many tokens as the text bytes minus the merges applied"""
    text = ENGLISH + " " + REPEATS
    merges = [tuple(p) for p in ref_cache.get("merges-train-text", lambda: [list(p) for p in reference.train_bpe(text, 320)])]
    ids = ids_of(user.encode(text, list(merges)), what="encode of the training text")
    expected = ref_cache.get("encode-train-text", lambda: reference.encode(text, [tuple(p) for p in merges]))
    same_list(ids, expected, what="encode of the training text with its own merges")


# ---------------------------------------------------------------- errors and inputs

@pytest.mark.parametrize("vocab_size", [255, 0, -1], ids=["255", "0", "-1"])
def test_vocab_size_below_256_is_rejected(user, vocab_size):
    """train_bpe raises ValueError when vocab_size < 256"""
    assert_raises_value_error(user.train_bpe, "some text", vocab_size, what=f"train_bpe(text, {vocab_size})")


@pytest.mark.parametrize("ids", [[258], [97, 300], [-1]], ids=["one past the last merge", "far past", "negative"])
def test_unknown_ids_are_rejected(user, ids):
    """decode raises ValueError for an id outside 0 .. 255 + len(merges)"""
    merges = [(97, 98), (256, 99)]
    assert_raises_value_error(user.decode, ids, merges, what=f"decode({ids}) with 2 merges")


def test_inputs_are_not_modified(user):
    """encode and decode leave the merges and ids they are given unchanged"""
    merges = [(97, 98), (256, 99), (257, 257)]
    kept = copy.deepcopy(merges)
    ids = ids_of(user.encode("abcabcab", merges), what="encode('abcabcab')")
    same_list(ids, [258, 256], what="encode('abcabcab')")
    ids_given = list(ids)
    assert_equal(user.decode(ids_given, merges), "abcabcab", what="decode")
    require(merges == kept, f"the merges list was modified: {merges}")
    require(ids_given == ids, f"the ids list was modified: {ids_given}")
