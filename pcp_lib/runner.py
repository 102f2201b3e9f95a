"""Executing notebooks and exporting them for the pack (grows into the board-pack runner)."""

from __future__ import annotations

import sys

KERNEL_NAME = "pcp"


def ensure_kernel() -> str:
    """Register this environment's Python as the Jupyter kernel ``pcp`` if it is missing,
    so a newcomer never sees "No such kernel". Returns the kernel name."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec(KERNEL_NAME)
        if spec.argv and spec.argv[0] == sys.executable:
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(user=False, kernel_name=KERNEL_NAME, display_name="Python (pcp)", prefix=sys.prefix)
    return KERNEL_NAME
