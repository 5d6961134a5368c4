"""Opinion groups and common ground from participants' reactions (Polis's method).

Pure functions of data: nothing here reads the store (that wrapper is :mod:`.session`).

- :mod:`.matrix`: :func:`vote_matrix`, the participants x ideas matrix (1, -1, 0, NaN);
- :mod:`.model`: :class:`OpinionModel`, a scikit-learn clusterer (imputation, PCA,
  sparsity-aware projection, base clusters, k chosen among 2-5 by silhouette);
- :mod:`.repness`: group statistics, representative ideas, group-informed consensus,
  divisiveness;
- :mod:`.analysis`: :func:`analyze_opinions`, all of the above in one call
  (:class:`OpinionAnalysis`);
- :mod:`.session`: the analysis of a stored session's reactions (reads the store).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy_exports

if TYPE_CHECKING:
    from .analysis import OpinionAnalysis, analyze_opinions
    from .matrix import VoteMatrix, vote_matrix
    from .model import OpinionModel

# Imported on first use: the model needs scikit-learn, which the dashboard should not wait for.
_LAZY = {
    "OpinionModel": "model",
    "OpinionAnalysis": "analysis",
    "analyze_opinions": "analysis",
    "VoteMatrix": "matrix",
    "vote_matrix": "matrix",
}

__all__ = ["OpinionModel", "OpinionAnalysis", "analyze_opinions", "VoteMatrix", "vote_matrix"]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
