"""The kernel client of the pack's kernels: jupyter_client's, ready as soon as the messaging
protocol says so.

Set as each pack kernel's ``client_class`` (:mod:`pcp_lib.pack.kernels`), so every client its
manager makes is one of these: the run's own and papermill's, one per notebook.
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client import protocol_version_info
from jupyter_client.asynchronous import AsyncKernelClient

__all__ = ["ReadyClient"]


class ReadyClient(AsyncKernelClient):
    """jupyter_client's asynchronous kernel client, with a quicker :meth:`wait_for_ready`.

    A client must not run code before its iopub subscription is live, or it misses the
    outputs (a ZeroMQ subscriber joins late). jupyter_client's ``wait_for_ready`` makes sure
    by asking for the kernel's info until one reply comes back, then reading iopub until it
    has been quiet for 0.2 s: papermill's client waits that long before every notebook. The
    messaging protocol gives an exact sign instead: the kernel reports itself busy and then
    idle on iopub around every request, with the request's id as parent. So this client asks
    for the kernel's info, waits for the reply on the shell channel and for that request's
    "idle" on iopub, and is ready as soon as both have come. If they have not come within a
    second (a kernel still starting, or iopub not yet joined), it asks again, and says the
    kernel died if its manager says so, as jupyter_client's does.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return once the kernel answers on shell and iopub carries that request's end; raise
        ``RuntimeError`` if the kernel dies or ``timeout`` seconds pass first."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        asked: set[str] = set()
        replied = False
        while True:
            asked.add(self.kernel_info())
            attempt_ends = time.monotonic() + 1.0
            while (left := attempt_ends - time.monotonic()) > 0:
                channel = self.iopub_channel if replied else self.shell_channel
                try:
                    msg = await channel.get_msg(timeout=left)
                except Empty:
                    break
                if msg["parent_header"].get("msg_id") not in asked:
                    continue
                if not replied and msg["msg_type"] == "kernel_info_reply":
                    version = msg["content"].get("protocol_version", "")
                    if int(version.split(".")[0] or 0) != protocol_version_info[0]:
                        raise RuntimeError(f"the kernel speaks messaging protocol {version!r}, this client "
                                           f"{protocol_version_info[0]}.x")
                    replied = True
                elif replied and msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                    return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
