"""What a pack run did (:class:`PackResult`), and its one-block failure report."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pcp_lib.core.errors import rel
from pcp_lib.pack.execute import NotebookRun
from pcp_lib.pack.publish import FAILED

__all__ = ["PackResult"]


@dataclass
class PackResult:
    """What a run did. ``pack_dir`` is the real folder; ``shown_dir`` the same folder as the
    user gave it (their ``out_dir`` as typed), for messages."""

    ok: bool
    pack_dir: Path
    shown_dir: str = ""
    results: list[NotebookRun] = field(default_factory=list)
    failures: list[NotebookRun] = field(default_factory=list)
    seconds: float = 0.0
    #: Pages of each audience's pack.pdf (empty when no PDF was printed) and the seconds it took.
    pdf_pages: dict[str, int] = field(default_factory=dict)
    pdf_seconds: float = 0.0
    #: Pages ``--only`` kept as they were although their inputs have changed since they were rendered.
    kept_stale: list[str] = field(default_factory=list)
    #: Notebooks found beside the pack's own that no subject declares: left out of the pack.
    left_out: list[Path] = field(default_factory=list)

    @property
    def rendered(self) -> list[NotebookRun]:
        """The pages this run rendered (not reused from the previous pack)."""
        return [r for r in self.results if r["ok"] and not r.get("reused")]

    @property
    def reused(self) -> list[NotebookRun]:
        """The pages taken unchanged from the previous pack."""
        return [r for r in self.results if r.get("reused")]

    def __post_init__(self) -> None:
        if not self.shown_dir:
            self.shown_dir = rel(self.pack_dir)

    def failure_report(self) -> str:
        """One short block: which notebook, which cell, what error."""
        lines = [f"✖ The pack was not published: {len(self.failures)} notebook run(s) failed; "
                 f"any previous pack is left unchanged."]
        for f in self.failures:
            cell = f"cell {f['cell']}" if f.get("cell") is not None else "before any cell ran"
            error = f.get("error", "").strip()
            err = error.splitlines()[-1] if error else "unknown error"
            lines.append(f"  {f['notebook']} ({f['audience']}), {cell}: {err[:300]}")
        lines.append(f"  The errors (with each kernel's stderr) and the executed notebooks are kept for the analyst in "
                     f"{os.path.join(self.shown_dir, FAILED)}/")
        return "\n".join(lines)
