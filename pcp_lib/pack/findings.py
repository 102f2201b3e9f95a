"""A page's findings for the front page, taken from the page's own run.

The front page shows each subject page's two or three most important findings, computed by
the page's ``findings(ctx)``. Loading every subject's data again to compute them took the
front page about 3 s per audience; the page's kernel already holds the loaded context when
its notebook ends. So, after each notebook, the pack run asks its kernel for
:func:`findings_json` of the notebook's namespace, keeps the findings with the page's record
in the manifest (a reused page keeps its own), and the front page is assembled from them.

The context is found by its type, not its variable name: the one :class:`Context` in the
namespace whose class belongs to a subject's ``page`` module with a ``findings`` function. A
notebook with none (or several) gives no findings here, and the front page computes that
page's findings itself from the data, as it does for a page the run has no record of.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pcp_lib.display.page import Context, Finding

__all__ = ["CODE", "findings_json", "from_records", "to_records"]

#: What the pack run sends to a kernel after its notebook: prints :func:`findings_json`.
CODE = ("import pcp_lib.pack.findings as _pcp_findings\n"
        "print(_pcp_findings.findings_json(globals()))\ndel _pcp_findings\n")


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


def findings_json(namespace: Mapping[str, Any]) -> str:
    """The findings of the page whose context is in ``namespace`` (a notebook's globals), as
    JSON, or ``null`` when there is not exactly one subject page's context."""
    contexts = [v for v in namespace.values() if isinstance(v, Context)]
    modules = [sys.modules.get(type(c).__module__) for c in contexts]
    pages = [(c, m) for c, m in zip(contexts, modules, strict=True)
             if m is not None and m.__name__.startswith("pcp_lib.subjects.") and callable(getattr(m, "findings", None))]
    if len(pages) != 1:
        return "null"
    ctx, module = pages[0]
    return json.dumps(to_records(module.findings(ctx)))
