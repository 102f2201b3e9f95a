"""What the CSP money buys: the Appendix One project list, clean and complete, and its
priority tags by written rules."""

from __future__ import annotations

import pandas as pd
import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.schema import read_table
from pcp_lib.subjects.csp import (
    CSP_PRIORITY_RULES,
    PRIORITIES,
    load_projects,
    load_rules,
    projects,
    tag_projects,
)

from .helpers import DATA


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
    assert provenance_of(df).kind == "published" and provenance_of(load_rules()).kind == "reference"


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
    names = {**{a: a for a in tagged["csp_area"].unique()}, "Oadby and Wigston": "O&W", "Leicester": "City"}
    assert projects.by_area_and_priority(tagged, names=names).loc["City", "All projects"] == 12
    with pytest.raises(ValueError, match="not in the CSP list: Charnwood"):
        projects.by_area_and_priority(tagged, names={a: a for a in names if a != "Charnwood"})


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
