"""The README's two commands on a fresh machine: ``scripts/system-deps.sh`` (run by ``make test``
and ``make report``) installs Debian's chromium and poppler-utils as root with apt-get, or says in
one line what to install; ``make env`` installs the nbstripout git filter, so a notebook run in
JupyterLab never shows in git with its outputs.

The script is run with a PATH of stub commands (``id``, ``apt-get``, ``chromium`` ...), so
nothing is installed and the machine's own Chromium is never hidden or removed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "system-deps.sh"
BASH = shutil.which("bash") or "/bin/bash"
POPPLER = ("pdftotext", "pdfinfo", "pdfimages")
NOTEBOOKS = tuple(str(p.relative_to(ROOT)) for p in sorted((ROOT / "notebooks").glob("*.ipynb")))


def _stub(folder: Path, name: str, body: str = "exit 0") -> None:
    path = folder / name
    path.write_text(f"#!{BASH}\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _machine(tmp_path: Path, *, uid: int, apt: bool, present: tuple[str, ...] = ()) -> Path:
    """A folder of stub commands standing for a machine: ``id -u`` says ``uid``; ``apt-get``
    (when ``apt``) logs its arguments and, on install, "installs" chromium and poppler's tools
    as stubs; ``present`` are there from the start."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    _stub(bin_, "id", f"echo {uid}")
    for name in present:
        _stub(bin_, name)
        if name == "soffice":  # LibreOffice's Writer: its library beside soffice, as Debian installs it
            (bin_ / "libswlo.so").touch()
    if apt:
        installs = "".join(f"printf '#!{BASH}\\nexit 0\\n' > {bin_}/{t}; /bin/chmod 755 {bin_}/{t}; "
                           for t in ("chromium", *POPPLER, "soffice")) + f"> {bin_}/libswlo.so; "
        _stub(bin_, "apt-get", f'echo "$@" >> {tmp_path}/apt.log\nif [ "$1" = install ]; then {installs}fi')
    return bin_


def _run(bin_: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BASH, str(SCRIPT), *args], env={"PATH": str(bin_), **env}, capture_output=True,
                          text=True, timeout=30)


def _apt_log(tmp_path: Path) -> list[str]:
    log = tmp_path / "apt.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_with_everything_installed_it_says_nothing(tmp_path):
    r = _run(_machine(tmp_path, uid=1000, apt=True, present=("chromium", *POPPLER, "soffice")))
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert _apt_log(tmp_path) == []


def test_as_root_with_apt_it_installs_chromium_and_poppler(tmp_path):
    r = _run(_machine(tmp_path, uid=0, apt=True))
    assert r.returncode == 0, r.stderr
    log = _apt_log(tmp_path)
    assert log[0] == "update -qq"
    assert log[1].split()[:2] == ["install", "-y"]
    assert log[1].split()[-3:] == ["chromium", "poppler-utils", "libreoffice-writer-nogui"]
    assert "install" not in r.stderr.replace("installing", ""), "nothing left to say once installed"


def test_as_root_only_what_is_missing_is_installed(tmp_path):
    r = _run(_machine(tmp_path, uid=0, apt=True, present=("chromium", "soffice")))
    assert r.returncode == 0
    assert _apt_log(tmp_path)[1].split()[-1] == "poppler-utils" and "chromium" not in _apt_log(tmp_path)[1]


@pytest.mark.parametrize("machine", [dict(uid=1000, apt=True), dict(uid=0, apt=False)], ids=["not root", "no apt"])
def test_otherwise_one_line_says_what_to_install_and_the_make_goes_on(tmp_path, machine):
    r = _run(_machine(tmp_path, **machine))
    assert r.returncode == 0 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "apt-get install chromium poppler-utils libreoffice-writer-nogui" in lines[0], r.stderr
    assert _apt_log(tmp_path) == []


def test_check_and_the_no_install_switch_never_install(tmp_path):
    bin_ = _machine(tmp_path, uid=0, apt=True, present=("chromium", "soffice"))
    check = _run(bin_, "--check")
    assert check.returncode == 0 and check.stdout.strip().startswith("pcp: install poppler-utils (apt-get install")
    told = _run(bin_, PCP_NO_SYSTEM_INSTALL="1")
    assert told.stderr == check.stdout, "the same one line, from make and for the tests that skip"
    assert _apt_log(tmp_path) == []


def test_the_tests_skip_with_the_scripts_line():
    from conftest import missing_system_deps

    want = subprocess.run([BASH, str(SCRIPT), "--check"], capture_output=True, text=True, check=True).stdout.strip()
    assert missing_system_deps() == want
    there = (all(shutil.which(t) for t in POPPLER) and (shutil.which("chromium") or shutil.which("chromium-browser"))
             and shutil.which("soffice"))
    assert (want == "") == bool(there)


