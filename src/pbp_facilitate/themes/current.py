"""The session's current themes, the one set every screen reads, and what ballots show.

The current themes are the session's latest stored snapshot (the latest fit with the
facilitator's edits replayed), with its *version* (:meth:`Store.theme_version`: it grows
with every refit, edit and undo). The dashboards, the room screen, the phone ballot, the
facilitator API, the equity panel and the summaries all read them through
:func:`current_themes`; nothing here fits anything (no scikit-learn), so the participant
pages can use it.

A voting round opened from the themes (:func:`start_theme_vote`) stores theme ids; its
options are named at display time by :func:`ballot_options`:

- a renamed theme shows its new label, in the viewer's language (``labels[lang]``,
  else the default label), with one short example quote;
- a theme **merged** into another while the round is open: its option is shown as the
  theme it went into (one line on the ballot, both options' dots added up), and its dots
  count for that theme in the totals (``merged_into``); nothing cast is lost;
- a theme **split** while the round is open keeps its id for its largest part, so its
  option and dots stay; the new parts are not on this ballot (the dashboard says so: start
  a new round to vote on them);
- an option whose theme is gone (a refit dissolved it) keeps the label it had when the
  round opened, and its dots.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationError
from ..store import Store, VotingRound
from ..text import shorten
from .display import theme_label

__all__ = [
    "BallotOption",
    "ThemeState",
    "ballot_options",
    "current_themes",
    "merged_into",
    "round_totals",
    "start_theme_vote",
    "tally",
]

QUOTE_CHARS = 90
"""Length of the example quote shown with a ballot option."""


@dataclass(frozen=True)
class ThemeState:
    """One version of a session's themes, with counts of what is visible now.

    Attributes
    ----------
    session_id : int
        The session.
    version : int
        The themes version (0: no themes yet).
    themes : list of dict
        ``{"id", "label", "labels", "label_source", "size", "quotes", "pinned", "terms",
        "members"}`` by id; ``size`` counts visible members, ``quotes`` skips hidden texts.
    item_ids : frozenset of str
        The submissions the fit saw.
    data : dict
        The stored snapshot.
    """

    session_id: int
    version: int
    themes: list[dict[str, Any]] = field(default_factory=list)
    item_ids: frozenset[str] = frozenset()
    data: dict[str, Any] = field(default_factory=dict)

    def by_id(self) -> dict[int, dict[str, Any]]:
        """Return ``{theme id: theme}``."""
        return {int(t["id"]): t for t in self.themes}

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Return the API view: ``{"version", "themes": [...]}`` (no member lists).

        ``label`` is the label in ``lang`` when given (``labels`` has every language).
        """
        return {
            "version": self.version,
            "themes": [
                {k: v for k, v in t.items() if k != "members"} | {"label": theme_label(t, lang)}
                for t in self.themes
            ],
        }


def current_themes(store: Store, session_id: int) -> ThemeState:
    """Return the session's current themes (empty, version 0, before the first fit).

    Reads the latest snapshot and which ideas are hidden now (a hide counts at once,
    before the next refit).
    """
    got = store.theme_state(session_id)
    if got is None:
        return ThemeState(session_id=session_id, version=0)
    version, snap = got
    subs = store.list_submissions(session_id, include_hidden=True)
    hidden = {s.id for s in subs if s.hidden}
    hidden_texts = {s.text for s in subs if s.hidden} - {s.text for s in subs if not s.hidden}
    themes = []
    for th in snap.get("themes") or []:
        if not isinstance(th, Mapping) or "id" not in th:
            continue
        members = [str(m) for m in th.get("members", []) if str(m) not in hidden]
        labels = th.get("labels")
        themes.append(
            {
                "id": int(th["id"]),
                "label": str(th.get("label", "")),
                "labels": dict(labels) if isinstance(labels, Mapping) else {},
                "label_source": str(th.get("label_source", "auto")),
                "size": len(members),
                "quotes": [str(q) for q in th.get("quotes", []) if q not in hidden_texts],
                "pinned": bool(th.get("pinned")),
                "terms": [str(t[0]) for t in th.get("terms", [])][:10],
                "members": members,
            }
        )
    themes.sort(key=lambda t: t["id"])
    return ThemeState(
        session_id=session_id,
        version=version,
        themes=themes,
        item_ids=frozenset(str(i) for i in snap.get("ids", [])),
        data=snap,
    )


def merged_into(edits: Iterable[Mapping[str, Any]], existing: Iterable[int]) -> dict[int, int]:
    """Return ``{theme id: the existing theme it was merged into}`` from the edits.

    A merge sends every listed theme to the first listed that exists; chains
    (5 into 3, then 3 into 1) are followed.
    """
    live = {int(t) for t in existing}
    into: dict[int, int] = {}
    for e in edits:
        if e.get("op") != "merge":
            continue
        ids = [int(t) for t in e.get("theme_ids", [])]
        for t in ids[1:]:
            into[t] = ids[0]
    out = {}
    for t in into:
        seen, cur = {t}, into[t]
        while cur not in live and cur in into and into[cur] not in seen:
            seen.add(cur)
            cur = into[cur]
        if t not in live and cur in live:
            out[t] = cur
    return out


