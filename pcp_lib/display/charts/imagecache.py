"""Each chart drawn once: PNG images kept by a hash of everything that decides their pixels.

The public and restricted pages draw most charts from the same data with the same code and
options; drawing (``savefig``) is most of a page's time. Before a figure is drawn, its key is
computed from what the drawing reads:

- the figure's whole state, pickled (every artist, its data, styles, texts, limits: the same
  state matplotlib itself saves and restores a figure from), with four things left out that
  never reach the pixels and differ between two identical figures: pyplot's number for the
  figure; a transform's links to its *parents* (kept by ``id()``, only for invalidating
  caches); the start and end dates of a date locator's rule (matplotlib sets both afresh from
  the axis limits before every ticking); and event handlers (callbacks), which are not drawn;
- every matplotlib setting (``rcParams``), and the versions of matplotlib and FreeType.

If a PNG with that key is in the cache folder it is used; otherwise the figure is drawn and
the PNG stored (written to a temporary name and renamed, so two processes drawing the same
chart at once cannot leave half a file). A cached image is therefore byte-identical to a fresh
one: the same state drawn by the same library gives the same bytes (tests check this for every
chart of the pack). A figure that cannot be pickled is drawn every time.

Before even that, a page asks for a chart by what it is drawn *from* (:func:`chart_key`): the
chart helper (its module and name), its arguments (pickled), the label stamped on it, every
``pcp_lib`` file (the code that builds and styles it) and the library as above. A chart found
that way is neither built nor drawn: its PNG and alternative text come back as they were
stored (:func:`recall`, :func:`remember`), so the same inputs give the same bytes. Arguments
that cannot be pickled give no key (the chart is then built, and keyed by its figure).

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
from matplotlib.cbook import CallbackRegistry
from matplotlib.dates import rrulewrapper
from matplotlib.figure import Figure
from matplotlib.transforms import TransformNode

from pcp_lib.core.fingerprint import code_fingerprint

__all__ = ["CACHE_ENV", "cache_dir", "chart_key", "figure_key", "png_bytes", "recall", "remember"]

#: The environment variable naming the cache folder.
CACHE_ENV = "PCP_CHART_CACHE"


class _StatePickler(pickle.Pickler):
    """Pickles a figure's state for hashing only (the bytes are never loaded back)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Figure):  # less pyplot's number for it, which is not drawn
            full: dict[str, Any] = obj.__getstate__()  # type: ignore[assignment]  # typed as object
            state = {k: v for k, v in full.items() if k not in ("_number", "_restore_to_pylab")}
            return (type(obj), (), state)
        if isinstance(obj, TransformNode):
            # its state less the back-links to its parents (by id(): for invalidation, never drawn)
            return (type(obj), (), {k: v for k, v in vars(obj).items() if k != "_parents"})
        if isinstance(obj, CallbackRegistry):  # event handlers, never drawn (and its own pickling
            return (type(obj), ())              # advances a counter: two dumps would differ)
        if isinstance(obj, rrulewrapper):
            construct = {k: v for k, v in obj._construct.items() if k not in ("dtstart", "until")}
            return (type(obj), (), {"_construct": construct, "_base_tzinfo": obj._base_tzinfo})
        return NotImplemented


def _library() -> bytes:
    """What the drawing depends on besides the figure: library versions and every setting."""
    settings = sorted((k, repr(v)) for k, v in matplotlib.rcParams.items())
    return repr((matplotlib.__version__, ft2font.__freetype_version__, settings)).encode()


def figure_key(fig: Figure) -> str | None:
    """The SHA-256 of the figure's state and the library (see the module's docstring), or
    None when the figure cannot be pickled."""
    buf = io.BytesIO()
    try:
        _StatePickler(buf, protocol=5).dump(fig)
    except (pickle.PicklingError, TypeError, AttributeError):  # what pickle raises for an unpicklable artist
        return None  # (e.g. a lambda formatter): no key, drawn every time; any other error is raised
    h = hashlib.sha256(_library())
    h.update(buf.getvalue())
    return h.hexdigest()


def cache_dir() -> Path | None:
    """The cache folder named by :data:`CACHE_ENV`, or None (no cache)."""
    folder = os.environ.get(CACHE_ENV)
    return Path(folder) if folder else None


def png_bytes(fig: Figure, draw: Callable[[Figure], bytes]) -> bytes:
    """The figure as PNG: from the cache when a PNG with its key is there, else ``draw(fig)``
    (then stored). Without a cache folder, simply ``draw(fig)``."""
    folder = cache_dir()
    key = figure_key(fig) if folder is not None else None
    if folder is None or key is None:
        return draw(fig)
    path = folder / f"{key}.png"
    try:
        data = path.read_bytes()
        os.utime(path)  # last used: old entries can be pruned
        return data
    except FileNotFoundError:
        pass
    data = draw(fig)
    _write(path, data)
    return data


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
