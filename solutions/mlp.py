"""Reference solution: a multilayer perceptron (ReLU, softmax, cross-entropy) in NumPy."""

from __future__ import annotations

import numpy as np


class MLP:
    """layer_sizes = [d, h1, ..., K]: ReLU hidden layers, softmax output, mean cross-entropy."""

    def __init__(self, layer_sizes, seed=0):
        self.seed = seed
        rng = np.random.default_rng(seed)
        # He initialisation: W ~ N(0, 2 / fan_in), b = 0
        self.params = [(rng.normal(0.0, np.sqrt(2.0 / m), (m, n)), np.zeros(n))
                       for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]

    def _forward(self, X):
        """Activations [X, h1, ..., h_{L-1}] and the output probabilities."""
        hs = [np.asarray(X, dtype=np.float64)]
        for W, b in self.params[:-1]:
            hs.append(np.maximum(hs[-1] @ W + b, 0.0))   # (n, fan_out) ReLU
        W, b = self.params[-1]
        z = hs[-1] @ W + b                                 # (n, K) logits
        z = z - z.max(axis=1, keepdims=True)               # stable: exp(z - max) <= 1
        p = np.exp(z)
        return hs, p / p.sum(axis=1, keepdims=True)

    def forward(self, X):
        return self._forward(X)[1]

    def loss_and_grads(self, X, y):
        hs, p = self._forward(X)
        y = np.asarray(y)
        n = len(y)
        # mean cross-entropy = mean(-log p_y), clipped so p_y = 0 still gives a finite number
        loss = float(-np.log(np.maximum(p[np.arange(n), y], np.finfo(float).tiny)).mean())
        dz = p.copy()
        dz[np.arange(n), y] -= 1.0
        dz /= n                                            # dL/dz = (p - onehot) / n, (n, K)
        grads = []
        for (W, b), h in zip(reversed(self.params), reversed(hs)):
            grads.append((h.T @ dz, dz.sum(axis=0)))      # dW = h^T dz, db = sum over batch
            dz = (dz @ W.T) * (h > 0)                      # back through W and the ReLU
        return loss, grads[::-1]

    def fit(self, X, y, epochs=50, lr=0.1, batch_size=32):
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        rng = np.random.default_rng(self.seed)
        for _ in range(epochs):
            order = rng.permutation(len(X))                # shuffle once per epoch
            for i in range(0, len(X), batch_size):
                rows = order[i:i + batch_size]
                _, grads = self.loss_and_grads(X[rows], y[rows])
                for (W, b), (dW, db) in zip(self.params, grads):
                    W -= lr * dW                           # in place: params stay the live arrays
                    b -= lr * db
        return self

    def predict(self, X):
        return self.forward(X).argmax(axis=1)
