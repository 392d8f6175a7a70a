"""Shared fixtures: one site built per test session into a temporary folder, served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import FLAGS as CHROMIUM_ARGS
from chromium import PATH as CHROMIUM

from trialsite.build import build_site

ROOT = Path(__file__).resolve().parent.parent


def start_material(page) -> None:
    """What a reader's first pointer move does: Material's bundle, its search worker and index load
    (docs/assets/material-start.js). Tests that check what a page requests or shows call this."""
    page.mouse.move(5, 5)
    page.wait_for_function("document.documentElement.classList.contains('js')")
    page.wait_for_load_state("networkidle")


def copy_project(dest: Path) -> Path:
    """A copy of the project's inputs (not site/ or the venv), for tests that change data."""
    # scripts/ is copied, not linked: scripts/build.py builds the folder it stands in.
    for name in ("data", "docs", "mkdocs.yml", "overrides", "scripts"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    # The hook is loaded by path from mkdocs.yml; link the package so the copy builds the same way.
    (dest / "trialsite").symlink_to(ROOT / "trialsite")
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    assert build_site(ROOT, out) == 0
    return out


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built for a public address (SITE_URL=citehelpers.PUBLIC_URL), as `make deploy` does."""
    from citehelpers import site_url_env

    out = tmp_path_factory.mktemp("public") / "site"
    with site_url_env():
        assert build_site(ROOT, out) == 0
    return out


@pytest.fixture(scope="session")
def versioned(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Two published versions with a correction between, deployed to a local bare remote and
    exported (tests/versioned.py)."""
    from versioned import make_versioned

    return make_versioned(tmp_path_factory.mktemp("versioned"))


@pytest.fixture(scope="session")
def previous_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built site for failing builds to aim at: it must come out byte for byte the same."""
    out = tmp_path_factory.mktemp("previous") / "site"
    shutil.copytree(built_site, out, symlinks=True)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright. Missing: a skip locally, a failure under CI=true."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        yield b
        b.close()


@pytest.fixture(scope="session")
def changed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A copied project with one figure value corrected and hostile text, built once: (site, value)."""
    from citehelpers import CORRECTED_FIGURE, make_changed_project, site_dataset

    project = copy_project(tmp_path_factory.mktemp("changed"))
    new_value = int(site_dataset().figure(CORRECTED_FIGURE).value) + 1  # type: ignore[arg-type]
    make_changed_project(project, new_value)
    out = project / "site"
    assert build_site(project, out) == 0
    return out, new_value
