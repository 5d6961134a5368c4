"""Theme quality on labelled short-text sets: NMI, ARI and accuracy (Hungarian).

Compares, in the same run and on the same texts:

* ``baseline``: TF-IDF (English stop words, sublinear tf, L2) + k-means (k-means++,
  scikit-learn defaults) -- the plain pipeline everyone starts from;
* ``default``: ``ThemeModel(method="tfidf")`` (what ``pip install`` gives);
* ``static``: ``ThemeModel(method="static")`` when the static table is built.

each with the true k given and with k chosen automatically. Texts the model
marks "other" (-1) count as one more cluster, so nothing is hidden.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/themes_quality.py [--sets a,b] [--max-n N]

Data: ``*.jsonl`` in the shared datasets folder (``--data``, default ``../shared/datasets``
beside the repository; read in place, never copied).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _data import add_data_argument, data_folder  # noqa: E402
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from pbp_facilitate.themes import ThemeModel, static_model_available

SETS = ["stackoverflow", "searchsnippets", "biomedical", "banking77"]


def load(data: Path, name: str, max_n: int | None, seed: int = 0) -> tuple[list[str], np.ndarray]:
    texts, labels = [], []
    with open(data / f"{name}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            texts.append(o["text"])
            labels.append(int(o["label"]))
    y = np.array(labels)
    if max_n and len(texts) > max_n:
        idx = np.sort(np.random.RandomState(seed).choice(len(texts), max_n, replace=False))
        texts, y = [texts[i] for i in idx], y[idx]
    return texts, y


def accuracy(y: np.ndarray, p: np.ndarray) -> float:
    _, yi = np.unique(y, return_inverse=True)
    _, pi = np.unique(p, return_inverse=True)
    m = np.zeros((pi.max() + 1, yi.max() + 1))
    np.add.at(m, (pi, yi), 1)
    r, c = linear_sum_assignment(-m)
    return float(m[r, c].sum() / len(y))


def scores(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    return (
        normalized_mutual_info_score(y, p),
        adjusted_rand_score(y, p),
        accuracy(y, p),
    )


def baseline(texts: list[str], k: int, seed: int) -> np.ndarray:
    X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    return KMeans(k, random_state=seed).fit_predict(X)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--max-n", type=int, default=None, help="subsample each set (for a quick look)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-auto", action="store_true", help="skip the automatic-k runs")
    ap.add_argument("--json", default=None, help="also write the results here")
    add_data_argument(ap)
    args = ap.parse_args()
    data = data_folder(args.data)
    methods = ["baseline", "default"] + (["static"] if static_model_available() else [])
    if "static" not in methods:
        print("static table not built: `pbp build-static-model`")
    results: dict[str, dict[str, tuple[float, float, float, float, int]]] = {}
    for name in args.sets.split(","):
        texts, y = load(data, name, args.max_n, args.seed)
        k = len(set(y.tolist()))
        row: dict[str, tuple[float, float, float, float, int]] = {}
        for m in methods:
            for mode in ["true-k"] + ([] if args.no_auto or m == "baseline" else ["auto-k"]):
                t = time.perf_counter()
                if m == "baseline":
                    p = baseline(texts, k, args.seed)
                else:
                    model = ThemeModel(
                        n_themes=k if mode == "true-k" else None,
                        method="tfidf" if m == "default" else "static",
                        random_state=args.seed,
                    ).fit(texts)
                    p = model.labels_
                dt = time.perf_counter() - t
                kk = len(set(p.tolist()) - {-1})
                row[f"{m}/{mode}"] = (*scores(y, p), dt, kk)
                nmi, ari, acc = row[f"{m}/{mode}"][:3]
                print(
                    f"{name:15s} n={len(texts):6d} k={k:3d} {m + '/' + mode:16s} "
                    f"NMI {nmi:.3f}  ARI {ari:.3f}  ACC {acc:.3f}  k_found {kk:3d}  {dt:6.2f} s",
                    flush=True,
                )
        results[name] = row
    print("\nmean over sets (NMI / ARI / ACC), delta NMI vs baseline, worst per-set delta NMI")
    keys = list(next(iter(results.values())).keys())
    for key in keys:
        arr = np.array([results[s][key][:3] for s in results])
        base = np.array([results[s]["baseline/true-k"][0] for s in results])
        d = arr[:, 0] - base
        print(
            f"  {key:16s} {arr[:, 0].mean():.3f} / {arr[:, 1].mean():.3f} / {arr[:, 2].mean():.3f}"
            f"   dNMI {d.mean():+.3f}   worst {d.min():+.3f}"
        )
    for m in methods[1:]:
        if f"{m}/auto-k" in keys:
            gap = [results[s][f"{m}/true-k"][0] - results[s][f"{m}/auto-k"][0] for s in results]
            print(
                f"  {m}: true-k minus auto-k NMI: mean {np.mean(gap):+.3f}, max {np.max(gap):+.3f}"
            )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
