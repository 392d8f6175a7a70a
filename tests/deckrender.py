"""A deck as it is shown: LibreOffice Impress renders it to PDF, poppler reads the PDF back.

`render(pptx, out)` converts with `soffice --headless --convert-to pdf` (its own profile folder, so
two runs at once, or a user's open LibreOffice, do not share one) and `blocks(pdf)` gives, page by
page, the text blocks poppler finds (`pdftotext -bbox-layout`) with their boxes in points.
Missing tools: a skip locally, a failure under CI=true (CI installs libreoffice-impress and
poppler-utils).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

XHTML = "{http://www.w3.org/1999/xhtml}"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (Debian: libreoffice-impress, poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def render(pptx: Path, out: Path) -> Path:
    """The deck as LibreOffice Impress prints it: out/<stem>.pdf."""
    soffice = need("soffice")
    out.mkdir(parents=True, exist_ok=True)
    profile = (out / "lo-profile").resolve().as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = out / f"{pptx.stem}.pdf"
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {pptx}"
    return pdf


@dataclass(frozen=True)
class Block:
    x0: float
    y0: float
    x1: float
    y1: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    def overlaps(self, other: Block, slack: float = 0.5) -> bool:
        return (
            self.x0 < other.x1 - slack
            and other.x0 < self.x1 - slack
            and self.y0 < other.y1 - slack
            and other.y0 < self.y1 - slack
        )


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.blocks)


def pages(pdf: Path) -> list[Page]:
    """Each page's size and text blocks (points, origin top left), as poppler lays them out."""
    tool = need("pdftotext")
    xhtml = subprocess.run(
        [tool, "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, timeout=120
    ).stdout
    root = ET.fromstring(xhtml)
    out = []
    for page in root.iter(f"{XHTML}page"):
        blocks = []
        for block in page.iter(f"{XHTML}block"):
            lines = tuple(
                " ".join(w.text or "" for w in line.iter(f"{XHTML}word"))
                for line in block.iter(f"{XHTML}line")
            )
            box = [float(block.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")]
            blocks.append(Block(*box, lines=lines))
        out.append(Page(float(page.get("width", "0")), float(page.get("height", "0")), tuple(blocks)))
    return out


def pngs(pdf: Path, out: Path, dpi: int = 60) -> list[Path]:
    """Each slide as a PNG (pdftoppm), for looking at."""
    tool = need("pdftoppm")
    subprocess.run([tool, "-png", "-r", str(dpi), str(pdf), str(out / "slide")], check=True, timeout=120)
    return sorted(out.glob("slide*.png"))
