"""Build the site into a fresh folder and swap it in at once: site/ is always a whole site.

The build reads as a straight line: load MkDocs' configuration, ask the plugin for every problem in
data/ and docs/ (printed compiler style), then build with --strict into a temporary folder beside
site/, which replaces site/ in one rename only when all went well.
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
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from trialsite.plugin import TrialsitePlugin
from trialsite.problems import DataError, Problem

TEMP_PREFIX = ".site-build-"
LOCK_NAME = ".site-build.lock"  # beside site/; not matched by TEMP_PREFIX + "*"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _config(root: Path, config_file: str = "mkdocs.yml") -> MkDocsConfig:
    _quiet_mkdocs_logging()
    return load_config(str(root / config_file), strict=True)


def _plugin(config: MkDocsConfig) -> TrialsitePlugin:
    plugin = config.plugins.get("trialsite")
    if not isinstance(plugin, TrialsitePlugin):
        raise MkDocsException("mkdocs.yml must list the trialsite plugin under plugins:")
    return plugin


def check(root: Path, config_file: str = "mkdocs.yml") -> list[Problem]:
    """Every problem in data/ and in the figure references of docs/, before anything is built."""
    config = _config(root.resolve(), config_file)
    return _plugin(config).problems(config)


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
    try:
        config = _config(root, config_file)
        problems = _plugin(config).problems(config)
    except MkDocsException as exc:
        print(f"cannot read {config_file}: {exc}", file=sys.stderr)
        return 1
    if problems:
        print(DataError(problems).report(), file=sys.stderr)
        return 1
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(site.parent):
            return _build_and_publish(config, site)
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


def _build_and_publish(config: MkDocsConfig, site: Path) -> int:
    """With the lock held: any temp folder beside site/ belongs to a killed build."""
    _recover_fallback_swap(site)
    _remove_stale(site.parent)
    # The temp folder goes beside site/ (same file system, so the swap is one rename).
    tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=site.parent))
    try:
        config["site_dir"] = str(tmp)
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
