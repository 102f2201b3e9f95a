"""The pack kernels' client (pcp_lib.pack.client): ready as soon as the messaging protocol says
so, and never at the cost of a notebook's output."""

from __future__ import annotations

import nbformat
import pytest
from jupyter_core.utils import run_sync

from pcp_lib.pack.client import ReadyClient
from pcp_lib.pack.execute import run_one
from pcp_lib.pack.kernels import drop_kernel, ensure_kernel, kernel_for


@pytest.mark.slow
def test_each_notebook_on_a_warm_kernel_keeps_every_output(tmp_path):
    """Every client the pack's kernels make is a ReadyClient (papermill's too), and notebooks
    run one after another on the worker's warm kernel, as the pack runs them, keep all of their
    output, first cell included: a client that ran code before its iopub subscription was live
    would lose the first lines."""
    kernel = ensure_kernel()
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('quarter = "2025-26 Q3"\ndata_dir = None\naudience = "public"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Outputs"), params,
                nbformat.v4.new_code_cell("print('first', audience)"), nbformat.v4.new_code_cell("print('second')")]
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": "Python (pcp)", "language": "python"}
    nbformat.write(nb, tmp_path / "outputs.ipynb")
    key = (kernel, "restricted", str(tmp_path))
    try:
        for _ in range(12):
            done = run_one(str(tmp_path / "outputs.ipynb"), "restricted", "2025-26-Q3", None, str(tmp_path / "work"),
                           kernel)
            assert done["ok"], done
            ran = nbformat.read(tmp_path / "work" / "restricted" / "outputs.ipynb", as_version=4)
            texts = ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in ran.cells
                     if c.cell_type == "code"]
            assert texts[-2:] == ["first restricted\n", "second\n"], texts
        assert isinstance(kernel_for(key).client(), ReadyClient)
    finally:
        drop_kernel(key)


@pytest.mark.slow
def test_a_kernel_gone_is_said_to_be_dead_not_waited_for(tmp_path):
    """A client of a kernel that has died says so within about a second, as jupyter_client's
    own does, instead of waiting out its timeout."""
    kernel = ensure_kernel()
    key = (kernel, "public", str(tmp_path))
    km = kernel_for(key, tmp_path / "logs")
    kc = km.client()
    try:
        run_sync(km.shutdown_kernel)(now=True)
        kc.start_channels()
        with pytest.raises(RuntimeError, match="died"):
            run_sync(kc.wait_for_ready)(timeout=60)
    finally:
        kc.stop_channels()
        drop_kernel(key)
