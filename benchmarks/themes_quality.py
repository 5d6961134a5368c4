"""Theme quality on labelled short-text sets: NMI, ARI, accuracy (Hungarian) and k found.

Compares, in the same run and on the same texts:

* ``baseline``: TF-IDF (English stop words, sublinear tf, L2) + k-means (k-means++,
  scikit-learn defaults) -- the plain pipeline everyone starts from;
* ``tfidf``: ``ThemeModel(method="tfidf")`` (numpy and scikit-learn only);
* ``semantic``: ``ThemeModel(method="semantic")`` (multilingual sentence vectors);
* ``static``: ``ThemeModel(method="static")``, only when the static table is built.

Three modes (``--modes``, run in this order so that the sentence vectors of the
full sets, cached in the process, serve the subsamples):

``full``
    each whole set (or ``--max-n`` of it) at the true k;
``100``
    ``--subsamples`` random 100-text subsamples per set (seeds 0, 1, ...), each
    with 10 labels chosen at random and 10 texts per label, at the true k; the
    median (and mean) NMI per set and method;
``auto``
    ``--subsamples`` 100-text subsamples per set (seeds 100, 101, ...) with 8, 10,
    12, 8, ... labels of 100 // labels texts each, ``n_themes=None``; the error
    ``|k_found - k_true|`` (k_found: distinct theme ids, "other" excluded) and the
    share of texts in "other". The baseline has no k of its own; it is shown with
    the kit's size rule ``auto_k(n)`` for reference.

Texts a model marks "other" (-1) count as one more cluster in NMI/ARI/ACC, so
nothing is hidden. The summary checks the issue's criteria on NMI: mean over
sets at least +0.10 over the baseline, and every set at least +0.02.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/themes_quality.py \
        [--sets a,b] [--modes full,100,auto] [--max-n N] [--subsamples 10] [--json OUT]

Data: ``*.jsonl`` in the shared datasets folder (``--data``, default ``../shared/datasets``
beside the repository; read in place, never copied).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _data import add_data_argument, data_folder  # noqa: E402
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from pbp_facilitate.themes import ThemeModel, auto_k, static_model_available

SETS = ["stackoverflow", "searchsnippets", "biomedical", "banking77"]
MODES = ["full", "100", "auto"]
MEAN_GAIN, SET_GAIN = 0.10, 0.02  # the criteria on NMI vs the baseline


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


def subsample(
    texts: list[str], y: np.ndarray, n_labels: int, n: int, seed: int
) -> tuple[list[str], np.ndarray]:
    """``n`` texts: ``n_labels`` labels chosen at random, ``n // n_labels`` texts of each."""
    rs = np.random.RandomState(seed)
    per = n // n_labels
    labels, counts = np.unique(y, return_counts=True)
    pool = labels[counts >= per]
    chosen = rs.choice(pool, min(n_labels, len(pool)), replace=False)
    per = n // len(chosen)
    idx = np.concatenate([rs.choice(np.flatnonzero(y == c), per, replace=False) for c in chosen])
    rs.shuffle(idx)
    return [texts[i] for i in idx], y[idx]


def accuracy(y: np.ndarray, p: np.ndarray) -> float:
    _, yi = np.unique(y, return_inverse=True)
    _, pi = np.unique(p, return_inverse=True)
    m = np.zeros((pi.max() + 1, yi.max() + 1))
    np.add.at(m, (pi, yi), 1)
    r, c = linear_sum_assignment(-m)
    return float(m[r, c].sum() / len(y))


