"""Lighthouse audit of every page of the built site: `python scripts/audit.py` (or `make audit`).

Installs the npm `lighthouse` package (13.x) into .cache/lighthouse when missing, serves site/ on
127.0.0.1 with a small server of its own, runs Lighthouse's mobile preset on every page in Debian's
Chromium, and writes the four category scores and each page's weight to reports/lighthouse.json and
reports/lighthouse.md; the same table replaces the README section between the audit markers.

The server compresses text with gzip (when the browser asks) and sends cache headers: hashed
Material assets are immutable for a year, everything else must be revalidated. A real host should do
the same; Lighthouse's timings depend on it. Pages are found from the built files, so new pages are
audited without editing this script.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
# The test tools (Chromium's flags, the list of built pages) live in tests/ since the pipeline
# redesign; the audit shares them, so it checks the pages and browser the tests check.
sys.path.insert(0, str(ROOT / "tests"))

from chromium import FLAGS as CHROMIUM_FLAGS  # noqa: E402 - after the path is set
from chromium import PATH as CHROMIUM  # noqa: E402
from sitepages import site_pages  # noqa: E402

LIGHTHOUSE_VERSION = "13"
CACHE = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE = CACHE / "node_modules" / ".bin" / "lighthouse"
CHROME = str(CHROMIUM)
CHROME_FLAGS = ["--headless=new", *CHROMIUM_FLAGS]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}
PERFORMANCE_FLOOR = 95
README_START = "<!-- lighthouse:start -->"
README_END = "<!-- lighthouse:end -->"
_COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")
_HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(css|js)$")


class AuditHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text and cache headers, as a production host would serve them."""

    _gzipped: ClassVar[dict[tuple[str, float], bytes]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        if _HASHED.search(path):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects to the trailing slash
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in _COMPRESSIBLE):
            return super().send_head()
        key = (str(path), path.stat().st_mtime)
        body = self._gzipped.get(key)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
            self._gzipped[key] = body
        self.send_response(200)
        ctype = self.guess_type(str(path))
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(AuditHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(CACHE),
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return LIGHTHOUSE


def run_lighthouse(url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=CHROME)
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        ],
        check=True,
        env=env,
    )
    return json.loads(out.read_text("utf-8"))


def summarize(report: dict) -> dict:
    """Scores (0-100), page weight, and every scored audit that lost points."""
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    requests = report["audits"]["network-requests"]["details"]["items"]
    lost = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lost.append(
                    f"{cat}: {ref['id']} {audit['score']:.2f} {audit.get('displayValue', '')}".strip()
                )
    return {
        "scores": scores,
        "bytes_uncompressed": sum(int(r.get("resourceSize") or 0) for r in requests),
        "bytes_transferred": sum(int(r.get("transferSize") or 0) for r in requests),
        "requests": len(requests),
        "metrics": {
            m: report["audits"][m]["displayValue"]
            for m in (
                "first-contentful-paint",
                "largest-contentful-paint",
                "total-blocking-time",
                "cumulative-layout-shift",
                "speed-index",
            )
        },
        "lost": lost,
    }


def audit_page(url: str, runs: int, tmp: Path) -> dict:
    """Median run by performance score: Lighthouse's own advice against one noisy run."""
    results = [summarize(run_lighthouse(url, tmp / f"run{i}.json")) for i in range(runs)]
    results.sort(key=lambda r: r["scores"]["performance"])
    chosen = results[len(results) // 2]
    chosen["performance_runs"] = [r["scores"]["performance"] for r in results]
    return chosen


def markdown_table(results: dict[str, dict], lighthouse_version: str) -> str:
    lines = [
        f"Lighthouse {lighthouse_version}, mobile preset, Debian Chromium; site served on 127.0.0.1 with "
        "gzip. Weight: bytes of every response body uncompressed (as transferred with gzip) while "
        "Lighthouse loads the page, which does not interact: Material's bundle and the search index "
        "come on the first interaction, and tests/test_page_weight.py counts them.",
        "",
        "| Page | Performance | Accessibility | Best practices | SEO | Weight KB (gzip KB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for path, r in results.items():
        s = r["scores"]
        lines.append(
            f"| /{path} | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} | "
            f"{r['bytes_uncompressed'] / 1024:.1f} ({r['bytes_transferred'] / 1024:.1f}) |"
        )
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, table: str) -> None:
    text = readme.read_text("utf-8")
    block = f"{README_START}\n{table}{README_END}"
    if README_START in text and README_END in text:
        before = text.split(README_START, 1)[0]
        after = text.split(README_END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n## Latest Lighthouse audit\n\n" + block + "\n"
    readme.write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--reports", type=Path, default=ROOT / "reports")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is kept")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the README table")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        print(f"{args.site} has no built site: run `make site` first", file=sys.stderr)
        return 1
    ensure_lighthouse()
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    pages = site_pages(args.site)
    results: dict[str, dict] = {}
    with serve(args.site) as base, tempfile.TemporaryDirectory() as tmp:
        for path in pages:
            r = audit_page(base + path, args.runs, Path(tmp))
            results[path] = r
            s = r["scores"]
            print(
                f"/{path}: performance {s['performance']} {r['performance_runs']}, accessibility "
                f"{s['accessibility']}, best practices {s['best-practices']}, SEO {s['seo']}; "
                f"weight {r['bytes_uncompressed'] / 1024:.1f} KB "
                f"({r['bytes_transferred'] / 1024:.1f} KB gzip), "
                f"{r['requests']} requests",
                flush=True,
            )
            for item in r["lost"]:
                print(f"    lost points: {item}")
    args.reports.mkdir(parents=True, exist_ok=True)
    (args.reports / "lighthouse.json").write_text(
        json.dumps({"lighthouse": version, "pages": results}, indent=2) + "\n", "utf-8"
    )
    table = markdown_table(results, version)
    (args.reports / "lighthouse.md").write_text(table, "utf-8")
    if not args.no_readme:
        update_readme(ROOT / "README.md", table)
    print(table)
    short = [
        f"/{p}: {c} {r['scores'][c]}"
        for p, r in results.items()
        for c in CATEGORIES
        if r["scores"][c] < (PERFORMANCE_FLOOR if c == "performance" else TARGETS[c])
    ]
    if short:
        print("below target:\n  " + "\n  ".join(short), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
