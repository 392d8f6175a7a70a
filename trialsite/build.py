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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from trialsite.datacache import load_dataset_once as load_dataset
from trialsite.problems import DataError, Problem
from trialsite.refs import find_refs

TEMP_PREFIX = ".site-build-"
LOCK_NAME = ".site-build.lock"  # beside site/; not matched by TEMP_PREFIX + "*"
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
        try:
            text = page.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raw = page.read_bytes()
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            problems.append(
                Problem(
                    rel, line, col, f"byte 0x{raw[exc.start]:02x} is not UTF-8; expected a UTF-8 text file"
                )
            )
            continue
        problems.extend(find_refs(text, rel, data)[1])
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


def _recover_fallback_swap(site: Path) -> None:
    """The non-Linux swap is two renames: a build killed between them leaves site.old and no site/.
    Put the old site back (or drop site.old once the new site is in place)."""
    old = site.with_name(site.name + ".old")
    if not old.exists():
        return
    if site.exists():
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(old, site)


def _remove_stale(root: Path) -> None:
    """A build that was killed leaves its temporary folder; the next build clears it."""
    for stale in root.glob(TEMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


class BuildBusy(Exception):
    """Another build into the same folder holds the lock."""


@contextmanager
def _build_lock(parent: Path) -> Iterator[None]:
    """One build at a time per site folder. Without it a second build's stale-folder sweep deletes
    the first build's temp folder mid-build, and MkDocs, recreating folders as it writes, then
    publishes the few pages written after the sweep as the whole site. The kernel drops the lock
    of a killed build, so a SIGKILL never leaves it held."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield
        return
    with open(parent / LOCK_NAME, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusy from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(site.parent):
            return _build_and_publish(root, site, config_file)
    except BuildBusy:
        print(
            f"another build into {site} is running; expected one build at a time: "
            f"{site.name}/ was left as it was",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(f"cannot build beside {site}: {exc}; {site.name}/ was left as it was", file=sys.stderr)
        return 1


def _build_and_publish(root: Path, site: Path, config_file: str) -> int:
    """With the lock held: any temp folder beside site/ belongs to a killed build."""
    _recover_fallback_swap(site)
    _remove_stale(site.parent)
    # The temp folder goes beside site/ (same file system, so the swap is one rename).
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
