"""Equity lens: who is in the room, compared with the community.

Plain functions that take the pandas DataFrames the store hands out and return
DataFrames (or figures) a workbook or a papermill summary can display:

* **Community benchmarks** -- :class:`CommunityBenchmarks` /
  :func:`load_benchmarks` read group shares per dimension (race/ethnicity,
  neighbourhood, age band...) from a CSV and validate them.
* **Representation** -- :func:`representation` compares participants by group
  with the community (counts, shares, difference in points, ratio, flags);
  :func:`gap_sentences` words each flagged gap in English or Spanish;
  :func:`plot_representation` draws it.
* **Breakdowns** -- :func:`theme_breakdown`, :func:`vote_breakdown`,
  :func:`theme_sources` and :func:`group_priorities` break themes and votes
  down by group.
* **Disclosure control** -- :func:`suppress` turns any of these tables into a
  table of strings where counts under ``small_count`` people read ``"<5"`` and
  enough further cells read ``"*"`` that no hidden count can be worked out
  from the cells and totals that are shown.
* **Re-weighting** -- :func:`reweighted_theme_shares` puts theme shares
  re-weighted to the community's composition beside the raw shares.

Only consented demographics are used: a participant whose ``consented`` is not
``True``, or who left a dimension blank or chose "Prefer not to say", counts as
:data:`NOT_SHARED` -- never guessed. See ``docs/equity.md`` for the method.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import NotFoundError, ValidationError

__all__ = [
    "NOT_SHARED",
    "MORE_THAN_ONE",
    "COMPLEMENT_MARK",
    "KNOWN_DIMENSIONS",
    "DEFAULT_THRESHOLD",
    "DEFAULT_MIN_POINTS",
    "SUM_TOLERANCE_POINTS",
    "CommunityBenchmarks",
    "load_benchmarks",
    "shared_groups",
    "representation",
    "gap_sentences",
    "plot_representation",
    "theme_breakdown",
    "vote_breakdown",
    "theme_sources",
    "group_priorities",
    "reweighted_theme_shares",
    "suppress",
    "dimension_name",
]

#: Category used for participants who did not consent or did not answer.
NOT_SHARED = "not shared"
#: Group of a participant who chose several answers of a multiple-choice question.
MORE_THAN_ONE = "more than one"
#: Mark of a cell hidden only so that a small cell cannot be worked out.
COMPLEMENT_MARK = "*"
#: Dimensions accepted in a benchmark file unless ``dimensions=`` says otherwise.
KNOWN_DIMENSIONS: tuple[str, ...] = (
    "race_ethnicity",
    "neighbourhood",
    "age_band",
    "gender",
    "language",
    "income_band",
    "disability",
    "role",
    "lived_experience",
    "zip_code",
)
#: Representation ratio under which a group is flagged under-represented
#: (and over which ``1 / threshold`` it is flagged over-represented).
DEFAULT_THRESHOLD = 0.8
#: Smallest gap, in percentage points, that is flagged at all.
DEFAULT_MIN_POINTS = 3.0
#: How far a dimension's shares may be from 100 % (in points) and still load.
SUM_TOLERANCE_POINTS = 2.0

_DECLINED = {"", "not shared", "prefer not to say", "prefer not to answer", "decline", "declined",
             "prefiero no decirlo", "prefiero no responder", "nan", "none"}

_DIMENSION_NAMES = {
    "en": {
        "race_ethnicity": "race or ethnicity",
        "neighbourhood": "neighbourhood",
        "age_band": "age band",
        "lived_experience": "lived experience",
        "income_band": "income band",
        "zip_code": "ZIP code",
    },
    "es": {
        "race_ethnicity": "raza o etnia",
        "neighbourhood": "vecindario",
        "age_band": "grupo de edad",
        "gender": "género",
        "language": "idioma",
        "income_band": "nivel de ingresos",
        "disability": "discapacidad",
        "role": "rol",
        "lived_experience": "experiencia vivida",
        "zip_code": "código postal",
    },
}

_LANGS = ("en", "es")


def _check_lang(lang: str) -> str:
    if lang not in _LANGS:
        raise ValidationError(
            f"Language {lang!r} is not available for equity sentences; expected one of {list(_LANGS)}.",
            field="lang",
            code="unknown_language",
        )
    return lang


def dimension_name(dimension: str, lang: str = "en") -> str:
    """Return the plain-words name of a dimension key (``"age_band"`` -> ``"age band"``).

    Parameters
    ----------
    dimension : str
        Dimension key as used in the survey and the benchmark file.
    lang : {"en", "es"}
        Language of the name.

    Returns
    -------
    str
    """
    _check_lang(lang)
    return _DIMENSION_NAMES[lang].get(dimension, dimension.replace("_", " "))


# ---------------------------------------------------------------------------
# Community benchmarks
# ---------------------------------------------------------------------------


def _parse_number(raw: Any) -> float | None:
    """Parse ``"31.2"``, ``"31.2%"``, ``"1,234"``; ``None`` for blank; raise ValueError."""
    if raw is None:
        return None
    if isinstance(raw, int | float | np.integer | np.floating):
        if isinstance(raw, float | np.floating) and math.isnan(raw):
            return None
        return float(raw)
    text = str(raw).strip().replace(",", "").replace("%", "").strip()
    if text == "":
        return None
    value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(text)
    return value


@dataclass(frozen=True, eq=False)
class CommunityBenchmarks:
    """Group shares of the community, per dimension.

    Build one with :meth:`from_csv` (or :func:`load_benchmarks`) or
    :meth:`from_frame`; both validate the input and normalise shares to
    fractions that sum to exactly 1 per dimension.

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``dimension``, ``group``, ``share`` (fraction 0-1),
        ``label`` (English wording for sentences), ``label_es`` and
        ``source``, in file order.
    source : str
        Where the numbers came from (file name), for captions.
    """

    table: pd.DataFrame
    source: str = ""

    # -- construction -------------------------------------------------------

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        *,
        dimensions: Iterable[str] | None = None,
        groups: Mapping[str, Sequence[str]] | None = None,
    ) -> CommunityBenchmarks:
        """Read and validate a benchmark CSV.

        The file has a header row with ``dimension``, ``group`` and either
        ``share`` (percent 0-100 or fraction 0-1, detected per dimension from
        the sum) or ``count`` (converted to shares); optional ``label``,
        ``label_es`` and ``source`` columns. Blank lines and lines starting
        with ``#`` are skipped.

        Parameters
        ----------
        path : str or Path
            The CSV file.
        dimensions : iterable of str, optional
            Dimension keys the survey asks about; any other dimension in the
            file is an error. Defaults to :data:`KNOWN_DIMENSIONS`.
        groups : mapping, optional
            ``{dimension: categories}`` from the survey; when given, a group
            not among its dimension's categories is an error (catches typos
            such as ``"Latino"`` for ``"Hispanic or Latino"``).

        Returns
        -------
        CommunityBenchmarks

        Raises
        ------
        NotFoundError
            The file does not exist.
        ValidationError
            The file breaks a rule; the message names the line.
        """
        p = Path(path)
        if not p.is_file():
            raise NotFoundError(
                f"Benchmark file {str(p)!r} does not exist; expected a CSV with columns "
                "dimension,group,share (or count). See docs/equity.md to build one from census tables."
            )
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                f"Benchmark file {str(p)!r} is not UTF-8 text; save it as 'CSV UTF-8' and try again.",
                code="encoding",
            ) from exc
        kept: list[str] = []
        line_numbers: list[int] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip() == "" or line.lstrip().startswith("#"):
                continue
            kept.append(line)
            line_numbers.append(number)
        if not kept:
            raise ValidationError(
                f"Benchmark file {str(p)!r} is empty; expected a header row "
                "'dimension,group,share' followed by one row per group.",
                code="empty",
            )
        rows = list(csv.reader(io.StringIO("\n".join(kept))))
        header = [h.strip().lower() for h in rows[0]]
        records = []
        for values in rows[1:]:
            if len(values) > len(header):
                records.append(dict(zip(header, values, strict=False)) | {"__extra__": values[len(header):]})
            else:
                records.append(dict(zip(header, values, strict=False)))
        frame = pd.DataFrame(records, columns=header + (["__extra__"] if any("__extra__" in r for r in records) else []))
        wheres = [f"{p.name}, line {n}" for n in line_numbers[1:]]
        return cls._validate(frame, header, wheres, source=p.name, dimensions=dimensions, groups=groups,
                             origin=f"benchmark file {p.name!r}")

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        source: str = "",
        dimensions: Iterable[str] | None = None,
        groups: Mapping[str, Sequence[str]] | None = None,
    ) -> CommunityBenchmarks:
        """Validate benchmarks given as a DataFrame (same columns as the CSV).

        Parameters
        ----------
        frame : pandas.DataFrame
            Columns ``dimension``, ``group``, ``share`` or ``count``, optional
            ``label``, ``label_es``, ``source``.
        source : str
            Where the numbers came from, for captions.
        dimensions, groups
            As in :meth:`from_csv`.

        Returns
        -------
        CommunityBenchmarks
        """
        header = [str(c).strip().lower() for c in frame.columns]
        f = frame.copy()
        f.columns = header
        wheres = [f"row {i + 1}" for i in range(len(f))]
        return cls._validate(f, header, wheres, source=source, dimensions=dimensions, groups=groups,
                             origin="benchmark table")

    @classmethod
    def _validate(
        cls,
        frame: pd.DataFrame,
        header: list[str],
        wheres: list[str],
        *,
        source: str,
        dimensions: Iterable[str] | None,
        groups: Mapping[str, Sequence[str]] | None,
        origin: str,
    ) -> CommunityBenchmarks:
        missing = [c for c in ("dimension", "group") if c not in header]
        if missing or ("share" not in header and "count" not in header):
            raise ValidationError(
                f"The {origin} has columns {header}; expected 'dimension', 'group' and 'share' "
                "(percent or fraction) or 'count', e.g. 'dimension,group,share'. Fix the header row.",
                field="header",
                code="missing_column",
            )
        allowed = set(KNOWN_DIMENSIONS if dimensions is None else dimensions)
        if len(frame) == 0:
            raise ValidationError(
                f"The {origin} has a header but no rows; expected one row per group.", code="empty"
            )
        parsed: list[dict[str, Any]] = []
        seen: dict[tuple[str, str], str] = {}
        for i, row in enumerate(frame.to_dict("records")):
            where = wheres[i]
            extra = row.get("__extra__")
            if isinstance(extra, list) and any(str(v).strip() for v in extra):
                raise ValidationError(
                    f"{where}: has more values than the header has columns; quote a group name "
                    "that contains a comma, e.g. \"Hispanic or Latino, any race\".",
                    code="extra_values",
                )
            dim = str(row.get("dimension") or "").strip()
            grp = str(row.get("group") or "").strip()
            if dim in ("", "nan") or grp in ("", "nan"):
                raise ValidationError(
                    f"{where}: dimension {dim!r} and group {grp!r}; expected both to be filled in.",
                    field="group" if dim else "dimension",
                    code="blank",
                )
            if dim not in allowed:
                hint = _suggest(dim, sorted(allowed))
                raise ValidationError(
                    f"{where}: unknown dimension {dim!r}; expected one of {sorted(allowed)}.{hint} "
                    "Use the survey's dimension keys, or pass dimensions= with the survey's keys.",
                    field="dimension",
                    code="unknown_dimension",
                )
            if groups is not None and dim in groups:
                cats = [str(c) for c in groups[dim]]
                if grp not in cats:
                    hint = _suggest(grp, cats)
                    raise ValidationError(
                        f"{where}: group {grp!r} is not a category of {dim!r} in the survey; "
                        f"expected one of {cats}.{hint}",
                        field="group",
                        code="unknown_group",
                    )
            if (dim, grp) in seen:
                raise ValidationError(
                    f"{where}: group {grp!r} of {dim!r} appears twice (first at {seen[(dim, grp)]}); "
                    "expected each group once per dimension. Remove or merge the duplicate.",
                    field="group",
                    code="duplicate",
                )
            seen[(dim, grp)] = where
            values: dict[str, float | None] = {}
            for col in ("share", "count"):
                if col in header:
                    try:
                        values[col] = _parse_number(row.get(col))
                    except (TypeError, ValueError):
                        raise ValidationError(
                            f"{where}: {col} {row.get(col)!r} is not a number; expected e.g. "
                            f"{'31.2 (percent) or 0.312 (fraction)' if col == 'share' else '12345'}.",
                            field=col,
                            code="not_a_number",
                        ) from None
            given = [c for c, v in values.items() if v is not None]
            if len(given) != 1:
                raise ValidationError(
                    f"{where}: {'both share and count are' if given else 'neither share nor count is'} "
                    "filled in; expected exactly one of them per row.",
                    field="share",
                    code="share_or_count",
                )
            kind = given[0]
            value = values[kind]
            assert value is not None
            if value < 0:
                raise ValidationError(
                    f"{where}: {kind} of {grp!r} is {value:g}; expected a number of zero or more.",
                    field=kind,
                    code="negative",
                )

            parsed.append({"dimension": dim, "group": grp, "kind": kind, "value": value,
                           "label": _text(row, "label"), "label_es": _text(row, "label_es"),
                           "source": _text(row, "source"), "where": where})
        table = pd.DataFrame(parsed)
        shares = np.zeros(len(table))
        for dim, idx in table.groupby("dimension", sort=False).groups.items():
            sub = table.loc[idx]
            kinds = set(sub["kind"])
            if len(kinds) > 1:
                raise ValidationError(
                    f"Dimension {dim!r} in the {origin} mixes shares and counts; "
                    "expected all rows of a dimension to give the same one.",
                    field="share",
                    code="mixed",
                )
            total = float(sub["value"].sum())
            if kinds == {"count"}:
                if total <= 0:
                    raise ValidationError(
                        f"Counts for dimension {dim!r} in the {origin} add up to 0; "
                        "expected at least one positive count.",
                        field="count",
                        code="bad_sum",
                    )
            else:
                tol = SUM_TOLERANCE_POINTS
                if abs(total - 100.0) <= tol:
                    pass  # percent
                elif abs(total - 1.0) <= tol / 100.0:
                    pass  # fraction
                else:
                    raise ValidationError(
                        f"Shares for dimension {dim!r} in the {origin} add up to {total:g}; "
                        f"expected about 100 (percent) or about 1 (fraction), within {tol:g} points. "
                        "Check for a missing or mistyped group, or give counts in a 'count' column instead.",
                        field="share",
                        code="bad_sum",
                    )
            shares[np.asarray(idx)] = sub["value"].to_numpy() / total
        table["share"] = shares
        table = table[["dimension", "group", "share", "label", "label_es", "source"]].reset_index(drop=True)
        return cls(table=table, source=source)

    # -- access -------------------------------------------------------------

    @property
    def dimensions(self) -> list[str]:
        """Dimension keys, in file order."""
        return list(dict.fromkeys(self.table["dimension"]))

    def _require(self, dimension: str) -> pd.DataFrame:
        sub = self.table[self.table["dimension"] == dimension]
        if sub.empty:
            raise ValidationError(
                f"The community benchmarks have no dimension {dimension!r}; expected one of "
                f"{self.dimensions}. Add rows for it to the benchmark file or pick another dimension.",
                field="dimension",
                code="unknown_dimension",
            )
        return sub

    def groups(self, dimension: str) -> list[str]:
        """Groups of ``dimension``, in file order."""
        return list(self._require(dimension)["group"])

    def shares(self, dimension: str) -> pd.Series:
        """Community shares of ``dimension`` as fractions summing to 1, indexed by group."""
        sub = self._require(dimension)
        return pd.Series(sub["share"].to_numpy(), index=pd.Index(sub["group"], name="group"), name="share")

    def label(self, dimension: str, group: str, lang: str = "en") -> str:
        """Plain-words name of a group for sentences ("Hispanic or Latino residents").

        Falls back to a generic wording when the file has no label.
        """
        _check_lang(lang)
        sub = self.table[(self.table["dimension"] == dimension) & (self.table["group"] == group)]
        col = "label" if lang == "en" else "label_es"
        if not sub.empty and sub.iloc[0][col]:
            return str(sub.iloc[0][col])
        return _default_label(group, lang)

    def without(self, dimension: str, groups: Iterable[str]) -> CommunityBenchmarks:
        """Return benchmarks with some groups of a dimension dropped and the rest re-scaled.

        Use it when a group cannot take part (e.g. drop ``"Under 18"`` for an
        adults-only session): the remaining shares are divided by their sum.
        """
        drop = set(groups)
        self._require(dimension)
        keep = ~((self.table["dimension"] == dimension) & self.table["group"].isin(drop))
        table = self.table[keep].copy()
        mask = table["dimension"] == dimension
        total = table.loc[mask, "share"].sum()
        if total <= 0:
            raise ValidationError(
                f"Dropping {sorted(drop)} leaves no share for dimension {dimension!r}; keep at least one group.",
                code="bad_sum",
            )
        table.loc[mask, "share"] = table.loc[mask, "share"] / total
        return CommunityBenchmarks(table=table.reset_index(drop=True), source=self.source)

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return f"CommunityBenchmarks(source={self.source!r}, dimensions={self.dimensions})"


def load_benchmarks(
    path: str | Path,
    *,
    dimensions: Iterable[str] | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> CommunityBenchmarks:
    """Read and validate a community benchmark CSV; see :meth:`CommunityBenchmarks.from_csv`."""
    return CommunityBenchmarks.from_csv(path, dimensions=dimensions, groups=groups)


def _suggest(text: str, options: Sequence[str]) -> str:
    """`` Did you mean 'x'?`` for the closest option (by spelling or containment), or ``""``."""
    folded = text.casefold()
    close = difflib.get_close_matches(text, list(options), n=1)
    if not close:
        close = [o for o in options if folded and (folded in o.casefold() or o.casefold() in folded)][:1]
    return f" Did you mean {close[0]!r}?" if close else ""


def _text(row: Mapping[str, Any], key: str) -> str:
    v = row.get(key)
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()


def _default_label(group: str, lang: str) -> str:
    return f"{group} residents" if lang == "en" else f"Residentes del grupo «{group}»"


# ---------------------------------------------------------------------------
# Participants: consented demographics only
# ---------------------------------------------------------------------------


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"The {what} table has columns {list(frame.columns)}; expected also {missing}. "
            "Pass the DataFrame the store returns.",
            code="missing_column",
        )


def shared_groups(participants: pd.DataFrame, dimension: str) -> pd.Series:
    """Each participant's group on ``dimension``, or :data:`NOT_SHARED`.

    A participant counts as "not shared" when ``consented`` is not ``True``
    (whatever the value says), when the value is missing or blank, or when
    it is "Prefer not to say". Nothing is guessed. A dimension the table has
    no column for means nobody shared it. For a multiple-choice question a
    list with one answer counts as that answer and a list with several as
    :data:`MORE_THAN_ONE`, so each person is in exactly one group (the
    totals that disclosure control relies on stay true).

    Parameters
    ----------
    participants : pandas.DataFrame
        ``participant_key``, ``consented`` and one column per dimension.
    dimension : str
        Column to read.

    Returns
    -------
    pandas.Series
        Indexed by ``participant_key`` (first row kept for duplicated keys),
        values are group strings or :data:`NOT_SHARED`.
    """
    if participants is None or len(participants) == 0:
        return pd.Series([], index=pd.Index([], name="participant_key"), dtype=object, name=dimension)
    _require_columns(participants, ["participant_key", "consented"], "participants")
    p = participants.drop_duplicates("participant_key", keep="first")
    consented = p["consented"].map(lambda v: v is True or (isinstance(v, np.bool_) and bool(v)))
    if dimension in p.columns:
        raw = p[dimension]
    else:
        raw = pd.Series([None] * len(p), index=p.index)

    def _clean(v: Any) -> str:
        if isinstance(v, list | tuple | set | np.ndarray):
            items = sorted({c for c in (_clean(x) for x in v) if c != NOT_SHARED})
            if not items:
                return NOT_SHARED
            return items[0] if len(items) == 1 else MORE_THAN_ONE
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            return NOT_SHARED
        text = str(v).strip()
        return NOT_SHARED if text.casefold() in _DECLINED else text

    values = [(_clean(v) if ok else NOT_SHARED) for v, ok in zip(raw, consented, strict=True)]
    return pd.Series(values, index=pd.Index(p["participant_key"].astype(str), name="participant_key"),
                     dtype=object, name=dimension)


def _group_order(observed: Iterable[str], preferred: Sequence[str] | None) -> list[str]:
    obs = [g for g in dict.fromkeys(observed) if g != NOT_SHARED]
    order = list(preferred or [])
    order += sorted(g for g in obs if g not in order)
    return order


# ---------------------------------------------------------------------------
# Representation
# ---------------------------------------------------------------------------


def representation(
    participants: pd.DataFrame,
    benchmarks: CommunityBenchmarks,
    dimension: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_points: float = DEFAULT_MIN_POINTS,
    small_count: int = 5,
) -> pd.DataFrame:
    """Participants by group against the community.

    Shares of participants are out of those who shared the dimension. A
    group is flagged ``"under"`` when its representation ratio (participant
    share / community share) is below ``threshold`` *and* it is at least
    ``min_points`` percentage points short; ``"over"`` when the ratio is
    above ``1 / threshold`` and at least ``min_points`` points over. Nothing
    is flagged while fewer than ``small_count`` participants have shared.

    The numbers are exact: show the table through :func:`suppress` (or
    :func:`plot_representation` / :func:`gap_sentences`, which protect
    small counts themselves).

    Parameters
    ----------
    participants : pandas.DataFrame
        One row per participant (see :func:`shared_groups`).
    benchmarks : CommunityBenchmarks
        The community's shares.
    dimension : str
        Dimension key, e.g. ``"race_ethnicity"``.
    threshold : float
        Ratio flag threshold, between 0 and 1 (default 0.8: under 0.8 or over 1.25).
    min_points : float
        Smallest gap in points that is flagged.
    small_count : int
        Disclosure threshold (``Settings.small_count``).

    Returns
    -------
    pandas.DataFrame
        One row per benchmark group, then groups participants named that the
        benchmarks lack, then :data:`NOT_SHARED`; columns ``group``,
        ``label``, ``participants``, ``participant_share`` (percent of those
        who shared), ``community_share`` (percent), ``expected`` (people, if
        the room matched the community), ``difference_points``, ``ratio``,
        ``status`` (``under``/``over``/``ok``/``not in benchmarks``/
        ``too few shared``/``not shared``). ``attrs`` carry ``n_participants``,
        ``n_shared``, ``message`` and ``message_es``.
    """
    if not 0 < threshold < 1:
        raise ValidationError(
            f"threshold is {threshold!r}; expected a ratio between 0 and 1 such as 0.8.",
            field="threshold", code="bad_threshold",
        )
    if small_count < 1:
        raise ValidationError(f"small_count is {small_count!r}; expected 1 or more.", field="small_count")
    community = benchmarks.shares(dimension)
    groups_of = shared_groups(participants, dimension)
    counts = groups_of.value_counts()
    order = _group_order(counts.index, list(community.index))
    n_total = int(len(groups_of))
    n_not = int(counts.get(NOT_SHARED, 0))
    n_shared = n_total - n_not
    rows = []
    for g in order:
        c = int(counts.get(g, 0))
        comm = float(community[g]) * 100 if g in community.index else math.nan
        share = 100.0 * c / n_shared if n_shared else math.nan
        diff = share - comm if n_shared and not math.isnan(comm) else math.nan
        if math.isnan(comm) or not n_shared:
            ratio = math.nan
        elif comm == 0:
            ratio = math.inf if c else math.nan
        else:
            ratio = share / comm
        if math.isnan(comm):
            status = "not in benchmarks"
        elif n_shared < small_count:
            status = "too few shared"
        elif ratio < threshold and diff <= -min_points:
            status = "under"
        elif ratio > 1 / threshold and diff >= min_points:
            status = "over"
        else:
            status = "ok"
        rows.append({
            "group": g,
            "label": benchmarks.label(dimension, g) if g in community.index else _default_label(g, "en"),
            "label_es": benchmarks.label(dimension, g, "es") if g in community.index else _default_label(g, "es"),
            "participants": c,
            "participant_share": share,
            "community_share": comm,
            "expected": comm / 100 * n_shared if not math.isnan(comm) else math.nan,
            "difference_points": diff,
            "ratio": ratio,
            "status": status,
        })
    rows.append({"group": NOT_SHARED, "label": NOT_SHARED, "label_es": "no compartido", "participants": n_not,
                 "participant_share": math.nan, "community_share": math.nan, "expected": math.nan,
                 "difference_points": math.nan, "ratio": math.nan, "status": "not shared"})
    df = pd.DataFrame(rows)
    df["participants"] = df["participants"].astype(int)
    name_en, name_es = dimension_name(dimension, "en"), dimension_name(dimension, "es")
    if n_total == 0:
        msg = "No participants yet, so the room cannot be compared with the community."
        msg_es = "Todavía no hay participantes, así que no se puede comparar la sala con la comunidad."
    elif n_shared == 0:
        msg = (f"Nobody has shared their {name_en} ({n_total} participants, none shared), "
               "so the room cannot be compared with the community on it.")
        msg_es = (f"Nadie ha compartido su {name_es} ({n_total} participantes, ninguno lo compartió), "
                  "así que no se puede comparar la sala con la comunidad en esto.")
    elif n_shared < small_count:
        msg = (f"Only {n_shared} of {n_total} participants shared their {name_en}; at least "
               f"{small_count} are needed before the room is compared with the community.")
        msg_es = (f"Solo {n_shared} de {n_total} participantes compartieron su {name_es}; se necesitan "
                  f"al menos {small_count} para comparar la sala con la comunidad.")
    else:
        msg = f"{n_shared} of {n_total} participants shared their {name_en}."
        msg_es = f"{n_shared} de {n_total} participantes compartieron su {name_es}."
    df.attrs.update({
        "kind": "representation", "dimension": dimension, "small_count": int(small_count),
        "threshold": float(threshold), "min_points": float(min_points),
        "n_participants": n_total, "n_shared": n_shared, "n_not_shared": n_not,
        "message": msg, "message_es": msg_es, "source": benchmarks.source,
    })
    return df


def _pct(x: float, lang: str = "en") -> str:
    if math.isnan(x):
        return ""
    if 0 < x < 0.5:
        return "under 1%" if lang == "en" else "menos del 1 %"
    return f"{x:.0f}%" if lang == "en" else f"{x:.0f} %"


def _representation_hidden(rep: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Primary and complementary hidden masks over the group rows (not 'not shared')."""
    k = int(rep.attrs.get("small_count", 5))
    groups = rep[rep["group"] != NOT_SHARED]
    counts = groups["participants"].to_numpy(dtype=float)
    res = _protect(counts.reshape(-1, 1), counts.reshape(-1, 1), k, two_d=False)
    return res.primary[: len(counts)], res.complement[: len(counts)]


