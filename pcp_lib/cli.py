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

from pcp_lib.core.audience import AUDIENCES
from pcp_lib.core.errors import DataError, Problem
from pcp_lib.io.datastore import folder_problems, quarter_dirs, resolve_data_dir, return_file
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.run import run_pack
from pcp_lib.returns.quarters import completeness, new_quarter, write_template
from pcp_lib.returns.templates import filled_templates
from pcp_lib.returns.validation import all_returns, stray_files, validate_paths
from pcp_lib.subjects.dashboard.assess import assess_quarter, display_table, for_audience, rag_counts

__all__ = ["build_parser", "main"]

EPILOG = """examples:
  pcp run --quarter "2025-26 Q3"              render the whole pack (public and restricted)
  pcp run --quarter "Q3 2025/26" --audience public --jobs 2
  pcp run --quarter "2025-26 Q3" --only 30_csp_spend   re-render one notebook into the current pack
  pcp list                                    quarters found in the data and what each holds
  pcp dashboard --quarter "2025-26 Q3"        the Plan dashboard with computed RAG, in the terminal (public;
                                              --audience restricted shows restricted metrics, marked)
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
    for nb in result.left_out:
        print(f"warning: {shown(nb)} is not a page of the pack (no subject declares it): left out, not rendered "
              "and not published", file=sys.stderr)
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


def _folder_trouble(folder: Path, names: set[str]) -> str:
    """Why a folder under quarters/ is not read, in a few words (``folder_problems`` says it in full)."""
    try:
        q = Quarter.parse(folder.name)
    except ValueError:
        return "NOT READ: not a quarter (name a quarter folder like 2025-26-Q4)"
    if q.slug in names:
        return f"NOT READ: a second folder for {q.label} beside {q.slug}"
    return f"NOT READ: name it {q.slug}"


def list_table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per folder under ``quarters/``, bad ones included: how many required returns it
    holds, which required ones are missing, every return present (as the run reads them: any
    case of extension) and what is wrong with it. ``attrs["problems"]`` holds each problem in
    full (folder names, filled templates left in templates/, files the run would not read)."""
    root = resolve_data_dir(data_dir)
    done = completeness(root)
    returns = all_returns()
    qroot = root / "quarters"
    good = {folder: q for q, folder in quarter_dirs(root).items()}
    folders = sorted(p for p in qroot.iterdir() if p.is_dir() and not p.name.startswith(".")) if qroot.is_dir() else []
    names = {p.name for p in folders}
    bad = {Path(pr.file or "").name: pr for pr in folder_problems(qroot)}
    rows = []
    problems: list[Problem] = []
    for folder in folders:
        present = [n for n, spec in returns.items() if return_file(folder, n, spec.suffixes) is not None]
        q = good.get(folder)
        if q is None:
            label = _label(folder.name)
            trouble = _folder_trouble(folder, names)
            if folder.name in bad:
                problems.append(bad[folder.name])
            rows.append({"Quarter": label, "Folder": folder.name, "Complete": "-", "Missing": "-",
                         "Returns present": ", ".join(present) if present else "(empty)", "Problems": trouble})
            continue
        found = stray_files(folder) + filled_templates(folder, returns, root)
        problems += found
        missing = [name for name, here in done[q].items() if not here]
        n_err = sum(p.severity == "error" for p in found)
        n_warn = len(found) - n_err
        trouble = ", ".join(t for t in (f"{n_err} error(s)" if n_err else "", f"{n_warn} warning(s)" if n_warn else "")
                            if t) or "none"
        rows.append({"Quarter": q.label, "Folder": folder.name,
                     "Complete": f"{len(done[q]) - len(missing)}/{len(done[q])}",
                     "Missing": ", ".join(missing) if missing else "none",
                     "Returns present": ", ".join(present) if present else "(empty)", "Problems": trouble})
    out = pd.DataFrame(rows, columns=["Quarter", "Folder", "Complete", "Missing", "Returns present", "Problems"])
    out.attrs["problems"] = problems
    return out


def _label(name: str) -> str:
    try:
        return Quarter.parse(name).label
    except ValueError:
        return "-"


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
    problems = table.attrs.get("problems", [])
    if problems:
        print()
        for p in problems:
            print(f"{p.severity}: {p}")
    return 0


