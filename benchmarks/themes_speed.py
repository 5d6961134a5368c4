"""Theme engine speed and memory on this machine, plus live-refit stability.

Methods, each measured in the same run on the same texts:

* ``baseline``: plain TF-IDF (English stop words, sublinear tf) + k-means with
  ``k = auto_k(n)``;
* ``tfidf``: ``ThemeModel(method="tfidf")``;
* ``semantic``: ``ThemeModel(method="semantic")`` (sentence vectors + TF-IDF words).

For each size (1,000 and 10,000 texts by default) and method a fresh child
process imports the kit, then measures (interpreter start and imports excluded):

cold fit
    a first fit in the process; for ``semantic`` with a fresh ``SentenceEncoder``
    each time (network loaded, every text encoded); median of ``--cold-repeats``;
first fit, warm cache
    ``ThemeModel().fit(texts)`` again in the same process (the sentence vectors
    are cached); median of ``--repeats``;
refit
    the same texts again with ``previous=snapshot()`` of the last fit; median of
    ``--repeats``;
peak memory
    ``ru_maxrss`` of the child after its first cold fit (the figure with the target)
    and at its end.

Then the live case, one child per method: a 1,000-idea session is fitted, 10
new ideas arrive and the model is refit with ``previous=``; it reports the share
of the first fit's themes whose id and ``labels`` dict are both unchanged, the
share of the 1,000 items keeping their theme id and the refit time, each the
median over 5 different sets of 10 new ideas.

Texts: real short texts, a random sample of the four labelled sets of the shared
datasets folder (``--data``) pooled: stackoverflow question titles, search
snippets, biomedical paper titles and banking77 customer queries (55k). Sizes
above that add texts made by joining halves of two pooled texts (said so in the
output).

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/themes_speed.py [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import add_data_argument, data_folder  # noqa: E402

SETS = ["stackoverflow", "searchsnippets", "biomedical", "banking77"]
METHODS = ["baseline", "tfidf", "semantic"]
GIB_MB = 1024.0


def _pool(data: Path) -> list[str]:
    pool = []
    for name in SETS:
        with open(data / f"{name}.jsonl", encoding="utf-8") as fh:
            pool += [json.loads(line)["text"] for line in fh]
    return pool


def corpus(data: Path, n: int, seed: int = 0) -> list[str]:
    import numpy as np

    pool = _pool(data)
    rs = np.random.RandomState(seed)
    if n <= len(pool):
        return [pool[i] for i in rs.choice(len(pool), n, replace=False)]
    out = list(pool)
    while len(out) < n:
        a, b = pool[rs.randint(len(pool))].split(), pool[rs.randint(len(pool))].split()
        out.append(" ".join(a[: len(a) // 2 + 1] + b[len(b) // 2 :]))
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _fresh_encoder() -> None:
    import pbp_facilitate.themes.embed as e

    e._ENCODER = e.SentenceEncoder()
    gc.collect()


def child_speed(data: Path, method: str, n: int, cold_repeats: int, repeats: int) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    from pbp_facilitate.themes import ThemeModel, auto_k

    texts = corpus(data, n)
    ids = [f"s{i}" for i in range(n)]
    rss0 = _rss_mb()

    def fit(previous: Any = None) -> tuple[float, Any]:
        t = time.perf_counter()
        if method == "baseline":
            X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
            KMeans(auto_k(n), random_state=0).fit_predict(X)
            return time.perf_counter() - t, None
        m = ThemeModel(method=method, random_state=0).fit(texts, ids=ids, previous=previous)
        assert m.method_ == method, (m.method_, method)
        return time.perf_counter() - t, m

    cold, encode, rss_first = [], [], 0.0
    model = None
    for r in range(cold_repeats):
        if method == "semantic":
            model = None
            _fresh_encoder()
        dt, model = fit()
        cold.append(dt)
        if model is not None:
            encode.append(model.timings_.get("encode", 0.0))
        if r == 0:
            rss_first = _rss_mb()
    warm = [fit()[0] for _ in range(repeats)]
    refit = []
    if model is not None:
        snap = model.snapshot()
        refit = [fit(previous=snap)[0] for _ in range(repeats)]
    med = statistics.median
    return {
        "method": method,
        "n": n,
        "cold_s": med(cold),
        "cold_all": cold,
        "encode_s": med(encode) if encode else None,
        "warm_s": med(warm),
        "refit_s": med(refit) if refit else None,
        "k": auto_k(n) if model is None else model.n_themes_,
        "rss0_mb": rss0,
        "peak_first_mb": rss_first,
        "peak_mb": _rss_mb(),
        "timings": None if model is None else model.timings_,
    }


def child_stability(data: Path, method: str, n_sets: int = 5) -> dict:
    import numpy as np

    from pbp_facilitate.themes import ThemeModel

    texts = corpus(data, 1000 + 10 * n_sets, seed=1)
    first = texts[:1000]
    ids = [f"s{i}" for i in range(len(texts))]
    m1 = ThemeModel(method=method, random_state=0).fit(first, ids=ids[:1000])
    before = {t.id: dict(t.labels) for t in m1.themes_}
    snap = m1.snapshot()
    themes_kept, ids_kept, items_kept, times = [], [], [], []
    for r in range(n_sets):
        lo = 1000 + 10 * r
        t = time.perf_counter()
        m2 = ThemeModel(method=method, random_state=0).fit(
            first + texts[lo : lo + 10], ids=ids[:1000] + ids[lo : lo + 10], previous=snap
        )
        times.append(time.perf_counter() - t)
        after = {t.id: dict(t.labels) for t in m2.themes_}
        themes_kept.append(np.mean([after.get(i) == lab for i, lab in before.items()]))
        ids_kept.append(np.mean([i in after for i in before]))
        items_kept.append(np.mean(m1.theme_ids_ == m2.theme_ids_[:1000]))
    med = statistics.median
    return {
        "method": method,
        "n_themes": len(before),
        "themes_kept": float(med(themes_kept)),
        "themes_kept_min": float(min(themes_kept)),
        "theme_ids_kept": float(med(ids_kept)),
        "items_kept": float(med(items_kept)),
        "items_kept_min": float(min(items_kept)),
        "refit_s": med(times),
        "first_fit_s": m1.timings_["total"],
    }


def run_child(data: Path, *extra: str) -> dict:
    cmd = [sys.executable, __file__, "--data", str(data), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"child {extra} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _cell(v: float | None, unit: str) -> str:
    if v is None:
        return "-"
    if unit == "%":
        return f"{100 * v:.1f}%"
    if unit == "MiB":
        return f"{v:.0f} MiB"
    return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--cold-repeats", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)  # "speed" or "stability"
    ap.add_argument("--method", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=None, help=argparse.SUPPRESS)
    add_data_argument(ap)
    args = ap.parse_args()
    data = data_folder(args.data)
    if args.child == "speed":
        out = child_speed(data, args.method, args.n, args.cold_repeats, args.repeats)
        print(json.dumps(out))
        return
    if args.child == "stability":
        print(json.dumps(child_stability(data, args.method)))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    methods = args.methods.split(",")
    pool_n = len(_pool(data))
    print(
        "texts: random samples of the 4 shared labelled sets pooled "
        f"({pool_n:,} real texts: stackoverflow titles, search snippets, biomedical titles, "
        "banking77 queries)"
        + ("; sizes above that add half+half joined texts" if max(sizes) > pool_n else "")
    )
    print(
        f"one child process per (method, size); times exclude interpreter start and imports; "
        f"cold = median of {args.cold_repeats}, others = median of {args.repeats}; "
        "ThemeModel default n_jobs=1 (one BLAS thread)"
    )
    t0 = time.perf_counter()
    speed: dict[tuple[str, int], dict] = {}
    for n in sizes:
        for m in methods:
            d = run_child(
                data, "--child", "speed", "--method", m, "--n", str(n),
                "--cold-repeats", str(args.cold_repeats), "--repeats", str(args.repeats),
            )  # fmt: skip
            speed[(m, n)] = d
            steps = (
                ", ".join(f"{k} {v:.2f}" for k, v in d["timings"].items() if k != "total")
                if d["timings"]
                else ""
            )
            print(
                f"  {m:9s} n={n:6d}: cold {', '.join(f'{x:.2f}' for x in d['cold_all'])} s; "
                f"warm {d['warm_s']:.3f} s; refit {_cell(d['refit_s'], 's')}; k={d['k']}; "
                f"peak {d['peak_first_mb']:.0f}/{d['peak_mb']:.0f} MiB "
                f"(imports {d['rss0_mb']:.0f}); last cold fit: {steps}",
                flush=True,
            )
    stab = {}
    for m in [m for m in methods if m != "baseline"]:
        stab[m] = run_child(data, "--child", "stability", "--method", m)
        print(f"  stability {m}: {stab[m]}", flush=True)

    # rows: (figure, n, key, unit, target value, "<" or ">=")
    rows: list[tuple[str, str, Any, str, float | None, str]] = []
    for n in sizes:
        rows.append(("cold fit (encoding incl.)", f"{n:,}", ("cold_s", n), "s",
                     40.0 if n == 10_000 else None, "<"))  # fmt: skip
    for n in sizes:
        tgt = {1000: 0.5, 10_000: 3.0}.get(n)
        rows.append(("first fit, warm cache", f"{n:,}", ("warm_s", n), "s", tgt, "<"))
        rows.append(("refit same texts, previous=", f"{n:,}", ("refit_s", n), "s", tgt, "<"))
    for n in sizes:
        rows.append(("peak RSS after cold fit", f"{n:,}", ("peak_first_mb", n), "MiB",
                     GIB_MB if n == 10_000 else None, "<"))  # fmt: skip
    rows += [
        ("themes keeping id + labels", "1,000+10", ("s", "themes_kept"), "%", 0.9, ">="),
        ("themes keeping id", "1,000+10", ("s", "theme_ids_kept"), "%", None, ">="),
        ("items keeping theme id", "1,000+10", ("s", "items_kept"), "%", 0.9, ">="),
        ("refit time, 10 new ideas", "1,000+10", ("s", "refit_s"), "s", None, "<"),
    ]
    w = 12
    print(
        f"\n{'figure':30s} {'n':>9s} "
        + " ".join(f"{m:>{w}s}" for m in methods)
        + f" {'target':>10s}  semantic"
    )
    print("-" * (30 + 10 + (w + 1) * len(methods) + 22))
    verdicts = []
    for fig, n_txt, (key, sub), unit, tgt, op in rows:
        vals = []
        for m in methods:
            if key == "s":
                v = stab.get(m, {}).get(sub)
            else:
                v = speed.get((m, sub), {}).get(key)
            vals.append(v)
        sem = vals[methods.index("semantic")] if "semantic" in methods else None
        verdict = ""
        tgt_txt = ""
        if tgt is not None:
            tgt_txt = f"{op} {_cell(tgt, unit)}" if unit != "MiB" else f"{op} 1 GiB"
            tgt_txt = tgt_txt.replace(" 0.500 s", " 0.5 s").replace(" 3.000 s", " 3 s")
            tgt_txt = tgt_txt.replace("40.0 s", "40 s").replace("90.0%", "90%")
            if sem is not None:
                ok = sem < tgt if op == "<" else sem >= tgt
                verdict = "PASS" if ok else "FAIL"
                verdicts.append(ok)
        print(
            f"{fig:30s} {n_txt:>9s} "
            + " ".join(f"{_cell(v, unit):>{w}s}" for v in vals)
            + f" {tgt_txt:>10s}  {verdict}"
        )
    if "semantic" in stab:
        s = stab["semantic"]
        print(
            f"\nstability (semantic): {s['n_themes']} themes in the 1,000-idea fit; medians over "
            f"5 sets of 10 new ideas (min themes kept {100 * s['themes_kept_min']:.1f}%, "
            f"min items kept {100 * s['items_kept_min']:.1f}%)"
        )
    for n in sizes:
        d = speed.get(("semantic", n))
        if d and d["encode_s"] is not None:
            print(
                f"semantic cold fit n={n:,}: encoding {d['encode_s']:.1f} s of "
                f"{d['cold_s']:.1f} s ({n / max(d['encode_s'], 1e-9):.0f} texts/s)"
            )
    print(
        f"semantic targets: {sum(verdicts)}/{len(verdicts)} PASS; "
        f"wall time {time.perf_counter() - t0:.0f} s"
    )


if __name__ == "__main__":
    main()
