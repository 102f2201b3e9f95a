"""The project's Jupyter kernel, and the warm kernel each pack worker keeps between notebooks.

A new kernel spends 2-3 s starting and importing pandas, matplotlib, scipy and statsmodels
before a notebook's first figure. A worker therefore keeps its kernel between notebooks,
one kernel per audience (a public notebook never runs in a kernel that ran a restricted
one) and working folder, and before each notebook clears it: every variable, figure and
the input/output history go, and the execution count starts again at 1, as in a new kernel.
Imported modules stay (that is the saving); pcp_lib keeps no data between calls. A kernel
whose notebook failed is shut down, so the next notebook starts afresh.

Why it is reliable on a loaded machine (it once failed about one pack run in five):
- Every conversation with a kernel goes through the kernel manager's own client
  (``km.client()``), which asks the manager whether the kernel process is alive. A client
  made only from the connection details judges that by heartbeats instead, and on a busy
  machine a kernel still starting misses them and is taken for dead.
- A new kernel is waited for until it answers, for up to :data:`READY_TIMEOUT` seconds (a
  loaded 2-core machine can take tens of seconds); one that dies while starting is started
  once more.
- Once a kernel has answered, the run's own code (the reset, the record of the files read, the
  findings) goes on the shell channel alone, and what it printed comes back in the same reply
  (a user expression, :func:`run_code`): nothing is read from the broadcast iopub channel, so
  nothing can be missed there, and no client has to wait for it to be quiet (0.2 s each).
- Each kernel's stderr goes to a log file; when a kernel fails, :class:`KernelError` carries
  the exception and the end of that log, so the run reports the real cause.
- The clients the manager makes (papermill's too, one per notebook) are
  :class:`pcp_lib.pack.client.ReadyClient` (the manager's ``client_class`` setting): a kernel
  is ready once it has answered on the shell channel and iopub has carried that request's
  end, without jupyter_client's further 0.2 s of iopub silence before every notebook.

The Jupyter libraries are imported inside the functions that use them, so that commands
which never start a kernel (``pcp list``, ``pcp validate``) do not pay for importing them.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jupyter_client import AsyncKernelManager

__all__ = ["DISPLAY_NAME", "KERNEL_NAME", "READY_TIMEOUT", "KernelError", "KernelKey", "drop_kernel",
           "ensure_kernel", "kernel_for", "kernel_log", "kernel_stderr", "run_code", "shutdown_kernels", "start_reads",
           "stop_reads", "warm_kernel", "worker_init"]

KERNEL_NAME = "pcp"
DISPLAY_NAME = "Python (pcp)"

#: Seconds to wait for a kernel to answer (starting, or before running code): generous, as a
#: loaded machine is slow, but bounded, so a kernel that never answers is reported.
READY_TIMEOUT = 180.0

#: Lines of a kernel's stderr quoted in a failure.
_LOG_TAIL = 40

#: (kernel name, audience, working folder): one warm kernel per key in each worker.
KernelKey = tuple[str, str, str]

_KERNELS: dict[KernelKey, AsyncKernelManager] = {}
_LOGS: dict[KernelKey, Path] = {}

_RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
          "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n"
          "get_ipython().execution_count = 1\n")


class KernelError(RuntimeError):
    """A kernel did not start or did not answer: what went wrong and the end of its stderr."""

    def __init__(self, what: str, cause: BaseException | None = None, log: Path | None = None) -> None:
        self.what = what
        self.cause = cause
        self.log = log
        self.stderr = kernel_stderr(log)
        #: One line: what failed and the exception that said so (the stderr is kept apart).
        self.summary = what + (f": {type(cause).__name__}: {cause}" if cause is not None else "")
        text = self.summary
        if self.stderr:
            text += "\nkernel stderr (last lines):\n" + self.stderr
        super().__init__(text)


def kernel_stderr(log: Path | None, lines: int = _LOG_TAIL) -> str:
    """The last ``lines`` lines a kernel wrote to its stderr log ("" if none)."""
    if log is None or not log.is_file():
        return ""
    text = log.read_text(encoding="utf-8", errors="replace").rstrip()
    return "\n".join(text.splitlines()[-lines:])


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
    """Pool initializer: send the worker's stderr to /dev/null (libraries print start-up
    warnings there that would bury the progress bar; its kernels write to logs of their own,
    :func:`kernel_log`, and every failure is reported back through the result instead).
    ``env`` is set in the worker's environment, which its kernels inherit (e.g. the chart
    cache's folder). Also arranges for the worker's warm kernels to be shut down when the
    worker exits."""
    from multiprocessing import util

    os.environ.update(env or {})

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    util.Finalize(None, shutdown_kernels, exitpriority=100)


def kernel_log(key: KernelKey) -> Path | None:
    """The file the worker's kernel for ``key`` writes its stderr to (None if it has none)."""
    return _LOGS.get(key)


