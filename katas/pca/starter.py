"""Principal component analysis in NumPy.

Run `nnquiz grade pca` to check your work; `nnquiz hint pca` gives the next hint.
"""

from __future__ import annotations

import numpy as np


class PCA:
    """PCA by the SVD of the centred data.

    n_components: an int in [1, min(n, d)], or a float in (0, 1): keep the fewest components
    whose cumulative explained_variance_ratio_ exceeds it. whiten: divide the projections by
    sqrt(explained_variance_).

    After fit: mean_ (d,), components_ (k, d) with each row's largest-magnitude entry
    positive, explained_variance_ (k,) with ddof 1, explained_variance_ratio_ (k,)
    (share of the total variance).
    """

    def __init__(self, n_components, whiten: bool = False) -> None:
        self.n_components = n_components
        self.whiten = whiten

    def fit(self, X: np.ndarray) -> PCA:
        """Learn mean_, components_, explained_variance_, explained_variance_ratio_; return self."""
        raise NotImplementedError("write PCA.fit")

    def transform(self, X: np.ndarray) -> np.ndarray:
        """(n, d) -> (n, k): projections of the centred rows (whitened if asked)."""
        raise NotImplementedError("write PCA.transform")

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        """(n, k) -> (n, d): back to the original space."""
        raise NotImplementedError("write PCA.inverse_transform")
