"""Opinion groups: agreement with Polis's own groups, and speed at 2,000 x 900.

**Agreement.** For each conversation folder under ``<data>/polis/`` (Polis exports with
``comments.csv`` and ``participants-votes.csv``), the adjusted Rand index (ARI) between each
participant's group and Polis's ``group-id``, over the participants both place in a group
(Polis's ``group-id`` is empty for those outside its ``in-conv``; ours is empty for those we do
not place; ``placed`` says how many of Polis's grouped participants we place too). Two inputs:

- ``import``: the kit's real path: a fresh SQLite store, ``pbp import`` of the comments and
  then of the votes, ``session_opinions``. The comments import skips comments moderated out
  (``moderated = -1``) and their votes, and stores unmoderated ones (``0``) hidden;
- ``as Polis``: the matrix straight from ``participants-votes.csv`` with the comments moderated
  out as Polis holds them (``moderated_out``: columns set to 0) and unmoderated comments in, as
  Polis's non-strict moderation does.

Each ARI is the median over ``--seeds`` values of ``random_state`` (k-means seeds): one seed
alone moves some conversations by 0.2 or more. Also at Polis's own k (``k fixed``).
``--before SRC`` runs the same agreement measures on another copy of the package (e.g. the
previous commit's ``src``, from ``git archive``) in a subprocess, in the same run. Naive
baseline in the same run: k-means at Polis's k on the raw matrix with "not seen" as 0.

**Speed.** A synthetic conversation of 2,000 participants x 900 ideas (3 planted opinion
groups, each participant reacting to a random 15% of ideas): median seconds of
``analyze_opinions`` (groups, representative ideas, consensus, divisive) over ``--repeats``
runs; baseline: scikit-learn PCA + k-means (k=3) on the zero-filled matrix, same data, same run.

**Intake.** ``--phones`` (300) phones, each with its own cookies, on a real SQLite file behind the
stand-alone intake server: all post an idea at once (the baseline), then all post a reaction at
once; acknowledged (303 after COMMIT), stored, rate and latency for each.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/opinions_polis.py [--data DIR] [--repeats 3]
        [--seeds 5] [--before /tmp/base/src] [--agreement-only] [--no-intake]
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import add_data_argument, data_folder  # noqa: E402

from pbp_facilitate.importers import import_file  # noqa: E402
from pbp_facilitate.opinions import analyze_opinions  # noqa: E402
from pbp_facilitate.opinions.session import session_opinions  # noqa: E402
from pbp_facilitate.store import Store  # noqa: E402
from pbp_facilitate.surveys import load_survey  # noqa: E402


def polis_export(folder: Path) -> dict[str, object]:
    """Polis's ``{participant: group-id}`` (grouped ones), the votes as triples, the comments
    moderated out, the raw matrix with "not seen" as 0 and its row ids."""
    with (folder / "comments.csv").open(encoding="utf-8") as fh:
        moderated = {r["comment-id"]: r["moderated"] for r in csv.DictReader(fh)}
    with (folder / "participants-votes.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    gi, pi = header.index("group-id"), header.index("participant")
    cols = [i for i, h in enumerate(header) if h.isdigit()]
    triples = [(r[pi], header[i], int(float(r[i]))) for r in rows[1:] for i in cols if r[i] != ""]
    return {
        "ref": {r[pi]: int(r[gi]) for r in rows[1:] if r[gi] != ""},
        "triples": triples,
        "moderated_out": {header[i] for i in cols if moderated.get(header[i]) == "-1"},
        "raw": np.array([[float(r[i]) if r[i] != "" else 0.0 for i in cols] for r in rows[1:]]),
        "ids": [r[pi] for r in rows[1:]],
    }


def _ari(ref: dict[str, int], groups: dict[str, int | None]) -> tuple[float, int]:
    both = [p for p in ref if groups.get(p) is not None]
    return adjusted_rand_score([ref[p] for p in both], [groups[p] for p in both]), len(both)


def agreement(folder: Path, survey_path: Path, seeds: int) -> dict[str, object]:
    """Compare the kit's groups with Polis's, through the import and as Polis held the data."""
    exp = polis_export(folder)
    ref: dict[str, int] = exp["ref"]  # type: ignore[assignment]
    k_polis = len(set(ref.values()))
    out: dict[str, object] = {"conversation": folder.name, "polis_k": k_polis,
                              "polis_grouped": len(ref)}  # fmt: skip
    takes_out = "moderated_out" in inspect.signature(analyze_opinions).parameters
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.sqlite3")
        try:
            session = store.create_session(load_survey(survey_path), title=folder.name)
            import_file(store, session, folder / "comments.csv")
            import_file(store, session, folder / "participants-votes.csv")
            for mode, k_range in (("auto", (2, 5)), ("fixed", (k_polis, k_polis))):
                for src in ("import", "polis"):
                    aris, ks, placed = [], [], []
                    for seed in range(seeds):
                        if src == "import":
                            analysis, _ = session_opinions(
                                store, session.id, k_range=k_range, random_state=seed
                            )
                        elif takes_out:
                            analysis = analyze_opinions(
                                exp["triples"],  # type: ignore[arg-type]
                                moderated_out=exp["moderated_out"],  # type: ignore[arg-type]
                                k_range=k_range,
                                random_state=seed,
                            )
                        else:  # an older kit: moderated-out comments dropped, as it did
                            analysis = analyze_opinions(
                                [t for t in exp["triples"] if t[1] not in exp["moderated_out"]],
                                k_range=k_range,
                                random_state=seed,
                            )
                        a, n = _ari(ref, analysis.participant_groups())
                        aris.append(a)
                        ks.append(analysis.n_groups)
                        placed.append(n)
                    out[f"ari_{src}_{mode}"] = round(statistics.median(aris), 3)
                    if mode == "auto":
                        out[f"ari_{src}_spread"] = [round(min(aris), 3), round(max(aris), 3)]
                        out[f"k_{src}"] = statistics.median_low(ks)
                        out[f"placed_{src}"] = statistics.median_low(placed)
        finally:
            store.close()
    if "init" in inspect.signature(analyze_opinions).parameters:
        cold = analyze_opinions(
            exp["triples"],  # type: ignore[arg-type]
            moderated_out=exp["moderated_out"],  # type: ignore[arg-type]
            init="polis",
        )
        out["ari_polis_init"], _ = _ari(ref, cold.participant_groups())
        out["ari_polis_init"] = round(out["ari_polis_init"], 3)  # type: ignore[arg-type]
        out["k_polis_init"] = cold.n_groups
        out.update(_bounds(ref, analysis))
    raw: np.ndarray = exp["raw"]  # type: ignore[assignment]
    mask = np.array([p in ref for p in exp["ids"]])  # type: ignore[attr-defined]
    base = KMeans(k_polis, n_init=10, random_state=0).fit_predict(raw[mask])
    out["ari_baseline"] = round(
        adjusted_rand_score([ref[p] for p in np.array(exp["ids"])[mask]], base), 3
    )
    return out


def _bounds(ref: dict[str, int], analysis: object) -> dict[str, float]:
    """What limits agreement, measured with Polis's labels (a diagnostic, never the method).

    On the map the kit builds (``analysis``, the direct path), over the participants both
    place: ``bound_centroids``, the ARI of giving each participant the Polis group whose centre
    (on this map) is nearest, the best any clustering into convex cells around Polis's own
    groups could do; ``bound_kmeans``, the ARI of k-means at Polis's k **started from Polis's
    own group centres**, i.e. the k-means result nearest to Polis's groups on the final data.
    """
    model = analysis.model  # type: ignore[attr-defined]
    ids = analysis.matrix.participants  # type: ignore[attr-defined]
    rows = [i for i, p in enumerate(ids) if p in ref and model.placed_[i]]
    pts = model.projection_[rows]
    truth = np.array([ref[ids[i]] for i in rows])
    groups = sorted(set(truth.tolist()))
    centres = np.array([pts[truth == g].mean(axis=0) for g in groups])
    nearest = ((pts[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)
    km = KMeans(len(groups), init=centres, n_init=1).fit_predict(pts)
    return {
        "bound_centroids": round(adjusted_rand_score(truth, nearest), 3),
        "bound_kmeans": round(adjusted_rand_score(truth, km), 3),
    }


def synthetic(n: int, m: int, seed: int = 0) -> list[tuple[int, int, int]]:
    """``(participant, idea, value)`` triples with 3 planted groups, 15% of ideas seen each."""
    rng = np.random.default_rng(seed)
    lean = rng.choice([-1, 0, 1], size=(3, m), p=[0.35, 0.3, 0.35])
    group = rng.integers(0, 3, n)
    seen = rng.random((n, m)) < 0.15
    p_agree = np.where(lean[group] == 1, 0.8, np.where(lean[group] == -1, 0.15, 0.5))
    u = rng.random((n, m))
    values = np.where(u < p_agree, 1, np.where(u < p_agree + 0.1, 0, -1))
    r, c = np.nonzero(seen)
    return list(zip(r.tolist(), c.tolist(), values[r, c].tolist(), strict=True))


def speed(n: int, m: int, repeats: int) -> dict[str, object]:
    triples = synthetic(n, m)
    ours, base = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = analyze_opinions(triples)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        x = np.zeros((n, m))
        r, c, v = (np.array(a) for a in zip(*triples, strict=True))
        x[r, c] = v
        KMeans(3, n_init=10, random_state=0).fit(PCA(2).fit_transform(x))
        base.append(time.perf_counter() - t0)
    return {
        "participants": n,
        "ideas": m,
        "reactions": len(triples),
        "groups_found": res.n_groups,
        "ours_median_s": round(statistics.median(ours), 3),
        "baseline_median_s": round(statistics.median(base), 3),
    }


def _fields(page: str, action: str) -> dict[str, str]:
    import html
    import re

    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.S)
    assert form, f"no form posting to {action}"
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[0])
    return {k: html.unescape(v) for k, v in pairs}


def intake(n: int, survey_path: Path) -> dict[str, dict[str, float]]:
    """``n`` phones post an idea all at once, then a reaction all at once (same server, run)."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from pbp_facilitate.intake.standalone import IntakeServer
    from pbp_facilitate.settings import load_settings

    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/intake.sqlite3")
        session = store.create_session(load_survey(survey_path), "Load", code="LOAD01")
        prompt = store.list_prompts(session.id)[0]
        for i in range(20):
            store.add_submission(session.id, prompt.id, f"Seed idea {i}", participant_key=f"s{i}")
        store.open_reactions(session.id, prompt.id)
        srv = IntakeServer(load_settings({"page_cache_s": 1}, environ={}), store).start()
        phones = [httpx.Client(base_url=srv.url, timeout=120) for _ in range(n)]
        try:
            idea_forms = [_fields(p.get("/s/LOAD01").text, "/s/LOAD01") for p in phones]
            react_forms = [
                _fields(p.get("/s/LOAD01/react").text, "/s/LOAD01/react") for p in phones
            ]
            jobs = {
                "ideas": lambda i: phones[i].post(
                    "/s/LOAD01", data={**idea_forms[i], "text": f"Idea from phone {i}"}
                ),
                "reactions": lambda i: phones[i].post(
                    "/s/LOAD01/react", data={**react_forms[i], "value": "agree"}
                ),
            }
            for name, job in jobs.items():
                lat: list[float] = []

                def one(i: int, job=job, lat=lat) -> int:
                    t0 = time.perf_counter()
                    code = job(i).status_code
                    lat.append(time.perf_counter() - t0)
                    return code

                t0 = time.perf_counter()
                with ThreadPoolExecutor(64) as pool:
                    codes = list(pool.map(one, range(n)))
                wall = time.perf_counter() - t0
                lat.sort()
                out[name] = {
                    "acknowledged": sum(c == 303 for c in codes),
                    "per_s": round(n / wall, 1),
                    "p50_ms": round(1000 * lat[len(lat) // 2], 1),
                    "p95_ms": round(1000 * lat[int(len(lat) * 0.95)], 1),
                }
            out["reactions"]["stored"] = len(store.list_reactions(session.id))
            out["ideas"]["stored"] = store.count_submissions(session.id) - 20
        finally:
            for p in phones:
                p.close()
            srv.stop()
            store.close()
    return out


def _print_agreement(rows: list[dict[str, object]], title: str) -> dict[str, float]:
    cols = ("ari_import_auto", "ari_import_fixed", "ari_polis_auto", "ari_polis_fixed",
            "ari_baseline")  # fmt: skip
    print(f"\n{title}")
    print(
        f"{'conversation':34} {'Polis k':>7} | {'import: k':>9} {'ARI':>6} {'k fixed':>7} "
        f"{'placed':>8} | {'as Polis: k':>11} {'ARI':>6} {'seeds min-max':>13} {'k fixed':>7} "
        f"{'placed':>8} | {'naive':>6}"
    )
    for r in rows:
        lo, hi = r["ari_polis_spread"]  # type: ignore[misc]
        print(
            f"{r['conversation']:34} {r['polis_k']:>7} | {r['k_import']:>9} "
            f"{r['ari_import_auto']:>6.3f} {r['ari_import_fixed']:>7.3f} "
            f"{str(r['placed_import']) + '/' + str(r['polis_grouped']):>8} | "
            f"{r['k_polis']:>11} {r['ari_polis_auto']:>6.3f} {f'{lo:.2f}-{hi:.2f}':>13} "
            f"{r['ari_polis_fixed']:>7.3f} "
            f"{str(r['placed_polis']) + '/' + str(r['polis_grouped']):>8} | "
            f"{r['ari_baseline']:>6.3f}"
        )
    mean = {k: round(statistics.mean(float(r[k]) for r in rows), 3) for k in cols}  # type: ignore[arg-type]
    print(
        f"{'mean':34} {'':>7} | {'':>9} {mean['ari_import_auto']:>6.3f} "
        f"{mean['ari_import_fixed']:>7.3f} {'':>8} | {'':>11} {mean['ari_polis_auto']:>6.3f} "
        f"{'':>13} {mean['ari_polis_fixed']:>7.3f} {'':>8} | {mean['ari_baseline']:>6.3f}"
    )
    if all("ari_polis_init" in r for r in rows):
        extra = ("ari_polis_init", "bound_centroids", "bound_kmeans")
        print(
            f"{'':34} {'Polis init (first k distinct): ARI':>36} {'k':>3} | bounds on this map: "
            f"{'nearest Polis centre':>20} {'k-means from Polis centres':>27}"
        )
        for r in rows:
            print(
                f"{r['conversation']:34} {r['ari_polis_init']:>36.3f} {r['k_polis_init']:>3} | "
                f"{'':19} {r['bound_centroids']:>20.3f} {r['bound_kmeans']:>27.3f}"
            )
        mean.update(
            {k: round(statistics.mean(float(r[k]) for r in rows), 3) for k in extra}  # type: ignore[arg-type]
        )
        print(
            f"{'mean':34} {mean['ari_polis_init']:>36.3f} {'':>3} | {'':19} "
            f"{mean['bound_centroids']:>20.3f} {mean['bound_kmeans']:>27.3f}"
        )
    return mean


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_data_argument(ap)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=5, help="k-means seeds per ARI (median).")
    ap.add_argument("--participants", type=int, default=2000)
    ap.add_argument("--ideas", type=int, default=900)
    ap.add_argument("--phones", type=int, default=300, help="Phones posting at once (intake).")
    ap.add_argument(
        "--before", type=Path, default=None, help="Another copy of src/ to compare with."
    )
    ap.add_argument("--agreement-only", action="store_true", help="Skip speed and intake.")
    ap.add_argument("--no-intake", action="store_true", help="Skip the intake burst.")
    ap.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = ap.parse_args()
    polis = data_folder(args.data) / "polis"
    if not polis.is_dir():
        raise SystemExit(f"No polis/ folder in {args.data}; expected the shared Polis exports.")
    survey = Path(__file__).resolve().parents[1] / "surveys" / "visioning.yaml"
    results: dict[str, object] = {}
    if args.before is not None:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, __file__, "--data", str(args.data), "--agreement-only",
                   "--seeds", str(args.seeds), "--json", f"{tmp}/before.json"]  # fmt: skip
            env = {**os.environ, "PYTHONPATH": str(args.before)}
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
            before = json.loads(Path(f"{tmp}/before.json").read_text())["agreement"]
        results["before"] = before
        results["before_mean"] = _print_agreement(before, f"before ({args.before})")
    rows = [
        agreement(f, survey, args.seeds) for f in sorted(p for p in polis.iterdir() if p.is_dir())
    ]
    results["agreement"] = rows
    results["mean"] = _print_agreement(rows, "this kit")
    if args.agreement_only:
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
        return
    sp = speed(args.participants, args.ideas, args.repeats)
    print(
        f"\nspeed {sp['participants']} x {sp['ideas']} ({sp['reactions']} reactions, "
        f"{sp['groups_found']} groups found): ours {sp['ours_median_s']} s (median of "
        f"{args.repeats}), baseline PCA + k-means {sp['baseline_median_s']} s"
    )
    if args.no_intake:
        if args.json:
            args.json.write_text(json.dumps({**results, "speed": sp}, indent=1))
        return
    it = intake(args.phones, survey)
    for name, r in it.items():
        print(
            f"intake {name:9}: {args.phones} phones at once, {r['acknowledged']} acknowledged "
            f"(303 after COMMIT), {r['stored']} stored, {r['per_s']}/s, p50 {r['p50_ms']} ms, "
            f"p95 {r['p95_ms']} ms"
        )
    if args.json:
        args.json.write_text(json.dumps({**results, "speed": sp, "intake": it}, indent=1))


if __name__ == "__main__":
    main()
