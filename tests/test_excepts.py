"""No blanket ``except`` in pcp_lib outside the places that report a page's failure.

A handler for ``Exception``, ``BaseException`` or everything (``except:``) hides what it did not
expect. pcp_lib catches what it expects and says what that changes; the exceptions are the two
places that turn any error of a page into the run's report of it (which page, which error),
so one failed page never stops the others silently: ``run_one`` (a notebook) and ``front_job``
(the front page). A handler that cleans up and raises the same exception again (a bare
``raise`` at its end) swallows nothing and is allowed anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the functions whose blanket handler reports a page's failure (by name: they may move)
REPORTERS = {"run_one", "front_job"}
BLANKET = {"Exception", "BaseException"}


def _names(node: ast.expr | None) -> set[str]:
    if node is None:
        return {"<everything>"}
    if isinstance(node, ast.Tuple):
        return set().union(*(_names(e) for e in node.elts))
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):  # builtins.Exception
        return {node.attr}
    return set()


def blanket_excepts(source: str) -> list[tuple[int, str]]:
    """(line, enclosing function) of every handler in ``source`` that catches everything or
    ``Exception``/``BaseException`` and does not end by raising it again, outside ``REPORTERS``."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inside = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.ExceptHandler):
                blanket = bool(_names(child.type) & (BLANKET | {"<everything>"}))
                reraises = isinstance(child.body[-1], ast.Raise) and child.body[-1].exc is None
                if blanket and not reraises and function not in REPORTERS:
                    found.append((child.lineno, function))
            visit(child, inside)

    visit(ast.parse(source), "<module>")
    return found


def test_the_check_finds_a_blanket_except():
    src = """
def load():
    try:
        pass
    except Exception:
        return None
    try:
        pass
    except (ValueError, BaseException) as e:
        print(e)
    try:
        pass
    except:
        pass

def cleanup():
    try:
        pass
    except BaseException:
        print("tidy")
        raise

def run_one():
    try:
        pass
    except Exception as exc:
        return str(exc)

def narrow():
    try:
        pass
    except (KeyError, OSError):
        return None
"""
    assert blanket_excepts(src) == [(5, "load"), (9, "load"), (13, "load")]


def test_no_blanket_except_in_pcp_lib():
    found = [f"{path.relative_to(ROOT)}:{line} in {function}"
             for path in sorted((ROOT / "pcp_lib").rglob("*.py"))
             for line, function in blanket_excepts(path.read_text(encoding="utf-8"))]
    assert not found, ("catch what you expect and say what it changes (only a page's failure report "
                       f"may catch everything: {sorted(REPORTERS)}): {found}")
