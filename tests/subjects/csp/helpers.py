"""Shared by the CSP tests: the published table as typed from the paper, and a return file writer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
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


def write(folder: Path, rows: list[str], name: str = "csp_spend.csv") -> Path:
    p = folder / name
    p.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return p
