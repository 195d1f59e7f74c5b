"""Reference solution: a text CNN (Kim, 2014) for sentence classification."""

from __future__ import annotations

from collections import Counter

import numpy as np
import torch
from torch import nn


def tokenize(text: str) -> list[str]:
    return text.lower().split()  # whitespace tokens, lower-cased


def build_vocab(texts, min_freq=1):
    counts = Counter(tok for text in texts for tok in tokenize(text))
    kept = [tok for tok, c in counts.items() if c >= min_freq]
    kept.sort(key=lambda t: (-counts[t], t))
    vocab = {"<pad>": 0, "<unk>": 1}
    for tok in kept:  # descending frequency, ties alphabetical
        vocab[tok] = len(vocab)
    return vocab


def encode(texts, vocab, max_len):
    out = torch.zeros(len(texts), max_len, dtype=torch.long)  # 0 = <pad>, on the right
    for i, text in enumerate(texts):
        ids = [vocab.get(tok, 1) for tok in tokenize(text)[:max_len]]  # 1 = <unk>
        out[i, : len(ids)] = torch.tensor(ids, dtype=torch.long)
    return out


class TextCNN(nn.Module):
    def __init__(self, vocab_size, embed_dim=32, num_classes=2, kernel_sizes=(2, 3, 4),
                 num_filters=32):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(embed_dim, num_filters, k) for k in kernel_sizes)
        self.fc = nn.Linear(num_filters * len(kernel_sizes), num_classes)

    def forward(self, ids):  # (N, L) token ids -> (N, num_classes) logits
        e = self.embed(ids).transpose(1, 2)  # (N, E, L): Conv1d wants channels first
        # per kernel size k: (N, F, L - k + 1) -> max over positions -> (N, F)
        feats = [torch.relu(conv(e)).amax(dim=2) for conv in self.convs]
        return self.fc(torch.cat(feats, dim=1))  # (N, F * len(kernel_sizes))


def _max_len(model, texts):
    # at least the widest kernel, so every convolution has one position
    widest = max(conv.kernel_size[0] for conv in model.convs)
    return max(widest, max((len(tokenize(t)) for t in texts), default=0))


def train_text_cnn(texts, labels, epochs=20, seed=0):
    torch.manual_seed(seed)
    vocab = build_vocab(texts)
    model = TextCNN(len(vocab))
    X = encode(texts, vocab, _max_len(model, texts))
    y = torch.as_tensor(np.asarray(labels), dtype=torch.long)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(X), generator=gen).split(32):
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model, vocab


@torch.no_grad()
def predict_texts(model, vocab, texts):
    model.eval()
    return model(encode(texts, vocab, _max_len(model, texts))).argmax(dim=1).numpy()
