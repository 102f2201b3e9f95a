"""The pack writes each audience's paper.docx (``pcp_lib.pack.paper``): only when it holds the
dashboard's page, from the findings the pages' own runs computed, and takes the previous
paper as it is when the audience's front page was reused."""

from __future__ import annotations

from pathlib import Path

from pcp_lib.core.fingerprint import sha256
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.navigation import Link
from pcp_lib.pack.paper import write_papers
from pcp_lib.paper.word import docx_text

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
Q = Quarter.parse("2025-26 Q3")
PAGES = [Link("00_pcp_dashboard.html", "Dashboard"), Link("10_contact_demand.html", "Contact"),
         Link("20_dtoa_dropoffs.html", "DToA"), Link("30_csp_spend.html", "CSP")]


def _records(text: str) -> list[dict]:
    return [{"text": text, "section": "The quarter", "basis": "published", "period": "Q3 2025/26", "as_at": None,
             "synthetic": False}]


GIVEN = {"public": {"10_contact_demand.html": _records("Contact as its page's run found it."),
                    "20_dtoa_dropoffs.html": _records("DToA as its page's run found it."),
                    "30_csp_spend.html": _records("CSP as its page's run found it.")}}


def test_no_dashboard_page_no_paper(tmp_path):
    assert write_papers(Q, ["public"], tmp_path, DATA, PAGES[1:], GIVEN) == []
    assert not list(tmp_path.rglob("*.docx"))


def test_the_paper_gives_the_pages_own_findings(tmp_path):
    [written] = write_papers(Q, ["public"], tmp_path, DATA, PAGES, GIVEN)
    assert written == tmp_path / "public" / "paper.docx"
    text = docx_text(written.read_bytes())
    for subject in ("Contact", "DToA", "CSP"):
        assert f"{subject} as its page's run found it. (Source: published; Q3 2025/26.)" in text


def test_a_reused_front_page_keeps_the_previous_paper(tmp_path):
    old = tmp_path / "pack"
    (old / "public").mkdir(parents=True)
    (old / "public" / "paper.docx").write_bytes(b"the previous paper")
    previous = {"outputs": {"public/paper.docx": sha256(old / "public" / "paper.docx")}}
    work = tmp_path / "work"
    write_papers(Q, ["public"], work, DATA, PAGES, GIVEN, {"public"}, old, previous)
    assert (work / "public" / "paper.docx").read_bytes() == b"the previous paper"
    # not as the previous run wrote it (or its front page rendered again): built afresh
    previous["outputs"]["public/paper.docx"] = "0" * 64
    write_papers(Q, ["public"], work, DATA, PAGES, GIVEN, {"public"}, old, previous)
    assert (work / "public" / "paper.docx").read_bytes().startswith(b"PK")


def test_without_every_subjects_page_the_paper_is_built_again(tmp_path):
    """A pack without the contact page: its front page does not read the contact data the paper
    does, so a reused front page says nothing about the paper's inputs."""
    old = tmp_path / "pack"
    (old / "public").mkdir(parents=True)
    (old / "public" / "paper.docx").write_bytes(b"the previous paper")
    previous = {"outputs": {"public/paper.docx": sha256(old / "public" / "paper.docx")}}
    work = tmp_path / "work"
    pages = [p for p in PAGES if p.href != "10_contact_demand.html"]
    write_papers(Q, ["public"], work, DATA, pages, GIVEN, {"public"}, old, previous)
    assert (work / "public" / "paper.docx").read_bytes().startswith(b"PK")
