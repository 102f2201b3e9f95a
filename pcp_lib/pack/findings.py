"""A page's findings for the front page, taken from the page's own run.

The front page shows each subject page's two or three most important findings, computed by
the page's ``findings(ctx)``. Loading every subject's data again to compute them took the
front page about 3 s per audience; the page's kernel already holds the loaded context when
its notebook ends. So, after each notebook, the pack run asks its kernel for
:func:`findings_json` of the notebook's namespace, keeps the findings with the page's record
in the manifest (a reused page keeps its own), and the front page is assembled from them.

The subject is the registry's (:mod:`pcp_lib.subjects.registry`), named by the notebook's
file name, and its context is the one in the namespace that the subject owns (whose class its
page module defines), whatever its variable name. A notebook of no registered subject, or
with no (or several) such contexts, gives no findings here, and the front page computes that
page's findings itself from the data, as it does for a page the run has no record of.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pcp_lib.display.page import Finding
from pcp_lib.subjects.registry import subject_of_notebook

__all__ = ["code_for", "findings_json", "from_records", "to_records"]


def code_for(notebook: str) -> str:
    """What the pack run sends to a kernel after ``notebook`` (a file name): prints
    :func:`findings_json` of its namespace."""
    return ("import pcp_lib.pack.findings as _pcp_findings\n"
            f"print(_pcp_findings.findings_json(globals(), {notebook!r}))\ndel _pcp_findings\n")


def to_records(findings: list[Finding]) -> list[dict[str, Any]]:
    """Findings as plain data (JSON: the date as ISO text)."""
    return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in dataclasses.asdict(f).items()}
            for f in findings]


def from_records(records: Sequence[Mapping[str, Any]]) -> list[Finding]:
    """Findings back from :func:`to_records`."""
    return [Finding(text=r["text"], section=r["section"], basis=r["basis"], period=r["period"],
                    as_at=date.fromisoformat(r["as_at"]) if r.get("as_at") else None,
                    synthetic=bool(r.get("synthetic", False)))
            for r in records]


def findings_json(namespace: Mapping[str, Any], notebook: str) -> str:
    """The findings of ``notebook``'s subject (the registry's, by file name), from its context
    in ``namespace`` (the notebook's globals), as JSON; ``null`` when the notebook shows no
    registered subject or the namespace holds not exactly one context of it."""
    subject = subject_of_notebook(notebook)
    if subject is None:
        return "null"
    contexts = [v for v in namespace.values() if subject.owns(v)]
    if len(contexts) != 1:
        return "null"
    return json.dumps(to_records(subject.findings(contexts[0])))
