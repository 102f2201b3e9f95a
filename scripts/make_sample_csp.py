"""Write the CSP spend data files derived by code (byte-identical on every run).

1. ``data/published/csp_projects.csv``: the Appendix One project list, cleaned of its HTML
   fragments and page breaks, from the raw excerpt ``data/published/csp_appendix_one.txt``.
2. ``data/quarters/2025-26-Q4/csp_spend.csv``: the published position as at 05/01/2026
   (``data/published/csp_spend.csv``) as a quarterly return. 05/01/2026 falls in Q4 2025/26
   (January-March 2026), so that is the folder it belongs in. Real, not synthetic.
3. ``data/quarters/2025-26-Q{1,2,3}/csp_spend.csv``: SYNTHETIC positions at the end of each
   earlier quarter (30/06/2025, 30/09/2025, 31/12/2025), so the notebook can show drawdown
   over the year. Allocations are the published 2025/26 allocations (reset at the start of
   the year, para 26). Expenditure is a share of each area's published expenditure as at
   05/01/2026 drawn with a fixed seed, so that it never decreases from one position to the
   next, never exceeds the published expenditure (hence never the allocation), and stays
   Nil for Oadby and Wigston (Nil as at 05/01/2026, para 28).

Run:  .venv/bin/python scripts/make_sample_csp.py  [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from datetime import date
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pcp_lib.methods.periods import Quarter  # noqa: E402
from pcp_lib.subjects.csp.projects import PROJECTS_FILE, RAW_FILE, build_projects  # noqa: E402
from pcp_lib.subjects.csp.spend import CSP_SPEND, load_published  # noqa: E402

SEED = 20260105
PUBLISHED_AS_AT = date(2026, 1, 5)
SAMPLE_DATES = (date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31))
COLUMNS = [c for c in CSP_SPEND.column_names]
PENNY = Decimal("0.01")


def position_csv(rows: list[dict[str, object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([r[c] for c in COLUMNS])
    return buf.getvalue()


def _row(fy: str, as_at: date, area: str, allocation: Decimal, expenditure: Decimal) -> dict[str, object]:
    return {"financial_year": fy, "as_at": as_at.isoformat(), "csp_area": area, "allocation": f"{allocation:.2f}",
            "expenditure": f"{expenditure:.2f}", "remaining": f"{allocation - expenditure:.2f}"}


def shares(rng: np.random.Generator) -> list[Decimal]:
    """Cumulative shares of the 05/01/2026 expenditure drawn by each sample date: claims are
    paid in arrears, so little in Q1 (sometimes nothing), about half to four-fifths by the
    end of Q2's spend, most or all by 31/12/2025."""
    f3 = 1.0 if rng.random() < 0.5 else float(rng.uniform(0.85, 1.0))
    f2 = f3 * float(rng.uniform(0.45, 0.8))
    f1 = 0.0 if rng.random() < 0.2 else f2 * float(rng.uniform(0.1, 0.5))
    return [Decimal(f"{f:.6f}") for f in (f1, f2, f3)]


def build(data_dir: Path) -> dict[Path, str]:
    """Every file this script writes, with its exact text."""
    out: dict[Path, str] = {}
    published = data_dir / "published"
    out[published / PROJECTS_FILE] = build_projects(data_dir)
    out[published / (PROJECTS_FILE + ".source.txt")] = (
        f"Derived by scripts/make_sample_csp.py (pcp_lib.subjects.csp.projects.parse_appendix) from {RAW_FILE}, the "
        "Appendix One table of 001_b24730b53cda192b.txt (Commissioner's Update para 29: projects agreed by each "
        "CSP for 2025/26) copied exactly. HTML fragments and the page footer are removed; rows split by page "
        "breaks are joined. project_id is the order in Appendix One; area is as printed, csp_area the CSP.\n")

    pub = load_published(data_dir)
    pub = pub.loc[[d == PUBLISHED_AS_AT for d in pub["as_at"]]]
    fy = str(pub["financial_year"].iloc[0])
    q4 = data_dir / "quarters" / Quarter.containing(PUBLISHED_AS_AT).slug
    out[q4 / "csp_spend.csv"] = position_csv(
        [_row(fy, PUBLISHED_AS_AT, r["csp_area"], r["allocation"], r["expenditure"]) for r in pub.to_dict("records")])
    out[q4 / "csp_spend.csv.source.txt"] = (
        "PUBLISHED CSP spend position as at 05/01/2026 (2025/26), copied by scripts/make_sample_csp.py from "
        "data/published/csp_spend.csv: 001_b24730b53cda192b.txt, Commissioner's Update para 27. Real figures. "
        "05/01/2026 falls in Q4 2025/26 (January-March 2026), so the position is filed in this quarter.\n")

    rng = np.random.default_rng(SEED)
    drawn = {r["csp_area"]: shares(rng) for r in pub.to_dict("records")}
    for i, as_at in enumerate(SAMPLE_DATES):
        rows = []
        for r in pub.to_dict("records"):
            e = (r["expenditure"] * drawn[r["csp_area"]][i]).quantize(PENNY, rounding=ROUND_DOWN)
            rows.append(_row(fy, as_at, r["csp_area"], r["allocation"], e))
        folder = data_dir / "quarters" / Quarter.containing(as_at).slug
        out[folder / "csp_spend.csv"] = position_csv(rows)
        out[folder / "csp_spend.csv.source.txt"] = (
            f"SYNTHETIC CSP spend position as at {as_at:%d/%m/%Y}, written by scripts/make_sample_csp.py with "
            f"seed {SEED}. Allocations are the published 2025/26 allocations (001_b24730b53cda192b.txt para 27); "
            "expenditure is a random share of each area's published expenditure as at 05/01/2026, never "
            "decreasing from one quarter to the next and never above the published figure (Nil where it is Nil). "
            "Not real OPCC data.\n")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=ROOT / "data")
    args = ap.parse_args(argv)
    for path, text in build(args.data_dir).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        try:
            shown = path.relative_to(ROOT)
        except ValueError:
            shown = path
        print(f"wrote {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
