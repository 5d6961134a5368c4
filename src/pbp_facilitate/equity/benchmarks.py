"""Community benchmarks: the community's make-up per dimension, read from a CSV and validated.

:class:`CommunityBenchmarks` holds group shares per dimension (race/ethnicity,
neighbourhood, age band...); :func:`load_benchmarks` reads a file and raises on
any problem; :func:`load_community_benchmarks` is what a panel or a report
uses: it never raises for a problem with the file, it says what is wrong.
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

from ..errors import NotFoundError, PbpError, ValidationError
from ..i18n import gettext
from ._words import check_lang, default_label

__all__ = [
    "BENCHMARK_FILE",
    "KNOWN_DIMENSIONS",
    "SUM_TOLERANCE_POINTS",
    "CommunityBenchmarks",
    "load_benchmarks",
    "load_community_benchmarks",
]

#: Name of the community benchmark file looked up in a surveys folder.
BENCHMARK_FILE = "community_benchmarks.csv"
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
#: How far a dimension's shares may be from 100 % (in points) and still load.
SUM_TOLERANCE_POINTS = 2.0


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
                "dimension,group,share (or count). "
                "See docs/equity.md to build one from census tables."
            )
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                f"Benchmark file {str(p)!r} is not UTF-8 text; "
                "save it as 'CSV UTF-8' and try again.",
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
        try:
            rows = list(csv.reader(io.StringIO("\n".join(kept))))
        except csv.Error as exc:
            raise ValidationError(
                f"Benchmark file {str(p)!r} is not a readable CSV ({exc}); save it as 'CSV UTF-8'.",
                code="not_csv",
            ) from exc
        header = [h.strip().lower() for h in rows[0]]
        records = []
        for values in rows[1:]:
            if len(values) > len(header):
                records.append(
                    dict(zip(header, values, strict=False)) | {"__extra__": values[len(header) :]}
                )
            else:
                records.append(dict(zip(header, values, strict=False)))
        frame = pd.DataFrame(
            records,
            columns=header + (["__extra__"] if any("__extra__" in r for r in records) else []),
        )
        wheres = [f"{p.name}, line {n}" for n in line_numbers[1:]]
        return cls._validate(
            frame,
            header,
            wheres,
            source=p.name,
            dimensions=dimensions,
            groups=groups,
            origin=f"benchmark file {p.name!r}",
        )

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
        return cls._validate(
            f,
            header,
            wheres,
            source=source,
            dimensions=dimensions,
            groups=groups,
            origin="benchmark table",
        )

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
                "(percent or fraction) or 'count', e.g. 'dimension,group,share'. "
                "Fix the header row.",
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
                    'that contains a comma, e.g. "Hispanic or Latino, any race".',
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
                    f"{where}: group {grp!r} of {dim!r} appears twice "
                    f"(first at {seen[(dim, grp)]}); "
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
                            + (
                                "31.2 (percent) or 0.312 (fraction)."
                                if col == "share"
                                else "12345."
                            ),
                            field=col,
                            code="not_a_number",
                        ) from None
            given = [c for c, v in values.items() if v is not None]
            if len(given) != 1:
                raise ValidationError(
                    f"{where}: "
                    + ("both share and count are" if given else "neither share nor count is")
                    + " filled in; expected exactly one of them per row.",
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

            parsed.append(
                {
                    "dimension": dim,
                    "group": grp,
                    "kind": kind,
                    "value": value,
                    "label": _text(row, "label"),
                    "label_es": _text(row, "label_es"),
                    "source": _text(row, "source"),
                    "where": where,
                }
            )
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
                        "expected about 100 (percent) or about 1 (fraction), "
                        f"within {tol:g} points. Check for a missing or mistyped group, "
                        "or give counts in a 'count' column instead.",
                        field="share",
                        code="bad_sum",
                    )
            shares[np.asarray(idx)] = sub["value"].to_numpy() / total
        table["share"] = shares
        table = table[["dimension", "group", "share", "label", "label_es", "source"]].reset_index(
            drop=True
        )
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
                f"{self.dimensions}. "
                "Add rows for it to the benchmark file or pick another dimension.",
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
        return pd.Series(
            sub["share"].to_numpy(), index=pd.Index(sub["group"], name="group"), name="share"
        )

    def label(self, dimension: str, group: str, lang: str = "en") -> str:
        """Plain-words name of a group for sentences ("Hispanic or Latino residents").

        Falls back to a generic wording when the file has no label.
        """
        check_lang(lang)
        sub = self.table[(self.table["dimension"] == dimension) & (self.table["group"] == group)]
        col = "label" if lang == "en" else "label_es"
        if not sub.empty and sub.iloc[0][col]:
            return str(sub.iloc[0][col])
        return default_label(group, lang)

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
                f"Dropping {sorted(drop)} leaves no share for dimension {dimension!r}; "
                "keep at least one group.",
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


def load_community_benchmarks(
    source: CommunityBenchmarks | str | Path | None = None,
    *,
    folder: str | Path = "surveys",
    dimensions: Iterable[str] | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
    lang: str = "en",
) -> tuple[CommunityBenchmarks | None, str]:
    """Return the community benchmarks a panel or report compares with, or why there are none.

    One error rule for every caller: a problem with *the file* never raises.
    A missing file, a file that cannot be read (permissions, not UTF-8, not a
    CSV) or a file that breaks the format rules gives ``(None, problem)``,
    where ``problem`` says what is wrong and where, ready to show; the page
    or report then carries on without the comparison. Anything else (a bug)
    propagates.

    Parameters
    ----------
    source : CommunityBenchmarks, str or Path, optional
        Benchmarks already loaded (returned as they are), or a CSV file. By
        default ``folder / BENCHMARK_FILE``.
    folder : str or Path, default "surveys"
        Where to look when ``source`` is not given (``Settings.surveys_dir``).
    dimensions, groups
        As in :meth:`CommunityBenchmarks.from_csv`.
    lang : {"en", "es"}
        Language of the problem message.

    Returns
    -------
    tuple of (CommunityBenchmarks or None, str)
        The benchmarks and ``""``, or ``None`` and the problem in plain words.
    """
    check_lang(lang)
    if isinstance(source, CommunityBenchmarks):
        return source, ""
    path = Path(source) if source is not None else Path(folder) / BENCHMARK_FILE
    if not path.is_file():
        return None, gettext(lang, "equity.bench_missing", path=path)
    try:
        return CommunityBenchmarks.from_csv(path, dimensions=dimensions, groups=groups), ""
    except (PbpError, OSError) as exc:
        return None, gettext(lang, "equity.bench_unreadable", path=path, error=exc)


def _suggest(text: str, options: Sequence[str]) -> str:
    """`` Did you mean 'x'?`` for the closest option (by spelling or containment), or ``""``."""
    folded = text.casefold()
    close = difflib.get_close_matches(text, list(options), n=1)
    if not close:
        close = [
            o for o in options if folded and (folded in o.casefold() or o.casefold() in folded)
        ][:1]
    return f" Did you mean {close[0]!r}?" if close else ""


def _text(row: Mapping[str, Any], key: str) -> str:
    v = row.get(key)
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()
