"""Hidden suite for the text-cnn kata."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import torch
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from torch import nn

from nnquiz.grading.katalib.checks import (
    CheckFailure,
    assert_at_least,
    assert_close,
    assert_equal,
    require,
    to_numpy,
)
from nnquiz.grading.katalib.text_corpus import review_split

FLOOR = 0.90  # held-out accuracy
MARGIN = 0.10  # above the bag-of-words logistic regression

# A model this small runs several times faster on one thread than on two (no parallel speed-up
# on tiny tensors, and OpenMP threads spin against each other on a busy 2-core machine).
torch.set_num_threads(1)


def tokens(text: str) -> list[str]:
    return text.lower().split()


def vocab_by_rule(texts, min_freq=1) -> dict[str, int]:
    """The contract, spelled out: <pad> 0, <unk> 1, then by descending count, ties alphabetical."""
    counts = Counter(t for text in texts for t in tokens(text))
    kept = sorted((t for t, c in counts.items() if c >= min_freq), key=lambda t: (-counts[t], t))
    return {"<pad>": 0, "<unk>": 1, **{t: i + 2 for i, t in enumerate(kept)}}


def encode_by_rule(texts, vocab, max_len) -> np.ndarray:
    out = np.zeros((len(texts), max_len), dtype=np.int64)
    for i, text in enumerate(texts):
        ids = [vocab.get(t, 1) for t in tokens(text)][:max_len]
        out[i, :len(ids)] = ids
    return out


def plain_vocab(value, what="vocab") -> dict[str, int]:
    """A plain {str: int} copy of the user's vocabulary."""
    require(isinstance(value, dict), f"{what}: expected a dict, got {type(value).__name__}")
    items = list(dict.items(value))
    require(all(isinstance(k, str) for k, _ in items), f"{what}: every key must be a str token")
    try:
        return {k: int(v) for k, v in items}
    except (TypeError, ValueError):
        raise CheckFailure(f"{what}: every value must be an integer id") from None


def assert_same_vocab(got: dict[str, int], expected: dict[str, int], what: str) -> None:
    """Same tokens with the same ids, reported as the token list in id order."""
    by_id = sorted(got.items(), key=lambda kv: kv[1])
    require([i for _, i in by_id] == list(range(len(got))),
          f"{what}: ids must be 0, 1, ..., {len(got) - 1} with no gaps or repeats")
    expected_tokens = [t for t, _ in sorted(expected.items(), key=lambda kv: kv[1])]
    got_tokens = [t for t, _ in by_id]
    require(len(got_tokens) == len(expected_tokens),
          f"{what}: expected {len(expected_tokens)} entries, got {len(got_tokens)}")
    for i, (g, e) in enumerate(zip(got_tokens, expected_tokens)):
        require(g == e, f"{what}: expected {e!r} at id {i}, got {g!r} (tokens in id order: "
                      f"expected {expected_tokens[:12]}, got {got_tokens[:12]})")


def encoded(value, n, max_len, what) -> np.ndarray:
    require(isinstance(value, torch.Tensor), f"{what}: expected a torch.LongTensor, got {type(value).__name__}")
    require(value.dtype == torch.long, f"{what}: expected dtype torch.int64 (long), got {value.dtype}")
    got = to_numpy(value, None, what)
    require(got.shape == (n, max_len), f"{what}: expected shape ({n}, {max_len}), got {got.shape}")
    return got


def labels(value, n, what) -> np.ndarray:
    got = to_numpy(value, None, what)
    require(got.shape == (n,), f"{what}: expected shape ({n},), got {got.shape}")
    require(got.dtype.kind in "iu", f"{what}: expected integer labels, got dtype {got.dtype}")
    return got


def bow_accuracy() -> float:
    """Bag-of-words counts (the same tokens) + LogisticRegression, held-out accuracy."""
    train, test, y_train, y_test = review_split()
    vec = CountVectorizer(lowercase=True, token_pattern=r"\S+")
    clf = LogisticRegression(max_iter=1000, random_state=0).fit(vec.fit_transform(train), y_train)
    return float(clf.score(vec.transform(test), y_test))


@pytest.fixture(scope="session")
def reviews_model(user):
    """The user's text CNN trained once on the review corpus's training part with the defaults."""
    train, test, y_train, y_test = review_split()
    result = user.train_text_cnn(list(train), y_train.copy())
    require(isinstance(result, tuple) and len(result) == 2,
          f"train_text_cnn must return (model, vocab), got {type(result).__name__}")
    model, vocab = result
    require(isinstance(model, nn.Module), f"train_text_cnn's model must be a torch.nn.Module, got {type(model).__name__}")
    return model, vocab, test, y_test


