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

from .analysis import OpinionAnalysis, analyze_opinions
from .matrix import VoteMatrix, vote_matrix
from .model import OpinionModel

__all__ = ["OpinionModel", "OpinionAnalysis", "analyze_opinions", "VoteMatrix", "vote_matrix"]
