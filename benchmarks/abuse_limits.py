"""Abuse from one address against a real ``pbp serve``: the old limits against the newcomer
limits (``intake/admission.py``), in the same run.

Each repeat starts, for each variant, two fresh ``pbp serve`` processes on 127.0.0.1 (a real
SQLite file each) and measures:

1. **Venue** (its own server): 300 people behind one address, 16 at a time, each loading the
   page once (one in two loses its cookie and loads it again, as when a QR code opens a preview
   browser first), reloading once with the cookie, sending 3 ideas, then casting a ballot once
   the facilitator opens a round. Counts refused requests (anything but 200/303).
2. **Fresh key per idea** (the audit's finding 1 as it stands since signed keys): 16 threads
   from the same address, each loop a new cookie jar that loads the page (a fresh signed key)
   and sends one junk idea, for ``--seconds`` (50 in the audit). Meanwhile a **genuine
   participant** whose key is over a minute old sends an idea every 2 s (the audit's 26 tries),
   and a **newcomer** opens the page 5 s into the attack and retries as told by
   ``Retry-After``. Reports junk ideas stored, the genuine participant's refusals and the
   newcomer's wait for a key.
3. **Ballot stuffing** (on the venue server, after the venue voted): fresh cookie jars that
   each load the page and cast a ballot, 16 threads, for ``--vote-seconds``. Reports ballots
   stored and whether the totals API flags more ballots than people seen.

Variants: ``old`` sets the four admission limits to 0 (off: only the per-key and per-address
limits, as before), ``new`` keeps the defaults. Medians over ``--repeats`` are printed (and
the per-run figures with ``--json``). Nothing is asserted.

Usage::

    .venv/bin/python benchmarks/abuse_limits.py                      # 3 repeats, 50 s attacks
    .venv/bin/python benchmarks/abuse_limits.py --repeats 1 --seconds 20 --vote-seconds 10
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "abuse-limits-benchmark-token-0123456789abcdef"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
IDEA_FORM = re.compile(r'<form method="post" action="/s/[A-Z0-9]+" class="idea".*?</form>', re.S)
OFF = {
    "PBP_NEW_KEYS_PER_IP_PER_MINUTE": "0",
    "PBP_SESSION_NEW_KEY_IDEAS_PER_IP_PER_MINUTE": "0",
    "PBP_ROUND_NEW_BALLOTS_PER_IP_PER_MINUTE": "0",
    "PBP_ROUND_NEW_BALLOTS_PER_MINUTE": "0",
}
VARIANTS = {"old": OFF, "new": {}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def idea_fields(page: str) -> dict[str, str]:
    """The hidden fields of the page's first idea form."""
    m = IDEA_FORM.search(page)
    if m is None:
        raise RuntimeError("no idea form on the page")
    return {k: unescape(v) for k, v in HIDDEN.findall(m.group(0))}


def vote_fields(page: str, code: str) -> dict[str, str]:
    """The hidden fields of the page's ballot form."""
    at = page.index(f'action="/s/{code}/vote"')
    return {k: unescape(v) for k, v in HIDDEN.findall(page[at : page.index("</form>", at)])}


