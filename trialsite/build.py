"""Build the site into a fresh folder and swap it in at once: site/ is always a whole site.

Validation runs first and prints every problem compiler style; MkDocs then builds with --strict
into a temporary folder beside site/, which replaces site/ in one rename only when all went well.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from trialsite.datacache import load_dataset_once as load_dataset
from trialsite.problems import DataError, Problem
from trialsite.refs import find_refs

TEMP_PREFIX = ".site-build-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def check(root: Path) -> list[Problem]:
    """Every problem in data/ and in the figure references of docs/, before anything is built."""
    try:
        data = load_dataset(root / "data", root)
    except DataError as exc:
        return exc.problems
    problems: list[Problem] = []
    for page in sorted((root / "docs").rglob("*.md")):
        rel = page.relative_to(root).as_posix()
        problems.extend(find_refs(page.read_text("utf-8"), rel, data)[1])
    return problems


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    return fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def publish(built: Path, site: Path) -> None:
    """Put the new build where the old site was; the old one is removed only after the swap."""
    if not site.exists():
        os.rename(built, site)
        return
    if _exchange(built, site):
        shutil.rmtree(built)  # now holds the old site
        return
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(site, old)
    os.rename(built, site)
    shutil.rmtree(old)


def _remove_stale(root: Path) -> None:
    """A build that was killed leaves its temporary folder; the next build clears it."""
    for stale in root.glob(TEMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def _quiet_mkdocs_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_trialsite", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        handler._trialsite = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def build_site(root: Path, site: Path | None = None, config_file: str = "mkdocs.yml") -> int:
    """Validate, build strictly, swap in. Returns the exit status; prints problems for people."""
    root = root.resolve()
    site = (site or root / "site").resolve()
    problems = check(root)
    if problems:
        print(DataError(problems).report(), file=sys.stderr)
        return 1
    _remove_stale(site.parent)
    tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=site.parent))
    try:
        _quiet_mkdocs_logging()
        config = load_config(str(root / config_file), site_dir=str(tmp), strict=True)
        mkdocs_build(config)
    except (MkDocsException, DataError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"build failed; {site.name}/ was left as it was:\n{exc}", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    publish(tmp, site)
    print(f"built {site}")
    return 0