@dataclass(frozen=True)
class BallotOption:
    """One line of a ballot: the options that now name one theme.

    Attributes
    ----------
    id : int
        The option id the ballot form uses (its theme's id when that is an option).
    option_ids : tuple of int
        Every option of the round counted on this line (more than one after a merge).
    theme_id : int or None
        The current theme it names (None: gone; the stored label is shown).
    label : str
        In the viewer's language.
    quote : str
        One short example of what the theme holds ("" when none).
    """

    id: int
    option_ids: tuple[int, ...]
    theme_id: int | None
    label: str
    quote: str = ""


def ballot_options(
    vround: VotingRound,
    state: ThemeState,
    lang: str | None = None,
    edits: Sequence[Mapping[str, Any]] = (),
) -> list[BallotOption]:
    """Return the lines of ``vround``'s ballot named as the themes are now (see the module).

    A round not opened from the themes shows its own labels.
    """
    if not vround.from_themes:
        return [
            BallotOption(int(o["id"]), (int(o["id"]),), None, str(o["label"]))
            for o in vround.options
        ]
    themes = state.by_id()
    into = merged_into(edits, themes)
    groups: dict[int | None, list[Mapping[str, Any]]] = {}
    order: list[int | None] = []
    gone = []
    for o in vround.options:
        oid = int(o["id"])
        tid = oid if oid in themes else into.get(oid)
        if tid is None:
            gone.append(o)
            continue
        if tid not in groups:
            groups[tid] = []
            order.append(tid)
        groups[tid].append(o)
    out = []
    for tid in order:
        opts = groups[tid]
        ids = tuple(int(o["id"]) for o in opts)
        th = themes[tid]  # type: ignore[index]
        rep = tid if tid in ids else ids[0]
        quote = shorten(th["quotes"][0], QUOTE_CHARS) if th["quotes"] else ""
        out.append(BallotOption(int(rep), ids, tid, theme_label(th, lang), quote))
    for o in gone:
        out.append(BallotOption(int(o["id"]), (int(o["id"]),), None, str(o["label"])))
    return out


def round_totals(
    store: Store,
    vround: VotingRound,
    state: ThemeState,
    lang: str | None = None,
) -> dict[str, Any]:
    """Return the round's results named as the themes are now.

    Returns
    -------
    dict
        ``{"options": [{"id", "label", "labels", "dots", "voters", "theme_id",
        "merged_into"}], "themes": [{"id", "label", "quote", "dots", "voters",
        "option_ids"}], "voters": n, "dots_cast": m}``: ``options`` per stored option
        (every cast dot, exactly once), ``themes`` per ballot line, largest first.
    """
    edits = store.list_theme_edits(vround.session_id) if vround.from_themes else []
    return tally(vround, state, store.vote_rows(vround.id), edits, lang)


def tally(
    vround: VotingRound,
    state: ThemeState,
    rows: Sequence[tuple[str, int, int]],
    edits: Sequence[Mapping[str, Any]] = (),
    lang: str | None = None,
) -> dict[str, Any]:
    """Count cast dots ``rows`` (``(participant key, option id, dots)``) as
    :func:`round_totals` does, without the store (the summaries count this way per language).
    """
    lines = ballot_options(vround, state, lang, edits)
    dots: dict[int, int] = {}
    voters: dict[int, set[str]] = {}
    for key, oid, n in rows:
        dots[oid] = dots.get(oid, 0) + n
        voters.setdefault(oid, set()).add(key)
    themes = state.by_id()
    line_of = {oid: line for line in lines for oid in line.option_ids}
    options = []
    for o in vround.options:
        oid = int(o["id"])
        line = line_of[oid]
        th = themes.get(line.theme_id) if line.theme_id is not None else None
        options.append(
            {
                "id": oid,
                "label": line.label,
                "labels": dict(th["labels"]) if th else {},
                "dots": dots.get(oid, 0),
                "voters": len(voters.get(oid, ())),
                "theme_id": line.theme_id,
                "merged_into": line.theme_id if line.theme_id not in (None, oid) else None,
            }
        )
    per_line = [
        {
            "id": line.id,
            "label": line.label,
            "quote": line.quote,
            "theme_id": line.theme_id,
            "option_ids": list(line.option_ids),
            "dots": sum(dots.get(i, 0) for i in line.option_ids),
            "voters": len(set().union(*(voters.get(i, set()) for i in line.option_ids))),
        }
        for line in lines
    ]
    per_line.sort(key=lambda d: (-d["dots"], d["id"]))
    return {
        "options": options,
        "themes": per_line,
        "voters": len({k for k, _, _ in rows}),
        "dots_cast": sum(n for _, _, n in rows),
    }


def start_theme_vote(
    store: Store, session_id: int, *, dots: int = 3, actor: str = "facilitator"
) -> VotingRound:
    """Open a dot-voting round on the session's current themes, by id.

    Every theme with a visible idea (or pinned) is an option; the round's options follow
    the themes' labels from then on (:func:`ballot_options`).

    Raises
    ------
    ValidationError
        When the session has no themes yet.
    """
    state = current_themes(store, session_id)
    options = [
        {"id": t["id"], "label": t["label"]} for t in state.themes if t["size"] > 0 or t["pinned"]
    ]
    if not options:
        raise ValidationError(
            "There are no themes to vote on yet: wait for a few ideas and the first theme fit "
            "(or press Refit now), then start voting.",
            field="options",
        )
    return store.start_voting_round(session_id, options, dots=dots, actor=actor, from_themes=True)