class Server:
    """One ``pbp serve`` child with one session (and the store file it was seeded in)."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        from pbp_facilitate.store import Store
        from pbp_facilitate.surveys import load_survey

        folder.mkdir(parents=True)
        (folder / "workbooks").mkdir()
        db = f"sqlite:///{folder / 'pbp.sqlite3'}"
        with Store(db) as store:
            sess = store.create_session(
                load_survey(ROOT / "surveys" / "visioning.yaml"), "Abuse", code="ABUSE1"
            )
            self.session_id, self.code = sess.id, sess.code
            self.prompt_id = store.list_prompts(sess.id)[0].id
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        full = {k: v for k, v in os.environ.items() if not k.startswith("PBP_")}
        full.update({"PYTHONPATH": str(ROOT / "src"), **env})
        self.log = open(folder / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 - see stop
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pbp_facilitate", "--db", db, "serve", "--port"]
            + [str(self.port), "--token", TOKEN, "--no-browser", "--no-preheat"]
            + ["--workbooks", str(folder / "workbooks")],
            cwd=folder,
            env=full,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{self.base}/join", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"pbp serve did not start; see {self.log.name}")
            time.sleep(0.3)

    def api(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"token {TOKEN}"}
        return httpx.request(method, f"{self.base}{path}", headers=headers, timeout=60, **kw)

    def count_ideas(self) -> int:
        page = self.api("GET", f"/pbp/api/sessions/{self.session_id}").json()
        return int(page["submissions"]) + int(page["hidden"])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@contextmanager
def serving(folder: Path, env: dict[str, str]) -> Iterator[Server]:
    s = Server(folder, env)
    try:
        yield s
    finally:
        s.stop()


def client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, follow_redirects=False, timeout=60)


# -- 1. the venue -------------------------------------------------------------------------------


def venue(s: Server) -> dict[str, Any]:
    """300 people x (load, maybe load again without the cookie, reload, 3 ideas); then a vote."""
    people: list[httpx.Client] = []
    lock = threading.Lock()

    def person(i: int) -> list[int]:
        c = client(s.base)
        with lock:
            people.append(c)
        out = []
        r = c.get(f"/s/{s.code}")
        out.append(r.status_code)
        if i % 2:  # the QR preview browser first: its cookie is lost
            c.cookies.clear()
            out.append(c.get(f"/s/{s.code}").status_code)
        out.append(c.get(f"/s/{s.code}").status_code)  # a reload, cookie kept
        for j in range(3):
            page = c.get(f"/s/{s.code}")
            out.append(page.status_code)
            if page.status_code != 200:
                continue
            data = {**idea_fields(page.text), "text": f"person {i} idea {j}"}
            out.append(c.post(f"/s/{s.code}", data=data).status_code)
        return out

    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        statuses = [x for got in pool.map(person, range(300)) for x in got]
    took = time.monotonic() - started
    r = s.api(
        "POST",
        f"/pbp/api/sessions/{s.session_id}/voting",
        json={"options": [{"id": 1, "label": "Parks"}, {"id": 2, "label": "Buses"}], "dots": 3},
    )
    r.raise_for_status()
    rid = int(r.json()["id"])

    def vote(c: httpx.Client) -> int:
        page = c.get(f"/s/{s.code}")
        if page.status_code != 200:
            return page.status_code
        data = {**vote_fields(page.text, s.code), "dots_1": "2", "dots_2": "1"}
        return c.post(f"/s/{s.code}/vote", data=data).status_code

    v0 = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        votes = list(pool.map(vote, people))
    vote_took = time.monotonic() - v0
    for c in people:
        c.close()
    totals = s.api("GET", f"/pbp/api/voting/{rid}/totals").json()
    return {
        "venue_refused": sum(1 for x in statuses if x not in (200, 303)),
        "venue_ideas_stored": s.count_ideas(),
        "venue_seconds": round(took, 1),
        "venue_votes_refused": sum(1 for x in votes if x != 303),
        "venue_vote_seconds": round(vote_took, 1),
        "venue_voters": totals["voters"],
        "venue_flagged": bool(totals["turnout"]["over"]),
        "round_id": rid,
    }


# -- 2. a fresh key per idea, a genuine participant and a newcomer behind the same address --------


def attack(s: Server, seconds: float, genuine: httpx.Client) -> dict[str, Any]:
    stop = time.monotonic() + seconds
    sent = [0]
    lock = threading.Lock()

    def flood(_: int) -> int:
        n = 0
        with client(s.base) as jar:  # one keep-alive connection, its cookies dropped each time
            while time.monotonic() < stop:
                jar.cookies.clear()
                try:
                    page = jar.get(f"/s/{s.code}")
                    if page.status_code != 200:
                        continue
                    data = {**idea_fields(page.text), "text": "junk"}
                    if jar.post(f"/s/{s.code}", data=data).status_code == 303:
                        n += 1
                except httpx.TransportError:  # a dropped connection: the next loop reconnects
                    continue
        with lock:
            sent[0] += n
        return n

    genuine_codes: list[int] = []
    newcomer: dict[str, Any] = {}

    def genuine_loop() -> None:
        i = 0
        while time.monotonic() < stop:
            page = genuine.get(f"/s/{s.code}")
            if page.status_code == 200:
                data = {**idea_fields(page.text), "text": f"genuine idea {i}"}
                genuine_codes.append(genuine.post(f"/s/{s.code}", data=data).status_code)
            else:
                genuine_codes.append(page.status_code)
            i += 1
            time.sleep(max(0.0, min(2.0, stop - time.monotonic())))

    def newcomer_loop() -> None:
        time.sleep(5)
        t0 = time.monotonic()
        tries = 0
        with client(s.base) as c:
            while time.monotonic() < stop:
                tries += 1
                r = c.get(f"/s/{s.code}")
                if r.status_code == 200:
                    data = {**idea_fields(r.text), "text": "newcomer idea"}
                    ok = c.post(f"/s/{s.code}", data=data)
                    while ok.status_code == 429 and time.monotonic() < stop:
                        time.sleep(int(ok.headers.get("retry-after", "1")))
                        data = {**idea_fields(ok.text), "text": "newcomer idea"}
                        ok = c.post(f"/s/{s.code}", data=data)
                    newcomer.update(
                        key_after_s=round(time.monotonic() - t0, 1),
                        tries=tries,
                        idea_status=ok.status_code,
                    )
                    return
                time.sleep(int(r.headers.get("retry-after", "1")))
        newcomer.update(key_after_s=None, tries=tries, idea_status=None)

    before = s.count_ideas()
    extra = [threading.Thread(target=genuine_loop), threading.Thread(target=newcomer_loop)]
    for t in extra:
        t.start()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(flood, range(16)))
    for t in extra:
        t.join()
    stored = s.count_ideas() - before
    genuine_ideas = sum(1 for x in genuine_codes if x == 303)
    return {
        "junk_ideas_stored": stored
        - genuine_ideas
        - (1 if newcomer.get("idea_status") == 303 else 0),
        "genuine_tries": len(genuine_codes),
        "genuine_refused": sum(1 for x in genuine_codes if x != 303),
        "newcomer_key_after_s": newcomer.get("key_after_s"),
        "newcomer_idea_status": newcomer.get("idea_status"),
    }


# -- 3. ballot stuffing with fresh cookie jars ----------------------------------------------------


def stuff(s: Server, rid: int, seconds: float) -> dict[str, Any]:
    stop = time.monotonic() + seconds
    before = s.api("GET", f"/pbp/api/voting/{rid}/totals").json()["voters"]

    def jar_loop(_: int) -> int:
        n = 0
        with client(s.base) as jar:  # a fresh cookie jar each time, one connection
            while time.monotonic() < stop:
                jar.cookies.clear()
                try:
                    page = jar.get(f"/s/{s.code}")
                    if page.status_code != 200:
                        continue
                    data = {**vote_fields(page.text, s.code), "dots_2": "3"}
                    if jar.post(f"/s/{s.code}/vote", data=data).status_code == 303:
                        n += 1
                except httpx.TransportError:
                    continue
        return n

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(jar_loop, range(16)))
    totals = s.api("GET", f"/pbp/api/voting/{rid}/totals").json()
    return {
        "stuffed_ballots": totals["voters"] - before,
        "stuffing_flagged": bool(totals["turnout"]["over"]),
        "people_seen": totals["turnout"]["people_seen"],
    }


def run(variant: str, folder: Path, seconds: float, vote_seconds: float) -> dict[str, Any]:
    env = VARIANTS[variant]
    with serving(folder / "attack", env) as target, serving(folder / "venue", env) as room:
        genuine = client(target.base)
        page = genuine.get(f"/s/{target.code}")
        data = {**idea_fields(page.text), "text": "genuine first idea"}
        assert genuine.post(f"/s/{target.code}", data=data).status_code == 303
        key_at = time.monotonic()
        out: dict[str, Any] = venue(room)
        out.update(stuff(room, out.pop("round_id"), vote_seconds))
        time.sleep(max(0.0, 61 - (time.monotonic() - key_at)))  # the genuine key is old now
        out.update(attack(target, seconds, genuine))
        genuine.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=50.0, help="Length of the idea attack.")
    ap.add_argument("--vote-seconds", type=float, default=20.0, help="Length of the stuffing.")
    ap.add_argument("--json", action="store_true", help="Also print every run as JSON.")
    args = ap.parse_args()
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="pbp-abuse-") as tmp:
        for i in range(args.repeats):
            for variant in VARIANTS:
                got = run(variant, Path(tmp) / f"{variant}{i}", args.seconds, args.vote_seconds)
                runs[variant].append(got)
                print(f"{variant} run {i + 1}: {got}", flush=True)
    print(f"\nMedians of {args.repeats} run(s), attack {args.seconds:g} s:")
    keys = list(runs["new"][0])
    print(f"  {'figure':<24} {'old limits':>12} {'new limits':>12}")
    for k in keys:
        vals = []
        for v in VARIANTS:
            xs = [r[k] for r in runs[v] if isinstance(r[k], int | float) and r[k] is not None]
            vals.append(statistics.median(xs) if xs else None)
        print(f"  {k:<24} {vals[0]!s:>12} {vals[1]!s:>12}")
    old_junk = statistics.median(r["junk_ideas_stored"] for r in runs["old"])
    new_junk = statistics.median(r["junk_ideas_stored"] for r in runs["new"])
    if new_junk:
        print(f"  junk ideas old/new ratio: {old_junk / new_junk:.1f}x")
    if args.json:
        print(json.dumps(runs, indent=1))


if __name__ == "__main__":
    main()
