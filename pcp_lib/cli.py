"""The ``pcp`` command: render the quarterly pack, list quarters, show the dashboard.

Expected mistakes (a bad quarter, a missing folder, a malformed data file) are printed as
"error: <file>, row N, column 'x': expected ...; got ..." with exit status 1 and no
traceback. Unexpected failures still show their traceback: they are bugs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem
from pcp_lib.io.datastore import RETURN_SUFFIXES, quarter_dirs, resolve_data_dir
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.quarters import completeness, new_quarter, write_template
from pcp_lib.pack.returns import validate_paths
from pcp_lib.pack.run import run_pack
from pcp_lib.subjects.dashboard.assess import assess_quarter, display_table, for_audience, rag_counts

__all__ = ["build_parser", "main"]

EPILOG = """examples:
  pcp run --quarter "2025-26 Q3"              render the whole pack (public and restricted)
  pcp run --quarter "Q3 2025/26" --audience public --jobs 2
  pcp run --quarter "2025-26 Q3" --only 30_csp_spend   re-render one notebook into the current pack
  pcp list                                    quarters found in the data and what each holds
  pcp dashboard --quarter "2025-26 Q3"        the Plan dashboard with computed RAG, in the terminal
"""


def shown(path: Path, given: str | None = None, *tail: str) -> str:
    """A path as the user gave it: their ``--out``/``--data`` as typed plus what the command
    added (``tail``); a default path relative to the working folder when inside it, else
    in full. Never shortened (``/tmp/x`` stays ``/tmp/x``)."""
    if given is not None:
        return os.path.join(given, *tail)
    if path.is_absolute() and path.resolve().is_relative_to(Path.cwd().resolve()):
        return os.path.relpath(path.resolve(), Path.cwd().resolve())
    return str(path)


def _cmd_run(args: argparse.Namespace) -> int:
    result = run_pack(args.quarter, audience=args.audience, data_dir=args.data, out_dir=args.out,
                      jobs=args.jobs, notebooks_dir=args.notebooks, progress=not args.quiet,
                      allow_partial=args.allow_partial, pdf=not args.no_pdf, force=args.force, only=args.only or ())
    if not result.ok:
        print(result.failure_report(), file=sys.stderr)
        return 1

    where = result.shown_dir
    n, k = len(result.rendered), len(result.reused)
    done = f"{n} page(s) rendered, {k} unchanged and reused" if k else f"{n} pages rendered"
    print(f"✔ Pack for {result.pack_dir.name} written to {where}/ in {result.seconds:.1f} s "
          f"({done}). Open {os.path.join(where, 'index.html')}")
    if result.kept_stale:
        print(f"  note: --only kept {', '.join(result.kept_stale)} as they were, although what they read has changed "
              "since; run without --only to bring them up to date.", file=sys.stderr)
    return 0


def list_table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per quarter folder: how many required returns it holds, which required ones
    are missing, and every return present."""
    root = resolve_data_dir(data_dir)
    done = completeness(root)
    rows = []
    for q, folder in quarter_dirs(root).items():
        present = sorted({p.stem for p in folder.iterdir() if p.suffix in RETURN_SUFFIXES})
        missing = [name for name, here in done[q].items() if not here]
        rows.append({"Quarter": q.label, "Folder": folder.name,
                     "Complete": f"{len(done[q]) - len(missing)}/{len(done[q])}",
                     "Missing": ", ".join(missing) if missing else "none",
                     "Returns present": ", ".join(present) if present else "(empty)"})
    return pd.DataFrame(rows, columns=["Quarter", "Folder", "Complete", "Missing", "Returns present"])


def _cmd_list(args: argparse.Namespace) -> int:
    table = list_table(args.data)
    if table.empty:
        root = resolve_data_dir(args.data)
        print(f"No quarter folders in {shown(root / 'quarters', args.data, 'quarters')}")
        return 0
    widths = {c: max(len(c), *(len(v) for v in table[c])) for c in table.columns}
    last = table.columns[-1]
    for row in [dict(zip(table.columns, table.columns, strict=True)), *table.to_dict("records")]:
        print(" ".join(row[c] if c == last else f"{row[c]:<{widths[c]}}" for c in table.columns))
    return 0


def _cmd_dashboard(args: argparse.Namespace) -> int:
    df = for_audience(assess_quarter(args.quarter, args.data), args.audience)
    table = display_table(df).drop(columns=["Delivery strategy", "Target", "Direction", "Reason"])
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 60):
        print(table.to_string(index=False))
    print()
    print(", ".join(f"{k}: {v}" for k, v in rag_counts(df).items()))
    return 0


def _print_problems(problems: list[Problem]) -> tuple[int, int]:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    for p in errors:
        print(f"error: {p}", file=sys.stderr)
    for p in warnings:
        print(f"warning: {p}", file=sys.stderr)
    return len(errors), len(warnings)


