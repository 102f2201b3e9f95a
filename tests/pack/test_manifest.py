"""The manifest: hashes of every input and output, quarter, version and commit."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from conftest import FIXTURE_DATA

import pcp_lib
from pcp_lib.core.fingerprint import sha256
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.manifest import git_commit, input_files, write_manifest

ROOT = Path(__file__).resolve().parents[2]
Q3 = Quarter.parse("2025-26 Q3")


def test_sha256_matches_hashlib(tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(b"pcp" * 1_000_000)  # more than one 1 MiB chunk
    assert sha256(p) == hashlib.sha256(b"pcp" * 1_000_000).hexdigest()


def test_input_files_stop_at_the_quarter(tmp_path):
    data = tmp_path / "data"
    for rel in ("reference/metrics.csv", "published/a.csv", "derived/b.csv", "quarters/2025-26-Q3/metric_values.csv",
                "quarters/2025-26-Q4/metric_values.csv", "quarters/notes/README.md"):
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).write_text("x\n", encoding="utf-8")
    nb = tmp_path / "00_x.ipynb"
    files = [str(p.relative_to(tmp_path)) for p in input_files(Q3, data, [nb])]
    assert files == ["data/reference/metrics.csv", "data/published/a.csv", "data/derived/b.csv",
                     "data/quarters/2025-26-Q3/metric_values.csv", "00_x.ipynb"]


def test_git_commit_is_a_hash_or_says_unknown():
    assert re.fullmatch(r"[0-9a-f]{40}(-dirty)?|unknown", git_commit())


def test_write_manifest_names_inputs_and_hashes_outputs(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA / "reference", data / "reference")
    pack = tmp_path / "2025-26-Q3"
    (pack / "public").mkdir(parents=True)
    (pack / "public" / "index.html").write_text("<p>x</p>\n", encoding="utf-8")
    nb = ROOT / "notebooks" / "00_pcp_dashboard.ipynb"
    path = write_manifest(pack, Q3, data, [nb], ["public"], "2026-01-02")
    m = json.loads(path.read_text(encoding="utf-8"))
    assert (m["quarter"], m["slug"], m["run_date"], m["audiences"]) == ("Q3 2025/26", "2025-26-Q3", "2026-01-02",
                                                                       ["public"])
    assert m["package_version"] == pcp_lib.__version__
    # a data folder outside the project is named relative to itself, never by a local path
    assert "data:reference/metrics.csv" in m["inputs"] and "notebooks/00_pcp_dashboard.ipynb" in m["inputs"]
    assert not [k for k in m["inputs"] if str(tmp_path) in k]
    assert m["outputs"] == {"public/index.html": hashlib.sha256(b"<p>x</p>\n").hexdigest()}
