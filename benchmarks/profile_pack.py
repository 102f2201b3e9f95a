"""Where a clean pack's time goes: imports, kernel start, each page's loading, computing,
drawing and export, the front pages and the PDFs. One process, one thing at a time (no
parallelism), so the figures add up; ``pcp run`` overlaps them on two workers.

    .venv/bin/python benchmarks/profile_pack.py [--quarter "2025-26 Q3"]

Each page is rendered the way its notebook does it (``page.load`` then every section), for both
audiences, with the chart image cache on as in a run (the second audience takes the first one's
images); drawing is the time in ``savefig``, computing the rest of the sections' time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _seconds(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:  # noqa: PLR0915 - one straight script
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quarter", default="2025-26 Q3")
    args = ap.parse_args()
    rows: list[tuple[str, float]] = []
    rows.append(("python start, nothing imported", _seconds("pass")))
    rows.append(("`pcp` command imports (pcp_lib.cli)", _seconds("import pcp_lib.cli")))
    rows.append(("a notebook's first imports (a subject page)", _seconds(
        "import matplotlib; matplotlib.use('agg'); import pcp_lib.subjects.crime.page, pcp_lib.subjects.contact.page")))

    from jupyter_client.manager import start_new_kernel

    from pcp_lib.pack.kernels import ensure_kernel

    started = time.perf_counter()
    km, kc = start_new_kernel(kernel_name=ensure_kernel())
    rows.append(("kernel start (to ready)", time.perf_counter() - started))
    kc.stop_channels()
    km.shutdown_kernel(now=True)

    import matplotlib

    matplotlib.use("agg")
    import nbformat

    from pcp_lib.display.charts import imagecache, style
    from pcp_lib.display.page import Section
    from pcp_lib.front.page import subject_of
    from pcp_lib.pack.export import export_html
    from pcp_lib.pack.findings import findings_json, from_records
    from pcp_lib.pack.front import front_html
    from pcp_lib.pack.run import discover_notebooks, pack_pages
    from pcp_lib.subjects.registry import subjects

    drawing = {"s": 0.0}
    draw = style._draw_png

    def timed_draw(fig):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        out = draw(fig)
        drawing["s"] += time.perf_counter() - t
        return out

    style._draw_png = timed_draw  # type: ignore[assignment]
    cache = tempfile.mkdtemp(prefix="pcp-profile-charts-")
    os.environ[imagecache.CACHE_ENV] = cache
    page_rows = []
    given: dict[str, dict[str, list]] = {}
    for audience in ("public", "restricted"):
        for subject in subjects():
            name, page = subject.name, subject.page
            drawing["s"] = 0.0
            t = time.perf_counter()
            ctx = page.load(args.quarter, None, audience)
            loaded = time.perf_counter() - t
            t = time.perf_counter()
            sections: list[Section] = [page.title(ctx), *(fn(ctx) for _, fn in page.SECTIONS)]
            for sec in sections:
                sec.html(images=True)
            # what the pack's kernel does after the notebook: the page's findings for the front page
            given.setdefault(audience, {})[name] = json.loads(findings_json({"ctx": ctx}, subject.notebook))
            total = time.perf_counter() - t
            page_rows.append((f"{name} ({audience})", loaded, total - drawing["s"], drawing["s"]))
    style._draw_png = draw  # type: ignore[assignment]

    notebooks = discover_notebooks()
    outputs = ROOT / "outputs" / "2025-26-Q3" / "restricted"
    export_s = 0.0
    exported = 0
    for nb_path in notebooks:
        executed = outputs / nb_path.name
        if executed.exists():
            nb = nbformat.read(executed, as_version=4)
            t = time.perf_counter()
            export_html(nb, nb_path.stem)
            export_s += time.perf_counter() - t
            exported += 1
    pages = [{"notebook": nb.name, "title": link.title, "html": link.href}
             for nb, link in zip(notebooks, pack_pages(notebooks), strict=True)]
    t = time.perf_counter()
    for audience in ("public", "restricted"):  # from the pages' findings, as in the pack
        by_page = {p["html"]: from_records(given[audience][subject_of(ROOT / "notebooks" / p["notebook"])])
                   for p in pages}
        front_html(args.quarter, audience, pages, ROOT / "notebooks", None, "2026-01-01", by_page)  # type: ignore[arg-type]
    front_s = time.perf_counter() - t

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; quarter {args.quarter}")
    for label, s in rows:
        print(f"{label:48s} {s:6.2f} s")
    print(f"{'page (audience)':24s} {'load':>6s} {'compute':>8s} {'drawing':>8s}")
    for label, load, compute, drawn in page_rows:
        print(f"{label:24s} {load:6.2f} {compute:8.2f} {drawn:8.2f}")
    sums = [sum(r[i] for r in page_rows) for i in (1, 2, 3)]
    print(f"{'all pages, both audiences':24s} {sums[0]:6.2f} {sums[1]:8.2f} {sums[2]:8.2f}")
    if exported:
        print(f"export to HTML, {exported} pages (one audience; from outputs/)  {export_s:6.2f} s")
    print(f"front pages, both audiences (from the pages' findings) {front_s:6.2f} s")


if __name__ == "__main__":
    main()
