#!/usr/bin/env bash
# What pcp needs from the system besides Python: Debian's Chromium prints the PDF pack and
# drives the browser tests (self-contained HTML, axe-core, screenshots); poppler-utils
# (pdftotext, pdfinfo, pdfimages) reads the PDF back, for the contents' page numbers and in the
# tests; LibreOffice Writer (libreoffice-writer-nogui, its soffice) converts the Word paper
# (paper.docx) to PDF in the test that reads its pages. (Playwright cannot download its own
# browser here, so Debian's is used.)
#
#   scripts/system-deps.sh          install what is missing when it can (as root, with apt-get);
#                                   otherwise say in one line what to install
#   scripts/system-deps.sh --check  only say that line (nothing when all is there); install nothing
#
# Run by `make test` and `make report` (and so by `.ci/run`). It never fails: without Chromium
# the pack is written as HTML without its PDF, and the tests that need a browser or poppler
# skip, giving the same line (tests/conftest.py reads it with --check); without LibreOffice only
# the Word paper's PDF test skips.
# PCP_NO_SYSTEM_INSTALL=1 says the line instead of installing, even as root.
set -euo pipefail

writer() {  # LibreOffice with its Writer (soffice alone, without Writer, cannot read a .docx)
  local soffice
  soffice=$(command -v soffice 2>/dev/null) || return 1
  if [ -L "$soffice" ] && command -v readlink >/dev/null 2>&1; then soffice=$(readlink -f "$soffice"); fi
  [ -e "${soffice%/*}/libswlo.so" ]
}

missing() {
  local out=()
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || out+=(chromium)
  { command -v pdftotext && command -v pdfinfo && command -v pdfimages; } >/dev/null 2>&1 || out+=(poppler-utils)
  writer || out+=(libreoffice-writer-nogui)
  echo "${out[*]:-}"
}

say() {  # the one line: what is missing and how to install it
  echo "pcp: install $1 (apt-get install $1): without them no PDF pack is written and the browser and PDF tests skip (LibreOffice: the Word paper's PDF test)"
}

need=$(missing)
[ -z "$need" ] && exit 0
if [ "${1:-}" = "--check" ]; then
  say "$need"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && [ -z "${PCP_NO_SYSTEM_INSTALL:-}" ]; then
  echo "pcp: installing $need (apt-get)" >&2
  # shellcheck disable=SC2086  # one word per package
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null; then
    need=$(missing)
    [ -z "$need" ] && exit 0
  fi
fi
say "$need" >&2
