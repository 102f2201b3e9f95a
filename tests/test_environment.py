"""environment.yml (conda) and pyproject.toml (pip) must list the same packages and ranges."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _norm(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert m, spec
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_conda_and_pip_list_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip = dict(_norm(s) for s in project["dependencies"] + project["optional-dependencies"]["dev"])
    conda = {}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^\s*-\s+([^#]+?)\s*$", line)
        if m and not m.group(1).startswith(("python=", "pip")) and ":" not in m.group(1):
            name, spec = _norm(m.group(1))
            conda[name] = spec
    assert conda == pip


def test_lock_file_pins_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = {_norm(line.split("==")[0])[0] for line in (ROOT / "requirements-lock.txt").read_text().splitlines()
            if "==" in line}
    names = {_norm(s)[0] for s in project["dependencies"] + project["optional-dependencies"]["dev"]}
    assert names <= lock
