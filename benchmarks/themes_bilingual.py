"""Bilingual themes: do an English idea and its Spanish translation land in one theme?

Fits every method over all texts of ``benchmarks/data/bilingual_civic.jsonl`` together
(120 English ideas, each with its Spanish translation, 10 civic topics), for several
seeds, and reports per method and mode (true k given, or chosen automatically) the
median over the seeds of:

* ``pairs``: share of translation pairs whose two texts get the same theme
  (``theme_ids_`` equal and not -1); chance is about 1/k;
* ``NMI lang``: NMI(language, theme), how much the themes follow the language
  (0 is best);
* ``NMI topic``: NMI(topic, theme), how much they follow the meaning (1 is best);
* ``themes``: themes found; ``other``: share marked "other / unclear" (-1);
* ``fit s``: seconds per fit.

"Other" (-1) counts as one more cluster in both NMIs, so nothing is hidden. In the
same run, ``baseline``: TF-IDF (sublinear tf, no stop words since the input is
bilingual) + scikit-learn k-means at the true k. With ``--bertopic``, BERTopic on the
kit's own vectors (the rows ``ThemeModel(method="tfidf")`` clusters, or with the static
table when it is built), when the ``bertopic`` package is installed.

A method the engine does not accept or cannot run here (``ConfigError``, e.g.
``static`` without its table) is listed as skipped.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/themes_bilingual.py \
        [--methods tfidf,static,semantic,auto] [--seeds 0,1,2,3,4] [--bertopic] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import normalized_mutual_info_score

from pbp_facilitate.errors import ConfigError
from pbp_facilitate.themes import ThemeModel

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "bilingual_civic.jsonl"
METRICS = ("pairs", "nmi_lang", "nmi_topic", "themes", "other", "seconds")
MODES = ("true-k", "auto-k")


def load(path: Path) -> list[dict]:
    """Return the rows of the benchmark file (``text``, ``lang``, ``topic``, ``pair``)."""
    if not path.is_file():
        raise SystemExit(f"No benchmark file at {path}; pass --data FILE.")
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                o = json.loads(line)
                missing = {"text", "lang", "topic", "pair"} - o.keys()
                if missing:
                    raise SystemExit(f"{path}:{n}: missing {sorted(missing)}")
                rows.append(o)
    return rows


def measure(rows: list[dict], tid: np.ndarray, seconds: float) -> dict[str, float]:
    """Scores of one fit: ``tid`` holds one theme per row, -1 for "other"."""
    tid = np.asarray(tid)
    members: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        members[int(r["pair"])].append(i)
    together = [
        len({int(tid[i]) for i in idx}) == 1 and tid[idx[0]] != -1 for idx in members.values()
    ]
    langs = [r["lang"] for r in rows]
    topics = [r["topic"] for r in rows]
    return {
        "pairs": float(np.mean(together)),
        "nmi_lang": float(normalized_mutual_info_score(langs, tid)),
        "nmi_topic": float(normalized_mutual_info_score(topics, tid)),
        "themes": len(set(tid.tolist()) - {-1}),
        "other": float(np.mean(tid == -1)),
        "seconds": seconds,
    }


def fit_theme_model(
    texts: list[str], method: str, n_themes: int | None, seed: int
) -> tuple[np.ndarray, str]:
    """Theme ids from ``ThemeModel`` and the method that ran (``auto`` resolves to one)."""
    model = ThemeModel(n_themes=n_themes, method=method, random_state=seed).fit(texts)
    return np.asarray(model.theme_ids_), model.method_


def fit_baseline(texts: list[str], k: int, seed: int) -> np.ndarray:
    """TF-IDF (sublinear, no stop words) + k-means at ``k``."""
    X = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    return KMeans(k, random_state=seed).fit_predict(X)


def kit_vectors(texts: list[str], seed: int) -> np.ndarray:
    """The rows ``ThemeModel`` clusters (words, prefixes, glossary, LSA, language centring;
    plus the static table when it is built), for BERTopic's precomputed embeddings."""
    from pbp_facilitate.themes import load_static_model, static_model_available
    from pbp_facilitate.themes._analyzer import Analyzer, glossary, theme_stop_words
    from pbp_facilitate.themes.embed import embed, tfidf_features

    stop = theme_stop_words(("en", "es"))
    gloss = glossary()
    feats = tfidf_features(texts, Analyzer(stop, gloss))
    static = load_static_model() if static_model_available() else None
    Z, _ = embed(texts, feats, seed=seed, static=static, stop=stop, glossary=gloss)
    return Z


