"""Tests of the equity lens: benchmarks, representation, breakdowns, disclosure control."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from pbp_facilitate import equity as eq
from pbp_facilitate.errors import NotFoundError, ValidationError
from pbp_facilitate.i18n import AREAS, placeholders

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "surveys" / "community_benchmarks.csv"

RACE = [
    "Black or African American",
    "Hispanic or Latino",
    "White",
    "Asian",
    "American Indian or Alaska Native",
    "Native Hawaiian or Pacific Islander",
    "Two or more races",
    "Another race",
]
NEIGHBOURHOODS = ["Eastside", "Westside", "Northgate", "Riverside", "Downtown"]
AGES = ["Under 18", "18-24", "25-44", "45-64", "65 and over"]


def write(tmp_path: Path, text: str, name: str = "bench.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def bench(tmp_path: Path) -> eq.CommunityBenchmarks:
    return eq.load_benchmarks(
        write(
            tmp_path,
            (
                "dimension,group,share,label,label_es\n"
                "race_ethnicity,White,50,White residents,Residentes blancos\n"
                "race_ethnicity,Hispanic or Latino,30,Latino residents,Residentes latinos\n"
                "race_ethnicity,Black or African American,20,Black residents,Residentes negros\n"
            ),
        )
    )


@pytest.fixture
def room() -> pd.DataFrame:
    """40 participants: 20 White, 6 Latino, 9 Black shared; 5 did not (in different ways)."""
    rows = []
    rows += [(f"w{i}", True, "White") for i in range(20)]
    rows += [(f"h{i}", True, "Hispanic or Latino") for i in range(6)]
    rows += [(f"b{i}", True, "Black or African American") for i in range(9)]
    rows += [
        ("n0", True, None),
        ("n1", True, float("nan")),
        ("n2", True, "Prefer not to say"),
        ("n3", False, "White"),  # declined consent: never used even though a value is present
        ("n4", True, "  "),
    ]
    return pd.DataFrame(rows, columns=["participant_key", "consented", "race_ethnicity"])


# ---------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------


def test_sample_benchmarks_load_and_match_demo_categories():
    b = eq.load_benchmarks(
        SAMPLE, groups={"race_ethnicity": RACE, "neighbourhood": NEIGHBOURHOODS, "age_band": AGES}
    )
    assert b.dimensions == ["race_ethnicity", "neighbourhood", "age_band"]
    assert sorted(b.groups("race_ethnicity")) == sorted(RACE)
    assert b.groups("neighbourhood") == NEIGHBOURHOODS
    assert b.groups("age_band") == AGES
    for d in b.dimensions:
        assert b.shares(d).sum() == pytest.approx(1.0)
    assert b.shares("race_ethnicity")["Hispanic or Latino"] == pytest.approx(0.31)
    # neighbourhood is given as counts: 52431 of 214023
    assert b.shares("neighbourhood")["Eastside"] == pytest.approx(52431 / 214023)
    assert b.label("race_ethnicity", "Hispanic or Latino") == "Hispanic or Latino residents"
    assert b.label("race_ethnicity", "Hispanic or Latino", "es") == "Residentes hispanos o latinos"


def test_fraction_percent_and_count_give_the_same_shares(tmp_path):
    pct = eq.load_benchmarks(
        write(tmp_path, "dimension,group,share\nage_band,18-24,25\nage_band,25-44,75\n")
    )
    frac = eq.load_benchmarks(
        write(tmp_path, "dimension,group,share\nage_band,18-24,0.25\nage_band,25-44,0.75\n")
    )
    cnt = eq.load_benchmarks(
        write(tmp_path, 'dimension,group,count\nage_band,18-24,"1,000"\nage_band,25-44,3000\n')
    )
    for b in (pct, frac, cnt):
        assert b.shares("age_band").tolist() == pytest.approx([0.25, 0.75])


def test_rounded_shares_within_tolerance_are_rescaled(tmp_path):
    b = eq.load_benchmarks(
        write(
            tmp_path,
            "dimension,group,share\nage_band,18-24,33.3\nage_band,25-44,33.3\n"
            "age_band,45-64,33.3\n",
        )
    )
    assert b.shares("age_band").tolist() == pytest.approx([1 / 3] * 3)


def test_comment_lines_bom_and_without(tmp_path):
    p = tmp_path / "b.csv"
    text = (
        "\ufeff# source: ACS S0101\ndimension,group,share\n\n"
        "age_band,Under 18,20\nage_band,18-24,80\n"
    )
    p.write_bytes(text.encode("utf-8"))
    b = eq.load_benchmarks(p)
    assert b.groups("age_band") == ["Under 18", "18-24"]
    adults = b.without("age_band", ["Under 18"])
    assert adults.shares("age_band").to_dict() == {"18-24": pytest.approx(1.0)}
    assert b.shares("age_band")["Under 18"] == pytest.approx(0.2)  # original untouched


@pytest.mark.parametrize(
    "text, code, words",
    [
        (
            "dimension,group,share\nage_band,18-24,40\nage_band,25-44,47\n",
            "bad_sum",
            "add up to 87",
        ),
        (
            "dimension,group,share\nage_band,18-24,0.4\nage_band,25-44,0.47\n",
            "bad_sum",
            "add up to 0.87",
        ),
        (
            "dimension,group,share\nrace_ethnicty,White,100\n",
            "unknown_dimension",
            "Did you mean 'race_ethnicity'",
        ),
        ("dimension,group,share\nage_band,18-24,-5\nage_band,25-44,105\n", "negative", "line 2"),
        (
            "dimension,group,count\nage_band,18-24,-5\nage_band,25-44,10\n",
            "negative",
            "zero or more",
        ),
        ("dimension,group,share\nage_band,18-24,lots\n", "not_a_number", "line 2"),
        ("dimension,group,share\nage_band,18-24,50\nage_band,18-24,50\n", "duplicate", "line 3"),
        (
            "dimension,grp,share\nage_band,18-24,100\n",
            "missing_column",
            "expected 'dimension', 'group'",
        ),
        ("dimension,group,percent\nage_band,18-24,100\n", "missing_column", "'share'"),
        ("dimension,group,share,count\nage_band,18-24,50,\nage_band,25-44,,10\n", "mixed", "mixes"),
        ("dimension,group,share,count\nage_band,18-24,50,10\n", "share_or_count", "exactly one"),
        ("dimension,group,share\n,18-24,100\n", "blank", "filled in"),
        ("dimension,group,share\n", "empty", "no rows"),
        ("# only a comment\n", "empty", "empty"),
        ("dimension,group,count\nage_band,18-24,0\nage_band,25-44,0\n", "bad_sum", "add up to 0"),
        ("dimension,group,share\nage_band,Hispanic, or Latino,100\n", "extra_values", "quote"),
    ],
)
def test_bad_benchmark_files(tmp_path, text, code, words):
    with pytest.raises(ValidationError) as info:
        eq.load_benchmarks(write(tmp_path, text))
    assert info.value.code == code
    assert words in str(info.value)


def test_unknown_group_is_caught_against_survey_categories(tmp_path):
    p = write(
        tmp_path, "dimension,group,share\nrace_ethnicity,Latino,30\nrace_ethnicity,White,70\n"
    )
    with pytest.raises(ValidationError, match="Did you mean 'Hispanic or Latino'") as info:
        eq.load_benchmarks(p, groups={"race_ethnicity": RACE})
    assert info.value.code == "unknown_group"


def test_custom_dimensions_and_missing_file(tmp_path):
    p = write(tmp_path, "dimension,group,share\nward,Ward 1,40\nward,Ward 2,60\n")
    with pytest.raises(ValidationError, match="unknown dimension 'ward'"):
        eq.load_benchmarks(p)
    assert eq.load_benchmarks(p, dimensions=["ward"]).groups("ward") == ["Ward 1", "Ward 2"]
    with pytest.raises(NotFoundError, match="does not exist"):
        eq.load_benchmarks(tmp_path / "nope.csv")


def test_load_community_benchmarks_reports_file_problems(tmp_path):
    # the one loader of the panel and the summaries: a problem with the file is a message
    bench, problem = eq.load_community_benchmarks(folder=ROOT / "surveys")
    assert bench is not None and problem == "" and "race_ethnicity" in bench.dimensions
    assert eq.load_community_benchmarks(bench) == (bench, "")
    assert eq.load_community_benchmarks(SAMPLE)[0] is not None
    missing = tmp_path / "nope"
    bench, problem = eq.load_community_benchmarks(folder=missing)
    assert bench is None
    assert problem.startswith(f"No community benchmarks at {missing / eq.BENCHMARK_FILE};")
    broken = write(tmp_path, "dimension,group,share\nage_band,18-24,lots\n")
    bench, problem = eq.load_community_benchmarks(broken)
    assert bench is None and "could not be read" in problem and "not a number" in problem
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("dimension,group,share\nage_band,Niños,100\n".encode("latin-1"))
    bench, problem = eq.load_community_benchmarks(latin1, lang="es")
    assert bench is None and problem.startswith("No se pudieron leer") and "UTF-8" in problem
    with pytest.raises(ValidationError):
        eq.load_community_benchmarks(SAMPLE, lang="fr")


def test_from_frame_and_unknown_dimension_lookup():
    b = eq.CommunityBenchmarks.from_frame(
        pd.DataFrame({"dimension": ["age_band"] * 2, "group": ["A", "B"], "share": [0.5, 0.5]}),
        source="test",
    )
    assert b.source == "test"
    assert b.label("age_band", "A") == "A residents"
    with pytest.raises(ValidationError, match="no dimension 'neighbourhood'"):
        b.shares("neighbourhood")


# ---------------------------------------------------------------------------
# Consent
# ---------------------------------------------------------------------------


def test_consent_and_not_shared(room):
    g = eq.shared_groups(room, "race_ethnicity")
    assert g["n3"] == eq.NOT_SHARED  # declined consent, value ignored
    for k in ("n0", "n1", "n2", "n4"):
        assert g[k] == eq.NOT_SHARED
    assert (g == "White").sum() == 20
    # consented given as non-True values counts as not consented
    odd = pd.DataFrame(
        {
            "participant_key": ["a", "b", "c", "d"],
            "consented": [None, "yes", 1.0, np.True_],
            "age_band": ["18-24"] * 4,
        }
    )
    assert eq.shared_groups(odd, "age_band").tolist() == [eq.NOT_SHARED] * 3 + ["18-24"]


def test_count_consented_counts_only_real_true():
    odd = pd.DataFrame(
        {
            "participant_key": list("abcdefg"),
            "consented": [True, np.True_, False, None, "yes", 1, 1.0],
        }
    )
    assert eq.count_consented(odd) == 2
    assert eq.count_consented(odd.iloc[:0]) == 0 and eq.count_consented(None) == 0
    # the same rule as shared_groups: whoever is counted can be in a group, nobody else
    odd["age_band"] = "18-24"
    assert int((eq.shared_groups(odd, "age_band") != eq.NOT_SHARED).sum()) == 2
    with pytest.raises(ValidationError, match="consented"):
        eq.count_consented(pd.DataFrame({"participant_key": ["a"]}))


def test_multiple_choice_and_duplicates():
    p = pd.DataFrame(
        {
            "participant_key": ["a", "b", "c", "a"],
            "consented": [True, True, True, True],
            "role": [["Resident"], ["Resident", "Student"], [], ["Student"]],
        }
    )
    g = eq.shared_groups(p, "role")
    assert g.to_dict() == {"a": "Resident", "b": eq.MORE_THAN_ONE, "c": eq.NOT_SHARED}


def test_missing_consent_column_is_an_error():
    with pytest.raises(ValidationError, match="consented"):
        eq.shared_groups(
            pd.DataFrame({"participant_key": ["a"], "race_ethnicity": ["White"]}), "race_ethnicity"
        )


# ---------------------------------------------------------------------------
# Representation
# ---------------------------------------------------------------------------


def test_representation_hand_computed(room, bench):
    rep = eq.representation(room, bench, "race_ethnicity")
    r = rep.set_index("group")
    assert list(rep["group"]) == [
        "White",
        "Hispanic or Latino",
        "Black or African American",
        eq.NOT_SHARED,
    ]
    assert r["participants"].to_dict() == {
        "White": 20,
        "Hispanic or Latino": 6,
        "Black or African American": 9,
        eq.NOT_SHARED: 5,
    }
    assert r.loc["White", "participant_share"] == pytest.approx(100 * 20 / 35)
    assert r.loc["Hispanic or Latino", "participant_share"] == pytest.approx(100 * 6 / 35)
    assert r.loc["Hispanic or Latino", "difference_points"] == pytest.approx(100 * 6 / 35 - 30)
    assert r.loc["Hispanic or Latino", "ratio"] == pytest.approx((6 / 35) / 0.30)
    assert r.loc["Hispanic or Latino", "expected"] == pytest.approx(10.5)
    assert r.loc["Black or African American", "ratio"] == pytest.approx((9 / 35) / 0.20)  # 1.2857
    assert r["status"].to_dict() == {
        "White": "ok",  # ratio 1.14 < 1.25
        "Hispanic or Latino": "under",  # ratio 0.57, -12.9 points
        "Black or African American": "over",  # ratio 1.29, +5.7 points
        eq.NOT_SHARED: "not shared",
    }
    assert rep.attrs["n_shared"] == 35 and rep.attrs["n_participants"] == 40
    assert rep.attrs["message"] == "35 of 40 participants shared their race or ethnicity."


def test_threshold_and_min_points(room, bench):
    rep = eq.representation(room, bench, "race_ethnicity", threshold=0.5)
    assert set(rep["status"]) == {"ok", "not shared"}  # 0.57 > 0.5 and 1.29 < 2
    rep = eq.representation(room, bench, "race_ethnicity", min_points=6)
    assert rep.set_index("group").loc["Black or African American", "status"] == "ok"  # +5.7 < 6
    with pytest.raises(ValidationError, match="between 0 and 1"):
        eq.representation(room, bench, "race_ethnicity", threshold=1.25)


def test_gap_sentences(room, bench):
    rep = eq.representation(room, bench, "race_ethnicity")
    assert eq.gap_sentences(rep) == [
        "Latino residents are 30% of the community and 17% of participants.",
        "Black residents are 20% of the community and 26% of participants.",
    ]
    assert (
        eq.gap_sentences(rep, "es")[0]
        == "Residentes latinos son el 30 % de la comunidad y el 17 % de los participantes."
    )
    with pytest.raises(ValidationError):
        eq.gap_sentences(rep, "fr")


def test_small_group_is_never_stated(bench):
    # 2 Latino of 30 who shared: under-represented, and the count must not appear anywhere
    p = pd.DataFrame(
        {
            "participant_key": [f"p{i}" for i in range(30)],
            "consented": True,
            "race_ethnicity": ["Hispanic or Latino"] * 2
            + ["White"] * 18
            + ["Black or African American"] * 10,
        }
    )
    rep = eq.representation(p, bench, "race_ethnicity")
    s = eq.gap_sentences(rep)
    assert s[0] == (
        "Latino residents are 30% of the community and fewer than 5 of the 30 participants "
        "who shared their race or ethnicity."
    )
    shown = eq.suppress(rep)
    row = shown[shown["Group"] == "Hispanic or Latino"].iloc[0]
    assert row["Participants"] == "<5" and row["Share of participants"] == "≤14%"
    assert row["Difference (points)"] == "" and row["Ratio"] == ""
    # the complement: with the total of 30 shown, a second group is hidden too
    assert (shown["Participants"] == "*").sum() == 1
    assert "2" not in " ".join(shown.loc[shown["Group"] == "Hispanic or Latino"].iloc[0].tolist())
    fig = eq.plot_representation(rep)
    assert len(fig.axes) == 1


def test_no_demographics_at_all(bench):
    p = pd.DataFrame({"participant_key": ["a", "b", "c"], "consented": [False, True, True]})
    rep = eq.representation(p, bench, "race_ethnicity")
    assert rep.attrs["n_shared"] == 0
    assert rep.set_index("group").loc[eq.NOT_SHARED, "participants"] == 3
    msg = (
        "Nobody has shared their race or ethnicity (3 participants, none shared), "
        "so the room cannot be compared with the community on it."
    )
    assert eq.gap_sentences(rep) == [msg]
    assert eq.gap_sentences(rep, "es")[0].startswith("Nadie ha compartido su raza o etnia")
    assert set(rep["status"]) <= {"too few shared", "not shared"}
    eq.plot_representation(rep)  # draws the message, no error
    assert len(eq.suppress(rep)) == 5
    empty = eq.representation(pd.DataFrame(), bench, "race_ethnicity")
    assert eq.gap_sentences(empty) == [
        "No participants yet, so the room cannot be compared with the community."
    ]
    subs = pd.DataFrame(
        {
            "submission_id": [1, 2],
            "participant_key": ["a", "b"],
            "prompt_id": 1,
            "text": ["x", "y"],
            "theme_id": [0, 0],
            "hidden": False,
        }
    )
    tb = eq.theme_breakdown(subs, p, "race_ethnicity")
    assert list(tb.columns) == [eq.NOT_SHARED] and tb.iloc[0, 0] == 2
    rw = eq.reweighted_theme_shares(subs, p, bench, "race_ethnicity")
    assert math.isnan(rw["reweighted_share"].iloc[0]) and rw.attrs["message"].startswith(
        "No group has"
    )


def test_too_few_shared_flags_nothing(bench):
    p = pd.DataFrame(
        {
            "participant_key": list("abcdefg"),
            "consented": True,
            "race_ethnicity": ["White"] * 3 + [None] * 4,
        }
    )
    rep = eq.representation(p, bench, "race_ethnicity")
    assert "under" not in set(rep["status"]) and "over" not in set(rep["status"])
    assert eq.gap_sentences(rep)[0].startswith("Only 3 of 7 participants shared")


def test_group_missing_from_benchmarks(bench):
    p = pd.DataFrame(
        {
            "participant_key": list("abcdefghij"),
            "consented": True,
            "race_ethnicity": ["White"] * 5 + ["Asian"] * 5,
        }
    )
    r = eq.representation(p, bench, "race_ethnicity").set_index("group")
    assert r.loc["Asian", "status"] == "not in benchmarks"
    assert math.isnan(r.loc["Asian", "community_share"])
    assert r.loc["White", "participant_share"] == pytest.approx(50.0)


# ---------------------------------------------------------------------------
# Disclosure control: hand-computed tables
# ---------------------------------------------------------------------------


def test_suppress_1d_complement():
    shown = eq.suppress(pd.Series([12, 3, 9, 20], index=list("ABCD"), name="people"))
    assert shown["people"].tolist() == ["12", "<5", "*", "20", "44"]
    assert shown.index[-1] == "Total"
    assert shown.attrs["hidden"] == [("B", "people"), ("C", "people")]


def test_suppress_1d_zeros_and_pairs():
    # two zeros hidden with a visible total would both be 0: hide one more
    assert eq.suppress(pd.Series([10, 10, 0, 0]))["count"].tolist() == ["*", "10", "<5", "<5", "20"]
    # 4 + 4 = 8 with both known to be under 5 gives both away: hide one more
    assert eq.suppress(pd.Series([4, 4, 30]))["count"].tolist() == ["<5", "<5", "*", "38"]
    # nothing small: nothing hidden
    assert eq.suppress(pd.Series([5, 6]), totals=False)["count"].tolist() == ["5", "6"]
    # threshold is a setting
    assert eq.suppress(pd.Series([3, 9, 20]), small_count=3)["count"].tolist() == [
        "3",
        "9",
        "20",
        "32",
    ]
    # zeros shown on request
    assert eq.suppress(pd.Series([0, 2, 9, 8]), show_zeros=True)["count"].tolist() == [
        "0",
        "<5",
        "9",
        "*",
        "19",
    ]


def test_suppress_2d_rows_columns_totals():
    t = pd.DataFrame(
        [[10, 2, 8], [7, 9, 6], [5, 6, 12]], index=["t1", "t2", "t3"], columns=list("ABC")
    )
    shown = eq.suppress(t)
    assert shown.values.tolist() == [
        ["10", "<5", "*", "20"],
        ["7", "9", "6", "22"],
        ["5", "*", "*", "23"],
        ["22", "17", "26", "65"],
    ]
    assert list(shown.columns) == ["A", "B", "C", "Total"]
    assert shown.attrs["derivable"] == []


def test_suppress_small_total_is_hidden():
    t = pd.DataFrame([[1, 2, 0], [9, 8, 7], [6, 5, 9]], columns=list("ABC"))
    shown = eq.suppress(t)
    assert shown.loc[0, "Total"] == "<5"  # row total 3
    assert (shown.loc[0, ["A", "B", "C"]] == "<5").all()
    assert_not_derivable(shown, 5)


@pytest.mark.parametrize(
    "values",
    [
        # found by a stress run: the zeros could be worked out through column 0 and the grand total,
        # not through their own rows and columns
        [[21, 0, 0], [17, 25, 29], [25, 0, 0]],
        [[7, 3, 0, 0, 7], [6, 6, 6, 9, 8], [7, 5, 0, 5, 8]],
    ],
)
def test_suppress_2d_derivations_through_other_lines(values):
    shown = eq.suppress(pd.DataFrame(values))
    assert shown.attrs["derivable"] == []
    assert_not_derivable(shown, 5)


def test_suppress_rejects_shares():
    with pytest.raises(ValidationError, match="whole counts"):
        eq.suppress(pd.Series([0.5, 0.5]))
    with pytest.raises(ValidationError, match="whole counts"):
        eq.suppress(pd.Series([-1, 5]))


# ---------------------------------------------------------------------------
# Disclosure control: proof that no hidden value can be derived
# ---------------------------------------------------------------------------


def _parse(cell: str, k: int, small_upper: float | None = None) -> tuple[float, float] | float:
    if cell == eq.COMPLEMENT_MARK:
        return (float(k), math.inf)
    if cell.startswith("<"):
        return (0.0, float(k - 1) if small_upper is None else small_upper)
    return float(cell)


def assert_not_derivable(shown: pd.DataFrame, k: int, small_upper: float | None = None) -> None:
    """Everything a reader knows from the display -> each hidden value still has 2+ possible values.

    Written independently of the library: it reads only the strings shown, the rule that "<k" means
    0..k-1 and "*" means a count of at least k, and that rows, columns and totals add up.
    """
    grid = shown.to_numpy()
    two_d = "Total" in shown.columns
    if not two_d:
        grid = grid.reshape(-1, 1)
    items = {}  # (i, j) -> fixed value or (lo, hi)
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            items[(i, j)] = _parse(str(grid[i, j]), k, small_upper)
    r, c = grid.shape
    relations = []  # list of (cells, total)
    if two_d:
        for i in range(r):
            relations.append(([(i, j) for j in range(c - 1)], (i, c - 1)))
        for j in range(c):
            relations.append(([(i, j) for i in range(r - 1)], (r - 1, j)))
    else:
        relations.append(([(i, 0) for i in range(r - 1)], (r - 1, 0)))
    hidden = [key for key, v in items.items() if isinstance(v, tuple)]
    if not hidden:
        return
    index = {key: n for n, key in enumerate(hidden)}
    a_eq, b_eq = [], []
    for cells, total in relations:
        row = np.zeros(len(hidden))
        rhs = 0.0
        for key, coef in [(x, 1.0) for x in cells] + [(total, -1.0)]:
            if key in index:
                row[index[key]] += coef
            else:
                rhs -= coef * items[key]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
        else:
            assert abs(rhs) < 1e-9, "shown values do not add up"
    bounds = [(items[h][0], None if math.isinf(items[h][1]) else items[h][1]) for h in hidden]
    for n, h in enumerate(hidden):
        cvec = np.zeros(len(hidden))
        cvec[n] = 1
        lo = linprog(cvec, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs")
        hi = linprog(-cvec, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs")
        assert lo.status == 0, f"display is inconsistent with its own rules at {h}"
        if hi.status == 3:  # unbounded above: certainly not derivable
            continue
        assert hi.status == 0
        assert -hi.fun - lo.fun >= 1 - 1e-6, (
            f"hidden cell {h} can be worked out: it must be {lo.fun:g}"
        )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.integers(0, 30), min_size=2, max_size=7), k=st.sampled_from([3, 5]))
def test_property_1d_nothing_derivable(values, k):
    s = pd.Series(values)
    shown = eq.suppress(s, small_count=k)
    col = shown["count"].tolist()
    for v, cell in zip(values, col, strict=False):
        assert cell == (f"<{k}" if v < k else (str(v) if cell != "*" else "*"))
    # the total is shown unless it is small, or must be hidden because no cell is left to hide
    assert col[-1] in ((str(sum(values)), "*") if sum(values) >= k else (f"<{k}",))
    assert_not_derivable(shown, k)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), k=st.sampled_from([3, 5]))
def test_property_2d_nothing_derivable(data, k):
    r = data.draw(st.integers(2, 4))
    c = data.draw(st.integers(2, 4))
    values = np.array(
        data.draw(st.lists(st.integers(0, 14), min_size=r * c, max_size=r * c))
    ).reshape(r, c)
    t = pd.DataFrame(values)
    shown = eq.suppress(t, small_count=k)
    inner = shown.iloc[:r, :c].to_numpy()
    for i in range(r):
        for j in range(c):
            v = values[i, j]
            if v < k:
                assert inner[i, j] == f"<{k}"
            else:
                assert inner[i, j] in (str(v), "*")
    assert_not_derivable(shown, k)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_property_vote_tables_nothing_derivable(data):
    """Dots tables: '<5 people' is 0..4 voters, so 0..4*max dots; '*' is 5+ voters, so 5+ dots."""
    r = data.draw(st.integers(2, 4))
    c = data.draw(st.integers(2, 4))
    mpp = 3
    people = np.array(
        data.draw(st.lists(st.integers(0, 9), min_size=r * c, max_size=r * c))
    ).reshape(r, c)
    extra = np.array(
        data.draw(st.lists(st.integers(0, 2), min_size=r * c, max_size=r * c))
    ).reshape(r, c)
    dots = people * (1 + extra)  # each voter gives 1..3 dots to a theme
    t = pd.DataFrame(dots)
    t.attrs.update({"people": people.tolist(), "max_per_person": mpp, "small_count": 5})
    shown = eq.suppress(t)
    inner = shown.iloc[:r, :c].to_numpy()
    for i in range(r):
        for j in range(c):
            if people[i, j] < 5:
                assert inner[i, j] == "<5 people"
            else:
                assert inner[i, j] in (str(dots[i, j]), "*")
    assert_not_derivable(shown, 5, small_upper=4.0 * mpp)


# ---------------------------------------------------------------------------
# Breakdowns and re-weighting
# ---------------------------------------------------------------------------


@pytest.fixture
def small_room() -> pd.DataFrame:
    keys = ["w1", "w2", "w3", "w4", "h1", "h2", "n1"]
    race = ["White"] * 4 + ["Hispanic or Latino"] * 2 + [None]
    return pd.DataFrame({"participant_key": keys, "consented": True, "race_ethnicity": race})


@pytest.fixture
def small_subs() -> pd.DataFrame:
    rows = [
        ("w1", 1),
        ("w1", 1),
        ("w2", 1),
        ("w3", 1),
        ("h1", 1),
        ("n1", 1),  # theme 1: 5 people
        ("w4", 2),
        ("h1", 2),
        ("h2", 2),  # theme 2: 3 people
        ("w2", -1),  # unclear
        ("h2", 1),
    ]  # hidden below
    df = pd.DataFrame(rows, columns=["participant_key", "theme_id"])
    df["submission_id"] = range(len(df))
    df["prompt_id"] = 1
    df["text"] = "idea"
    df["hidden"] = [False] * (len(df) - 1) + [True]
    return df


def test_theme_breakdown_hand_computed(small_subs, small_room):
    tb = eq.theme_breakdown(
        small_subs,
        small_room,
        "race_ethnicity",
        groups=["White", "Hispanic or Latino", "Asian"],
        theme_labels={1: "Housing", 2: "Transit"},
    )
    assert list(tb.columns) == ["White", "Hispanic or Latino", "Asian", eq.NOT_SHARED]
    assert tb.loc["Housing"].tolist() == [3, 1, 0, 1]  # w1 twice counts once; hidden h2 excluded
    assert tb.loc["Transit"].tolist() == [1, 2, 0, 0]
    with_unclear = eq.theme_breakdown(
        small_subs, small_room, "race_ethnicity", include_unclear=True
    )
    assert with_unclear.loc["Unclear", "White"] == 1
    shown = eq.suppress(tb)
    assert (shown.iloc[:2, :4] == "<5").all().all()  # every cell is under 5 people here
    assert shown.loc["Total", "Total"] == "8"


def test_ideas_without_a_participant_count_as_separate_unknown_people(small_room):
    subs = pd.DataFrame(
        {"participant_key": [None, None, "w1"], "theme_id": [1, 1, 1], "hidden": False}
    )
    tb = eq.theme_breakdown(subs, small_room, "race_ethnicity")
    assert tb.loc[1, eq.NOT_SHARED] == 2 and tb.loc[1, "White"] == 1


def test_plot_in_spanish_on_given_axes(room, bench):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot(1, 1, 1)
    out = eq.plot_representation(eq.representation(room, bench, "race_ethnicity"), lang="es", ax=ax)
    assert out is fig
    assert ax.get_title() == "Quién está en la sala: raza o etnia"
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "White",
        "Hispanic or Latino",
        "Black or African American",
    ]


def test_reweighted_hand_computed(small_subs, small_room, bench):
    b = bench.without("race_ethnicity", ["Black or African American"])  # White 50/80, Latino 30/80
    rw = eq.reweighted_theme_shares(small_subs, small_room, b, "race_ethnicity", small_count=2)
    # contributors: all 7 (w2's unclear idea still counts); theme 1: 5 people, theme 2: 3 people
    assert rw["raw_share"].tolist() == pytest.approx([500 / 7, 300 / 7])
    w_white, w_lat = 50 / 80, 30 / 80
    assert rw.loc[1, "reweighted_share"] == pytest.approx(100 * (w_white * 3 / 4 + w_lat * 1 / 2))
    assert rw.loc[2, "reweighted_share"] == pytest.approx(100 * (w_white * 1 / 4 + w_lat * 2 / 2))
    assert rw.attrs["coverage"] == pytest.approx(1.0)
    assert "post-stratification" in rw.attrs["method"]
    # with the threshold at 3, the 2 Latino contributors are left out, and theme 2 (3 people) stays
    rw3 = eq.reweighted_theme_shares(small_subs, small_room, b, "race_ethnicity", small_count=3)
    assert rw3.loc[1, "reweighted_share"] == pytest.approx(75.0)
    assert rw3.loc[2, "reweighted_share"] == pytest.approx(25.0)
    assert rw3.attrs["groups_left_out"] == ["Hispanic or Latino"]
    assert rw3.attrs["coverage"] == pytest.approx(50 / 80)
    # a theme under the threshold gets no re-weighted share
    rw6 = eq.reweighted_theme_shares(small_subs, small_room, b, "race_ethnicity", small_count=4)
    assert math.isnan(rw6.loc[2, "reweighted_share"])
    shown = eq.suppress(rw6)
    assert shown.loc[2, "Re-weighted share"] == "(<4 people)"
    assert shown.loc[1, "Raw share"] == "71%"


def _big_room() -> tuple[pd.DataFrame, pd.DataFrame]:
    keys = [f"w{i}" for i in range(12)] + [f"h{i}" for i in range(6)] + [f"b{i}" for i in range(2)]
    race = ["White"] * 12 + ["Hispanic or Latino"] * 6 + ["Black or African American"] * 2
    parts = pd.DataFrame({"participant_key": keys, "consented": True, "race_ethnicity": race})
    votes = []
    for i in range(12):  # White: 2 dots on theme 1, 1 dot on theme 2
        votes += [(f"w{i}", 1, 2), (f"w{i}", 2, 1)]
    for i in range(6):  # Latino: 3 dots on theme 3
        votes += [(f"h{i}", 3, 3)]
    votes += [("h0", 3, 0)]  # zero-dot rows are ignored
    for i in range(2):  # Black: 3 dots on theme 2
        votes += [(f"b{i}", 2, 3)]
    return parts, pd.DataFrame(votes, columns=["participant_key", "theme_id", "dots"])


def test_vote_breakdown_and_priorities(bench):
    parts, votes = _big_room()
    vb = eq.vote_breakdown(
        votes,
        parts,
        "race_ethnicity",
        groups=bench.groups("race_ethnicity"),
        theme_labels={1: "Housing", 2: "Transit", 3: "Jobs"},
    )
    assert vb.loc["Housing"].tolist() == [24, 0, 0, 0]
    assert vb.loc["Transit"].tolist() == [12, 0, 6, 0]
    assert vb.loc["Jobs"].tolist() == [0, 18, 0, 0]
    assert vb.attrs["group_voters"] == {
        "White": 12,
        "Hispanic or Latino": 6,
        "Black or African American": 2,
    }
    shown = eq.suppress(vb)
    assert shown.loc["Transit", "Black or African American"] == "<5 people"  # 6 dots from 2 people
    people = np.array(vb.attrs["people"])
    for i, theme in enumerate(vb.index):
        for j, g in enumerate(vb.columns):
            if people[i, j] < 5:
                assert shown.loc[theme, g] == "<5 people"
            else:
                assert shown.loc[theme, g] in (str(vb.loc[theme, g]), "*")
    assert shown.attrs["derivable"] == []
    assert shown.loc["Total", "Total"] == "60"
    # with zeros shown, the lone small cell in row Transit needs exactly one partner: White's 12
    shown0 = eq.suppress(vb, show_zeros=True)
    assert shown0.loc["Transit"].tolist() == ["*", "0", "<5 people", "0", "18"]
    # ... and then White's 24 (else 12 = 36 - 24 - 0), and the Housing total (else 24 = the total):
    # why zeros are hidden by default -- shown zeros leave little room to protect a small cell
    assert shown0.loc["Housing"].tolist() == ["*", "0", "0", "0", "*"]
    # White: 24 of 36 dots on Housing, 12 on Transit;
    # everyone: Housing 24/60, Transit 18/60, Jobs 18/60
    assert shown.loc["Housing"].tolist() == ["*", "<5 people", "<5 people", "<5 people", "24"]
    assert shown.loc["Transit"].tolist() == ["12", "<5 people", "<5 people", "<5 people", "18"]
    pr = eq.group_priorities(vb, "White")
    # Housing (hidden to protect the zeros beside it) and Jobs (0 dots, hidden) are not ranked
    assert pr.index.tolist() == ["Transit"]
    assert pr.loc["Transit", "group_share"] == pytest.approx(100 * 12 / 36)
    assert pr.loc["Transit", "everyone_share"] == pytest.approx(30.0)
    assert pr.loc["Transit", "difference_points"] == pytest.approx(100 * 12 / 36 - 30)
    assert pr.loc["Transit", "everyone_rank"] == 2
    # in a table with nothing small, shares and ranks by hand
    t = pd.DataFrame(
        [[24, 6], [12, 18]], index=["Housing", "Transit"], columns=["White", "Hispanic or Latino"]
    )
    t.attrs.update({"small_count": 5, "people": [[12, 6], [12, 6]], "group_voters": {"White": 12}})
    pr = eq.group_priorities(t, "White")
    assert pr.index.tolist() == ["Housing", "Transit"]
    assert pr["group_share"].tolist() == pytest.approx([100 * 24 / 36, 100 * 12 / 36])
    assert pr["everyone_share"].tolist() == pytest.approx([50.0, 50.0])
    assert eq.suppress(pr).loc["Housing", "difference_points"] == "+17"
    # every Latino cell is hidden (all 6 gave every dot to Jobs -- showing it would tell on
    # each of them)
    pr = eq.group_priorities(vb, "Hispanic or Latino")
    assert pr.empty and "3 themes with votes" in pr.attrs["message"]
    # the most under-represented group has 2 voters: not shown, and said why
    rep = eq.representation(parts, bench, "race_ethnicity")
    assert rep.set_index("group").loc["Black or African American", "status"] == "under"
    pr = eq.group_priorities(vb, rep=rep)
    assert pr.empty and pr.attrs["group"] == "Black or African American"
    assert pr.attrs["message"].startswith(
        "Fewer than 5 people from Black or African American have voted"
    )
    shown_pr = eq.suppress(eq.group_priorities(vb, "White"))
    assert shown_pr.loc["Transit", "group_share"] == "33%"


def test_theme_sources(bench):
    parts, _ = _big_room()
    subs = pd.DataFrame(
        {
            "participant_key": [f"w{i}" for i in range(8)] + [f"h{i}" for i in range(6)] + ["b0"],
            "theme_id": [1] * 8 + [2] * 6 + [2],
        }
    )
    tb = eq.theme_breakdown(subs, parts, "race_ethnicity", groups=bench.groups("race_ethnicity"))
    src = eq.theme_sources(tb)
    assert src.loc[1, "top_group"] == "White" and src.loc[1, "people"] == 8
    assert src.loc[2, "top_group"] == "Hispanic or Latino"
    assert src.loc[1, "group_share_of_contributors"] == pytest.approx(100 * 8 / 15)
    # every top cell here is hidden (to protect the zeros and the 1 next to it):
    # no exact share given
    assert src["top_group_share"].isna().all()
    # a table with no small cell: shares and lift by hand
    t = pd.DataFrame([[8, 6], [5, 7]], index=[1, 2], columns=["White", "Hispanic or Latino"])
    t.attrs["small_count"] = 5
    src = eq.theme_sources(t)
    assert src["top_group"].tolist() == ["White", "Hispanic or Latino"]
    assert src["top_group_share"].tolist() == pytest.approx([100 * 8 / 14, 100 * 7 / 12])
    assert src["group_share_of_contributors"].tolist() == pytest.approx([50.0, 50.0])
    assert src.loc[1, "lift"] == pytest.approx((8 / 14) / 0.5)
    # a theme whose biggest group has fewer than 5 people names no group
    t2 = pd.DataFrame([[4, 3]], index=[1], columns=["White", "Asian"])
    assert eq.theme_sources(t2).loc[1, "top_group"] == ""
    assert eq.suppress(eq.theme_sources(t)).loc[1, "top_group_share"] == "57%"


def test_points_never_read_minus_zero() -> None:
    from pbp_facilitate.equity._words import points as _points

    assert [_points(x) for x in (-0.4, 0.4, -0.0, 2.6, -3.2)] == ["0", "0", "0", "+3", "-3"]


# ---------------------------------------------------------------------------
# Strings
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("area", ["equity", "panels"])
def test_catalogue_has_every_key_in_both_languages(area):
    table = AREAS[area]
    assert set(table["en"]) == set(table["es"]) and table["en"]
    for key, text in table["en"].items():
        assert key.startswith(f"{area}."), key
        assert placeholders(text) == placeholders(table["es"][key]), key


def test_dimension_names_in_both_languages():
    for dim in eq.KNOWN_DIMENSIONS:
        assert eq.dimension_name(dim, "en") and eq.dimension_name(dim, "es")
    assert eq.dimension_name("gender") == "gender" and eq.dimension_name("gender", "es") == "género"
    assert eq.dimension_name("zip_code") == "ZIP code"
    assert eq.dimension_name("home_town") == "home town"  # unknown keys read as words
    with pytest.raises(ValidationError):
        eq.dimension_name("gender", "fr")


def test_suppress_note_and_headings_in_spanish():
    table = pd.DataFrame([[12, 3], [8, 9]], index=["a", "b"], columns=["X", "Y"])
    en, es = eq.suppress(table), eq.suppress(table, lang="es")
    assert en.attrs["note"].startswith("Counts under 5 people are shown as '<5'")
    assert es.attrs["note"].startswith("Los conteos de menos de 5 personas aparecen como '<5'")
    assert list(es.columns) == ["X", "Y", "Total"] and es.loc["a", "Y"] == "<5"


def test_spanish_representation_ratios_use_the_decimal_comma(room, bench):
    from pbp_facilitate.equity.display import representation_display

    rep = eq.representation(room, bench, "race_ethnicity")
    es = representation_display(rep, 5, "es")
    en = representation_display(rep, 5, "en")
    ratio_es = [v for v in es.iloc[:, 5] if v and v[0].isdigit()]
    ratio_en = [v for v in en.iloc[:, 5] if v and v[0].isdigit()]
    assert ratio_en and all("." in v for v in ratio_en), ratio_en
    assert ratio_es == [v.replace(".", ",") for v in ratio_en]