VOCAB_CASES = {
    "mixed case and whitespace": (["The cat sat", "the  dog\tsat down", "A cat, a DOG"], 1),
    "ties in alphabetical order": (["zebra yak xray", "yak walrus zebra", "walrus"], 1),
    "min_freq=2 drops rare words": (["b a c a", "d b a e", "c f"], 2),
    "min_freq=3": (["x y z x y x", "w"], 3),
}


@pytest.mark.parametrize("case", list(VOCAB_CASES))
def test_build_vocab_exact(user, case):
    """build_vocab: <pad> 0, <unk> 1, then lower-cased tokens by descending count, ties alphabetical"""
    texts, min_freq = VOCAB_CASES[case]
    got = plain_vocab(user.build_vocab(list(texts), min_freq=min_freq))
    assert_same_vocab(got, vocab_by_rule(texts, min_freq), what=f"vocab ({case})")


def test_build_vocab_on_the_corpus(user):
    """build_vocab on the review corpus's training texts is exact"""
    train = review_split()[0]
    got = plain_vocab(user.build_vocab(list(train)))
    assert_same_vocab(got, vocab_by_rule(train), what="vocab of the training reviews")


ENCODE_TEXTS = ["The cat SAT", "a dog", "", "cat cat cat cat cat cat cat", "Zebra\tcat  the\nend"]
ENCODE_VOCAB = {"<pad>": 0, "<unk>": 1, "cat": 2, "the": 3, "sat": 4, "a": 5, "dog": 6}


@pytest.mark.parametrize("max_len", [4, 6, 9], ids=["max_len=4 (truncates)", "max_len=6", "max_len=9 (pads)"])
def test_encode_exact(user, max_len):
    """encode: same tokens as build_vocab, unknown -> 1, first max_len tokens, right-padded with 0"""
    got = encoded(user.encode(list(ENCODE_TEXTS), dict(ENCODE_VOCAB), max_len), len(ENCODE_TEXTS), max_len,
                  f"encode(max_len={max_len})")
    assert_equal(got, encode_by_rule(ENCODE_TEXTS, ENCODE_VOCAB, max_len), what=f"token ids (max_len={max_len})")


def test_encode_agrees_with_build_vocab(user):
    """encode with build_vocab's vocabulary maps every training token to its id (none unknown)"""
    train = list(review_split()[0][:300])
    vocab = user.build_vocab(train)
    max_len = max(len(tokens(t)) for t in train)
    got = encoded(user.encode(train, vocab, max_len), len(train), max_len, "encode")
    assert_equal(got, encode_by_rule(train, plain_vocab(vocab), max_len), what="token ids of the training reviews")


def test_text_cnn_layers(user):
    """TextCNN: Embedding (padding_idx 0), one Conv1d per kernel size, a Linear to num_classes"""
    torch.manual_seed(0)
    model = user.TextCNN(50, embed_dim=16, num_classes=3, kernel_sizes=(2, 5), num_filters=7)
    require(isinstance(model, nn.Module), f"TextCNN must be a torch.nn.Module, got {type(model).__name__}")
    embeds = [m for m in model.modules() if isinstance(m, nn.Embedding)]
    require(len(embeds) == 1, f"expected one nn.Embedding, found {len(embeds)}")
    e = embeds[0]
    require((e.num_embeddings, e.embedding_dim, e.padding_idx) == (50, 16, 0),
          f"nn.Embedding: expected (50, 16) with padding_idx=0, got ({e.num_embeddings}, {e.embedding_dim}) "
          f"with padding_idx={e.padding_idx}")
    convs = [m for m in model.modules() if isinstance(m, nn.Conv1d)]
    found = sorted((c.kernel_size[0], c.in_channels, c.out_channels) for c in convs)
    require(found == [(2, 16, 7), (5, 16, 7)],
          f"nn.Conv1d layers as (kernel size, in, out): expected [(2, 16, 7), (5, 16, 7)], got {found}")
    outs = [m.out_features for m in model.modules() if isinstance(m, nn.Linear)]
    require(3 in outs, f"expected an nn.Linear with out_features = num_classes = 3, found out_features {outs}")


