"""No code under ``pcp_lib`` reads another package's private internals (issue 23 item 4):
an upgrade of matplotlib, nbconvert or any other library must not break the pack in ways no
test of ours predicts.

A private name is one with a single leading underscore (``x._name``; ``__dunder__`` names are
Python's own protocols). Reading one is allowed only when the name is one ``pcp_lib`` itself
defines (a function, class, module, attribute or field of ours), and never on a module
imported from another package; private modules and names of other packages are never
imported. IPython's documented rich-display methods (``_repr_html_`` and the like) are not
private: they are the protocol by which objects show themselves in a notebook.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pcp_lib"

#: IPython's documented display protocol (https://ipython.readthedocs.io, "Rich display").
DISPLAY_PROTOCOL = {"_repr_html_", "_repr_png_", "_repr_svg_", "_repr_jpeg_", "_repr_markdown_", "_repr_latex_",
                    "_repr_json_", "_repr_javascript_", "_repr_pdf_", "_repr_mimebundle_", "_ipython_display_"}
_NAME_FUNCS = {"getattr", "hasattr", "setattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in DISPLAY_PROTOCOL


def _ours(module: str | None, level: int = 0) -> bool:
    return level > 0 or module == "pcp_lib" or (module or "").startswith("pcp_lib.")


def defined_names(trees: list[ast.Module]) -> set[str]:
    """Every private name ``pcp_lib`` defines: functions, classes, variables, attributes it
    assigns (``self._x = ...``), class fields, import aliases, and its own module names."""
    names = {p.stem for p in PACKAGE.rglob("*.py")} | {p.name for p in PACKAGE.rglob("*") if p.is_dir()}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.alias) and node.asname:
                names.add(node.asname)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {n for n in names if n.startswith("_")}


def private_reads(tree: ast.Module, where: str, ours: set[str]) -> list[str]:
    """Each read of another package's private internals in ``tree``, as ``where:line: what``."""
    foreign_modules: set[str] = set()  # names bound to another package's modules or objects
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if not _ours(a.name):
                    foreign_modules.add(a.asname or a.name.split(".")[0])
                    if any(_private(part) for part in a.name.split(".")):
                        found.append(f"{where}:{node.lineno}: import {a.name}")
        elif isinstance(node, ast.ImportFrom) and not _ours(node.module, node.level):
            if any(_private(part) for part in (node.module or "").split(".")):
                found.append(f"{where}:{node.lineno}: from {node.module} import ...")
            for a in node.names:
                foreign_modules.add(a.asname or a.name)
                if _private(a.name):
                    found.append(f"{where}:{node.lineno}: from {node.module} import {a.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            base = node.value
            if isinstance(base, ast.Name) and base.id in foreign_modules:
                found.append(f"{where}:{node.lineno}: {base.id}.{node.attr}")
            elif node.attr not in ours:
                found.append(f"{where}:{node.lineno}: {ast.unparse(base)}.{node.attr}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _NAME_FUNCS
              and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
              and isinstance(node.args[1].value, str) and _private(node.args[1].value)
              and node.args[1].value not in ours):
            found.append(f"{where}:{node.lineno}: {node.func.id}({ast.unparse(node.args[0])}, {node.args[1].value!r})")
    return found


def _package_trees() -> dict[str, ast.Module]:
    return {str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8"))
            for p in sorted(PACKAGE.rglob("*.py"))}


def test_pcp_lib_reads_no_private_internals_of_other_packages():
    trees = _package_trees()
    ours = defined_names(list(trees.values()))
    found = [f for where, tree in trees.items() for f in private_reads(tree, where, ours)]
    assert found == [], "private internals of other packages read in pcp_lib:\n" + "\n".join(found)


def test_the_scan_finds_what_the_pack_once_read():
    """What pcp_lib read before issue 23 (figure state, rrule internals, the suptitle,
    nbconvert's resources), each found; our own private names and IPython's display
    protocol are not."""
    ours = defined_names(list(_package_trees().values()))
    source = '''
import matplotlib._api
from matplotlib.cbook import _setattr_cm
from nbconvert import HTMLExporter
import numpy as np

def key(obj, fig):
    construct = obj._construct
    title = getattr(fig, "_suptitle", None)
    return np._NoValue, construct, title, fig._repr_html_(), _helper_of_ours(obj)

class PackExporter(HTMLExporter):
    def from_notebook_node(self, nb):
        return self._init_resources(nb), self._nb_metadata
'''
    found = private_reads(ast.parse(source), "x.py", ours | {"_helper_of_ours"})
    assert sorted(f.split(": ", 1)[1] for f in found) == sorted([
        "import matplotlib._api", "from matplotlib.cbook import _setattr_cm",
        "obj._construct", "np._NoValue", "self._init_resources", "self._nb_metadata",
        "getattr(fig, '_suptitle')"]), found
