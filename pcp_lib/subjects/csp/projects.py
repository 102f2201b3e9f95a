"""What the CSP money buys: the Appendix One project list, and its priorities.

Appendix One of the Commissioner's update (001_b24730b53cda192b.txt) lists the projects
each CSP agreed for 2025/26 as a three-column table (project, description / brief, area).
As extracted it carries HTML fragments (``<p>``, ``<ul style=...>``, a page footer inside
``<small>``) and descriptions broken across page breaks (a row with no project name
continues the row before). ``parse_appendix`` turns that text into one clean row per
project; the raw excerpt is committed in ``data/published/csp_appendix_one.txt`` so the
clean list can always be rebuilt and checked.

Each project is tagged with the Police and Crime Plan priority it serves (the six Community
Action Fund priorities in the same report, para 31, plus "other") by transparent rules in
``data/reference/csp_priority_rules.csv``: rules are tried in their order and the first
whose pattern matches decides; the table of tags shows which rule and which words.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import published_path, reference_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.reference.csp_areas import alias_pairs, area_names, canonical, short_names

__all__ = ["CSP_PRIORITY_RULES", "CSP_PROJECTS", "PRIORITIES", "PROJECTS_FILE", "RAW_FILE", "RULES_FILE",
           "build_projects", "by_area_and_priority", "clean_text", "load_projects", "load_rules", "parse_appendix",
           "projects_csv", "rules_problems", "tag_projects"]

RAW_FILE = "csp_appendix_one.txt"
PROJECTS_FILE = "csp_projects.csv"
RULES_FILE = "csp_priority_rules.csv"
SOURCE = ("001_b24730b53cda192b.txt, Commissioner's Update para 29 and Appendix One "
          "(table: Project / Description / Brief / Area)")

#: The six Community Action Fund priorities (para 31), in the published order, and "Other".
PRIORITIES = ("Rural crime", "Road safety", "Violence and vulnerability", "Business crime",
              "Neighbourhood crime", "Violence against women and girls (VAWG)", "Other")
PRIORITY_ALIASES = (("VAWG", PRIORITIES[5]), ("Violence Against Women and Girls", PRIORITIES[5]))
MATCH_IN = ("project", "description", "either")

CSP_PROJECTS = Schema(
    name="csp_projects",
    title="CSP projects funded (Appendix One)",
    description="One row per project the CSPs agreed for the year: name, description and area.",
    columns=(
        Column("project_id", "int", "Order in Appendix One (1 = first)", min_value=1),
        Column("project", "text", "Project name as published (HTML removed)"),
        Column("description", "text", "Description / brief as published (HTML removed)", required=False),
        Column("area", "text", "Area as printed in Appendix One (e.g. NWL, Leicester City)"),
        Column("csp_area", "choice", "The CSP (canonical name)", choices=area_names(), aliases=alias_pairs()),
        Column("source", "text", "Seed document and table"),
    ),
    key=("project_id",),
)


def _valid_pattern(row: dict[str, Any]) -> tuple[str, str] | None:
    try:
        re.compile(row["pattern"])
    except re.error as exc:
        return ("pattern", f"a regular expression ({exc}); got {row['pattern']!r}")
    return None


CSP_PRIORITY_RULES = Schema(
    name="csp_priority_rules",
    title="Rules tagging CSP projects with a Police and Crime Plan priority",
    description="Tried in rule order; the first rule whose pattern (a case-insensitive regular "
                "expression) is found in the project name, the description or either decides.",
    columns=(
        Column("rule", "int", "Order in which rules are tried (lower first)", min_value=1),
        Column("priority", "choice", "The priority a match means", choices=PRIORITIES, aliases=PRIORITY_ALIASES),
        Column("match_in", "choice", "Where to look: project, description or either", choices=MATCH_IN),
        Column("pattern", "text", "Case-insensitive regular expression (\\b marks a word boundary)"),
        Column("why", "text", "Why a match means this priority"),
    ),
    key=("rule",),
    row_checks=(_valid_pattern,),
)

_SMALL = re.compile(r"<small>.*?</small>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_BULLET = re.compile(r"\s*•\s*")


def clean_text(text: str) -> str:
    """Remove HTML fragments and the page footer, keep bullets readable, collapse spaces."""
    t = _SMALL.sub(" ", text)
    t = _TAG.sub(" ", t)
    t = html.unescape(t)
    t = _BULLET.sub(" • ", t)
    t = " ".join(t.split())
    return t.lstrip("• ").strip() if t.startswith("•") else t


def parse_appendix(text: str, source: str = SOURCE, file: str = RAW_FILE) -> pd.DataFrame:
    """One clean row per project from the tab-separated Appendix One text.

    The first line is the header (Project / Description / Brief / Area). A line with no
    project name continues the description of the project before it (a page break); blank
    lines are page gaps. An area that is not one of the nine CSPs raises ``DataError``.
    """
    lines = text.splitlines()
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            problems.append(Problem(file=file, row=n, expected="3 tab-separated fields (project, description, "
                                    "area)", got=f"{len(fields)} fields"))
            continue
        project, description, area = (clean_text(f) for f in fields)
        if not project:
            if not rows:
                problems.append(Problem(file=file, row=n, column="Project", expected="a project name on the "
                                        "first row", got=""))
                continue
            rows[-1]["description"] = " ".join(x for x in (rows[-1]["description"], description) if x)
            if area and area != rows[-1]["area"]:
                problems.append(Problem(file=file, row=n, column="Area", expected=(
                    f"a continuation of {rows[-1]['project']!r} ({rows[-1]['area']})"), got=area))
            continue
        try:
            csp = canonical(area)
        except ValueError:
            problems.append(Problem(file=file, row=n, column="Area", expected="one of the nine CSP areas ("
                                    + ", ".join(area_names()) + ")", got=area))
            continue
        rows.append({"project_id": len(rows) + 1, "project": project, "description": description,
                     "area": area, "csp_area": csp, "source": source})
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows, columns=CSP_PROJECTS.column_names).astype(
        {"project_id": "Int64", "project": "string", "description": "string", "area": "string",
         "csp_area": "string", "source": "string"})


def projects_csv(projects: pd.DataFrame) -> str:
    """The clean project list as CSV text (what ``data/published/csp_projects.csv`` holds)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSP_PROJECTS.column_names)
    for rec in projects.to_dict("records"):
        w.writerow([rec[c] for c in CSP_PROJECTS.column_names])
    return buf.getvalue()