def fit_bertopic(texts: list[str], k: int | None, seed: int) -> np.ndarray:
    """BERTopic on the kit's vectors; ``k`` given: k-means as its cluster model."""
    from bertopic import BERTopic
    from umap import UMAP

    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    kwargs = {"umap_model": umap}
    if k is not None:
        kwargs["hdbscan_model"] = KMeans(k, random_state=seed)
    topics, _ = BERTopic(**kwargs).fit_transform(texts, embeddings=kit_vectors(texts, seed))
    return np.asarray(topics)


def bertopic_importable() -> bool:
    try:
        import bertopic  # noqa: F401
    except ImportError:
        return False
    return True


def median_row(per_seed: list[dict[str, float]]) -> dict[str, float]:
    return {m: statistics.median(s[m] for s in per_seed) for m in METRICS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--methods",
        default="tfidf,auto",
        help="ThemeModel methods, comma-separated: tfidf, static, semantic, auto "
        "(default tfidf,auto)",
    )
    ap.add_argument("--seeds", default="0,1,2,3,4", help="comma-separated (default 0,1,2,3,4)")
    ap.add_argument("--bertopic", action="store_true", help="also run BERTopic, if installed")
    ap.add_argument("--json", default=None, metavar="OUT", help="also write the results here")
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"benchmark file (default {DEFAULT_DATA})"
    )
    args = ap.parse_args()
    rows = load(args.data)
    texts = [r["text"] for r in rows]
    k = len({r["topic"] for r in rows})
    n_pairs = len({r["pair"] for r in rows})
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    print(
        f"{args.data.name}: {len(rows)} texts, {n_pairs} pairs, {k} topics, "
        f"languages {sorted({r['lang'] for r in rows})}; seeds {seeds}; medians over seeds"
    )

    results: dict[str, dict] = {}
    skipped: dict[str, str] = {}

    def record(name: str, mode: str, per_seed: list[dict[str, float]], **extra) -> None:
        results[f"{name}/{mode}"] = {"median": median_row(per_seed), "per_seed": per_seed, **extra}

    per_seed = []
    for seed in seeds:
        t = time.perf_counter()
        p = fit_baseline(texts, k, seed)
        per_seed.append(measure(rows, p, time.perf_counter() - t))
    record("baseline", "true-k", per_seed)

    for method in methods:
        for mode in MODES:
            per_seed, ran = [], set()
            try:
                for seed in seeds:
                    t = time.perf_counter()
                    tid, method_ran = fit_theme_model(
                        texts, method, k if mode == "true-k" else None, seed
                    )
                    per_seed.append(measure(rows, tid, time.perf_counter() - t))
                    ran.add(method_ran)
            except ConfigError as exc:
                skipped[method] = str(exc)
                break
            record(method, mode, per_seed, method_ran=sorted(ran))

    if args.bertopic:
        if not bertopic_importable():
            skipped["bertopic"] = "the bertopic package is not installed (pip install bertopic)"
        else:
            for mode in MODES:
                per_seed = []
                for seed in seeds:
                    t = time.perf_counter()
                    p = fit_bertopic(texts, k if mode == "true-k" else None, seed)
                    per_seed.append(measure(rows, p, time.perf_counter() - t))
                record("bertopic", mode, per_seed)

    print(
        f"\n{'run':26s} {'pairs':>6s} {'NMI lang':>9s} {'NMI topic':>10s} "
        f"{'themes':>7s} {'other':>6s} {'fit s':>7s}"
    )
    for key, res in results.items():
        m = res["median"]
        ran = res.get("method_ran")
        label = key if not ran or ran == [key.split("/")[0]] else f"{key} ({'+'.join(ran)})"
        print(
            f"{label:26s} {m['pairs']:6.3f} {m['nmi_lang']:9.3f} {m['nmi_topic']:10.3f} "
            f"{m['themes']:7.0f} {m['other']:6.3f} {m['seconds']:7.3f}"
        )
    print(
        "\npairs: share of translation pairs in one theme (chance ~1/k); NMI lang: 0 is best; "
        "NMI topic: 1 is best; other: share marked -1."
    )
    for name, why in skipped.items():
        print(f"skipped {name}: {why}")
    if args.json:
        out = {
            "data": str(args.data),
            "n_texts": len(rows),
            "n_pairs": n_pairs,
            "k": k,
            "seeds": seeds,
            "results": results,
            "skipped": skipped,
        }
        Path(args.json).write_text(json.dumps(out, indent=1), encoding="utf-8")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
