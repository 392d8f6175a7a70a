"""Debian's Chromium as our tools start it: the browser tests (Playwright) and the Lighthouse audit.

One list for both, so the audit measures the browser the tests check. The flags: no sandbox (CI runs
as root), no GPU (there is no display), and none of Chromium's own calls home.
"""

from __future__ import annotations

from pathlib import Path

PATH = Path("/usr/bin/chromium")
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
