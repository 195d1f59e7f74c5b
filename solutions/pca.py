"""Principal component analysis by the SVD of the centred data."""

from __future__ import annotations

import numpy as np


class PCA:
    """PCA(n_components, whiten=False): an int (how many components) or a float in (0, 1)
    (the smallest number whose cumulative explained-variance ratio exceeds it)."""

    def __init__(self, n_components: float, whiten: bool = False) -> None:
        self.n_components = n_components
        self.whiten = whiten

    def fit(self, X: np.ndarray) -> PCA:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or len(X) < 2:
            raise ValueError(f"X must be 2-D with at least 2 rows, got shape {X.shape}")
        n, d = X.shape
        self.mean_ = X.mean(axis=0)
        _, s, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)  # Xc = U S Vᵀ
        rows = np.arange(len(Vt))
        Vt *= np.sign(Vt[rows, np.abs(Vt).argmax(axis=1)])[:, None]  # largest |entry| positive
        variance = s**2 / (n - 1)  # eigenvalues of the covariance (ddof 1)
        ratio = variance / variance.sum()
        k = self.n_components
        if isinstance(k, float):
            if not 0.0 < k < 1.0:
                raise ValueError(f"a float n_components must lie in (0, 1), got {k}")
            k = int(np.searchsorted(np.cumsum(ratio), k, side="right")) + 1  # first cumsum > k
            k = min(k, len(ratio))
        elif not (isinstance(k, (int, np.integer)) and 1 <= k <= min(n, d)):
            raise ValueError(f"n_components must be an int in [1, {min(n, d)}] or a float in (0, 1), got {k!r}")
        self.n_components_ = int(k)
        self.components_ = Vt[:k]  # (k, d)
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = ratio[:k]
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = self._check(X)
        Z = (X - self.mean_) @ self.components_.T  # (n, k)
        return Z / np.sqrt(self.explained_variance_) if self.whiten else Z

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        Z = np.asarray(Z, dtype=np.float64)
        if Z.ndim != 2 or Z.shape[1] != self.n_components_:
            raise ValueError(f"expected shape (n, {self.n_components_}), got {Z.shape}")
        if self.whiten:
            Z = Z * np.sqrt(self.explained_variance_)
        return Z @ self.components_ + self.mean_  # (n, d)

    def _check(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.mean_):
            raise ValueError(f"expected shape (n, {len(self.mean_)}), got {X.shape}")
        return X
