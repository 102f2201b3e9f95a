"""CSP spend: the published table to the penny, the year-elapsed arithmetic, the return's
checks, the synthetic sample's consistency with the published position, the Appendix One
project list and its priority tags."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import is_synthetic
from pcp_lib.io.schema import read_table
from pcp_lib.reference import csp_areas as csp_areas
from pcp_lib.subjects.csp import (
    CSP_PRIORITY_RULES,
    CSP_SPEND,
    PRIORITIES,
    load_projects,
    load_published,
    load_rules,
    load_spend,
    narrative,
    projects,
    read_position,
    spend_position,
    tables,
    tag_projects,
    views,
    year_elapsed,
)
from pcp_lib.subjects.csp.spend import drawdown_problems, parse_fy

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
D = Decimal
AS_AT = date(2026, 1, 5)

# The ground truth, typed from 001_b24730b53cda192b.txt para 27 (allocation, expenditure, remaining).
PUBLISHED = {
    "Leicester": ("271818.47", "236492.47", "35326.00"),
    "Charnwood": ("89530.24", "89530.24", "0"),
    "Safer North West Leicestershire Partnership": ("53776.10", "37078.21", "16697.89"),
    "Blaby": ("52665.76", "40405.42", "12260.34"),
    "Hinckley and Bosworth": ("51217.55", "46485.80", "4731.75"),
    "Harborough": ("37479.75", "31110.60", "6369.15"),
    "Oadby and Wigston": ("32554.58", "0", "32554.58"),
    "Melton": ("31335.75", "31335.75", "0"),
    "Rutland": ("19296.80", "15354.00", "3942.80"),
}
HEADER = "financial_year,as_at,csp_area,allocation,expenditure,remaining\n"


def good_rows(as_at: str = "2026-01-05") -> list[str]:
    names = {"Safer North West Leicestershire Partnership": "SNWLP", "Melton": "Melton Mowbray"}
    return [f'2025/26,{as_at},{names.get(a, a)},"£{D(al):,.2f}",{"Nil" if D(e) == 0 else e},{r}'
            for a, (al, e, r) in PUBLISHED.items()]


def write(tmp_path: Path, rows: list[str], name: str = "csp_spend.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return p


# ---- the published table -------------------------------------------------------------------
def test_published_table_is_transcribed_to_the_penny():
    pub = load_published()
    assert list(pub["csp_area"]) == list(PUBLISHED)
    for rec in pub.to_dict("records"):
        a, e, r = (D(x) for x in PUBLISHED[rec["csp_area"]])
        assert (rec["allocation"], rec["expenditure"], rec["remaining"]) == (a, e, r), rec["csp_area"]
        assert all(isinstance(rec[c], Decimal) for c in ("allocation", "expenditure", "remaining"))
        assert rec["remaining"] == rec["allocation"] - rec["expenditure"]
        assert rec["as_at"] == AS_AT and rec["financial_year"] == "2025/26"
    raw = (DATA / "published" / "csp_spend.csv").read_text(encoding="utf-8")
    assert '"£271,818.47"' in raw and "SNWLP" in raw and "Melton Mowbray" in raw and raw.count("Nil") == 3
    assert "001_b24730b53cda192b.txt" in raw


def test_published_totals_and_position():
    pos = spend_position(load_published(), AS_AT)
    t = pos.loc[pos["is_total"]].iloc[0]
    assert (t["allocation"], t["expenditure"], t["remaining"]) == (D("639675.00"), D("527792.49"), D("111882.51"))
    by = pos.set_index("csp_area")
    assert by.loc["Oadby and Wigston", "status"] == "no drawdown yet"
    assert by.loc["Charnwood", "status"] == by.loc["Melton", "status"] == "fully spent"
    assert by.loc["Safer North West Leicestershire Partnership", "status"] == "behind profile"
    assert by.loc["Leicester", "status"] == "ahead of profile"
    assert by.loc["Blaby", "status"] == by.loc["Rutland", "status"] == "on profile"
    assert set(pos.loc[pos["flagged"], "csp_area"]) == {"Oadby and Wigston", "Charnwood", "Melton",
                                                        "Safer North West Leicestershire Partnership"}
    # % of year elapsed: day 280 of 365
    assert all(p == D(280) / D(365) * 100 for p in pos["pct_year_elapsed"])
    # SNWLP at its run rate: 37,078.21 / 280 x 365 = 48,334.10, so 5,442.00 unspent
    snwlp = by.loc["Safer North West Leicestershire Partnership"]
    assert snwlp["projected_year_end"] == D("48334.10") and snwlp["projected_underspend"] == D("5442.00")
    assert by.loc["Oadby and Wigston", "projected_underspend"] == D("32554.58")
    # capped at the allocation: Leicester's run rate exceeds it
    assert by.loc["Leicester", "run_rate_year_end"] == D("308284.83")
    assert by.loc["Leicester", "projected_year_end"] == D("271818.47")
    assert t["projected_underspend"] == D("37996.58") and t["projected_year_end"] == D("601678.42")
    assert tables.position(pos).iloc[-1]["% spent"] == "82.5%"
    assert tables.position(pos).iloc[2]["Spend against profile (pp)"] == "-7.8pp"
    assert "-7.8pp" in by.loc["Safer North West Leicestershire Partnership", "reason"]


def test_published_table_display_as_printed():
    shown = tables.published(spend_position(load_published(), AS_AT))
    assert list(shown.columns) == ["CSP Area", "2025-26 Allocations", "2025-26 Expenditure",
                                   "2025-26 Remaining CSP Balance"]
    assert list(shown.iloc[2]) == ["SNWLP", "£53,776.10", "£37,078.21", "£16,697.89"]
    assert list(shown.iloc[1][2:]) == ["£89,530.24", "Nil"]
    assert list(shown.iloc[-1]) == ["Total", "£639,675.00", "£527,792.49", "£111,882.51"]


# ---- year elapsed ----------------------------------------------------------------------------
@pytest.mark.parametrize("day, expected", [
    (date(2026, 1, 5), (2025, 280, 365)),
    (date(2025, 4, 1), (2025, 1, 365)),
    (date(2026, 3, 31), (2025, 365, 365)),
    (date(2024, 2, 29), (2023, 335, 366)),  # 2023/24 holds 29 February 2024
    (date(2024, 3, 31), (2023, 366, 366)),
    (date(2025, 3, 31), (2024, 365, 365)),
    (date(2028, 3, 1), (2027, 336, 366)),
    (date(2027, 3, 1), (2026, 335, 365)),
])
def test_year_elapsed(day, expected):
    ye = year_elapsed(day)
    assert (ye.fy, ye.day, ye.days_in_year) == expected
    assert ye.days_left == expected[2] - expected[1]


def test_year_elapsed_rejects_a_date_outside_the_year():
    with pytest.raises(DataError, match="financial year 2025/26"):
        year_elapsed(date(2026, 4, 1), fy=2025)
    assert "day 280 of 365" in year_elapsed(AS_AT).describe()


# ---- the quarterly return --------------------------------------------------------------------
def test_return_accepts_published_formats_and_aliases(tmp_path):
    rows = good_rows()
    rows[0] = rows[0].replace("Leicester,", "Leicester City,", 1)
    rows[3] = '2025-26,05/01/2026,blaby,52665.76,"£40,405.42",'  # blank remaining is filled
    df = read_position(write(tmp_path, rows))
    assert list(df["csp_area"]) == list(PUBLISHED)
    assert df.loc[3, "remaining"] == D("12260.34")
    assert set(df["financial_year"]) == {"2025/26"}
    assert df.loc[6, "expenditure"] == D("0.00")
    pos = spend_position(df, AS_AT)
    assert pos.iloc[-1]["expenditure"] == D("527792.49")


def test_return_reads_excel(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = CSP_SPEND.sheet
    ws.append(CSP_SPEND.column_names)
    for a, (al, e, _r) in PUBLISHED.items():
        ws.append(["2025/26", "05/01/2026", a, f"£{D(al):,.2f}", float(e), None])
    p = tmp_path / "csp_spend.xlsx"
    wb.save(p)
    df = read_position(p)
    assert sum(df["expenditure"]) == D("527792.49")


@pytest.mark.parametrize("row, column, expected_words", [
    ('2025/26,2026-01-05,Loughborough,"£271,818.47",236492.47,35326.00', "csp_area", ["Loughborough", "Leicester"]),
    ("2025/26,2026-01-05,Leicester,271818.47,271818.48,", "expenditure", ["at most the allocation", "£271,818.48"]),
    ("2025/26,2026-01-05,Leicester,271818.47,236492.47,35326.01", "remaining", ["£35,326.00", "£35,326.01"]),
    ("2025/26,2026-04-01,Leicester,271818.47,236492.47,35326.00", "as_at", ["financial year 2025/26", "01/04/2026"]),
    ("2025/26,2026-01-05,Leicester,271818.47,12;3a,", "expenditure", ["amount of money", "12;3a"]),
    ("2025/27,2026-01-05,Leicester,271818.47,236492.47,", "financial_year", ["financial year like 2025/26"]),
    ("2025/26,2026-01-05,Leicester,271818.47,-5.00,", "expenditure", ["at least 0"]),
])
def test_return_rejects_bad_rows_with_a_clear_message(tmp_path, row, column, expected_words):
    rows = good_rows()
    rows[0] = row
    with pytest.raises(DataError) as exc:
        read_position(write(tmp_path, rows))
    msg = str(exc.value)
    assert "csp_spend.csv" in msg and "row 2" in msg and f"column {column!r}" in msg
    for w in expected_words:
        assert w in msg


def test_return_rejects_a_duplicated_area_even_under_another_name(tmp_path):
    rows = good_rows()
    rows.append("2025/26,2026-01-05,NWL,53776.10,37078.21,16697.89")  # SNWLP again
    with pytest.raises(DataError) as exc:
        read_position(write(tmp_path, rows))
    assert "row 11" in str(exc.value) and "repeats row 4" in str(exc.value)


def test_return_rejects_a_missing_area_and_mixed_dates_and_reports_all_problems(tmp_path):
    rows = good_rows()[:-1]  # no Rutland
    rows[1] = rows[1].replace("2026-01-05", "2026-01-06")
    with pytest.raises(DataError) as exc:
        read_position(write(tmp_path, rows))
    msg = str(exc.value)
    assert "no row for Rutland" in msg and "row 3" in msg and "the same as_at" in msg
    rows = good_rows()
    rows[0] = rows[0].replace("Leicester", "Nowhere")
    rows[1] = "2025/26,2026-01-05,Charnwood,89530.24,89530.25,"
    with pytest.raises(DataError) as exc:
        read_position(write(tmp_path, rows))
    assert len(exc.value.problems) == 2


def test_spend_position_rejects_inconsistent_input():
    pub = load_published()
    with pytest.raises(DataError, match="position as at 31/12/2025"):
        spend_position(pub, date(2025, 12, 31))
    bad = pub.copy()
    bad.loc[0, "remaining"] = D("1.00")
    with pytest.raises(DataError, match="allocation minus expenditure"):
        spend_position(bad, AS_AT)
    bad = pub.copy()
    bad.loc[0, "expenditure"] = D("999999.00")
    with pytest.raises(DataError, match="at most the allocation"):
        spend_position(bad.drop(columns=["remaining"]), AS_AT)


def test_areas_reference_and_aliases():
    names = csp_areas.area_names()
    assert len(names) == 9
    for alias, canon in [("SNWLP", "Safer North West Leicestershire Partnership"),
                         ("NWL", "Safer North West Leicestershire Partnership"), ("Melton Mowbray", "Melton"),
                         ("Leicester City", "Leicester"), ("hinckley & bosworth", "Hinckley and Bosworth")]:
        assert csp_areas.canonical(alias) == canon
    with pytest.raises(ValueError, match="nine CSP areas"):
        csp_areas.canonical("Loughborough")
    assert {a.la_code for a in csp_areas.load_areas()} >= {"E06000016", "E06000017"}
    assert parse_fy("2025-26") == parse_fy("2025/2026") == 2025


# ---- the series and the synthetic sample ---------------------------------------------------------
def test_series_is_consistent_with_the_published_position():
    series = load_spend("2025-26 Q4")
    dates = sorted(set(series["as_at"]))
    assert dates == [date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), AS_AT]
    pub = load_published().set_index("csp_area")
    for area, g in series.groupby("csp_area"):
        g = g.sort_values("as_at")
        exp = list(g["expenditure"])
        assert exp == sorted(exp), area  # never decreasing
        assert all(e <= pub.loc[area, "expenditure"] <= a for e, a in zip(exp, g["allocation"], strict=True))
        assert set(g["allocation"]) == {pub.loc[area, "allocation"]}
        assert exp[-1] == pub.loc[area, "expenditure"]
    assert (series.loc[series["csp_area"] == "Oadby and Wigston", "expenditure"] == 0).all()
    assert series.attrs["warnings"] == []
    for q in ("Q1", "Q2", "Q3"):
        assert is_synthetic(DATA / "quarters" / f"2025-26-{q}" / "csp_spend.csv")
    assert not is_synthetic(DATA / "quarters" / "2025-26-Q4" / "csp_spend.csv")


def test_drawdown_that_goes_down_is_a_warning():
    series = load_spend("2025-26 Q4")
    i = series.index[(series["csp_area"] == "Leicester") & (series["as_at"] == AS_AT)][0]
    series.loc[i, "expenditure"] = D("1.00")
    found = drawdown_problems(series)
    assert len(found) == 1 and found[0].severity == "warning" and "Leicester" in str(found[0])


def test_position_in_the_wrong_quarter_folder_is_rejected(tmp_path):
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    shutil.copytree(DATA / "published", tmp_path / "published")
    folder = tmp_path / "quarters" / "2025-26-Q3"
    folder.mkdir(parents=True)
    write(folder, good_rows())  # as at 05/01/2026: Q4, not Q3
    with pytest.raises(DataError, match="a date in Q3 2025/26"):
        load_spend("2025-26 Q3", tmp_path)


def test_validate_reports_period_and_passes_committed_files(tmp_path):
    from pcp_lib.pack.returns import all_returns, validate_file

    assert "csp_spend" in all_returns()
    for q in ("Q1", "Q2", "Q3", "Q4"):
        errs = [p for p in validate_file(DATA / "quarters" / f"2025-26-{q}" / "csp_spend.csv") if p.severity == "error"]
        assert errs == [], q
    folder = tmp_path / "quarters" / "2025-26-Q3"
    folder.mkdir(parents=True)
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    problems = validate_file(write(folder, good_rows()))
    assert any(p.column == "as_at" and "Q3 2025/26" in p.expected for p in problems)


def _load_script():
    spec = importlib.util.spec_from_file_location("make_sample_csp", ROOT / "scripts" / "make_sample_csp.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_script_rebuilds_committed_files_byte_identically(tmp_path):
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    (tmp_path / "published").mkdir()
    for f in ("csp_spend.csv", "csp_appendix_one.txt"):
        shutil.copy(DATA / "published" / f, tmp_path / "published" / f)
    built = _load_script().build(tmp_path)
    assert len(built) == 10
    for path, text in built.items():
        committed = DATA / path.relative_to(tmp_path)
        assert committed.read_text(encoding="utf-8") == text, committed


# ---- the quarter view ------------------------------------------------------------------------
def test_quarter_view_leads_with_the_latest_position_up_to_the_quarter_end():
    v = views.quarter_view("2025-26 Q3")
    assert v.lead_as_at == date(2025, 12, 31) and v.lead_synthetic and v.lead_in_quarter
    assert v.previous_as_at == date(2025, 9, 30)
    assert v.published_as_at == AS_AT and v.published_relation == "after the quarter"
    dd = v.in_quarter.set_index("csp_area")
    assert dd.loc["Total", "spent_before"] + dd.loc["Total", "drawn_down"] == dd.loc["Total", "spent_to_date"]
    text = " ".join(narrative.published_sentences(v))
    assert "5 days after the end of Q3 2025/26" in text and "£639,675.00" in text and "9 of 9 rows" in text
    lead = " ".join(narrative.lead_sentences(v))
    assert "31/12/2025" in lead and "SYNTHETIC" in lead and "no position for Q3 2024/25" in lead

    q4 = views.quarter_view("2025-26 Q4")
    assert q4.lead_as_at == AS_AT and not q4.lead_synthetic and q4.published_relation == "in the quarter"
    pd.testing.assert_frame_equal(q4.lead.drop(columns=["reason"]), q4.published.drop(columns=["reason"]))

    late = views.quarter_view("2027-28 Q1")
    assert late.lead_as_at == AS_AT and not late.lead_same_year
    assert "no CSP position yet for 2027/28" in " ".join(narrative.lead_sentences(late))
    early = views.quarter_view("2024-25 Q4")
    assert early.lead is None and early.published is None
    assert "no CSP spend position" in narrative.lead_sentences(early)[0]


def test_drawdown_series_and_charts():
    from pcp_lib.display.charts.drawdown_lines import drawdown_lines
    from pcp_lib.display.charts.projection_bars import projection_bars
    from pcp_lib.display.charts.spend_profile import spend_against_profile

    v = views.quarter_view("2025-26 Q4")
    s = views.drawdown_series(v.series, 2025)
    assert len(s) == 10 * 5 and s.loc[s["start"], "pct_spent"].eq(0).all()
    names = csp_areas.short_names()
    fig = spend_against_profile(v.published, names, subtitle=narrative.position_subtitle(AS_AT, False))
    assert fig.axes[0].get_title(loc="left") == "2 of 9 CSPs behind profile or yet to draw down, as at 05/01/2026"
    assert any("no drawdown yet" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)
    fig = projection_bars(v.published, names)
    assert "£37,996.58" in fig.axes[0].get_title(loc="left")
    plt.close(fig)
    fig = drawdown_lines(s, 2025, names, subtitle=narrative.series_subtitle(s))
    assert "SYNTHETIC" in " ".join(t.get_text() for t in fig.texts)
    plt.close(fig)


# ---- projects and priorities -----------------------------------------------------------------
def test_appendix_one_projects_are_clean_and_complete():
    df = load_projects()
    assert len(df) == 60
    counts = df.groupby("csp_area").size().to_dict()
    assert counts == {"Leicester": 12, "Charnwood": 6, "Safer North West Leicestershire Partnership": 10,
                      "Blaby": 9, "Hinckley and Bosworth": 11, "Harborough": 6, "Melton": 4, "Rutland": 2}
    text = " ".join(df["project"]) + " ".join(df["description"].fillna("")) + " ".join(df["area"])
    assert "<" not in text and ">" not in text and "list-style" not in text
    assert "Your Commissioner" not in text  # the page footer inside <small>
    by = df.set_index("project_id")
    assert by.loc[24, "project"] == "Albert Village Competition - Priority 3"
    assert "Hi-Viz sticker set" in by.loc[24, "description"]  # joined across the page break
    assert by.loc[55, "description"].startswith("Since the post was introduced")  # blank row continued
    assert by.loc[46, "area"] == "Hinckley and Bosworth"
    assert projects.build_projects() == (DATA / "published" / "csp_projects.csv").read_text(encoding="utf-8")


def test_appendix_parser_rejects_an_unknown_area():
    text = "Project\tDescription / Brief\tArea\nA project\tWhat it does\tLoughborough\n"
    with pytest.raises(DataError, match="row 2.*Loughborough"):
        projects.parse_appendix(text)


def test_priority_tags_follow_the_rules():
    tagged = tag_projects(load_projects(), load_rules())
    assert set(tagged["priority"]) <= set(PRIORITIES) and tagged["priority"].notna().all()
    by = tagged.set_index("project")
    assert by.loc["Domestic Abuse Outreach Worker – Living Without Abuse", "priority"].startswith("Violence against")
    assert by.loc["Rural Crime Priority Fund", "priority"] == "Rural crime"
    assert by.loc["DISC Retail Business Crime", "priority"] == "Business crime"
    assert by.loc["Albert Village Competition - Priority 3", "priority"] == "Road safety"
    assert by.loc["The Warning Zone Roadcrew", "priority"] != "Road safety"  # e-safety, not roads
    assert by.loc["Street Whyze KnifeCrime Project", "priority"] == "Violence and vulnerability"
    assert by.loc["CSP Project Officer Funding", "priority"] == "Other"
    counts = projects.by_area_and_priority(tagged)
    assert counts.loc["All areas", "All projects"] == 60 and counts.loc["Oadby and Wigston", "All projects"] == 0
    assert int(counts.loc["All areas", list(PRIORITIES)].sum()) == 60
    assert "none for Oadby and Wigston" in narrative.project_sentences(tagged)[0]


def test_first_matching_rule_decides_and_rules_are_checked(tmp_path):
    rules = pd.DataFrame([
        {"rule": 2, "priority": "Road safety", "match_in": "either", "pattern": "bike", "why": "b"},
        {"rule": 1, "priority": "Neighbourhood crime", "match_in": "project", "pattern": "register", "why": "a"},
    ])
    p = pd.DataFrame([{"project_id": 1, "project": "Bike Register", "description": "bike", "csp_area": "Blaby"},
                      {"project_id": 2, "project": "Other thing", "description": None, "csp_area": "Blaby"}])
    out = tag_projects(p, rules)
    assert list(out["priority"]) == ["Neighbourhood crime", "Other"] and out["rule"].iloc[0] == 1
    bad = tmp_path / "csp_priority_rules.csv"
    bad.write_text("rule,priority,match_in,pattern,why\n1,Cyber crime,project,x,y\n2,Other,project,(unclosed,y\n",
                   encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_table(bad, CSP_PRIORITY_RULES)
    assert "row 2" in str(exc.value) and "Cyber crime" in str(exc.value) and "row 3" in str(exc.value)
    assert projects.rules_problems(load_rules(), "x") == []
