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

The cache is on only when the environment names a folder (:data:`CACHE_ENV`): the pack run
sets it for its kernels; an analyst in JupyterLab draws afresh.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import ft2font
from matplotlib.cbook import CallbackRegistry
from matplotlib.dates import rrulewrapper
from matplotlib.figure import Figure
from matplotlib.transforms import TransformNode

__all__ = ["CACHE_ENV", "cache_dir", "figure_key", "png_bytes"]

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
    except Exception:  # an unpicklable artist (e.g. a lambda formatter): no key, drawn every time
        return None
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
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".png")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return data