async def _wait_until_answering(km: AsyncKernelManager) -> None:
    """Through the manager's own client, wait until a new kernel answers on every channel."""
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=READY_TIMEOUT)
    finally:
        kc.stop_channels()


#: What the kernel last printed in :func:`run_captured` (kept in the kernel's process).
_PRINTED = ""


def run_captured(code: str, namespace: dict[str, Any]) -> None:
    """In the kernel: run ``code`` in ``namespace``, keeping what it prints for
    :func:`printed` (which :func:`run_code` asks for in the same request)."""
    global _PRINTED
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            exec(code, namespace)  # noqa: S102 - the pack's own code, run in its own kernel
    finally:
        _PRINTED = buffer.getvalue()


def printed() -> str:
    """In the kernel: what the last :func:`run_captured` printed."""
    return _PRINTED


async def _ask(km: AsyncKernelManager, code: str, timeout: float) -> dict[str, Any]:
    """Send ``code`` to a kernel that has answered before, on a new client of the manager's
    with only its shell channel, and return the reply's content. The shell channel queues a
    request until it is connected, and its reply comes back on it, so unlike the iopub channel
    (where output is broadcast, and a new client's first messages can be missed) it needs no
    wait: ``wait_for_ready``, which a new client needs before reading iopub, waits until iopub
    has been quiet for 0.2 s, which cost about a second per notebook over the run's four
    conversations with its kernel. Whether the kernel is alive is asked of the manager every
    second while waiting."""
    kc = km.client()
    kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
    try:
        msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False,
                            user_expressions={"printed": f"__import__({__name__!r}, fromlist=['printed']).printed()"})
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = await kc.get_shell_msg(timeout=1)
            except Empty:
                if not await km.is_alive():
                    raise RuntimeError("Kernel died before replying") from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no reply in {timeout:.0f} s") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                content: dict[str, Any] = msg["content"]
                return content
    finally:
        kc.stop_channels()


def run_code(km: AsyncKernelManager, code: str, timeout: float = READY_TIMEOUT, log: Path | None = None) -> str:
    """Run ``code`` in a kernel that has answered before (:func:`kernel_for`), outside the
    notebook (no history, no execution count), and return what it printed. Raises
    :class:`KernelError` (with the cause and the kernel's stderr from ``log``) if the kernel
    does not answer or the code fails."""
    from jupyter_core.utils import run_sync

    wrapped = f"__import__({__name__!r}, fromlist=['run_captured']).run_captured({code!r}, globals())"
    try:
        reply = run_sync(_ask)(km, wrapped, timeout)
    except _kernel_errors() as exc:  # the kernel did not answer: said, with its cause and stderr
        raise KernelError("the kernel did not answer", exc, log) from exc
    if reply["status"] != "ok":
        what = f"{reply.get('ename')}: {reply.get('evalue')}" if "ename" in reply else f"status {reply['status']!r}"
        raise KernelError(f"code run in the kernel failed: {what}", None, log)
    out = reply.get("user_expressions", {}).get("printed", {})
    if out.get("status") != "ok":
        raise KernelError(f"the kernel did not say what the code printed: {out.get('ename')}: {out.get('evalue')}",
                          None, log)
    text = ast.literal_eval(out["data"]["text/plain"])
    assert isinstance(text, str)
    return text


def _kernel_errors() -> tuple[type[BaseException], ...]:
    """What a kernel that died, never answered or could not start raises through jupyter_client:
    a ``RuntimeError`` ("Kernel died before replying", "didn't respond"), a ``TimeoutError``, an
    ``OSError`` (its process or files), pyzmq's ``ZMQError`` (a socket), ``NoSuchKernel``. Caught
    where a kernel is started, asked or shut down, and said as a ``KernelError``; any other
    exception is a bug and reaches the run's report of the page with its own name, not as "the
    kernel did not answer". (Imported here: only a run that starts kernels needs them.)"""
    import zmq
    from jupyter_client.kernelspec import NoSuchKernel

    return (RuntimeError, TimeoutError, OSError, zmq.ZMQError, NoSuchKernel)