def _cmd_validate(args: argparse.Namespace) -> int:
    q = Quarter.parse(args.quarter) if args.quarter else None
    problems = validate_paths(args.paths, quarter=q, data_dir=args.data)
    n_err, n_warn = _print_problems(problems)
    if n_err:
        print(f"✖ {n_err} error(s), {n_warn} warning(s): fix the errors and validate again.", file=sys.stderr)
        return 1
    print(f"✔ valid ({n_warn} warning(s))")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    q = Quarter.parse(args.quarter)
    path = write_template(args.ret, q, out=args.out, data_dir=args.data)
    print(f"✔ template written to {shown(path, args.out)}")
    return 0


def _cmd_new_quarter(args: argparse.Namespace) -> int:
    folder, missing = new_quarter(args.quarter, data_dir=args.data)
    where = shown(folder, args.data, "quarters", folder.name)
    print(f"✔ {where}/ is ready: fill in the templates in {os.path.join(where, 'templates')}/ and save each "
          f"in {where}/ under its own name. Still missing: {', '.join(missing) if missing else 'nothing'}.")
    print(f"  Checklist: {os.path.join(where, 'CHECKLIST.md')}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pcp",
        description="Police and Crime Plan performance pack: render the quarter's notebooks to HTML "
                    "for the board and the Police and Crime Panel.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("run", help="execute every notebook for a quarter and export the HTML pack",
                       description="Execute every notebook in notebooks/ for the quarter and each audience, "
                                   "export HTML with code hidden, and replace outputs/<quarter>/ only if "
                                   "every notebook succeeded.")
    r.add_argument("--quarter", required=True, help='financial-year quarter, e.g. "2025-26 Q3" or "Q3 2025/26"')
    r.add_argument("--audience", choices=["public", "restricted", "both"], default="both",
                   help="which version(s) to render (default: both)")
    r.add_argument("--data", default=None, help="data folder (default: data/)")
    r.add_argument("--out", default=None, help="output folder (default: outputs/)")
    r.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="notebooks run at once (default: number of cores)")
    r.add_argument("--notebooks", default=None,
                   help="folder of notebooks to run (default: notebooks/; for trying a draft notebook)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--allow-partial", action="store_true",
                   help="render even when no return exists for the quarter (the pages show the latest data up to "
                        "it and say so); without it such a run stops")
    r.add_argument("--force", action="store_true",
                   help="render every page afresh (by default a page whose notebook, code, packages, parameters and "
                        "data are unchanged since the last run is reused as it is)")
    r.add_argument("--only", action="append", metavar="NOTEBOOK",
                   help="render just this notebook (e.g. 30_csp_spend; may be given more than once) into the current "
                        "pack, then update its front page, PDF and manifest")
    r.add_argument("--no-pdf", action="store_true", help="do not print pack.pdf (the HTML pack only)")
    r.set_defaults(func=_cmd_run)

    ls = sub.add_parser("list", help="list the quarters found in the data and the returns each holds")
    ls.add_argument("--data", default=None, help="data folder (default: data/)")
    ls.set_defaults(func=_cmd_list)

    v = sub.add_parser("validate", help="check return files against their schemas and each other; writes nothing",
                       description="Check return files (or quarter folders) and report every problem at once "
                                   "with file, sheet, row and column. Exit 1 on errors, 0 with warnings only.")
    v.add_argument("paths", nargs="+", help="return files (.csv or .xlsx) or quarter folders")
    v.add_argument("--quarter", default=None, help="the quarter the files are for (default: from their folder)")
    v.add_argument("--data", default=None, help="data folder for reference lists (default: data/)")
    v.set_defaults(func=_cmd_validate)

    t = sub.add_parser("template", help="write the Excel template of a return for a quarter")
    t.add_argument("ret", metavar="RETURN", help="the return's name (see pcp list)")
    t.add_argument("--quarter", required=True, help='e.g. "2025-26 Q4"')
    t.add_argument("--out", default=None, help="file to write (default: <RETURN>-<quarter>.xlsx here)")
    t.add_argument("--data", default=None, help="data folder (default: data/)")
    t.set_defaults(func=_cmd_template)

    nq = sub.add_parser("new-quarter", help="create a quarter's data folder with empty templates and a checklist")
    nq.add_argument("quarter", help='e.g. "2025-26 Q4"')
    nq.add_argument("--data", default=None, help="data folder (default: data/)")
    nq.set_defaults(func=_cmd_new_quarter)

    d = sub.add_parser("dashboard", help="print the Plan dashboard with computed RAG for a quarter")
    d.add_argument("--quarter", required=True, help='e.g. "2025-26 Q3"')
    d.add_argument("--data", default=None, help="data folder (default: data/)")
    d.add_argument("--audience", choices=["public", "restricted"], default="restricted")
    d.set_defaults(func=_cmd_dashboard)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except DataError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        hint = getattr(exc, "hint", None)  # what to do next (the run's gate: pcp_lib.pack.gate)
        if hint:
            print(hint, file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())