def _cmd_dashboard(args: argparse.Namespace) -> int:
    assessed = assess_quarter(args.quarter, args.data)
    df = for_audience(assessed, args.audience)
    table = display_table(df).drop(columns=["Delivery strategy", "Target", "Direction", "Reason"])
    restricted = assessed["restricted"].astype(bool).to_numpy()
    if args.audience == "restricted":
        # Every restricted metric marked on its own row, not by a colour or a footnote.
        table.insert(2, "Access", ["■ RESTRICTED" if r else "" for r in restricted])
        print(f"RESTRICTED version: contains figures not for publication ({int(restricted.sum())} metric(s) "
              "marked ■ RESTRICTED). Do not copy them into public papers.")
    else:
        print(f"Public version: {int(restricted.sum())} restricted metric(s) withheld (shown as Restricted). "
              "pcp dashboard --audience restricted shows them, marked as such.")
    print()
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
    done = new_quarter(args.quarter, data_dir=args.data, force=args.force)
    folder, missing = done.folder, done.missing
    where = shown(folder, args.data, "quarters", folder.name)
    print(f"✔ {where}/ is ready: fill in the templates in {os.path.join(where, 'templates')}/ and save each "
          f"in {where}/ under its own name. Still missing: {', '.join(missing) if missing else 'nothing'}.")
    print(f"  Checklist: {os.path.join(where, 'CHECKLIST.md')}")
    if done.created:
        print(f"  created: {', '.join(done.created)}")
    if done.kept:
        print(f"  kept as they were (nothing is overwritten; --force replaces them with blank ones): "
              f"{', '.join(done.kept)}")
    if done.replaced:
        print(f"  replaced with blank ones (--force): {', '.join(done.replaced)}")
    q = Quarter.parse(args.quarter)
    for p in folder_problems(folder.parent):
        if _label(Path(p.file or "").name) == q.label:
            print(f"warning: {p}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pcp",
        description="Police and Crime Plan performance pack: render the quarter's notebooks to HTML "
                    "for the board and the Police and Crime Panel.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("run", help="execute the pack's notebooks for a quarter and export the HTML pack",
                       description="Execute the pack's notebooks (those its subjects declare, in notebooks/; any "
                                   "other notebook there is left out with a warning) for the quarter and each audience, "
                                   "export HTML with code hidden, and replace outputs/<quarter>/ only if "
                                   "every notebook succeeded.")
    r.add_argument("--quarter", required=True, help='financial-year quarter, e.g. "2025-26 Q3" or "Q3 2025/26"')
    r.add_argument("--audience", choices=[*AUDIENCES, "both"], default="both",
                   help="which version(s) to render (default: both)")
    r.add_argument("--data", default=None, help="data folder (default: data/)")
    r.add_argument("--out", default=None, help="output folder (default: outputs/)")
    r.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="notebooks run at once (default: number of cores)")
    r.add_argument("--notebooks", default=None,
                   help="folder of notebooks to run (default: notebooks/, where only the notebooks the subjects declare "
                        "are pages of the pack and any other is left out with a warning; another folder, for "
                        "trying a draft, has every notebook in it rendered)")
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

    nq = sub.add_parser("new-quarter", help="create a quarter's data folder with empty templates and a checklist",
                        description="Create data/quarters/<quarter>/ with a blank Excel template of every return in "
                                    "templates/ and CHECKLIST.md. Never overwrites: run again, it creates only what "
                                    "is missing and names what it kept; --force replaces templates and checklist. "
                                    "Returns saved in the folder are never touched.")
    nq.add_argument("quarter", help='e.g. "2025-26 Q4"')
    nq.add_argument("--data", default=None, help="data folder (default: data/)")
    nq.add_argument("--force", action="store_true",
                    help="replace templates and CHECKLIST.md already there with blank ones (by default they are "
                         "kept: run again, new-quarter only creates what is missing)")
    nq.set_defaults(func=_cmd_new_quarter)

    d = sub.add_parser("dashboard", help="print the Plan dashboard with computed RAG for a quarter (public by default)",
                       description="Print the Plan dashboard with computed RAG for a quarter. Public by default: "
                                   "restricted metrics are withheld, as in the public pack. --audience restricted "
                                   "shows them, each marked ■ RESTRICTED.")
    d.add_argument("--quarter", required=True, help='e.g. "2025-26 Q3"')
    d.add_argument("--data", default=None, help="data folder (default: data/)")
    d.add_argument("--audience", choices=list(AUDIENCES), default="public",
                   help="public (default): restricted metrics withheld; restricted: shown, each marked ■ RESTRICTED "
                        "(not for publication)")
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
        hint = getattr(exc, "hint", None)  # what to do next (the run's gate: pcp_lib.returns.gate)
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