@pytest.mark.parametrize("length", [5, 40], ids=["length 5", "length 40"])
def test_text_cnn_output_shape(user, length):
    """TextCNN maps (N, L) token ids to (N, num_classes) logits, for any L >= the widest kernel"""
    torch.manual_seed(0)
    model = user.TextCNN(50, embed_dim=16, num_classes=3, kernel_sizes=(2, 5), num_filters=7).eval()
    ids = torch.randint(0, 50, (4, length), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        out = to_numpy(model(ids), np.float64, "logits")
    require(out.shape == (4, 3), f"logits: expected shape (4, 3), got {out.shape}")
    require(bool(np.isfinite(out).all()), "logits: expected finite values")


def test_held_out_accuracy(reviews_model, ref_cache, user):
    """held-out accuracy is at least 0.90 and 0.10 above a bag-of-words logistic regression"""
    model, vocab, test, y_test = reviews_model
    got = labels(user.predict_texts(model, vocab, list(test)), len(test), "predict_texts")
    accuracy = float((got == y_test).mean())
    bow = ref_cache.get("bow_accuracy", bow_accuracy)
    assert_at_least(accuracy, FLOOR, what="held-out accuracy (floor)")
    assert_at_least(accuracy, bow + MARGIN, what=f"held-out accuracy (bag of words {bow:.4f} + {MARGIN})")


@pytest.mark.trains
def test_predict_short_texts(reviews_model, user):
    """predict_texts pads as it needs: one-word and empty texts get a label too"""
    model, vocab, _, _ = reviews_model
    texts = ["good", "", "The food was not bad and the staff was friendly"]
    got = labels(user.predict_texts(model, vocab, texts), len(texts), "predict_texts")
    require(bool(np.isin(got, [0, 1]).all()), f"predict_texts: expected labels 0 or 1, got {got.tolist()}")


@pytest.mark.trains
def test_determinism(user):
    """the same seed gives the same vocabulary and the same model"""
    train, test, y_train, _ = review_split()
    runs = [user.train_text_cnn(list(train[:256]), y_train[:256].copy(), epochs=1, seed=0) for _ in range(2)]
    assert_same_vocab(plain_vocab(runs[1][1]), plain_vocab(runs[0][1]), what="vocab of the second run")
    logits = []
    for model, vocab in runs:
        model.eval()
        with torch.no_grad():
            ids = torch.as_tensor(encode_by_rule(test[:100], plain_vocab(vocab), 32))
            logits.append(to_numpy(model(ids), np.float64, "logits"))
    assert_close(logits[1], logits[0], atol=1e-6, what="logits of two trainings with seed=0")


def test_text_cnn_forward_is_relu_then_max_over_positions(user):
    """TextCNN.forward: each Conv1d, then ReLU, then the max over positions, then the Linear"""
    torch.manual_seed(0)
    model = user.TextCNN(30, embed_dim=6, num_classes=3, kernel_sizes=(2, 4), num_filters=5).eval()
    embed = [m for m in model.modules() if isinstance(m, nn.Embedding)][0]
    convs = [m for m in model.modules() if isinstance(m, nn.Conv1d)]
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    require(len(linears) == 1 and linears[0].in_features == 10,
          f"expected one nn.Linear from the 2 x 5 pooled features to the classes, found "
          f"{[(m.in_features, m.out_features) for m in linears]}")
    g = torch.Generator().manual_seed(3)
    with torch.no_grad():
        embed.weight.copy_(torch.randn(embed.weight.shape, generator=g))
        embed.weight[0] = 0.0
        for conv in convs:
            conv.weight.copy_(torch.randn(conv.weight.shape, generator=g) * 0.5)
            conv.bias.fill_(-1.0)  # some filters stay negative everywhere: the ReLU matters
        # every class weighs every pooled feature alike, so the order of concatenation is free
        linears[0].weight.copy_(torch.arange(1.0, 4.0)[:, None].expand(3, 10) * 0.1)
        linears[0].bias.zero_()
    ids = torch.randint(2, 30, (6, 9), generator=g)
    ids[3, 5:] = 0  # a right-padded row
    with torch.no_grad():
        got = to_numpy(model(ids), np.float64, "logits")
        e = embed.weight[ids].transpose(1, 2)  # (N, E, L)
        total = sum(torch.relu(nn.functional.conv1d(e, c.weight, c.bias, padding=c.padding)).amax(dim=2).sum(dim=1)
                    for c in convs)  # (N,): the sum of the pooled features
        expected = to_numpy(total[:, None] * torch.arange(1.0, 4.0)[None, :] * 0.1, np.float64, "expected")
    assert_close(got, expected, rtol=1e-5, atol=1e-5,
                 what="logits with the suite's weights (relu(conv) max-pooled over positions, then the Linear)")


def test_predict_texts_uses_eval_mode_and_no_grad(user):
    """predict_texts runs the model in eval mode and without autograd"""
    texts = ["the room was not dirty", "the food was never good at all"]
    vocab = user.build_vocab(texts)
    torch.manual_seed(0)
    model = user.TextCNN(len(plain_vocab(vocab)))
    model.train()
    seen = []
    model.register_forward_pre_hook(
        lambda mod, inp: seen.append((any(m.training for m in mod.modules()), torch.is_grad_enabled())))
    got = labels(user.predict_texts(model, vocab, texts), len(texts), "predict_texts")
    require(bool(seen), "predict_texts did not call the model")
    require(not any(training for training, _ in seen),
          "the model was in training mode during predict_texts: call model.eval() first")
    require(not any(grad for _, grad in seen),
          "autograd was on during predict_texts: wrap the forward pass in torch.no_grad()")
    require(bool(np.isin(got, [0, 1]).all()), f"predict_texts: expected labels 0 or 1, got {got.tolist()}")