def scores(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    return (
        float(normalized_mutual_info_score(y, p)),
        float(adjusted_rand_score(y, p)),
        accuracy(y, p),
    )


def baseline(texts: list[str], k: int, seed: int) -> np.ndarray:
    X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    return KMeans(k, random_state=seed).fit_predict(X)


def run(method: str, texts: list[str], k: int | None, seed: int) -> dict[str, Any]:
    """One fit; ``k=None``: the method chooses (the baseline takes ``auto_k(n)``)."""
    t = time.perf_counter()
    enc = None
    if method == "baseline":
        p = baseline(texts, k if k is not None else auto_k(len(texts)), seed)
        found = len(set(p.tolist()))
    else:
        model = ThemeModel(n_themes=k, method=method, random_state=seed).fit(texts)
        assert model.method_ == method, (model.method_, method)
        p = model.labels_
        found = len(set(model.theme_ids_.tolist()) - {-1})
        enc = model.timings_.get("encode") if method == "semantic" else None
    return {
        "p": p,
        "k_found": found,
        "other": float(np.mean(p == -1)),
        "s": time.perf_counter() - t,
        "encode_s": enc,
    }


def fmt_enc(r: dict[str, Any]) -> str:
    return f" (encode {r['encode_s']:.1f} s)" if r["encode_s"] is not None else ""


def mode_full(args: argparse.Namespace, data: Path, methods: list[str]) -> dict[str, Any]:
    print("\n== full sets, true k ==", flush=True)
    out: dict[str, Any] = {}
    for name in args.sets:
        texts, y = load(data, name, args.max_n, args.seed)
        k = len(set(y.tolist()))
        out[name] = {}
        for m in methods:
            r = run(m, texts, k, args.seed)
            nmi, ari, acc = scores(y, r["p"])
            out[name][m] = {"nmi": nmi, "ari": ari, "acc": acc, "k_found": r["k_found"],
                            "other": r["other"], "s": r["s"], "n": len(texts), "k": k}  # fmt: skip
            print(
                f"  {name:15s} n={len(texts):6d} k={k:3d} {m:9s} NMI {nmi:.3f}  ARI {ari:.3f}  "
                f"ACC {acc:.3f}  k_found {r['k_found']:3d}  other {100 * r['other']:4.1f}%  "
                f"{r['s']:7.2f} s{fmt_enc(r)}",
                flush=True,
            )
    return out


def mode_100(args: argparse.Namespace, data: Path, methods: list[str]) -> dict[str, Any]:
    print(
        f"\n== {args.subsamples} subsamples of 100 texts per set (10 labels x 10 texts, "
        f"seeds 0..{args.subsamples - 1}), true k ==",
        flush=True,
    )
    out: dict[str, Any] = {}
    for name in args.sets:
        texts, y = load(data, name, None)
        nmis: dict[str, list[float]] = {m: [] for m in methods}
        other: dict[str, list[float]] = {m: [] for m in methods}
        t = time.perf_counter()
        for seed in range(args.subsamples):
            st, sy = subsample(texts, y, 10, 100, seed)
            k = len(set(sy.tolist()))
            for m in methods:
                r = run(m, st, k, args.seed)
                nmis[m].append(scores(sy, r["p"])[0])
                other[m].append(r["other"])
        out[name] = {
            m: {"median": statistics.median(v), "mean": float(np.mean(v)), "min": min(v),
                "max": max(v), "other": float(np.mean(other[m])), "nmi": v}
            for m, v in nmis.items()
        }  # fmt: skip
        for m in methods:
            d = out[name][m]
            print(
                f"  {name:15s} {m:9s} NMI median {d['median']:.3f}  mean {d['mean']:.3f}  "
                f"min {d['min']:.3f}  max {d['max']:.3f}  other {100 * d['other']:4.1f}%",
                flush=True,
            )
        print(f"  {name:15s} ({time.perf_counter() - t:.1f} s)", flush=True)
    return out


def mode_auto(args: argparse.Namespace, data: Path, methods: list[str]) -> dict[str, Any]:
    print(
        f"\n== auto k: {args.subsamples} subsamples of 100 texts per set with 8/10/12 labels "
        f"(seeds 100..{99 + args.subsamples}), n_themes=None; baseline uses auto_k(100) = "
        f"{auto_k(100)} ==",
        flush=True,
    )
    err: dict[str, list[int]] = {m: [] for m in methods}
    other: dict[str, list[float]] = {m: [] for m in methods}
    per_set: dict[str, Any] = {}
    for name in args.sets:
        texts, y = load(data, name, None)
        se: dict[str, list[int]] = {m: [] for m in methods}
        for j in range(args.subsamples):
            n_labels = (8, 10, 12)[j % 3]
            st, sy = subsample(texts, y, n_labels, 100, 100 + j)
            k = len(set(sy.tolist()))
            for m in methods:
                r = run(m, st, None, args.seed)
                se[m].append(abs(r["k_found"] - k))
                other[m].append(r["other"])
        per_set[name] = se
        for m in methods:
            err[m] += se[m]
        print(
            f"  {name:15s} median |k_found - k_true|: "
            + "  ".join(f"{m} {statistics.median(se[m]):.1f}" for m in methods),
            flush=True,
        )
    print("\n  method     n    |err| median  mean   max  within +-3   other (mean)")
    summary = {}
    for m in methods:
        e = np.array(err[m])
        summary[m] = {
            "median": float(np.median(e)),
            "mean": float(e.mean()),
            "max": int(e.max()),
            "within3": float(np.mean(e <= 3)),
            "other": float(np.mean(other[m])),
        }
        d = summary[m]
        print(
            f"  {m:9s} {len(e):3d}   {d['median']:6.1f}  {d['mean']:6.2f}  {d['max']:4d}  "
            f"{100 * d['within3']:9.0f}%   {100 * d['other']:6.1f}%"
        )
    return {"per_set": per_set, "summary": summary}


def criteria(title: str, per_set: dict[str, dict[str, float]], methods: list[str]) -> None:
    """Mean NMI per method over sets, and the issue's criteria against the baseline."""
    sets = list(per_set)
    base = np.array([per_set[s]["baseline"] for s in sets])
    print(f"\n  {title}: mean NMI over {len(sets)} sets ({', '.join(sets)})")
    for m in methods:
        v = np.array([per_set[s][m] for s in sets])
        line = f"    {m:9s} {v.mean():.3f}   per set " + " ".join(f"{x:.3f}" for x in v)
        if m != "baseline":
            d = v - base
            worst = sets[int(np.argmin(d))]
            line += (
                f"   delta vs baseline: mean {d.mean():+.3f} "
                f"[{'PASS' if d.mean() >= MEAN_GAIN else 'FAIL'} >= +{MEAN_GAIN:.2f}], "
                f"worst {d.min():+.3f} ({worst}) "
                f"[{'PASS' if d.min() >= SET_GAIN else 'FAIL'} >= +{SET_GAIN:.2f}]"
            )
        print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--modes", default=",".join(MODES), help="any of full,100,auto")
    ap.add_argument("--max-n", type=int, default=None, help="subsample each full set")
    ap.add_argument("--subsamples", type=int, default=10, help="subsamples per set (100, auto)")
    ap.add_argument("--seed", type=int, default=0, help="random_state of every model")
    ap.add_argument("--json", default=None, help="also write the results here")
    add_data_argument(ap)
    args = ap.parse_args()
    args.sets = args.sets.split(",")
    modes = [m for m in MODES if m in args.modes.split(",")]  # full first: it fills the cache
    data = data_folder(args.data)
    methods = ["baseline", "tfidf", "semantic"]
    if static_model_available():
        methods.append("static")
    else:
        print("static table not built (`pbp build-static-model`): static skipped")
    print(f"methods: {', '.join(methods)}; modes: {', '.join(modes)}")
    t0 = time.perf_counter()
    results: dict[str, Any] = {}
    if "full" in modes:
        results["full"] = mode_full(args, data, methods)
    if "100" in modes:
        results["100"] = mode_100(args, data, methods)
    if "auto" in modes:
        results["auto"] = mode_auto(args, data, methods)
    print("\n== summary ==")
    if "full" in results:
        full = {s: {m: r[m]["nmi"] for m in methods} for s, r in results["full"].items()}
        criteria("full sets, true k" + (f" (max-n {args.max_n})" if args.max_n else ""), full,
                 methods)  # fmt: skip
    if "100" in results:
        sub = {s: {m: r[m]["median"] for m in methods} for s, r in results["100"].items()}
        criteria("100-text subsamples, true k, median per set", sub, methods)
        sub = {s: {m: r[m]["mean"] for m in methods} for s, r in results["100"].items()}
        criteria("100-text subsamples, true k, mean per set", sub, methods)
    if "auto" in results:
        print("\n  auto k on 100 texts (|k_found - k_true|):")
        for m, d in results["auto"]["summary"].items():
            print(
                f"    {m:9s} median {d['median']:.1f}  mean {d['mean']:.2f}  max {d['max']}  "
                f"within +-3 {100 * d['within3']:.0f}%  other {100 * d['other']:.1f}%"
            )
    print(f"\nwall time {time.perf_counter() - t0:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
