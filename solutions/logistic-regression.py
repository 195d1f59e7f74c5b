"""L2-regularised logistic regression (binary and multinomial) fitted by Newton's method."""

from __future__ import annotations

import numpy as np


def _log_softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise log softmax, shifted by the row max (no overflow)."""
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


class LogisticRegression:
    """Minimises ½||W||² + C Σ_i loss_i (intercepts not penalised), as sklearn's lbfgs solver.

    Two classes: one row of weights, loss_i = log(1 + exp(-t_i z_i)) with t_i = ±1.
    More classes: one row per class, loss_i = -log softmax(z_i)[y_i] (multinomial).
    Newton's method from zero; stops when the decrement gᵀH⁻¹g falls to tol.
    """

    def __init__(self, C: float = 1.0, max_iter: int = 100, tol: float = 1e-10) -> None:
        if C <= 0:
            raise ValueError(f"C must be > 0, got {C}")
        self.C, self.max_iter, self.tol = C, max_iter, tol

    def _scores(self, Xa: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """(n, K) class scores; the binary model's one score z becomes the pair (0, z)."""
        Z = Xa @ theta.T
        return np.hstack([np.zeros_like(Z), Z]) if self._binary else Z

    def _derivatives(self, Xa: np.ndarray, Y: np.ndarray, theta: np.ndarray):
        """Gradient (K', d + 1) and Hessian (K'(d + 1), K'(d + 1)) of
        f(θ) = ½||W||² - C Σ_i log p_i[y_i] for θ = [W | b]."""
        k, m = theta.shape
        P = np.exp(_log_softmax(self._scores(Xa, theta)))
        if self._binary:
            P, Y = P[:, 1:], Y[:, 1:]  # only the positive class has parameters
        G = self.C * (P - Y).T @ Xa  # ∂/∂θ of the summed log-loss
        G[:, :-1] += theta[:, :-1]
        M = (Xa[:, None, :] * P[:, :, None]).reshape(len(Xa), -1)  # p_ik x_ij, (n, K'(d+1))
        H = -M.T @ M  # -Σ_i p_ik p_il x_i x_iᵀ
        for c in range(k):  # + Σ_i p_ik x_i x_iᵀ on the diagonal blocks
            H[c * m:(c + 1) * m, c * m:(c + 1) * m] += (Xa * P[:, c:c + 1]).T @ Xa
        penalty = np.tile(np.r_[np.ones(m - 1), 1e-12], k)  # intercepts: only a tiny damping
        return G, self.C * H + np.diag(penalty)

    def fit(self, X: np.ndarray, y: np.ndarray) -> LogisticRegression:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
            raise ValueError(f"need X (n, d) and y (n,), got shapes {X.shape} and {y.shape}")
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        K = len(self.classes_)
        if K < 2:
            raise ValueError("need at least two classes")
        self._binary = K == 2
        Xa = np.hstack([X, np.ones((len(X), 1))])  # (n, d + 1)
        Y = np.eye(K)[y_idx]  # one-hot, (n, K)
        theta = np.zeros((1 if self._binary else K, Xa.shape[1]))
        for _ in range(self.max_iter):
            G, H = self._derivatives(Xa, Y, theta)
            step = np.linalg.solve(H, G.ravel()).reshape(theta.shape)  # Newton: θ ← θ - H⁻¹g
            if np.sum(G * step) <= self.tol:  # Newton decrement gᵀH⁻¹g ≈ 2 (f - f*)
                break
            theta = theta - step
        self.coef_, self.intercept_ = theta[:, :-1].copy(), theta[:, -1].copy()
        return self

    def predict_log_proba(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.coef_.shape[1]:
            raise ValueError(f"expected shape (n, {self.coef_.shape[1]}), got {X.shape}")
        theta = np.hstack([self.coef_, self.intercept_[:, None]])
        return _log_softmax(self._scores(np.hstack([X, np.ones((len(X), 1))]), theta))

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return np.exp(self.predict_log_proba(X))  # (n, K), columns in classes_ order

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[self.predict_log_proba(X).argmax(axis=1)]
