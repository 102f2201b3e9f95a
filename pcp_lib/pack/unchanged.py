"""The pages of the previous pack that this run takes as they are, and whether the previous
run already validated exactly these inputs (see :mod:`pcp_lib.pack.reuse` for when a page
can be reused)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pcp_lib.core.fingerprint import sha256
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.execute import NotebookRun
from pcp_lib.pack.manifest import input_hashes
from pcp_lib.pack.navigation import FRONT_TITLE, Link
from pcp_lib.pack.reuse import Basis, read_changed
from pcp_lib.pack.tasks import Task

__all__ = ["reusable", "take_unchanged", "validated_before"]


def reusable(task: Task, previous: dict[str, Any] | None, pack_dir: Path, data: Path) -> str | None:
    """Why ``task`` must be rendered (a short reason), or None when the previous pack's page
    can be reused as it is."""
    if previous is None:
        return "no previous pack"
    record = previous.get("pages", {}).get(f"{task.audience}/{task.html}")
    if record is None:
        return "not in the previous pack"
    if record.get("key") != task.key:
        return "its notebook, the code, the packages, its parameters or the data folder's files changed"
    changed = read_changed(record.get("reads", {}), data)
    if changed is not None:
        return f"{changed} changed"
    for f in task.files:
        if not (pack_dir / f).is_file() or sha256(pack_dir / f) != previous.get("outputs", {}).get(f):
            return f"{f} is not as the previous run wrote it"
    return None


def validated_before(previous: dict[str, Any] | None, basis: Basis, quarter: Quarter, data: Path,
                      notebooks: list[Path]) -> bool:
    """Whether the previous run (which got as far as its manifest, so its inputs validated)
    read exactly these inputs, with the same code and packages: validating again would give
    the same answer."""
    return (previous is not None and previous.get("code_sha256") == basis.code
            and previous.get("packages_sha256") == basis.packages
            and previous.get("inputs") == input_hashes(quarter, data, notebooks))


def take_unchanged(tasks: list[Task], previous: dict[str, Any] | None, pack_dir: Path, work: Path, data: Path,
                   pages: list[Link], only: Sequence[str], chosen: set[str], force: bool, shown_dir: str
                   ) -> tuple[list[NotebookRun], list[Task], list[str]]:
    """Copy into ``work`` every page of the previous pack this run keeps: (the pages kept, with
    their manifest records; the tasks left to render; the pages ``--only`` kept although their
    inputs changed). ``chosen``: the notebooks ``--only`` names; ``force``: render everything."""
    reused: list[NotebookRun] = []
    render: list[Task] = []
    kept_stale: list[str] = []
    old_pages = (previous or {}).get("pages", {})
    for t in tasks:
        name = f"{t.audience}/{t.html}"
        keep = bool(only) and t.notebook is not None and t.page not in chosen  # --only: kept as it is
        why = ("named by --only" if t.page in chosen else "--force" if force and not keep
               else reusable(t, previous, pack_dir, data))
        if keep and why is not None:
            if not all((pack_dir / f).is_file() for f in t.files):
                raise ValueError(f"--only: {shown_dir}/{name} is missing: render the whole pack first")
            kept_stale.append(name)
        if why is not None and not keep:
            render.append(t)
            continue
        for f in t.files:
            (work / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(pack_dir / f, work / f)
        # an out-of-date page kept by --only keeps its old record (old key): the next full run renders it
        record = dict(old_pages.get(name, {})) if why is not None else {
            "key": t.key, "reads": old_pages[name].get("reads", {}),
            "rendered_in": old_pages[name].get("rendered_in", "")} | (
            {"findings": old_pages[name]["findings"]} if "findings" in old_pages[name] else {})
        reused.append({"ok": True, "notebook": t.page, "audience": t.audience, "html": t.html,
                       "title": next((p.title for p in pages if p.href == t.html), FRONT_TITLE),
                       "reused": True, "record": record})
    return reused, render, kept_stale
