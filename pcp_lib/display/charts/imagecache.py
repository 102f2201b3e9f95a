"""Each chart drawn once: a chart kept by what it is drawn *from*.

The public and restricted pages draw most charts from the same data with the same code and
options; drawing (``savefig``) is most of a page's time. A page asks for a chart by its inputs
(:func:`chart_key`): the chart helper (its module and name), its arguments (pickled, tables
and arrays by their values), the label stamped on it, every ``pcp_lib`` file (the code that
builds and styles it), every matplotlib setting and the versions of matplotlib and FreeType.
A chart found that way is neither built nor drawn: its PNG and alternative text come back as
they were stored (:func:`recall`, :func:`remember`), so the same inputs give the same bytes.
Arguments that cannot be pickled give no key: the chart is then built and drawn every time.

Only public interfaces are read: a chart is never keyed by the figure's own state (that
would mean pickling matplotlib's artists and leaving out their private parts), so a figure
handed over already built is drawn every time.

The cache is on only when the environment names a folder (:data:`CACHE_ENV`): the pack run
sets it for its kernels; an analyst in JupyterLab draws afresh.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import ft2font

from pcp_lib.core.fingerprint import code_fingerprint

__all__ = ["CACHE_ENV", "cache_dir", "chart_key", "recall", "remember"]

#: The environment variable naming the cache folder.
CACHE_ENV = "PCP_CHART_CACHE"


def _library() -> bytes:
    """What the drawing depends on besides the figure: library versions and every setting."""
    settings = sorted((k, repr(v)) for k, v in matplotlib.rcParams.items())
    return repr((matplotlib.__version__, ft2font.__freetype_version__, settings)).encode()


def cache_dir() -> Path | None:
    """The cache folder named by :data:`CACHE_ENV`, or None (no cache)."""
    folder = os.environ.get(CACHE_ENV)
    return Path(folder) if folder else None


def _value(*parts: Any) -> None:
    """Stands in for a table or array in :class:`_InputPickler`'s output (never called: the
    bytes are hashed, not loaded)."""


class _InputPickler(pickle.Pickler):
    """Pickles a chart's inputs for hashing only, tables and arrays by their values: pandas'
    own pickles also hold how a table happens to be laid out in memory (its blocks), which
    differs between two equal tables built by different paths."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, pd.DataFrame):
            return (_value, ("DataFrame", [str(c) for c in obj.columns], [str(t) for t in obj.dtypes],
                             [obj.iloc[:, i].to_numpy(dtype=object) for i in range(obj.shape[1])], obj.index,
                             obj.columns, dict(obj.attrs)))
        if isinstance(obj, pd.Series):
            return (_value, ("Series", obj.name, str(obj.dtype), obj.to_numpy(dtype=object), obj.index,
                             dict(obj.attrs)))
        if isinstance(obj, pd.Index):
            return (_value, ("Index", type(obj).__name__, list(obj.names), str(obj.dtype),
                             getattr(obj, "freqstr", None), obj.to_numpy(dtype=object)))
        if isinstance(obj, np.ndarray):
            if obj.dtype == object:
                return (_value, ("objects", obj.shape, obj.ravel().tolist()))
            return (_value, ("array", str(obj.dtype), obj.shape, np.ascontiguousarray(obj).tobytes()))
        return NotImplemented


_CODE: list[str] = []  # this process's pcp_lib fingerprint, once (the code does not change under a run)


def chart_key(draw: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], label: str) -> str | None:
    """The SHA-256 of what a chart is drawn from: the helper ``draw`` (module and name), its
    ``args`` and ``kwargs`` (pickled), the ``label`` stamped on it, the ``pcp_lib`` code and
    the library; None when the arguments cannot be pickled."""
    buf = io.BytesIO()
    pickler = _InputPickler(buf, protocol=5)
    # No memo: an object met twice is written out twice, so the bytes do not depend on whether
    # two equal values are one object (e.g. shared by a cache a notebook before filled) or two.
    pickler.fast = True
    try:
        pickler.dump((draw.__module__, draw.__qualname__, args, kwargs, label))
    except (pickle.PicklingError, TypeError, AttributeError, ValueError):  # what pickle raises for a lambda
        return None  # or (fast mode) a cycle among the arguments: no key, the chart is built; others are raised
    if not _CODE:
        _CODE.append(code_fingerprint())
    h = hashlib.sha256(b"chart\0" + _library() + _CODE[0].encode())
    h.update(buf.getvalue())
    return h.hexdigest()


def recall(key: str) -> tuple[str, str] | None:
    """The stored chart for ``key``: its PNG (base64) and alternative text, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}.json"
    try:
        stored = json.loads(path.read_bytes())
        found = (stored["png"], stored["alt"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):  # not there, or not what remember wrote
        return None
    if not all(isinstance(x, str) for x in found):
        return None
    os.utime(path)  # last used: old entries can be pruned
    return found


def remember(key: str, png: str, alt: str) -> None:
    """Store a chart drawn from ``key``'s inputs (PNG as base64, alternative text)."""
    folder = cache_dir()
    if folder is None:
        return
    _write(folder / f"{key}.json", json.dumps({"png": png, "alt": alt}).encode())


def _write(path: Path, data: bytes) -> None:
    """Write to a temporary name and rename: two processes storing the same entry at once
    cannot leave half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=path.suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
