"""SGD (momentum, Nesterov), Adam and AdamW in NumPy, with torch.optim's update rules.

Each optimizer keeps the list of parameter arrays it is given and updates those very
arrays IN PLACE when `step(grads)` is called (grads: one array per parameter, same shapes).
Run `nnquiz grade optimizers` to check your work; `nnquiz hint optimizers` gives the next hint.
"""

from __future__ import annotations

import numpy as np


class SGD:
    def __init__(self, params: list[np.ndarray], lr: float, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0):
        """params: list of float arrays, updated in place by step().

        Per parameter p with gradient g:
            g <- g + weight_decay * p
            if momentum: b <- g on the first step, else b <- momentum * b + g
                         g <- g + momentum * b if nesterov else b
            p <- p - lr * g
        """
        raise NotImplementedError("write SGD.__init__")

    def step(self, grads: list[np.ndarray]) -> None:
        """Update every array in params in place; grads[i] has params[i]'s shape."""
        raise NotImplementedError("write SGD.step")


class Adam:
    def __init__(self, params: list[np.ndarray], lr: float = 1e-3, betas=(0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0):
        """Per parameter; t counts step() calls (1 on the first, shared by all parameters);
        m and v start at zero:
            g <- g + weight_decay * p                  (L2 in the gradient)
            m <- b1 * m + (1 - b1) * g;   v <- b2 * v + (1 - b2) * g**2
            m_hat = m / (1 - b1**t);      v_hat = v / (1 - b2**t)
            p <- p - lr * m_hat / (sqrt(v_hat) + eps)
        """
        raise NotImplementedError("write Adam.__init__")

    def step(self, grads: list[np.ndarray]) -> None:
        """Update every array in params in place."""
        raise NotImplementedError("write Adam.step")


class AdamW:
    def __init__(self, params: list[np.ndarray], lr: float = 1e-3, betas=(0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2):
        """Decoupled weight decay: p <- p * (1 - lr * weight_decay) using the pre-step p,
        then the Adam step above with NO weight decay in the gradient."""
        raise NotImplementedError("write AdamW.__init__")

    def step(self, grads: list[np.ndarray]) -> None:
        """Update every array in params in place."""
        raise NotImplementedError("write AdamW.step")
