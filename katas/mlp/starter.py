"""A multilayer perceptron (ReLU hidden layers, softmax output) with backprop in NumPy.

Run `nnquiz grade mlp` to check your work; `nnquiz hint mlp` gives the next hint.
"""

from __future__ import annotations

import numpy as np


class MLP:
    """layer_sizes = [d, h1, ..., K], e.g. [64, 64, 10]: ReLU hidden layers, softmax output,
    mean cross-entropy loss; labels y are class indices 0..K-1.

    self.params: list of (W, b), W of shape (fan_in, fan_out), b of shape (fan_out,),
    initialised from `seed`. These are the live arrays: forward must use them, and the
    grader may write new values into them in place.
    """

    def __init__(self, layer_sizes, seed=0):
        self.params = []
        raise NotImplementedError("initialise self.params")

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities (n, K) for X (n, d); rows sum to 1; finite for any logits."""
        raise NotImplementedError("write MLP.forward")

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray):
        """(loss, grads): the mean cross-entropy over the batch, and [(dW, db), ...] shaped
        like params (dL/dW, dL/db)."""
        raise NotImplementedError("write MLP.loss_and_grads")

    def fit(self, X: np.ndarray, y: np.ndarray, epochs: int = 50, lr: float = 0.1,
            batch_size: int = 32) -> "MLP":
        """Mini-batch SGD: each epoch, shuffle the rows with the seed, then step on each
        batch of batch_size rows (W -= lr * dW, b -= lr * db). Return self."""
        raise NotImplementedError("write MLP.fit")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) class indices: argmax of forward(X)."""
        raise NotImplementedError("write MLP.predict")
