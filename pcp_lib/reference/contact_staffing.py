"""Staffing assumptions for the contact what-if: handling times, callers' patience, shrinkage.

Read from ``data/reference/contact_staffing_assumptions.csv``. The Force does not publish
these, so the committed file is a SYNTHETIC set of typical contact-centre values (its sidecar
note says so); the :class:`Assumptions` carry the file's provenance, so anything built from
them is labelled by the page contract, not by a flag remembered in a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import Provenance, provenance_of
from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table

__all__ = ["ASSUMPTIONS_FILE", "STAFFING_ASSUMPTIONS", "Assumptions", "load_assumptions"]

ASSUMPTIONS_FILE = "contact_staffing_assumptions.csv"
VOICE = ("999", "101")
#: Parameter -> the channels it must be given for.
NEEDED: dict[str, tuple[str, ...]] = {"aht_s": VOICE, "patience_s": VOICE, "shrinkage": ("all",),
                                      "fte_hours": ("all",)}

STAFFING_ASSUMPTIONS = Schema(
    name="contact_staffing_assumptions",
    title="Contact staffing assumptions",
    columns=(
        Column("parameter", "choice", "aht_s (handling time), patience_s (mean wait before hanging up), "
               "shrinkage (share of paid hours not on calls) or fte_hours (paid hours a week)",
               choices=tuple(NEEDED)),
        Column("channel", "choice", "999 or 101 for per-channel parameters; all for the workforce",
               choices=(*VOICE, "all")),
        Column("value", "decimal", "The assumed value, in the unit given", min_value=0),
        Column("unit", "text", "Unit of the value"),
        Column("description", "text", "What the parameter means"),
    ),
    key=("parameter", "channel"),
)


@dataclass(frozen=True)
class Assumptions:
    """Planning assumptions per channel (handling time, patience) and for the workforce.

    Model inputs, so floats; ``provenance`` says where they came from (SYNTHETIC as committed).
    """

    aht_s: dict[str, float]
    patience_s: dict[str, float]
    shrinkage: float
    fte_hours: float
    provenance: Provenance


def load_assumptions(data_dir: str | Path | None = None) -> Assumptions:
    """The staffing assumptions; a ``DataError`` naming file, row and column when a parameter
    is missing, a time or paid hours is not above 0, or shrinkage is not below 1."""
    path = reference_path(ASSUMPTIONS_FILE, data_dir)
    df = read_table(path, STAFFING_ASSUMPTIONS)
    vals = {(str(r["parameter"]), str(r["channel"])): float(r["value"]) for r in df.to_dict("records")}
    rows = {(str(r["parameter"]), str(r["channel"])): int(r["_row"]) for r in df.to_dict("records")}
    missing = [f"{p} for {c}" for p, chans in NEEDED.items() for c in chans if (p, c) not in vals]
    if missing:
        raise DataError(Problem(file=rel(path), column="parameter", expected="a row for each of "
                                + ", ".join(f"{p} ({'/'.join(c)})" for p, c in NEEDED.items()),
                                got="no row for " + ", ".join(missing)))
    problems = [Problem(file=rel(path), row=rows[key], column="value", expected=expected, got=str(vals[key]))
                for key, bad, expected in (
                    *(((p, c), vals[(p, c)] <= 0, f"{p} above 0") for p in ("aht_s", "patience_s", "fte_hours")
                      for c in NEEDED[p]),
                    (("shrinkage", "all"), vals[("shrinkage", "all")] >= 1, "a shrinkage below 1 (a share of "
                                                                            "paid hours)"))
                if bad]
    if problems:
        raise DataError(problems)
    return Assumptions(aht_s={c: vals[("aht_s", c)] for c in VOICE},
                       patience_s={c: vals[("patience_s", c)] for c in VOICE},
                       shrinkage=vals[("shrinkage", "all")], fte_hours=vals[("fte_hours", "all")],
                       provenance=provenance_of(df))