def build_projects(data_dir: str | Path | None = None) -> str:
    """Rebuild the clean project list from the committed raw excerpt (CSV text)."""
    raw = published_path(RAW_FILE, data_dir)
    return projects_csv(parse_appendix(raw.read_text(encoding="utf-8"), file=rel(raw)))


def load_projects(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The clean project list, checked against its schema."""
    return read_table(published_path(PROJECTS_FILE, data_dir), CSP_PROJECTS)


def load_rules(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The tagging rules in the order they are tried."""
    df = read_table(reference_path(RULES_FILE, data_dir), CSP_PRIORITY_RULES)
    return df.sort_values("rule", kind="stable").reset_index(drop=True)


def tag_projects(projects: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """Each project with its priority, the rule that decided it and the words it matched.

    Rules are tried in ``rule`` order; the first whose pattern is found (case-insensitive) in
    the project name, the description or either (as the rule says) decides. A project no
    rule matches is "Other" with rule blank.
    """
    compiled = [(r["rule"], r["priority"], r["match_in"], re.compile(r["pattern"], re.IGNORECASE), r["why"])
                for r in rules.sort_values("rule", kind="stable").to_dict("records")]
    out = []
    for rec in projects.to_dict("records"):
        name, desc = str(rec["project"]), "" if pd.isna(rec["description"]) else str(rec["description"])
        hit: dict[str, Any] = {"priority": "Other", "rule": None, "matched": "", "why": "no rule matched"}
        for rule, priority, where, pat, why in compiled:
            texts = {"project": [name], "description": [desc], "either": [name, desc]}[where]
            m = next((m for t in texts if (m := pat.search(t))), None)
            if m:
                hit = {"priority": priority, "rule": rule, "matched": m.group(0), "why": why}
                break
        out.append({"project_id": rec["project_id"], "csp_area": rec["csp_area"], "project": name, **hit})
    df = pd.DataFrame(out, columns=["project_id", "csp_area", "project", "priority", "rule", "matched", "why"])
    return df.astype({"project_id": "Int64", "csp_area": "string", "project": "string", "priority": "string",
                      "rule": "Int64", "matched": "string", "why": "string"})


def by_area_and_priority(tagged: pd.DataFrame, short: bool = True,
                         names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Number of projects per area (rows, reference order, with a total) and priority
    (columns, published order, with a total). Areas by their short (published) names when
    ``short`` (``names``: canonical -> short name of every CSP, in reference order; the
    project's reference list when None)."""
    sn = short_names() if names is None else dict(names)
    order = list(area_names()) if names is None else list(sn)
    unknown = sorted(set(tagged["csp_area"]) - set(order))
    if unknown:  # a project would fall out of the counts: say so rather than drop it
        raise ValueError(f"projects in areas not in the CSP list: {', '.join(unknown)} (the list has "
                         f"{', '.join(order)})")
    counts = pd.crosstab(pd.Categorical(tagged["csp_area"], categories=order),
                         pd.Categorical(tagged["priority"], categories=list(PRIORITIES)), dropna=False)
    counts.index.name = "CSP area"
    counts.columns.name = None
    counts = counts.astype("int64")
    counts["All projects"] = counts.sum(axis=1)
    counts.loc["All areas"] = counts.sum(axis=0)
    if short:
        counts.index = [sn.get(i, i) for i in counts.index]
        counts.index.name = "CSP area"
    return counts


def rules_problems(rules: pd.DataFrame, path: str | Path) -> list[Problem]:
    """Every priority except "Other" should have at least one rule (else it can never be tagged)."""
    missing = [p for p in PRIORITIES[:-1] if p not in set(rules["priority"])]
    return [Problem(file=rel(path), column="priority", expected="at least one rule for each priority",
                    got="none for " + ", ".join(missing))] if missing else []