def gap_sentences(rep: pd.DataFrame, lang: str = "en", *, all_groups: bool = False) -> list[str]:
    """Plain-words sentence for each flagged gap of a :func:`representation` table.

    "Hispanic or Latino residents are 31% of the community and 12% of
    participants." Counts under ``small_count`` are never stated: such a
    group reads "... and fewer than 5 of the 40 participants who shared
    their race or ethnicity". When nobody (or too few) shared, or nothing is
    flagged, the list holds one sentence saying so.

    Parameters
    ----------
    rep : pandas.DataFrame
        Output of :func:`representation`.
    lang : {"en", "es"}
        Language.
    all_groups : bool
        Word every benchmark group, not only flagged ones.

    Returns
    -------
    list of str
        Under-represented gaps first, largest first; then over-represented.
    """
    _check_lang(lang)
    if rep.attrs.get("kind") != "representation":
        raise ValidationError("gap_sentences expected the table returned by representation().",
                              code="wrong_table")
    n_shared = int(rep.attrs["n_shared"])
    k = int(rep.attrs["small_count"])
    if n_shared < k:
        return [rep.attrs["message" if lang == "en" else "message_es"]]
    primary, complement = _representation_hidden(rep)
    groups = rep[rep["group"] != NOT_SHARED].copy()
    groups["_primary"] = primary
    groups["_complement"] = complement
    wanted = groups[groups["status"].isin(["under", "over"])] if not all_groups else groups[
        groups["status"] != "not in benchmarks"]
    under = wanted[wanted["status"] == "under"].sort_values("difference_points")
    rest = wanted[wanted["status"] != "under"].sort_values("difference_points", ascending=False)
    dim = dimension_name(rep.attrs["dimension"], lang)
    out = []
    for _, r in pd.concat([under, rest]).iterrows():
        label = r["label"]
        if lang == "es":
            label = r.get("label_es") or label
        comm = _pct(r["community_share"], lang)
        if r["_primary"]:
            part = (f"fewer than {k} of the {n_shared} participants who shared their {dim}" if lang == "en"
                    else f"menos de {k} de los {n_shared} participantes que compartieron su {dim}")
        elif r["_complement"]:
            part = ("a share of participants not shown, to protect a small group" if lang == "en"
                    else "una parte de los participantes que no se muestra para proteger a un grupo pequeño")
        else:
            part = (f"{_pct(r['participant_share'], lang)} of participants" if lang == "en"
                    else f"el {_pct(r['participant_share'], lang)} de los participantes")
        if lang == "en":
            out.append(f"{label} are {comm} of the community and {part}.")
        else:
            out.append(f"{label} son el {comm} de la comunidad y {part}.")
    if not out:
        out.append(
            f"No group is under- or over-represented beyond the threshold "
            f"({n_shared} participants shared their {dim})." if lang == "en" else
            f"Ningún grupo está sub- o sobrerrepresentado más allá del umbral "
            f"({n_shared} participantes compartieron su {dim})."
        )
    return out


