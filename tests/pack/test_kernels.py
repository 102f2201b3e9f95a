"""The project's kernel and the warm kernel each pack worker keeps between notebooks."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from pcp_lib.pack.kernels import DISPLAY_NAME, KERNEL_NAME, ensure_kernel
from pcp_lib.pack.run import run_pack

QUARTER = "2025-26 Q3"


def test_ensure_kernel_registers_this_environment():
    from jupyter_client.kernelspec import KernelSpecManager

    assert ensure_kernel() == KERNEL_NAME
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert spec.display_name == DISPLAY_NAME == "Python (pcp)"
    assert Path(spec.argv[0]).parent.parent.resolve() == Path(sys.prefix).resolve()


def _code_notebook(path: Path, title: str, code: str) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('quarter = "2025-26 Q3"\ndata_dir = None\naudience = "public"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}"), params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "pcp", "display_name": "Python (pcp)", "language": "python"}
    nbformat.write(nb, path)


@pytest.mark.slow
def test_warm_kernel_starts_each_notebook_afresh(tmp_path):
    """Workers keep their kernel between notebooks (one per audience): nothing a notebook
    defines reaches the next, the execution count starts at 1 again, and a public notebook
    never runs in a kernel that ran a restricted one."""
    import nbformat

    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _code_notebook(nbs / "10_first.ipynb", "First",
                   "import os\nleft_behind = audience\nprint('pid', os.getpid())\n"
                   "print('count:', get_ipython().execution_count)")
    _code_notebook(nbs / "20_second.ipynb", "Second",
                   "import os\nprint('pid', os.getpid())\n"
                   "print('left behind:', 'left_behind' in globals())\n"
                   "print('count:', get_ipython().execution_count)")
    r = run_pack(QUARTER, out_dir=tmp_path / "out", notebooks_dir=nbs, jobs=1, progress=False,
                 audience="both")
    assert r.ok, r.failure_report()
    restricted = tmp_path / "out" / "2025-26-Q3" / "restricted"
    pids, counts = {}, {}
    for name in ("10_first", "20_second"):
        nb = nbformat.read(restricted / f"{name}.ipynb", as_version=4)
        text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        pids[name] = re.search(r"pid (\d+)", text).group(1)
        counts[name] = re.search(r"count: (\d+)", text).group(1)
        assert [c.execution_count for c in nb.cells if c.cell_type == "code"][0] == 1
    assert "left behind: False" in text
    assert counts["20_second"] == counts["10_first"], "the count starts again as in a new kernel"
    assert pids["10_first"] == pids["20_second"], "the worker kept its kernel between notebooks"
    public = (tmp_path / "out" / "2025-26-Q3" / "public" / "20_second.html").read_text(encoding="utf-8")
    public_pid = re.search(r"pid (\d+)", public).group(1)
    assert public_pid != pids["20_second"], "public and restricted notebooks ran in different kernels"


