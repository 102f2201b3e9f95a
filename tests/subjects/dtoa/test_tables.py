"""Display tables: figures rounded half up once, units in the headers and cells, and one
rule for missing values ("n/a")."""

from __future__ import annotations

from conftest import FIXTURE_DATA

from pcp_lib.subjects.dtoa import cstr, pathway, published, tables


def test_level_in_its_unit():
    assert tables.level(241, "count") == "241"
    assert tables.level(50.85, "percent", 1) == "50.9%"
    assert tables.level(7.05, "days", 1) == "7.1 days"  # half up, not to even
    assert tables.level(float("nan"), "percent") == "n/a"
    assert tables.level(None, "days") == "n/a"


def test_comparison_table_display():
    shown = tables.comparison(published.comparison_table(published.load_comparison(FIXTURE_DATA))).set_index("Monthly average")
    row = shown.loc["% of Required Assessments attended"]
    assert (row["With enhanced HO funding"], row["Current provision (Q3 2025)"]) == ("74%", "51%")
    assert row["Change (computed; % relative, pp points, days)"] == "-23pp" and row["Agrees"] == "✖ no: unit"
    assert shown.loc["Waiting time for Required Assessments", "Current provision (Q3 2025)"] == "7 days"


def test_funnel_first_stage_reads_n_a():
    shown = tables.funnel(published.pathway_2025_funnel(published.load_pathway_2025(FIXTURE_DATA)))
    first = shown.iloc[0]
    assert first["Count"] == "2,915" and first["Not carried forward from previous stage"] == "n/a"
    assert first["Reached from the top (%)"] == "100.0%"
    assert shown.iloc[1]["Not carried forward (%)"] == "88.9%"
    assert (shown.iloc[1]["Of them: not eligible"], shown.iloc[1]["Of them: did not go on"]) == ("2,591", "0")
    assert shown.iloc[2]["Of them: not eligible"] == "not separable"
    assert (shown.iloc[3]["Of them: not eligible"], shown.iloc[3]["Of them: did not go on"]) == ("0", "29")


def test_quarter_and_monitor_missing_values():
    series = pathway.load_pathway("2025-26 Q3", FIXTURE_DATA)
    q = tables.quarter(pathway.quarter_table(series, "2025-26 Q3")).set_index("Monthly average")
    assert q.loc["% of Required Assessments attended", "Q3 2025/26"] == "50.9%"
    assert q.loc["Waiting time for Required Assessments", "Q3 2025/26"] == "7.1 days"
    assert q.loc["Drug tests carried out", "Q3 2024/25"] == "n/a"
    mon = tables.monitor(pathway.uplift_monitor(series, published.load_comparison(FIXTURE_DATA))).set_index("Measure")
    assert mon.loc["Drug tests carried out", "Before: a month (95% interval)"] == "25.5 (22.7 to 28.5)"
    assert mon.loc["Drug tests carried out", "Since the uplift: a month (95% interval)"] == "n/a"


def test_funding_money_to_the_penny_and_reproduction_words():
    shown = tables.funding(published.load_funding(FIXTURE_DATA), published.load_contributions(FIXTURE_DATA))
    assert list(shown["Amount"])[:4] == ["£200,000.00", "£150,000.00", "£25,000.00", "£0.00"]
    assert list(shown["Amount"])[-2:] == ["£219,287.00", "£111,856.00"]
    rep = tables.reproduction(published.reproduction_table(published.load_comparison(FIXTURE_DATA), cstr.load_monthly(FIXTURE_DATA),
                                                           cstr.load_totals(FIXTURE_DATA)))
    assert set(rep["agrees"]) == {"✔ yes", "✖ no"}


def test_cstr_display():
    s = tables.cstr_summary(cstr.summary(cstr.load_monthly(FIXTURE_DATA))).set_index("Area")
    assert s.loc["Leicester", cstr.RATE] == "17.1%" and s.loc["Rutland", cstr.RATE] == "0.0%"
    assert s.loc[cstr.LLR, cstr.PER_100] == "4.4"
    roll = tables.cstr_rolling(cstr.rolling_12(cstr.load_monthly(FIXTURE_DATA)))
    assert list(roll["12 months to"]) == ["Dec 2025"] * 3


def test_monthly_return_display():
    shown = tables.monthly(pathway.load_pathway("2025-26 Q3", FIXTURE_DATA))
    assert list(shown.columns)[:3] == ["Month", "Identified as suitable", "Drug tests"]
    assert shown["Month"].iloc[-1] == "Dec 2025"
    assert shown["% of RAs attended"].str.endswith("%").all()
