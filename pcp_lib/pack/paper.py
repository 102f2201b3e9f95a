"""Each audience's ``paper.docx``: the Plan Delivery Update in the OPCC's Word layout
(:mod:`pcp_lib.paper`), written beside the pages before the pack is swapped in.

The paper is the dashboard's paper: it is written when the pack holds the dashboard's page,
from the dashboard's context loaded for the audience (so the public paper holds exactly what
the public dashboard does) and from the findings the contact, DToA and CSP pages' own runs
computed (a page this run has no findings for has them computed by the paper). Its template,
whose styles the OPCC can restyle in Word, is ``templates/paper/plan_delivery_update.docx``
(made by ``scripts/make_paper_template.py``).
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from pcp_lib.core.fingerprint import sha256
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.findings import from_records
from pcp_lib.pack.navigation import TEMPLATES, Link
from pcp_lib.paper.content import PAPER_SUBJECTS, build_paper
from pcp_lib.paper.word import PAPER_NAME, write_paper
from pcp_lib.subjects.dashboard import page as dashboard_page
from pcp_lib.subjects.registry import subject_of_notebook

__all__ = ["PAPER_NAME", "TEMPLATE", "write_papers"]

TEMPLATE = TEMPLATES / "paper" / "plan_delivery_update.docx"


def write_papers(q: Quarter, audiences: Sequence[str], work: Path, data: Path, pages: Sequence[Link],
                 given: Mapping[str, Mapping[str, Any]], kept: Collection[str] = (), pack_dir: Path | None = None,
                 previous: Mapping[str, Any] | None = None) -> list[Path]:
    """Write ``work/<audience>/paper.docx`` for each audience when the pack holds the
    dashboard's page (none otherwise). ``given``: audience -> page -> its findings (records, as
    the pack run keeps them). An audience in ``kept`` (its front page reused: its key covers the
    code, its template, the packages and the reference data, and it reads what every page
    read, so when the pack holds the page of every subject the paper draws on, the paper's
    inputs are unchanged too) takes the previous pack's paper as it is, when it is still as the
    previous run wrote it (``previous``: that run's manifest). Returns the papers written."""
    subjects = {p.href: subject_of_notebook(f"{Path(p.href).stem}.ipynb") for p in pages}
    if not any(s is not None and s.page is dashboard_page for s in subjects.values()):
        return []
    # the front page reads what its pages read: the paper's inputs are all among them only when
    # every subject the paper draws on has its page in the pack
    covered = {s.name for s in subjects.values() if s is not None} >= {"dashboard", *(n for n, _ in PAPER_SUBJECTS)}
    written = []
    for aud in audiences:
        name = f"{aud}/{PAPER_NAME}"
        old = pack_dir / name if pack_dir is not None else None
        if (covered and aud in kept and old is not None and old.is_file()
                and sha256(old) == (previous or {}).get("outputs", {}).get(name)):
            (work / aud).mkdir(parents=True, exist_ok=True)
            shutil.copy2(old, work / name)
            written.append(work / name)
            continue
        found = {s.name: from_records(records) for href, records in given.get(aud, {}).items()
                 if records is not None and (s := subjects.get(href)) is not None}
        paper = build_paper(q, aud, data, found)
        written.append(write_paper(paper, TEMPLATE, work / aud / PAPER_NAME))
    return written
