"""Theme engine speed and memory on this machine, plus live-refit stability.

For each size (1,000 / 10,000 / 100,000 texts by default) a fresh child
process imports the kit, then times ``ThemeModel().fit`` (default pipeline,
labels and quotes included; interpreter start and imports excluded) and
reports the median of the repeats, the peak resident memory of the process
and the ratio to a plain TF-IDF + k-means baseline timed in the same child.

Then the live case: a 1,000-text session is fitted, 10 new texts arrive and
the model is refit with ``previous=``; it reports the refit time and the share
of the first 1,000 items that kept their theme id.

Texts: the labelled sets of the shared datasets folder (``--data``) pooled (55k); sizes above
that add texts made by joining halves of two random pooled texts.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/themes_speed.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import add_data_argument, data_folder  # noqa: E402

SETS = ["stackoverflow", "searchsnippets", "biomedical", "banking77"]


def corpus(data: Path, n: int, seed: int = 0) -> list[str]:
    import numpy as np

    pool = []
    for name in SETS:
        with open(data / f"{name}.jsonl", encoding="utf-8") as fh:
            pool += [json.loads(line)["text"] for line in fh]
    rs = np.random.RandomState(seed)
    if n <= len(pool):
        return [pool[i] for i in rs.choice(len(pool), n, replace=False)]
    out = list(pool)
    while len(out) < n:
        a, b = pool[rs.randint(len(pool))].split(), pool[rs.randint(len(pool))].split()
        out.append(" ".join(a[: len(a) // 2 + 1] + b[len(b) // 2 :]))
    return out


def child(data: Path, n: int, repeats: int, method: str) -> None:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    from pbp_facilitate.themes import ThemeModel

    texts = corpus(data, n)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times, base = [], []
    k = None
    for r in range(repeats):
        t = time.perf_counter()
        m = ThemeModel(method=method, random_state=r).fit(texts)
        times.append(time.perf_counter() - t)
        k = m.n_themes_
        t = time.perf_counter()
        X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
        KMeans(k, random_state=r).fit_predict(X)
        base.append(time.perf_counter() - t)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "n": n,
                "median_s": statistics.median(times),
                "base_s": statistics.median(base),
                "k": k,
                "rss0_mb": rss0,
                "peak_mb": rss,
                "timings": m.timings_,
            }
        )
    )


def refit_case(data: Path, method: str, repeats: int = 5) -> None:
    import numpy as np

    from pbp_facilitate.themes import ThemeModel

    texts = corpus(data, 1010, seed=1)
    first, extra = texts[:1000], texts[1000:]
    ids = [f"s{i}" for i in range(1010)]
    times, kept = [], []
    for r in range(repeats):
        m1 = ThemeModel(method=method, random_state=r).fit(first, ids=ids[:1000])
        t = time.perf_counter()
        m2 = ThemeModel(method=method, random_state=r).fit(
            first + extra, ids=ids, previous=m1.snapshot()
        )
        times.append(time.perf_counter() - t)
        kept.append(float(np.mean(m1.theme_ids_ == m2.theme_ids_[:1000])))
    print(
        f"refit 1,000 + 10 texts ({method}): median {statistics.median(times):.3f} s, "
        f"items keeping their theme id: median {100 * statistics.median(kept):.1f}% "
        f"(min {100 * min(kept):.1f}%), first fit {m1.timings_['total']:.3f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--method", default="tfidf", choices=["tfidf", "static"])
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--repeats", type=int, default=None)
    add_data_argument(ap)
    args = ap.parse_args()
    data = data_folder(args.data)
    if args.child:
        child(data, args.child, args.repeats or 1, args.method)
        return
    print(f"method={args.method}; time excludes interpreter start and imports")
    for n in [int(s) for s in args.sizes.split(",")]:
        reps = args.repeats or (5 if n <= 10_000 else 1)
        out = (
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(n),
                    "--repeats",
                    str(reps),
                    "--method",
                    args.method,
                    "--data",
                    str(data),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        d = json.loads(out)
        steps = ", ".join(f"{k} {v:.2f}" for k, v in d["timings"].items() if k != "total")
        print(
            f"n={n:7d}: median {d['median_s']:.3f} s over {reps} run(s) "
            f"(baseline TF-IDF+KMeans {d['base_s']:.3f} s, ratio "
            f"{d['median_s'] / d['base_s']:.1f}x), "
            f"k={d['k']}, peak RSS {d['peak_mb']:.0f} MB (after imports {d['rss0_mb']:.0f} MB); "
            f"steps: {steps}",
            flush=True,
        )
    refit_case(data, args.method)


if __name__ == "__main__":
    main()
