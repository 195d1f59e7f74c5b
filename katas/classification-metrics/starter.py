"""Classification metrics with scikit-learn's definitions, in NumPy.

Run `nnquiz grade classification-metrics` to check your work; `nnquiz hint classification-metrics`
gives the next hint.
"""

from __future__ import annotations

import numpy as np


def confusion_matrix(y_true, y_pred, labels=None) -> np.ndarray:
    """(K, K) int counts, rows = true label, columns = predicted label, in the order of `labels`
    (default: the sorted labels of y_true and y_pred together). Pairs outside `labels` are ignored."""
    raise NotImplementedError("write confusion_matrix")


def precision_recall_f1(y_true, y_pred, average="binary", zero_division=0.0) -> tuple[float, float, float]:
    """(precision, recall, f1) with average "binary" (label 1), "macro", "micro" or "weighted";
    a 0/0 gives zero_division."""
    raise NotImplementedError("write precision_recall_f1")


def roc_auc(y_true, scores) -> float:
    """Area under the ROC curve for 0/1 labels (tied scores count one half). ValueError for one class."""
    raise NotImplementedError("write roc_auc")


def average_precision(y_true, scores) -> float:
    """sum_k (R_k - R_(k-1)) P_k over distinct score thresholds, as sklearn. ValueError without positives."""
    raise NotImplementedError("write average_precision")


def log_loss(y_true, probs) -> float:
    """Mean negative log-probability of the true label, probabilities clipped to [eps, 1 - eps].

    probs: (n,) probability of the larger label (two classes) or (n, K) columns in sorted label order.
    """
    raise NotImplementedError("write log_loss")
