"""Derive data/derived/ons_recorded_crime_{pfa,csp}_ye_<YYYY-MM>.csv and
force_populations_census2021.csv from the ONS tables as published.

The ONS files (Tables P1 and C2 of the "Police force area data tables", Census 2021 usual
residents by local authority, a local authority -> police force area lookup) are not part of
the project; the small tables derived from them are, so the project runs without them. Each
output gets a ``.source.txt`` naming the ONS original, the public copy used (repository, path,
commit) and the SHA-256 of the file read, and the quirks met. Running it again on the same
files rewrites the outputs byte-identically.

    .venv/bin/python scripts/derive_ons.py [--raw ../shared/data/ons] [--edition 2025-06]

A new edition: put its two tables in the raw folder as ons_pfa_table_p1_ye_<mon><year>.csv and
ons_csp_table_c2_ye_<mon><year>.csv (e.g. ..._ye_dec2025.csv), add its copy's repository and
commit to COPIES below, and run with --edition 2025-12; the pack finds the new files by name.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pcp_lib.reference.ons_tables import BASIS, force_populations, read_c2, read_p1  # noqa: E402
from pcp_lib.reference.recorded_crime import (  # noqa: E402
    DEFINITION,
    FORCE_POPULATIONS_FILE,
    Edition,
    csp_file,
    pfa_file,
)

DEFAULT_RAW = ROOT.parent / "shared" / "data" / "ons"
ORIGINAL = ("Office for National Statistics, \"Police force area data tables\" (police recorded crime from the "
            "Home Office), edition {label}, {table}. Crown copyright, Open Government Licence v3.0.")
#: Where each raw file was copied from (the ONS original is not itself in a public repository).
COPIES = {
    "ons_pfa_table_p1_ye_jun2025.csv": ("tom-draper/uk-data-atlas",
                                        "public/data/crime/policeforceareatablesyejune25final.csv",
                                        "35ab745c7eaa03ebda67cfd504b5f933aec715ab"),
    "ons_csp_table_c2_ye_jun2025.csv": ("tom-draper/uk-data-atlas",
                                        "public/data/crime/policeforceareatablesyejune25final.csv",
                                        "a5252647647cb95d0b2b183ec1240310d0b3160d"),
    "census2021_la_usual_residents_rounded.csv": ("sewerynmi/shelter-data-api-nodejs", "populations.csv",
                                                  "9b61da666cfcbce9b03facb65d65efcbde66df5c"),
    "la2021_to_pfa_lookup.csv": ("(compiled for this project in ../shared/data/ons)", "la2021_to_pfa_lookup.csv",
                                 "-"),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw_name(table: str, edition: Edition) -> str:
    """The raw file's name for an edition: ons_pfa_table_p1_ye_jun2025.csv."""
    return f"ons_{table}_ye_{edition.end:%b}{edition.year}.csv".lower()


def copy_line(path: Path) -> str:
    repo, at, commit = COPIES.get(path.name, ("(not listed in scripts/derive_ons.py COPIES)", path.name, "-"))
    return f"  {path.name}: copy from GitHub {repo}, {at}, commit {commit}; SHA-256 {sha256(path)}"


def write(df: pd.DataFrame, out: Path, source: list[str]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(df.columns)
        for row in df.itertuples(index=False):
            w.writerow(["" if pd.isna(v) else v for v in row])
    out.with_name(out.name + ".source.txt").write_text("\n".join(source) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} ({len(df)} rows)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of the ONS files as published")
    ap.add_argument("--edition", default="2025-06", help="the year ending, as YYYY-MM (default 2025-06)")
    ap.add_argument("--data", type=Path, default=ROOT / "data", help="the project's data folder")
    args = ap.parse_args(argv)
    edition = Edition.parse(args.edition)
    p1_path, c2_path = args.raw / raw_name("pfa_table_p1", edition), args.raw / raw_name("csp_table_c2", edition)
    census_path, lookup_path = args.raw / "census2021_la_usual_residents_rounded.csv", args.raw / "la2021_to_pfa_lookup.csv"
    p1 = read_p1(p1_path, edition)
    c2 = read_c2(c2_path, edition, p1.table)
    pops = force_populations(census_path, lookup_path, p1.table)
    head = (f"From ONS police recorded crime, {edition.label}: derived by scripts/derive_ons.py from the ONS table "
            "as published.")
    write(p1.table, pfa_file(edition, args.data), [
        head, ORIGINAL.format(label=edition.label, table="Table P1 (police recorded crime by offence group and police "
                              "force area, number of offences)"),
        "Copy used:", copy_line(p1_path), DEFINITION,
        "Names without ONS note markers or trailing spaces; area_type from the ONS code; region: the region (or "
        "Wales) a force is listed under. Checks: " + " ".join(p1.notes)])
    write(c2.table, csp_file(edition, args.data), [
        head, ORIGINAL.format(label=edition.label, table="Table C2 (police recorded crime for headline offences by "
                              "Community Safety Partnership area)"),
        "Copy used:", copy_line(c2_path), DEFINITION,
        "row_type: force (its total), csp, unassigned (offences ONS could not place in a partnership). Quirks met: "
        + "; ".join(c2.notes)])
    write(pops.table, args.data / "derived" / FORCE_POPULATIONS_FILE, [
        "From ONS Census 2021 usual residents: derived by scripts/derive_ons.py, the population of each police force "
        "area, region and England and Wales.",
        f"Basis: {BASIS}. The denominator of every rate per 1,000 on the comparison page; LLR's equals "
        "data/reference/population.csv's nine authorities (1,121,800).",
        "Original: ONS Census 2021, usual resident population by local authority (Crown copyright, Open Government "
        "Licence v3.0); force areas from ONS Table C2's local authorities, the rest by geography (see mapping_basis in "
        "the lookup). England and Wales and each region: the sum of their forces (British Transport Police has no area).",
        "Copies used:", copy_line(census_path), copy_line(lookup_path), "Notes: " + " ".join(pops.notes)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