# ---- make env: the nbstripout filter ---------------------------------------------------------

_WHO = {"GIT_AUTHOR_NAME": "pcp test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "pcp test",
        "GIT_COMMITTER_EMAIL": "test@example.org"}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, **_WHO}).stdout


def _with_outputs(path: Path) -> None:
    """What running a notebook in JupyterLab and saving it writes: outputs, execution counts,
    cell timings, the kernel's language_info and nbformat 4.5 with random cell ids."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.nbformat_minor = 5
    nb.metadata["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py", "mimetype": "text/x-python",
        "name": "python", "nbconvert_exporter": "python", "pygments_lexer": "ipython3", "version": "3.11.2"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"a1b2c3d4-{i:04d}"
        if cell.cell_type == "code":
            cell.execution_count = i + 1
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="RESTRICTED 62.7%\n")]
            cell.metadata["execution"] = {"iopub.execute_input": "2026-01-05T09:00:00.000000Z"}
    nbformat.write(nb, path)


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A fresh git repository holding the Makefile and one notebook as committed, and this
    environment (built once: ``.venv`` is a link to this checkout's)."""
    repo = tmp_path / "pcp"
    (repo / "notebooks").mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "requirements-lock.txt", ".gitignore", *NOTEBOOKS):
        shutil.copy(ROOT / name, repo / name)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "start")
    return repo


needs_make_and_git = pytest.mark.skipif(shutil.which("make") is None or shutil.which("git") is None,
                                        reason="needs make and git")


def _make(repo: Path, target: str) -> subprocess.CompletedProcess[str]:
    # -o: the environment is this checkout's, already built (never rebuilt from the copy)
    return subprocess.run(["make", "-o", ".venv/.installed", target], cwd=repo, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.slow  # about 10-25 s: git runs the filter (a Python start) for each notebook it reads
@needs_make_and_git
def test_make_env_installs_the_nbstripout_filter_so_a_run_notebook_leaves_git_clean(clone):
    """Every notebook, run and saved as JupyterLab does: no change in ``git diff``, and ``git add``
    stages nothing (``git status`` lists a file whose size changed until then: git compares
    sizes before it asks the filter)."""
    for nb in NOTEBOOKS:
        _with_outputs(clone / nb)
    assert _git(clone, "diff", "--stat"), "without the filter git sees the outputs (the test could fail)"
    _git(clone, "checkout", "--", "notebooks")

    assert _make(clone, "env").returncode == 0
    assert _make(clone, "env").returncode == 0  # again: idempotent
    attributes = (clone / ".git" / "info" / "attributes").read_text(encoding="utf-8")
    assert attributes.count("*.ipynb filter=nbstripout") == 1
    assert "nbstripout" in _git(clone, "config", "filter.nbstripout.clean")

    for nb in NOTEBOOKS:
        _with_outputs(clone / nb)
    assert _git(clone, "diff", "--stat") == "", "a run notebook shows no change"
    _git(clone, "add", "notebooks")
    assert _git(clone, "status", "--porcelain") == "", "and staging it stages nothing"
    assert all("RESTRICTED" not in _git(clone, "show", f":{nb}") for nb in NOTEBOOKS)
    assert "RESTRICTED" in (clone / NOTEBOOKS[0]).read_text(encoding="utf-8"), "the analyst's outputs stay on disk"
    assert _make(clone, "notebooks-stripped").returncode == 0, "and make test's check passes"


@pytest.mark.slow  # about 10-25 s: git runs the filter (a Python start) for each notebook it reads
@needs_make_and_git
def test_the_notebook_check_fails_on_outputs_git_would_commit(clone):
    """Without the filter, a notebook staged with its outputs fails the check, as does an
    untracked one (the file itself is checked)."""
    nb = clone / "notebooks" / "30_csp_spend.ipynb"
    assert _make(clone, "notebooks-stripped").returncode == 0, "the notebooks as shipped"
    _with_outputs(nb)
    assert _make(clone, "notebooks-stripped").returncode == 0, "not staged: git holds it stripped"
    _git(clone, "add", "notebooks")
    r = _make(clone, "notebooks-stripped")
    assert r.returncode != 0 and "30_csp_spend.ipynb holds outputs" in r.stdout
    _git(clone, "reset", "-q", "--hard")
    shutil.copy(nb, clone / "notebooks" / "90_new.ipynb")
    _with_outputs(clone / "notebooks" / "90_new.ipynb")
    r = _make(clone, "notebooks-stripped")
    assert r.returncode != 0 and "90_new.ipynb holds outputs" in r.stdout