def plot_representation(rep: pd.DataFrame, *, lang: str = "en", ax: Any = None) -> Any:
    """Bar chart of participant shares against community shares.

    Groups with fewer than ``small_count`` participants show a hatched band
    up to the largest share they could have, marked ``<5``; groups hidden to
    protect them show no bar and ``*``. Under-represented groups are marked.

    Parameters
    ----------
    rep : pandas.DataFrame
        Output of :func:`representation`.
    lang : {"en", "es"}
        Language of the labels.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    _check_lang(lang)
    if ax is None:
        fig = Figure(figsize=(8, 0.55 * max(3, len(rep)) + 1.2))
        ax = fig.add_subplot(1, 1, 1)
    else:
        fig = ax.figure
    k = int(rep.attrs["small_count"])
    n_shared = int(rep.attrs["n_shared"])
    dim = dimension_name(rep.attrs["dimension"], lang)
    title = (f"Who is in the room: {dim}" if lang == "en" else f"Quién está en la sala: {dim}")
    ax.set_title(title, pad=22)
    if n_shared < k:
        ax.text(0.5, 0.5, rep.attrs["message" if lang == "en" else "message_es"], ha="center",
                va="center", wrap=True, transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    primary, complement = _representation_hidden(rep)
    groups = rep[rep["group"] != NOT_SHARED].reset_index(drop=True)
    keep = ~groups["community_share"].isna()
    y = np.arange(int(keep.sum()))[::-1]
    g = groups[keep]
    prim = primary[keep.to_numpy()]
    comp = complement[keep.to_numpy()]
    h = 0.38
    ax.barh(y + h / 2, g["community_share"], height=h, color="#b0b0b0",
            label="Community" if lang == "en" else "Comunidad")
    shown = ~(prim | comp)
    ax.barh(y[shown] - h / 2, g["participant_share"].to_numpy()[shown], height=h, color="#2a6f97",
            label="Participants" if lang == "en" else "Participantes")
    cap = 100.0 * (k - 1) / n_shared
    if prim.any():
        ax.barh(y[prim] - h / 2, [cap] * int(prim.sum()), height=h, color="none", edgecolor="#2a6f97",
                hatch="///", label=(f"fewer than {k} people" if lang == "en" else f"menos de {k} personas"))
    xmax = max(float(np.nanmax(g["community_share"])), float(np.nanmax(
        np.where(shown, g["participant_share"].to_numpy(), 0.0))), cap if prim.any() else 0.0)
    for yi, p, c in zip(y, prim, comp, strict=True):
        if p:
            ax.text(cap + xmax * 0.01, yi - h / 2, f"<{k}", va="center", fontsize=8)
        elif c:
            ax.text(xmax * 0.01, yi - h / 2, COMPLEMENT_MARK, va="center", fontsize=9)
    for yi, status in zip(y, g["status"], strict=True):
        if status in ("under", "over"):
            word = {"under": ("under-represented", "subrepresentado"),
                    "over": ("over-represented", "sobrerrepresentado")}[status][0 if lang == "en" else 1]
            ax.text(xmax * 1.12, yi, ("▼ " if status == "under" else "▲ ") + word, va="center",
                    fontsize=8, color="#b5179e" if status == "under" else "#555555")
    ax.set_yticks(y)
    ax.set_yticklabels(list(g["group"]))
    ax.set_xlim(0, xmax * 1.6 + 1)
    ax.set_xlabel("% (participants: of those who shared)" if lang == "en"
                  else "% (participantes: de quienes compartieron)")
    # Above the bars, so it never covers a group or its under/over mark.
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, fontsize=8, frameon=False,
              borderaxespad=0.2)
    ax.text(0, -0.12 - 0.02 * len(y) / 10, rep.attrs["message" if lang == "en" else "message_es"],
            transform=ax.transAxes, fontsize=8, va="top")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------
# Breakdowns
# ---------------------------------------------------------------------------


def _visible_submissions(submissions: pd.DataFrame, include_unclear: bool) -> pd.DataFrame:
    if submissions is None or len(submissions) == 0:
        return pd.DataFrame(columns=["participant_key", "theme_id"])
    _require_columns(submissions, ["participant_key", "theme_id"], "submissions")
    s = submissions
    if "hidden" in s.columns:
        s = s[~s["hidden"].fillna(False).astype(bool)]
    s = s[["participant_key", "theme_id"]].dropna(subset=["theme_id"]).copy()
    # an idea with no participant (e.g. imported sticky notes) is an unknown person of its own
    missing = s["participant_key"].isna()
    s["participant_key"] = s["participant_key"].astype(str)
    s.loc[missing, "participant_key"] = [f"(no participant key) #{i}" for i in range(int(missing.sum()))]
    s["theme_id"] = s["theme_id"].astype(int)
    if not include_unclear:
        s = s[s["theme_id"] != -1]
    return s


def _theme_label(theme_id: int, theme_labels: Mapping[int, str] | None) -> Any:
    if theme_labels is not None and theme_id in theme_labels:
        return theme_labels[theme_id]
    if theme_id == -1:
        return "Unclear"
    return theme_id


def _attach_groups(frame: pd.DataFrame, participants: pd.DataFrame, dimension: str) -> pd.DataFrame:
    groups_of = shared_groups(participants, dimension)
    out = frame.copy()
    out["group"] = out["participant_key"].map(groups_of).fillna(NOT_SHARED)
    return out


def _crosstab(pairs: pd.DataFrame, value: str | None, groups: Sequence[str] | None,
              theme_labels: Mapping[int, str] | None) -> pd.DataFrame:
    columns = _group_order(pairs["group"], groups) + [NOT_SHARED]
    themes = sorted(pairs["theme_id"].unique())
    if value is None:
        table = pairs.groupby(["theme_id", "group"])["participant_key"].nunique().unstack(fill_value=0)
    else:
        table = pairs.groupby(["theme_id", "group"])[value].sum().unstack(fill_value=0)
    table = table.reindex(index=themes, columns=columns, fill_value=0).astype(int)
    table.index = pd.Index([_theme_label(int(t), theme_labels) for t in themes], name="theme")
    table.columns = pd.Index(columns, name="group")
    return table


def theme_breakdown(
    submissions: pd.DataFrame,
    participants: pd.DataFrame,
    dimension: str,
    *,
    groups: Sequence[str] | None = None,
    theme_labels: Mapping[int, str] | None = None,
    include_unclear: bool = False,
    small_count: int = 5,
) -> pd.DataFrame:
    """People who raised each theme, by group.

    A cell counts distinct participants (someone who wrote five ideas on a
    theme counts once), so the disclosure rule applies to people. Hidden
    submissions are left out; so is theme ``-1`` (unclear) unless
    ``include_unclear``.

    Parameters
    ----------
    submissions, participants : pandas.DataFrame
        As the store returns them.
    dimension : str
        Dimension key.
    groups : sequence of str, optional
        Column order (e.g. the survey's categories, or
        ``benchmarks.groups(dimension)``); groups nobody named are shown as
        zero columns when listed here.
    theme_labels : mapping, optional
        ``{theme_id: label}`` for the row index.
    include_unclear : bool
        Keep theme -1.
    small_count : int
        Disclosure threshold, used later by :func:`suppress`.

    Returns
    -------
    pandas.DataFrame
        Exact counts, rows themes, columns groups then :data:`NOT_SHARED`.
        Show it through :func:`suppress`.
    """
    s = _visible_submissions(submissions, include_unclear)
    pairs = _attach_groups(s, participants, dimension)
    table = _crosstab(pairs, None, groups, theme_labels)
    table.attrs.update({"kind": "breakdown", "measure": "people", "dimension": dimension,
                        "small_count": int(small_count)})
    if table.empty:
        table.attrs["message"] = "No ideas with a theme yet."
    return table


def vote_breakdown(
    votes: pd.DataFrame,
    participants: pd.DataFrame,
    dimension: str,
    *,
    groups: Sequence[str] | None = None,
    theme_labels: Mapping[int, str] | None = None,
    dots_per_participant: int | None = None,
    small_count: int = 5,
) -> pd.DataFrame:
    """Dots each theme got, by group of the voter.

    Parameters
    ----------
    votes, participants : pandas.DataFrame
        As the store returns them (``participant_key``, ``theme_id``, ``dots``).
    dimension : str
        Dimension key.
    groups, theme_labels
        As in :func:`theme_breakdown`.
    dots_per_participant : int, optional
        Most dots one person can give (the session's rule); used by
        :func:`suppress` to model what a reader can infer. Defaults to the
        largest number of dots any one participant gave.
    small_count : int
        Disclosure threshold.

    Returns
    -------
    pandas.DataFrame
        Exact dots, rows themes, columns groups then :data:`NOT_SHARED`.
        ``attrs["people"]`` holds the matching voter counts, which decide
        what :func:`suppress` hides (a cell of dots from fewer than
        ``small_count`` people reads ``"<5 people"``).
    """
    if votes is None or len(votes) == 0:
        v = pd.DataFrame(columns=["participant_key", "theme_id", "dots"])
    else:
        _require_columns(votes, ["participant_key", "theme_id", "dots"], "votes")
        v = votes[["participant_key", "theme_id", "dots"]].copy()
        v["participant_key"] = v["participant_key"].astype(str)
        v["dots"] = pd.to_numeric(v["dots"], errors="coerce").fillna(0).astype(int)
        v = v[(v["dots"] > 0) & (v["theme_id"].astype(int) != -1)]
        v["theme_id"] = v["theme_id"].astype(int)
    pairs = _attach_groups(v, participants, dimension)
    dots = _crosstab(pairs, "dots", groups, theme_labels)
    people = _crosstab(pairs, None, groups, theme_labels).reindex_like(dots)
    if dots_per_participant is None:
        dots_per_participant = int(v.groupby("participant_key")["dots"].sum().max()) if len(v) else 1
    voters = pairs.drop_duplicates("participant_key")["group"].value_counts()
    dots.attrs.update({"kind": "breakdown", "measure": "dots", "dimension": dimension,
                       "small_count": int(small_count), "people": people.to_numpy().tolist(),
                       "max_per_person": int(dots_per_participant),
                       "group_voters": {str(g): int(n) for g, n in voters.items()}})
    if dots.empty:
        dots.attrs["message"] = "No votes yet."
    return dots


def theme_sources(
    breakdown: pd.DataFrame,
    *,
    small_count: int | None = None,
) -> pd.DataFrame:
    """Which group each theme came mostly from.

    Parameters
    ----------
    breakdown : pandas.DataFrame
        Output of :func:`theme_breakdown`.
    small_count : int, optional
        Defaults to the breakdown's own.

    Returns
    -------
    pandas.DataFrame
        Index theme; columns ``people`` (who raised it), ``top_group`` (the
        group with the most people among those who shared; empty when that
        group has fewer than ``small_count`` people), ``top_group_share``
        (percent of the theme's people; NaN when that cell is hidden in
        :func:`suppress`), ``group_share_of_contributors`` (the group's
        percent of everyone's theme mentions, for comparison) and ``lift``
        (the ratio of the two).
    """
    k = int(small_count if small_count is not None else breakdown.attrs.get("small_count", 5))
    res = _protect_table(breakdown, k)
    inner_hidden = res.hidden[: breakdown.size].reshape(breakdown.shape)
    groups = [c for c in breakdown.columns if c != NOT_SHARED]
    total = breakdown.to_numpy().sum()
    col_share = {g: (100.0 * breakdown[g].sum() / total if total else math.nan) for g in groups}
    rows = []
    for i, theme in enumerate(breakdown.index):
        people = int(breakdown.iloc[i].sum())
        row = {"theme": theme, "people": people, "top_group": "", "top_group_share": math.nan,
               "group_share_of_contributors": math.nan, "lift": math.nan}
        if groups:
            vals = breakdown.iloc[i][groups]
            top = str(vals.idxmax())
            cell = int(vals.max())
            if cell >= k:
                row["top_group"] = top
                row["group_share_of_contributors"] = col_share[top]
                j = list(breakdown.columns).index(top)
                if not inner_hidden[i, j]:
                    row["top_group_share"] = 100.0 * cell / people
                    if col_share[top]:
                        row["lift"] = row["top_group_share"] / col_share[top]
        rows.append(row)
    out = pd.DataFrame(rows, columns=["theme", "people", "top_group", "top_group_share",
                                      "group_share_of_contributors", "lift"]).set_index("theme")
    out.attrs.update({"kind": "sources", "dimension": breakdown.attrs.get("dimension"), "small_count": k})
    return out


def group_priorities(
    votes_table: pd.DataFrame,
    group: str | None = None,
    *,
    rep: pd.DataFrame | None = None,
    top: int = 5,
) -> pd.DataFrame:
    """A group's top priorities compared with everyone's.

    Parameters
    ----------
    votes_table : pandas.DataFrame
        Output of :func:`vote_breakdown`.
    group : str, optional
        The group; when omitted, the most under-represented group of
        ``rep`` (lowest ratio among flagged groups, else lowest ratio).
    rep : pandas.DataFrame, optional
        Output of :func:`representation`, needed when ``group`` is omitted.
    top : int
        Rows to keep.

    Returns
    -------
    pandas.DataFrame
        Index theme; columns ``group_share`` (percent of the group's dots),
        ``everyone_share``, ``difference_points``, ``group_rank``,
        ``everyone_rank``, ordered by the group's share. Themes whose cell is
        hidden by :func:`suppress` are left out (their order would give them
        away). When the group has fewer than ``small_count`` voters the
        table is empty and ``attrs["message"]`` says why.
    """
    k = int(votes_table.attrs.get("small_count", 5))
    if group is None:
        if rep is None:
            raise ValidationError("group_priorities needs group= or rep= (a representation table).",
                                  field="group", code="missing")
        cand = rep[(rep["group"] != NOT_SHARED) & rep["ratio"].notna()]
        flagged = cand[cand["status"] == "under"]
        pick = flagged if not flagged.empty else cand
        if pick.empty:
            out = pd.DataFrame(columns=["group_share", "everyone_share", "difference_points",
                                        "group_rank", "everyone_rank"])
            out.attrs.update({"kind": "priorities", "group": None,
                              "message": rep.attrs.get("message", "No group to compare.")})
            return out
        group = str(pick.sort_values("ratio").iloc[0]["group"])
    columns = ["group_share", "everyone_share", "difference_points", "group_rank", "everyone_rank"]
    empty = pd.DataFrame(columns=columns)
    empty.index.name = "theme"
    if group not in votes_table.columns:
        empty.attrs.update({"kind": "priorities", "group": group,
                            "message": f"Nobody from {group} has voted yet."})
        return empty
    people = np.asarray(votes_table.attrs.get("people", votes_table.to_numpy().tolist()))
    j = list(votes_table.columns).index(group)
    voters_in_group = None
    if "group_voters" in votes_table.attrs:
        voters_in_group = votes_table.attrs["group_voters"].get(group)
    if voters_in_group is None:
        voters_in_group = int(people[:, j].sum())  # person-theme pairs: at least the voters
    if voters_in_group < k:
        empty.attrs.update({"kind": "priorities", "group": group, "message": (
            f"Fewer than {k} people from {group} have voted, so their priorities are not shown "
            "separately, to protect their privacy.")})
        return empty
    res = _protect_table(votes_table, k)
    hidden = res.hidden[: votes_table.size].reshape(votes_table.shape)[:, j]
    dots = votes_table[group].to_numpy(dtype=float)
    everyone = votes_table.to_numpy(dtype=float).sum(axis=1)
    g_total, e_total = dots.sum(), everyone.sum()
    df = pd.DataFrame({
        "group_share": 100 * dots / g_total if g_total else np.nan,
        "everyone_share": 100 * everyone / e_total if e_total else np.nan,
    }, index=votes_table.index)
    df["difference_points"] = df["group_share"] - df["everyone_share"]
    df["everyone_rank"] = df["everyone_share"].rank(ascending=False, method="min").astype(int)
    df = df[~hidden]
    df["group_rank"] = df["group_share"].rank(ascending=False, method="min").astype(int)
    df = df.sort_values(["group_share", "everyone_share"], ascending=False).head(top)[columns]
    n_hidden = int(hidden.sum())
    msg = f"Top priorities of {group} (share of their dots) compared with everyone's."
    if n_hidden:
        msg += f" {n_hidden} theme(s) with votes from fewer than {k} of them are not ranked."
    df.attrs.update({"kind": "priorities", "group": group, "message": msg})
    return df


# ---------------------------------------------------------------------------
# Re-weighting
# ---------------------------------------------------------------------------


def reweighted_theme_shares(
    submissions: pd.DataFrame,
    participants: pd.DataFrame,
    benchmarks: CommunityBenchmarks,
    dimension: str,
    *,
    theme_labels: Mapping[int, str] | None = None,
    small_count: int = 5,
) -> pd.DataFrame:
    """Theme shares re-weighted to the community's composition, beside the raw shares.

    Raw share of a theme: percent of contributors (participants with at
    least one visible idea) who raised it. Re-weighted share
    (post-stratification): for each benchmark group with at least
    ``small_count`` contributors, the percent of the group's contributors who
    raised the theme, averaged with the group's community share as weight
    (weights re-scaled over those groups). Participants who did not share,
    and groups with too few contributors, are left out of the re-weighted
    figure; ``attrs["coverage"]`` is the share of the community the used
    groups make up. Themes raised by fewer than ``small_count`` people get
    no re-weighted figure (it could reveal who raised them).

    Parameters
    ----------
    submissions, participants : pandas.DataFrame
        As the store returns them.
    benchmarks : CommunityBenchmarks
        The community's shares, giving the weights.
    dimension : str
        Dimension to re-weight on, e.g. ``"race_ethnicity"``.
    theme_labels : mapping, optional
        ``{theme_id: label}`` for the index.
    small_count : int
        Disclosure threshold (``Settings.small_count``).

    Returns
    -------
    pandas.DataFrame
        Index theme; columns ``people``, ``raw_share``, ``reweighted_share``,
        ``difference_points``. ``attrs["method"]`` states the method in one
        paragraph; ``attrs["groups_used"]`` and ``attrs["groups_left_out"]``.
    """
    s_all = _visible_submissions(submissions, include_unclear=True)
    s_all = _attach_groups(s_all, participants, dimension)
    contributors = s_all.drop_duplicates("participant_key")
    community = benchmarks.shares(dimension)
    n_by_group = contributors["group"].value_counts()
    used = [g for g in community.index if n_by_group.get(g, 0) >= small_count]
    left_out = [g for g in community.index if g not in used]
    weights = community[used] / community[used].sum() if used else community[[]]
    coverage = float(community[used].sum()) if used else 0.0
    s = s_all[s_all["theme_id"] != -1]
    n_contrib = len(contributors)
    rows = []
    for t in sorted(s["theme_id"].unique()):
        st = s[s["theme_id"] == t].drop_duplicates("participant_key")
        people = len(st)
        raw = 100.0 * people / n_contrib if n_contrib else math.nan
        rw = math.nan
        if used and people >= small_count:
            by_g = st["group"].value_counts()
            rw = 100.0 * float(sum(weights[g] * by_g.get(g, 0) / n_by_group[g] for g in used))
        rows.append({"theme": _theme_label(int(t), theme_labels), "people": people, "raw_share": raw,
                     "reweighted_share": rw, "difference_points": rw - raw})
    out = pd.DataFrame(rows, columns=["theme", "people", "raw_share", "reweighted_share",
                                      "difference_points"]).set_index("theme")
    source = f" (from {benchmarks.source})" if benchmarks.source else ""
    method = (
        f"Re-weighted shares use post-stratification on {dimension_name(dimension)}: each group's "
        f"share of people raising a theme is weighted by the group's share of the community{source} "
        "instead of its share of the participants, so every group counts as much as it does in the "
        f"community. Participants who did not share their {dimension_name(dimension)}, and groups with "
        f"fewer than {small_count} contributors, are left out of the re-weighted figure"
        + (f" ({', '.join(left_out)})" if left_out else "")
        + f"; the groups used make up {100 * coverage:.0f}% of the community. Raw shares count every "
        f"contributor once. Themes raised by fewer than {small_count} people have no re-weighted share."
    )
    message = "" if used else (
        f"No group has {small_count} or more contributors who shared their {dimension_name(dimension)}, "
        "so no re-weighted shares can be given yet.")
    out.attrs.update({"kind": "reweighted", "dimension": dimension, "small_count": int(small_count),
                      "method": method, "coverage": coverage, "groups_used": used,
                      "groups_left_out": left_out, "contributors": n_contrib, "message": message})
    return out


# ---------------------------------------------------------------------------
# Disclosure control
# ---------------------------------------------------------------------------


@dataclass
class _Protection:
    values: np.ndarray  # every item: cells (row-major), then margins
    primary: np.ndarray
    complement: np.ndarray
    relations: list[list[tuple[int, int]]]
    lower: np.ndarray
    upper: np.ndarray
    derivable: list[int]

    @property
    def hidden(self) -> np.ndarray:
        return self.primary | self.complement


def _items(cells: np.ndarray, two_d: bool) -> tuple[np.ndarray, list[list[tuple[int, int]]], int]:
    """All published items (cells then margins) and the sum relations between them."""
    r, c = cells.shape
    n = r * c
    def cell(i: int, j: int) -> int:
        return i * c + j
    if not two_d:
        values = np.concatenate([cells.ravel(), [cells.sum()]])
        rel = [[(cell(i, 0), 1) for i in range(r)] + [(n, -1)]]
        return values, rel, n
    row_tot = cells.sum(axis=1)
    col_tot = cells.sum(axis=0)
    values = np.concatenate([cells.ravel(), row_tot, col_tot, [cells.sum()]])
    R = n
    C = n + r
    G = n + r + c
    rel = []
    for i in range(r):
        rel.append([(cell(i, j), 1) for j in range(c)] + [(R + i, -1)])
    for j in range(c):
        rel.append([(cell(i, j), 1) for i in range(r)] + [(C + j, -1)])
    rel.append([(R + i, 1) for i in range(r)] + [(G, -1)])
    rel.append([(C + j, 1) for j in range(c)] + [(G, -1)])
    return values, rel, n


def _pinned(p: _Protection) -> list[int]:
    """Hidden items a reader could work out exactly from what is shown (by linear programming)."""
    from scipy.optimize import linprog

    hidden = np.flatnonzero(p.hidden)
    if len(hidden) == 0:
        return []
    pos = {int(h): t for t, h in enumerate(hidden)}
    # connected components of hidden items through relations
    parent = list(range(len(hidden)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    rel_rows = []
    for rel in p.relations:
        hs = [pos[i] for i, _ in rel if i in pos]
        if not hs:
            continue
        for a in hs[1:]:
            parent[find(a)] = find(hs[0])
        rel_rows.append(rel)
    comps: dict[int, list[int]] = {}
    for t in range(len(hidden)):
        comps.setdefault(find(t), []).append(t)
    out: list[int] = []
    for members in comps.values():
        local = {m: q for q, m in enumerate(members)}
        a_rows, b = [], []
        for rel in rel_rows:
            row = np.zeros(len(members))
            rhs = 0.0
            touched = False
            for i, coef in rel:
                if i in pos and pos[i] in local:
                    row[local[pos[i]]] += coef
                    touched = True
                elif i in pos:
                    touched = False
                    break
                else:
                    rhs -= coef * p.values[i]
            if touched:
                a_rows.append(row)
                b.append(rhs)
        items = [int(hidden[m]) for m in members]
        bounds = [(float(p.lower[i]), None if math.isinf(p.upper[i]) else float(p.upper[i])) for i in items]
        if not a_rows:
            for i in items:
                if p.upper[i] - p.lower[i] < 0.5:
                    out.append(i)
            continue
        A = np.vstack(a_rows)
        bb = np.asarray(b)
        # every feasible solution found so far; an item taking two values in them is not pinned,
        # which spares most of the linear programs (the true values are the first solution)
        low = p.values[items].astype(float).copy()
        high = low.copy()
        for q, i in enumerate(items):
            if high[q] - low[q] >= 0.5:
                continue
            cvec = np.zeros(len(members))
            cvec[q] = 1.0
            spread = False
            for sign in (1.0, -1.0):
                res = linprog(sign * cvec, A_eq=A, b_eq=bb, bounds=bounds, method="highs")
                if res.status == 3:  # unbounded: certainly not pinned
                    spread = True
                    break
                if res.status == 0:
                    low = np.minimum(low, res.x)
                    high = np.maximum(high, res.x)
                    if high[q] - low[q] >= 0.5:
                        spread = True
                        break
            if not spread:
                out.append(i)
    return out


def _protect(
    cells: np.ndarray,
    people: np.ndarray,
    k: int,
    *,
    two_d: bool,
    show_zeros: bool = False,
    people_table: bool = True,
    max_per_person: float | None = None,
) -> _Protection:
    """Primary and complementary suppression over cells and margins.

    A reader is assumed to know every shown value, every sum relation
    (rows, columns, totals), that a ``<k`` item lies in ``[0, k-1]`` (in
    ``[1, k-1]`` when zeros are shown; for value tables ``[0, (k-1) *
    max_per_person]``) and that a ``*`` item is at least ``k``.
    """
    values, relations, n = _items(cells.astype(float), two_d)
    ppl, _, _ = _items(people.astype(float), two_d)
    primary = ppl < k
    if show_zeros:
        primary &= ppl > 0
    complement = np.zeros_like(primary)
    lower = np.zeros(len(values))
    upper = np.full(len(values), math.inf)
    lb0 = 1.0 if show_zeros else 0.0
    if people_table:
        upper[primary] = k - 1
        lower[primary] = lb0
    else:
        lower[primary] = lb0
        if max_per_person:
            upper[primary] = (k - 1) * max_per_person
    p = _Protection(values, primary, complement, relations, lower, upper, [])
    item_rels: dict[int, list[int]] = {}
    for ri, rel in enumerate(relations):
        for i, _ in rel:
            item_rels.setdefault(i, []).append(ri)

    def pick(rel: list[tuple[int, int]], inner_only: bool = False) -> int | None:
        best = None
        for i, _ in rel:
            if p.hidden[i] or values[i] <= 0 or (inner_only and i >= n):
                continue
            helps = sum(1 for ri in item_rels[i]
                        if sum(1 for j, _ in relations[ri] if p.hidden[j]) == 1)
            key = (i >= n, -helps, values[i], i)
            if best is None or key < best[0]:
                best = (key, i)
        return None if best is None else best[1]

    def hide(i: int) -> None:
        p.complement[i] = True
        p.lower[i] = float(k)
        p.upper[i] = math.inf

    for _ in range(len(values) + 1):  # each round hides at least one more item, or stops
        changed = False
        for rel in relations:
            if sum(1 for i, _ in rel if p.hidden[i]) == 1:
                cand = pick(rel)
                if cand is not None:
                    hide(cand)
                    changed = True
        if changed:
            continue
        pinned = _pinned(p)
        if not pinned:
            break
        touched: set[int] = set()
        for i in pinned:
            rels = sorted(item_rels.get(i, []), key=lambda r: min(j for j, _ in relations[r]) >= n)
            if touched.intersection(rels):
                continue  # a complement was just added next to it; check again first
            for ri in rels:
                cand = pick(relations[ri], inner_only=True)
                if cand is not None:
                    hide(cand)
                    touched.update(item_rels[cand])
                    changed = True
                    break
        if not changed:
            # the derivation runs through other rows or columns: hide the smallest shown cell that
            # shares a row or column with a hidden item
            near = {j for rel in relations if any(p.hidden[x] for x, _ in rel)
                    for j, _ in rel if j < n and not p.hidden[j] and values[j] > 0}
            if near:
                hide(min(near, key=lambda j: (values[j], j)))
                changed = True
        if not changed:
            # last resort: hide a total
            for i in pinned:
                for ri in item_rels.get(i, []):
                    cand = pick(relations[ri])
                    if cand is not None:
                        hide(cand)
                        changed = True
                        break
                if changed:
                    break
        if not changed:
            p.derivable = pinned
            break
    else:  # pragma: no cover - the loop always stops earlier
        p.derivable = _pinned(p)
    if not p.derivable:
        _prune(p, relations, n)
    return p


def _prune(p: _Protection, relations: list[list[tuple[int, int]]], n: int, limit: int = 24) -> None:
    """Show again any complementary cell that is not needed (totals first, then the largest cells).

    The greedy pass can hide more than it must; each candidate is put back on show and kept there
    only if nothing hidden becomes derivable.
    """
    margins = [int(i) for i in np.flatnonzero(p.complement) if i >= n]
    if len(margins) > 1:  # totals often only work as a set (rows add up to the grand total)
        p.complement[margins] = False
        if any(sum(1 for j, _ in rel if p.hidden[j]) == 1 for rel in relations) or _pinned(p):
            p.complement[margins] = True
    comps = sorted(np.flatnonzero(p.complement), key=lambda i: (i < n, -p.values[i], i))
    for i in comps[:limit]:
        p.complement[i] = False
        lonely = any(sum(1 for j, _ in rel if p.hidden[j]) == 1 for rel in relations
                     if any(j == i for j, _ in rel))
        if lonely or _pinned(p):
            p.complement[i] = True


def _protect_table(table: pd.DataFrame | pd.Series, k: int, *, show_zeros: bool = False) -> _Protection:
    two_d = isinstance(table, pd.DataFrame)
    cells = table.to_numpy(dtype=float)
    if not two_d:
        cells = cells.reshape(-1, 1)
    if table.attrs.get("people") is not None:
        people = np.asarray(table.attrs["people"], dtype=float)
        if people.shape != cells.shape:
            raise ValidationError(
                f"The vote table is {cells.shape[0]}x{cells.shape[1]} but its voter counts are "
                f"{people.shape[0]}x{people.shape[1] if people.ndim > 1 else 1}; pass the whole table "
                "from vote_breakdown() to suppress(), or rebuild it for the themes you want.",
                code="shape")
        return _protect(cells, people, k, two_d=two_d, show_zeros=show_zeros, people_table=False,
                        max_per_person=table.attrs.get("max_per_person"))
    return _protect(cells, cells, k, two_d=two_d, show_zeros=show_zeros)


def suppress(
    table: pd.DataFrame | pd.Series,
    small_count: int | None = None,
    *,
    totals: bool = True,
    show_zeros: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """Display table of strings with small counts protected.

    Any count under ``small_count`` people reads ``"<5"``; wherever that
    count could then be worked out from a row, column or grand total (or
    from other hidden cells and the known ranges), further cells read
    :data:`COMPLEMENT_MARK` (``"*"``). Totals take part too: a total under
    the threshold is hidden like a cell, and every other total is treated
    as known to the reader even when ``totals=False`` leaves it out here, so
    the protection holds wherever the totals are published.

    Works on any table of this module: a count Series or DataFrame (1-D or
    2-D), :func:`theme_breakdown`, :func:`vote_breakdown` (cells are dots;
    a cell from fewer than ``small_count`` people reads ``"<5 people"``),
    :func:`representation` and :func:`reweighted_theme_shares`.

    Parameters
    ----------
    table : pandas.Series or pandas.DataFrame
        Exact, non-negative integer counts, or a table from this module.
    small_count : int, optional
        Disclosure threshold; defaults to the table's own (from the function
        that built it) or 5. Pass ``Settings.small_count``.
    totals : bool
        Add a ``Total`` row (and column, for 2-D).
    show_zeros : bool
        Show true zeros as ``0`` instead of ``"<5"`` (off by default: the
        issue's rule hides every count under the threshold).
    lang : {"en", "es"}
        Language of headings.

    Returns
    -------
    pandas.DataFrame
        Strings only. ``attrs["note"]`` explains the marks; ``attrs["hidden"]``
        lists hidden cells as ``(row, column)`` labels; ``attrs["derivable"]``
        is empty unless the table cannot be protected at all.
    """
    _check_lang(lang)
    k = int(small_count if small_count is not None else table.attrs.get("small_count", 5))
    if k < 1:
        raise ValidationError(f"small_count is {k}; expected 1 or more.", field="small_count")
    kind = table.attrs.get("kind")
    if kind == "representation":
        return _representation_display(table, k, lang)
    if kind == "reweighted":
        return _reweighted_display(table, k, lang)
    if kind in ("priorities", "sources"):
        return _plain_display(table, lang)
    values = table.to_numpy()
    if values.size and (not np.all(np.isfinite(values.astype(float))) or (values < 0).any()
                        or not np.all(np.equal(np.mod(values.astype(float), 1), 0))):
        raise ValidationError(
            "suppress() expected whole counts of zero or more; got negative, fractional or missing "
            "values. Pass counts, not shares.", code="not_counts")
    two_d = isinstance(table, pd.DataFrame)
    total_word = "Total" if lang == "en" else "Total"
    if table.size == 0:
        out = pd.DataFrame(table.astype(str)) if two_d else table.astype(str).to_frame("count")
        out.attrs.update({"note": table.attrs.get("message", "Nothing to show yet."),
                          "hidden": [], "derivable": []})
        return out
    res = _protect_table(table, k, show_zeros=show_zeros)
    value_table = table.attrs.get("people") is not None
    small = f"<{k} people" if value_table and lang == "en" else (
        f"<{k} personas" if value_table else f"<{k}")

    def fmt(i: int) -> str:
        if res.primary[i]:
            return small
        if res.complement[i]:
            return COMPLEMENT_MARK
        return str(int(res.values[i]))

    hidden_labels: list[tuple[Any, Any]] = []
    if two_d:
        r, c = table.shape
        n = r * c
        grid = [[fmt(i * c + j) for j in range(c)] for i in range(r)]
        for i in range(r):
            for j in range(c):
                if res.hidden[i * c + j]:
                    hidden_labels.append((table.index[i], table.columns[j]))
        out = pd.DataFrame(grid, index=table.index, columns=table.columns)
        if totals:
            out[total_word] = [fmt(n + i) for i in range(r)]
            out.loc[total_word] = [fmt(n + r + j) for j in range(c)] + [fmt(n + r + c)]
    else:
        r = len(table)
        n = r
        col = table.name if table.name is not None else "count"
        out = pd.DataFrame({col: [fmt(i) for i in range(r)]}, index=table.index)
        for i in range(r):
            if res.hidden[i]:
                hidden_labels.append((table.index[i], col))
        if totals:
            out.loc[total_word] = [fmt(n)]
    what = "people" if not value_table else "dots from fewer than that many people"
    note = (f"Counts under {k} people are shown as '{small}'"
            + ("" if what == "people" else " (dots given by fewer than that many people)")
            + f"; cells marked '{COMPLEMENT_MARK}' are hidden so that those cannot be worked out "
            "from the totals.")
    out.attrs.update({"note": note, "hidden": hidden_labels,
                      "derivable": [int(i) for i in res.derivable], "small_count": k})
    return out


def _representation_display(rep: pd.DataFrame, k: int, lang: str) -> pd.DataFrame:
    if k != int(rep.attrs.get("small_count", k)):
        rep = rep.copy()
        rep.attrs = dict(rep.attrs) | {"small_count": k}
    primary, complement = _representation_hidden(rep)
    n_shared = int(rep.attrs["n_shared"])
    n_total = int(rep.attrs["n_participants"])
    cap = math.ceil(100.0 * (k - 1) / n_shared) if n_shared else 0
    en = lang == "en"
    heads = (["Group", "Participants", "Share of participants", "Share of community",
              "Difference (points)", "Ratio", "Status"] if en else
             ["Grupo", "Participantes", "Parte de los participantes", "Parte de la comunidad",
              "Diferencia (puntos)", "Razón", "Estado"])
    status_es = {"under": "subrepresentado", "over": "sobrerrepresentado", "ok": "ok",
                 "not in benchmarks": "sin referencia", "too few shared": "muy pocos datos",
                 "not shared": "no compartido"}
    rows = []
    gi = 0
    for _, r in rep.iterrows():
        status = r["status"] if en else status_es.get(r["status"], r["status"])
        if r["group"] == NOT_SHARED:
            share_all = f"{100 * r['participants'] / n_total:.0f}% of all" if n_total and en else (
                f"{100 * r['participants'] / n_total:.0f} % del total" if n_total else "")
            rows.append([NOT_SHARED if en else "no compartido", str(int(r["participants"])), share_all,
                         "", "", "", status])
            continue
        p, c = bool(primary[gi]), bool(complement[gi])
        gi += 1
        comm = _pct(r["community_share"], lang) if not math.isnan(r["community_share"]) else ""
        if p:
            cnt, share, diff, ratio = f"<{k}", (f"≤{cap}%" if en else f"≤{cap} %"), "", ""
        elif c:
            cnt = share = COMPLEMENT_MARK
            diff = ratio = ""
        else:
            cnt = str(int(r["participants"]))
            share = _pct(r["participant_share"], lang) if n_shared else ""
            diff = "" if math.isnan(r["difference_points"]) else _points(r['difference_points'])
            ratio = "" if math.isnan(r["ratio"]) else ("∞" if math.isinf(r["ratio"]) else f"{r['ratio']:.2f}")
        rows.append([r["group"], cnt, share, comm, diff, ratio, status])
    rows.append(["Total", str(n_total), "", "100%" if en else "100 %", "", "", ""])
    out = pd.DataFrame(rows, columns=heads)
    out.attrs.update({
        "note": (f"Groups with fewer than {k} participants show '<{k}'; '{COMPLEMENT_MARK}' hides one more "
                 "so those cannot be worked out. Shares of participants are of those who shared. "
                 + rep.attrs["message"]) if en else
                (f"Los grupos con menos de {k} participantes muestran '<{k}'; '{COMPLEMENT_MARK}' oculta otro "
                 "para que no se puedan deducir. " + rep.attrs["message_es"]),
        "small_count": k,
    })
    return out


def _reweighted_display(rw: pd.DataFrame, k: int, lang: str) -> pd.DataFrame:
    en = lang == "en"
    heads = (["People", "Raw share", "Re-weighted share", "Difference (points)"] if en else
             ["Personas", "Parte sin ajustar", "Parte reponderada", "Diferencia (puntos)"])
    rows = []
    for _, r in rw.iterrows():
        people = int(r["people"])
        rows.append([
            str(people) if people >= k else f"<{k}",
            _pct(r["raw_share"], lang),
            _pct(r["reweighted_share"], lang) if not math.isnan(r["reweighted_share"]) else
            ("—" if people >= k else f"(<{k} people)" if en else f"(<{k} personas)"),
            "" if math.isnan(r["difference_points"]) else _points(r['difference_points']),
        ])
    out = pd.DataFrame(rows, columns=heads, index=rw.index)
    out.attrs.update({"note": rw.attrs.get("method", ""), "small_count": k})
    return out


def _points(x: float) -> str:
    """Format a difference in percentage points with its sign; one that rounds to zero reads "0"."""
    v = round(float(x))
    return "0" if v == 0 else f"{v:+d}"


def _plain_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Format a priorities or sources table (already protected) as strings."""
    sep = "" if lang == "en" else " "

    def fmt(col: str, v: Any) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if col.endswith("share"):
            return f"{float(v):.0f}{sep}%"
        if col.endswith("points"):
            return _points(float(v))
        if col == "lift":
            return f"{float(v):.2f}"
        if isinstance(v, float | np.floating) and float(v).is_integer():
            return str(int(v))
        return str(v)

    out = pd.DataFrame({c: [fmt(str(c), v) for v in table[c]] for c in table.columns}, index=table.index)
    out.attrs = {k: v for k, v in table.attrs.items() if k in ("kind", "group", "message", "small_count")}
    return out
