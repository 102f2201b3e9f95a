"""The project's Jupyter kernel, and the warm kernel each pack worker keeps between notebooks.

A new kernel spends 2-3 s starting and importing pandas, matplotlib, scipy and statsmodels
before a notebook's first figure. A worker therefore keeps its kernel between notebooks,
one kernel per audience (a public notebook never runs in a kernel that ran a restricted
one) and working folder, and before each notebook clears it: every variable, figure and
the input/output history go, and the execution count starts again at 1, as in a new kernel.
Imported modules stay (that is the saving); pcp_lib keeps no data between calls. A kernel
whose notebook failed is shut down, so the next notebook starts afresh.

The Jupyter libraries are imported inside the functions that use them, so that commands
which never start a kernel (``pcp list``, ``pcp validate``) do not pay for importing them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jupyter_client import AsyncKernelManager

__all__ = ["DISPLAY_NAME", "KERNEL_NAME", "KernelKey", "drop_kernel", "ensure_kernel", "kernel_for", "run_code",
           "shutdown_kernels", "start_reads", "stop_reads", "worker_init"]

KERNEL_NAME = "pcp"
DISPLAY_NAME = "Python (pcp)"

#: (kernel name, audience, working folder): one warm kernel per key in each worker.
KernelKey = tuple[str, str, str]

_KERNELS: dict[KernelKey, AsyncKernelManager] = {}

_RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
          "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n"
          "get_ipython().execution_count = 1\n")


def ensure_kernel() -> str:
    """Register this environment's Python as the Jupyter kernel ``pcp`` if it is missing,
    so a newcomer never sees "No such kernel". Returns the kernel name."""
    from ipykernel.kernelspec import install
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec(KERNEL_NAME)
        if spec.argv and Path(spec.argv[0]).exists() and (
                Path(spec.argv[0]).parent.parent.resolve() == Path(sys.prefix).resolve()):
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    install(user=False, kernel_name=KERNEL_NAME, display_name=DISPLAY_NAME, prefix=sys.prefix)
    return KERNEL_NAME


def worker_init(env: dict[str, str] | None = None) -> None:
    """Pool initializer: send the worker's (and so its kernels') stderr to /dev/null. Kernels
    print start-up warnings there that would bury the progress bar; every failure is reported
    back through the result instead. ``env`` is set in the worker's environment, which its
    kernels inherit (e.g. the chart cache's folder). Also arranges for the worker's warm
    kernels to be shut down when the worker exits."""
    from multiprocessing import util

    os.environ.update(env or {})

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    util.Finalize(None, shutdown_kernels, exitpriority=100)


def run_code(km: AsyncKernelManager, code: str, timeout: float = 60) -> str | None:
    """Run ``code`` in the kernel, outside the notebook (no history, no execution count);
    what it printed, or None if it failed or did not answer."""
    from jupyter_client.blocking import BlockingKernelClient

    printed: list[str] = []

    def keep(msg: dict) -> None:
        if msg["msg_type"] == "stream" and msg["content"].get("name") == "stdout":
            printed.append(msg["content"]["text"])

    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        reply = kc.execute_interactive(code, silent=False, store_history=False, timeout=timeout, output_hook=keep)
        return "".join(printed) if reply["content"]["status"] == "ok" else None
    except Exception:  # any failure to answer means "start a new kernel", never a wrong result
        return None
    finally:
        kc.stop_channels()


def _reset_kernel(km: AsyncKernelManager) -> bool:
    """Clear a warm kernel for the next notebook; False if it did not answer properly."""
    return run_code(km, _RESET) is not None


def start_reads(km: AsyncKernelManager, roots: list[str]) -> bool:
    """Start recording, in the kernel, the files the next notebook opens under ``roots``
    (:mod:`pcp_lib.pack.reads`); False if the kernel did not answer."""
    code = f"import pcp_lib.pack.reads as _pcp_reads\n_pcp_reads.start({roots!r})\ndel _pcp_reads\n"
    return run_code(km, code) is not None


def stop_reads(km: AsyncKernelManager) -> dict[str, str] | None:
    """The files the notebook opened since :func:`start_reads` (path -> SHA-256), or None
    if the kernel did not answer."""
    code = ("import json as _pcp_json, pcp_lib.pack.reads as _pcp_reads\n"
            "print(_pcp_json.dumps(_pcp_reads.stop()))\ndel _pcp_json, _pcp_reads\n")
    out = run_code(km, code)
    if out is None:
        return None
    found: dict[str, str] = json.loads(out)
    return found


def kernel_for(key: KernelKey) -> AsyncKernelManager:
    """This worker's kernel for ``key`` (kernel, audience, cwd): the warm one, cleared, or a
    new one started in ``cwd``."""
    from jupyter_client import AsyncKernelManager
    from jupyter_core.utils import run_sync

    kernel, _audience, cwd = key
    km = _KERNELS.get(key)
    if km is not None:
        if run_sync(km.is_alive)() and _reset_kernel(km):
            return km
        drop_kernel(key)
    km = AsyncKernelManager(kernel_name=kernel)
    # as papermill's own kernels: history in memory only, started in the notebook's folder
    run_sync(km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"])
    _KERNELS[key] = km
    return km


def drop_kernel(key: KernelKey) -> None:
    """Shut down and forget this worker's kernel for ``key`` (after a failed notebook)."""
    from jupyter_core.utils import run_sync

    km = _KERNELS.pop(key, None)
    if km is None:
        return
    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # already gone: nothing left to shut down
        pass


def shutdown_kernels() -> None:
    """Shut down every warm kernel of this worker (when the worker exits)."""
    for key in list(_KERNELS):
        drop_kernel(key)
