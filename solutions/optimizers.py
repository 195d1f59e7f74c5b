"""Reference solution: SGD (momentum, Nesterov), Adam and AdamW with torch.optim's update rules."""

from __future__ import annotations

import numpy as np


class SGD:
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.nesterov, self.weight_decay = nesterov, weight_decay
        self.bufs = [None] * len(self.params)  # momentum buffers, created on the first step

    def step(self, grads):
        for i, (p, g) in enumerate(zip(self.params, grads)):
            g = g + self.weight_decay * p  # L2 in the gradient
            if self.momentum:
                # b = g on the first step, then b <- mu*b + g
                b = g.copy() if self.bufs[i] is None else self.momentum * self.bufs[i] + g
                self.bufs[i] = b
                g = g + self.momentum * b if self.nesterov else b
            p -= self.lr * g  # in place: the caller's array changes


class Adam:
    decoupled = False  # AdamW overrides: decay the weights instead of the gradient

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params, self.lr, self.betas = list(params), lr, betas
        self.eps, self.weight_decay = eps, weight_decay
        self.m = [np.zeros_like(p) for p in self.params]  # first moment
        self.v = [np.zeros_like(p) for p in self.params]  # second moment
        self.t = 0

    def step(self, grads):
        b1, b2 = self.betas
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            if self.decoupled:
                p *= 1 - self.lr * self.weight_decay  # AdamW: p <- p*(1 - lr*wd), pre-step p
            else:
                g = g + self.weight_decay * p  # Adam: L2 in the gradient
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            m_hat = m / (1 - b1**self.t)  # bias correction
            v_hat = v / (1 - b2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)
