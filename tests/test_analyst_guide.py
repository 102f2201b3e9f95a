"""Follow docs/analyst-guide.md literally on a fresh clone: every `# step` block, in order,
for a new quarter (Q4 2025/26)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "analyst-guide.md"

pytestmark = pytest.mark.slow


def guide_steps() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    return [b for b in blocks if b.lstrip().startswith("# step")]


def test_guide_has_the_steps():
    steps = guide_steps()
    assert len(steps) >= 4
    assert any("new-quarter" in s for s in steps) and any("pcp run" in s for s in steps)
    frames = [s for s in steps if "monthly_series" in s]
    assert frames and all(w in frames[0] for w in ("dashboard.load", "compare_quarter", ".table"))


def test_follow_the_guide_on_a_fresh_clone(tmp_path):
    clone = tmp_path / "pcp"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    # The environment the guide's setup step builds: reuse this one (building it again takes
    # minutes); PYTHONPATH makes the clone's own code the one that runs.
    (clone / ".venv").symlink_to(ROOT / ".venv")
    env = {**os.environ, "PYTHONPATH": str(clone)}
    for step in guide_steps():
        r = subprocess.run(["bash", "-euo", "pipefail", "-c", step], cwd=clone, env=env, capture_output=True,
                           text=True, timeout=600)
        assert r.returncode == 0, (step, r.stdout[-2000:], r.stderr[-2000:])
    pack = clone / "outputs" / "2025-26-Q4"
    assert (pack / "public" / "index.html").exists() and (pack / "manifest.json").exists()
    page = (pack / "public" / "00_pcp_dashboard.html").read_text(encoding="utf-8")
    assert "Plan dashboard, Q4 2025/26" in page
    listing = subprocess.run([str(clone / ".venv" / "bin" / "pcp"), "list"], cwd=clone, env=env,
                             capture_output=True, text=True, check=True).stdout
    assert "Q4 2025/26" in listing
