"""Rebuild data/derived/police_uk_monthly_counts.csv (and the test fixture) from raw police.uk files.

The raw street-level files (about 100 MB for two forces and 24 months) are not part of the
project; the small monthly counts derived from them are, so the project runs without them.
Running this script again on the same raw files rewrites the committed files byte-identically.

    .venv/bin/python scripts/build_police_uk_counts.py [--raw ../shared/data/police_uk] [--fixture]

Download order matters: the June 2024 download of January-April 2024 is passed before the later
full download, so the later one supersedes it (police.uk revises outcomes after publication).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pcp_lib.subjects.crime.counts import DERIVED_COUNTS_FILE  # noqa: E402
from pcp_lib.subjects.crime.street import monthly_counts, plan_files, read_street, write_counts  # noqa: E402

DEFAULT_RAW = ROOT.parent / "shared" / "data" / "police_uk"
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "police_uk"


def raw_paths(raw: Path) -> list[Path]:
    """Every raw file, oldest download first (the vintage folder before the later downloads)."""
    return (sorted((raw / "leicestershire_vintage_2024-06").glob("*-street.csv"))
            + sorted((raw / "leicestershire").glob("*-street.csv"))
            + sorted((raw / "derbyshire").glob("*-street.csv")))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_counts(raw: Path, out_dir: Path) -> Path:
    paths = raw_paths(raw)
    counts = monthly_counts(paths, data_dir=ROOT / "data")
    out = out_dir / DERIVED_COUNTS_FILE
    write_counts(counts, out)
    plan = plan_files([(p, read_street(p)) for p in paths])
    lines = [
        "Derived from police.uk street-level crime files (Open Government Licence v3.0) by "
        "scripts/build_police_uk_counts.py: monthly counts by force, local authority and crime type.",
        "Raw files: ../shared/data/police_uk (copies listed with source repository, commit and SHA-256 "
        "in its MANIFEST.csv): Leicestershire Police and Derbyshire Constabulary, 2023-01 to 2024-12.",
        "local_authority is the LSOA name without its last token; blank for 'No Location' rows and rows "
        "located outside the force's districts (reference/police_force_districts.csv), kept so force "
        "totals stay whole. Anti-social behaviour rows are counted as their own crime type.",
        "Superseded by a later download of the same month (not counted): "
        + ", ".join(f"{p.parent.name}/{p.name}" for p in plan.superseded) + ".",
        "police.uk categories are not Home Office recorded-crime definitions (police.uk Burglary "
        "includes non-residential burglary).",
        "Inputs (file, sha256):",
    ]
    lines += [f"  {p.parent.name}/{p.name} {sha256(p)}" for p in paths]
    out.with_name(out.name + ".source.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    return table[0], table[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def build_fixture(raw: Path, out: Path = FIXTURE_DIR) -> None:
    """A few hundred raw rows covering every quirk, cut deterministically from the raw files:
    2024-12 Leicestershire (Rutland and Melton rows, 'No Location' rows, rows outside LLR,
    anti-social behaviour), 2024-01 Leicestershire in both the June 2024 download and the later
    one (same crime IDs, revised outcomes), and 2024-12 Derbyshire."""
    header, edge = _rows(raw / "sample_2024-12_leicestershire_rutland_melton_edgecases.csv")
    i_la, i_type = header.index("LSOA name"), header.index("Crime type")
    picked: list[list[str]] = []
    seen: dict[tuple[str, str], int] = {}
    for r in edge:
        la = r[i_la].rsplit(" ", 1)[0] if r[i_la] else ""
        group = la if la in ("Melton", "Rutland", "") else "outside"
        key = (group, r[i_type])
        if seen.get(key, 0) < 6:
            seen[key] = seen.get(key, 0) + 1
            picked.append(r)
    _write(out / "2024-12-leicestershire-street.csv", header, picked)

    _, later = _rows(raw / "leicestershire" / "2024-01-leicestershire-street.csv")
    _, early = _rows(raw / "leicestershire_vintage_2024-06" / "2024-01-leicestershire-street.csv")
    i_id, i_out = header.index("Crime ID"), header.index("Last outcome category")
    early_by_id = {r[i_id]: r for r in early if r[i_id]}
    changed = [r for r in later if r[i_id] and early_by_id[r[i_id]][i_out] != r[i_out]][:40]
    asb = [r for r in later if not r[i_id]][:10]
    same = [r for r in later if r[i_id] and early_by_id[r[i_id]][i_out] == r[i_out]][:20]
    chosen = changed + same
    _write(out / "2024-01-leicestershire-street.csv", header, chosen + asb)
    early_asb = [r for r in early if not r[i_id]][:10]
    _write(out / "vintage_2024-06" / "2024-01-leicestershire-street.csv", header,
           [early_by_id[r[i_id]] for r in chosen] + early_asb)

    _, derby = _rows(raw / "derbyshire" / "2024-12-derbyshire-street.csv")
    _write(out / "2024-12-derbyshire-street.csv", header, derby[::120])
    (out / "README.md").write_text(
        "Raw police.uk rows cut from ../shared/data/police_uk by "
        "`scripts/build_police_uk_counts.py --fixture` (Open Government Licence v3.0). "
        "`vintage_2024-06/` holds the June 2024 download of the same 2024-01 crimes, superseded by "
        "the later `2024-01-leicestershire-street.csv`.\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of raw police.uk files")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "derived")
    ap.add_argument("--fixture", action="store_true", help="also rewrite the test fixture")
    args = ap.parse_args(argv)
    out = build_counts(args.raw, args.out)
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if args.fixture:
        build_fixture(args.raw)
        print(f"wrote {FIXTURE_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
