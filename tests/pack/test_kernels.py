"""The project's kernel and the warm kernel each pack worker keeps between notebooks."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

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
    r = run_pack(QUARTER, data_dir=FIXTURE_DATA, out_dir=tmp_path / "out", notebooks_dir=nbs, jobs=1, progress=False,
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




def _flaky_kernelspec(root: Path, name: str, fail_first: int, delay: float = 0.0) -> Path:
    """A kernel spec (in a Jupyter data folder ``root``) whose kernel dies at start the first
    ``fail_first`` times, writing why to its stderr, and otherwise starts the project's
    Python kernel after ``delay`` seconds (a kernel slow to start on a loaded machine)."""
    import json

    counter = root / f"{name}.starts"
    launcher = root / f"{name}.py"
    launcher.write_text(
        "import pathlib, sys, time\n"
        f"c = pathlib.Path({str(counter)!r})\n"
        "n = int(c.read_text()) + 1 if c.exists() else 1\n"
        "c.write_text(str(n))\n"
        f"if n <= {fail_first}:\n"
        "    print(f'simulated crash at start {n}', file=sys.stderr)\n"
        "    sys.exit(3)\n"
        f"time.sleep({delay})\n"
        "from ipykernel import kernelapp\n"
        "kernelapp.launch_new_instance(argv=sys.argv[1:])\n", encoding="utf-8")
    spec_dir = root / "kernels" / name
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps(
        {"argv": [sys.executable, str(launcher), "-f", "{connection_file}"], "display_name": name,
         "language": "python"}), encoding="utf-8")
    return counter


@pytest.mark.slow
def test_kernel_that_dies_at_start_is_started_once_more(tmp_path, monkeypatch):
    from pcp_lib.pack.kernels import drop_kernel, kernel_for, kernel_log, run_code

    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    counter = _flaky_kernelspec(tmp_path, "flaky", fail_first=1, delay=2.0)
    key = ("flaky", "public", str(tmp_path))
    try:
        km = kernel_for(key, tmp_path / "logs")
        assert counter.read_text() == "2", "started a second time"
        assert run_code(km, "print(6 * 7)").strip() == "42", "the kernel, slow to start, answers"
        assert "simulated crash at start 1" in kernel_log(key).read_text(encoding="utf-8")
    finally:
        drop_kernel(key)


@pytest.mark.slow
def test_run_code_returns_exactly_what_was_printed_and_names_a_failure(tmp_path):
    """What the run's own code prints comes back in the shell reply (not read from iopub): long,
    multi-line, quoted text exactly; the notebook's namespace gains only what the code defines;
    code that raises is a KernelError naming the exception."""
    from pcp_lib.pack.kernels import KernelError, drop_kernel, ensure_kernel, kernel_for, run_code

    key = (ensure_kernel(), "public", str(tmp_path))
    text = "".join(f"line {i}: 'single' \"double\" \\ é → 10%\n" for i in range(400)) + "no newline at the end"
    try:
        km = kernel_for(key, tmp_path / "logs")
        before = run_code(km, "print(sorted(k for k in globals() if not k.startswith('_')))")
        assert run_code(km, f"x = 1\nprint({text!r}, end='')") == text
        assert run_code(km, "print(x + 1)") == "2\n"
        after = run_code(km, "print(sorted(k for k in globals() if not k.startswith('_')))")
        assert eval(after) == sorted([*eval(before), "x"])
        with pytest.raises(KernelError, match="code run in the kernel failed: ZeroDivisionError"):
            run_code(km, "print('half')\n1 / 0")
    finally:
        drop_kernel(key)


@pytest.mark.slow
def test_kernel_that_never_starts_reports_its_real_cause(tmp_path, monkeypatch):
    from pcp_lib.pack.kernels import KernelError, kernel_for

    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    counter = _flaky_kernelspec(tmp_path, "broken", fail_first=99)
    with pytest.raises(KernelError) as caught:
        kernel_for(("broken", "public", str(tmp_path)), tmp_path / "logs")
    assert counter.read_text() == "2", "tried twice, no more"
    assert "did not start" in caught.value.summary
    assert "died" in caught.value.summary.lower(), "the exception that said so, not a bare 'did not answer'"
    assert "simulated crash at start 2" in caught.value.stderr, "the kernel's own stderr is reported"


@pytest.mark.slow
def test_failed_kernel_leaves_its_cause_in_failed(tmp_path, monkeypatch):
    """A pack whose kernel cannot start says why, and keeps the why in _failed/."""
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    _flaky_kernelspec(tmp_path, "broken", fail_first=99)
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _code_notebook(nbs / "10_first.ipynb", "First", "print(1)")
    monkeypatch.setattr("pcp_lib.pack.run.ensure_kernel", lambda: "broken")
    r = run_pack(QUARTER, data_dir=FIXTURE_DATA, out_dir=tmp_path / "out", notebooks_dir=nbs, jobs=1, progress=False,
                 audience="public", pdf=False)
    assert not r.ok
    assert "did not start" in r.failure_report()
    why = (tmp_path / "out" / "2025-26-Q3" / "_failed" / "10_first-public.txt").read_text(encoding="utf-8")
    assert "simulated crash at start" in why
