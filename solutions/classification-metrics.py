"""Reference solution: classification metrics with scikit-learn's definitions, in NumPy."""

from __future__ import annotations

import numpy as np

AVERAGES = ("binary", "macro", "micro", "weighted")


def confusion_matrix(y_true, y_pred, labels=None) -> np.ndarray:
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred differ in length: {y_true.shape} vs {y_pred.shape}")
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    index = {label: i for i, label in enumerate(labels.tolist())}
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)      # rows: true, columns: predicted
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        if t in index and p in index:                               # pairs outside `labels` are ignored
            cm[index[t], index[p]] += 1
    return cm


def _ratio(num: np.ndarray, den: np.ndarray, zero_division: float) -> np.ndarray:
    # num / den, and zero_division where den == 0
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.where(den > 0, num / np.where(den > 0, den, 1), zero_division)


def precision_recall_f1(y_true, y_pred, average="binary", zero_division=0.0) -> tuple[float, float, float]:
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}, got {average!r}")
    labels = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    cm = confusion_matrix(y_true, y_pred, labels)
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp                                        # predicted as k, truly not k
    fn = cm.sum(axis=1) - tp                                        # truly k, predicted as something else
    if average == "binary":
        if len(labels) > 2 or (len(labels) == 2 and 1 not in labels.tolist()):
            raise ValueError(f"average='binary' needs labels 0/1 with positive label 1, got {labels.tolist()}")
        keep = labels == 1
        tp, fp, fn = tp[keep].sum(), fp[keep].sum(), fn[keep].sum()
    elif average == "micro":
        tp, fp, fn = tp.sum(), fp.sum(), fn.sum()
    precision = _ratio(tp, tp + fp, zero_division)
    recall = _ratio(tp, tp + fn, zero_division)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn, zero_division)            # = 2PR / (P + R) when defined
    if average in ("macro", "weighted"):
        weights = None if average == "macro" else tp + fn           # support = true count per class
        precision, recall, f1 = (np.average(v, weights=weights) for v in (precision, recall, f1))
    return float(precision), float(recall), float(f1)


def _binary_scores(y_true, scores) -> tuple[np.ndarray, np.ndarray]:
    y, s = np.asarray(y_true), np.asarray(scores, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError(f"y_true and scores must be 1-D of the same length, got {y.shape} and {s.shape}")
    if not np.isin(y, [0, 1]).all():
        raise ValueError("y_true must hold 0/1 labels (1 = positive)")
    return y.astype(bool), s


def roc_auc(y_true, scores) -> float:
    pos, s = _binary_scores(y_true, scores)
    n_pos, n_neg = pos.sum(), (~pos).sum()
    if n_pos == 0 or n_neg == 0:
        raise ValueError("roc_auc needs both classes in y_true")
    # Mann-Whitney: AUC = P(s+ > s-) + 0.5 P(s+ = s-), via average ranks of tied scores
    values, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    below = np.cumsum(counts) - counts                              # scores strictly lower than each value
    ranks = (below + (counts + 1) / 2)[inverse]                     # 1-based average ranks
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(y_true, scores) -> float:
    pos, s = _binary_scores(y_true, scores)
    if pos.sum() == 0:
        raise ValueError("average_precision needs at least one positive in y_true")
    order = np.argsort(-s, kind="stable")
    pos, s = pos[order], s[order]
    last = np.r_[s[1:] != s[:-1], True]                             # end of each group of tied scores
    tp = np.cumsum(pos)[last]
    fp = np.cumsum(~pos)[last]
    precision, recall = tp / (tp + fp), tp / pos.sum()
    # AP = sum_k (R_k - R_{k-1}) P_k: a step function, not the trapezoid
    return float(np.sum(np.diff(recall, prepend=0.0) * precision))


def log_loss(y_true, probs) -> float:
    y, p = np.asarray(y_true), np.array(probs, dtype=float)
    classes = np.unique(y)
    if len(classes) < 2:
        raise ValueError("log_loss needs at least two classes in y_true")
    if p.ndim == 1:
        p = np.stack([1 - p, p], axis=1)                            # probability of classes[1]
    if p.shape != (len(y), len(classes)):
        raise ValueError(f"probs must have shape ({len(y)}, {len(classes)}), got {p.shape}")
    if p.min() < 0 or p.max() > 1:
        raise ValueError("probabilities must lie in [0, 1]")
    eps = np.finfo(np.float64).eps
    p = np.clip(p, eps, 1 - eps)                                    # as sklearn: log 0 never happens
    picked = p[np.arange(len(y)), np.searchsorted(classes, y)]
    return float(-np.log(picked).mean())
