"""The package's shape: layers imported only downwards, no import cycles, no imports hidden
inside functions, and every public module saying what it exports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pcp_lib"


def test_layers_import_only_downwards():
    """The import-linter contracts in pyproject.toml (layers, and subjects standing alone)."""
    exe = Path(sys.executable).with_name("lint-imports")
    res = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), i.e. import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for m in sorted(graph.modules):
        if m not in index:
            visit(m)
    return out


def test_no_import_cycles():
    graph = grimp.build_graph("pcp_lib")
    # a package's __init__ importing its own modules is not a cycle of logic: leave packages out
    packages = {m for m in graph.modules if (PACKAGE.parent / m.replace(".", "/") / "__init__.py").exists()}
    for p in packages:
        for child in list(graph.find_modules_directly_imported_by(p)):
            graph.remove_import(importer=p, imported=child)
    assert _cycles(graph) == []


def _function_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.level or (inner.module or "").startswith("pcp_lib")):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
                elif isinstance(inner, ast.Import) and any(a.name.startswith("pcp_lib") for a in inner.names):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_no_pcp_lib_import_inside_a_function():
    found = [hit for p in sorted(PACKAGE.rglob("*.py")) for hit in _function_imports(p)]
    assert found == []


def test_no_relative_imports():
    """Absolute imports only: a module's layer is visible in every import line."""
    found = []
    for p in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                found.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_the_checker_finds_a_cycle():
    """The cycle finder is not vacuous: a graph with a -> b -> a is reported."""
    g = grimp.ImportGraph()
    for m in ("x.a", "x.b", "x.c"):
        g.add_module(m)
    g.add_import(importer="x.a", imported="x.b")
    g.add_import(importer="x.b", imported="x.a")
    g.add_import(importer="x.c", imported="x.a")
    assert _cycles(g) == [["x.a", "x.b"]]


def test_public_modules_declare_all():
    """Every module (and every package that re-exports names) says what it exports, and every
    name it lists exists."""
    missing, wrong = [], []
    for p in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        imports = any(isinstance(n, ast.ImportFrom | ast.Import) for n in tree.body)
        if p.name == "__init__.py" and not imports:
            continue  # a package holding only its docstring exports nothing
        decl = [n for n in tree.body if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)]
        if not decl:
            missing.append(str(p.relative_to(ROOT)))
            continue
        module = ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        mod = __import__(module, fromlist=["__all__"])
        wrong += [f"{module}.{n}" for n in mod.__all__ if not hasattr(mod, n)]
    assert missing == [] and wrong == []