def _reset_kernel(km: AsyncKernelManager, log: Path | None) -> bool:
    """Clear a warm kernel for the next notebook; False if it did not answer properly (the
    caller then starts a new one)."""
    try:
        run_code(km, _RESET, log=log)
    except KernelError:
        return False
    return True


def start_reads(km: AsyncKernelManager, roots: list[str], log: Path | None = None) -> None:
    """Start recording, in the kernel, the files the next notebook opens under ``roots``
    (:mod:`pcp_lib.pack.reads`). Raises :class:`KernelError`."""
    run_code(km, f"import pcp_lib.pack.reads as _pcp_reads\n_pcp_reads.start({roots!r})\ndel _pcp_reads\n", log=log)


def stop_reads(km: AsyncKernelManager, log: Path | None = None) -> dict[str, str]:
    """The files the notebook opened since :func:`start_reads` (path -> SHA-256). Raises
    :class:`KernelError`."""
    out = run_code(km, "import json as _pcp_json, pcp_lib.pack.reads as _pcp_reads\n"
                       "print(_pcp_json.dumps(_pcp_reads.stop()))\ndel _pcp_json, _pcp_reads\n", log=log)
    found: dict[str, str] = json.loads(out)
    return found


def _start(kernel: str, cwd: str, log: Path) -> AsyncKernelManager:
    """Start a kernel in ``cwd``, its stderr to ``log``, and wait until it answers."""
    from jupyter_client import AsyncKernelManager
    from jupyter_core.utils import run_sync

    km = AsyncKernelManager(kernel_name=kernel, client_class="pcp_lib.pack.client.ReadyClient")
    with log.open("ab") as err:
        # as papermill's own kernels: history in memory only, started in the notebook's folder;
        # stderr to the log (the kernel keeps its own copy of the descriptor)
        run_sync(km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"], stderr=err)
    try:
        run_sync(_wait_until_answering)(km)
    except BaseException:
        _shutdown(km)
        raise
    return km


def _shutdown(km: AsyncKernelManager) -> None:
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except _kernel_errors():  # already gone: nothing left to shut down
        pass


def kernel_for(key: KernelKey, log_dir: str | Path | None = None) -> AsyncKernelManager:
    """This worker's kernel for ``key`` (kernel, audience, cwd): the warm one, cleared, or a
    new one started in ``cwd`` and answering, its stderr logged in ``log_dir`` (a temporary
    folder if None). A kernel that dies or never answers while starting is started once more;
    if that fails too, :class:`KernelError` says why."""
    from jupyter_core.utils import run_sync

    kernel, audience, cwd = key
    km = _KERNELS.get(key)
    if km is not None:
        if run_sync(km.is_alive)() and _reset_kernel(km, _LOGS.get(key)):
            return km
        drop_kernel(key)
    folder = Path(log_dir) if log_dir is not None else Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"kernel-{audience}-{os.getpid()}.log"
    last: BaseException | None = None
    for attempt in (1, 2):
        with log.open("a", encoding="utf-8") as f:
            f.write(f"--- start {attempt} of kernel {kernel!r} for {audience} in {cwd}\n")
        try:
            km = _start(kernel, cwd, log)
        except _kernel_errors() as exc:  # retried once, then reported with its cause
            last = exc
            continue
        _KERNELS[key] = km
        _LOGS[key] = log
        return km
    raise KernelError("the kernel did not start (tried twice)", last, log)


def warm_kernel(key: KernelKey) -> AsyncKernelManager | None:
    """This worker's kernel for ``key`` if it has one and it is alive, as its last notebook
    left it (not cleared); None otherwise. For code that needs the libraries a notebook
    imported, not a clean namespace (the front page, :mod:`pcp_lib.pack.front`)."""
    from jupyter_core.utils import run_sync

    km = _KERNELS.get(key)
    if km is None or not run_sync(km.is_alive)():
        return None
    return km


def drop_kernel(key: KernelKey) -> None:
    """Shut down and forget this worker's kernel for ``key`` (after a failed notebook)."""
    km = _KERNELS.pop(key, None)
    _LOGS.pop(key, None)
    if km is not None:
        _shutdown(km)


def shutdown_kernels() -> None:
    """Shut down every warm kernel of this worker (when the worker exits)."""
    for key in list(_KERNELS):
        drop_kernel(key)
