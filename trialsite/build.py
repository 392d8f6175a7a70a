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
from contextlib import ExitStack, contextmanager
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from trialsite import storage
from trialsite.plugin import TrialsitePlugin
from trialsite.problems import DataError, Problem
from trialsite.storage import LOCK_NAME
from trialsite.urls import AddressError, parse_site_url

TEMP_PREFIX = ".site-build-"
# Every build leaves this file in the site: a folder without it is not ours to replace.
MARKER = ".trialsite-site"
MARKER_TEXT = "Built by trialsite (scripts/build.py); every build replaces this whole folder.\n"

__all__ = ["LOCK_NAME", "MARKER", "TEMP_PREFIX", "build_site", "check", "swap_in", "target_problem"]
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


def swap_in(built: Path, site: Path) -> None:
    """Put the new build where the old site was; the old one is removed only after the swap. Once
    the new site is in place, failing to remove the old one is a warning, not a failed build."""
    if not site.exists():
        os.rename(built, site)
        return
    if _exchange(built, site):
        _remove_old(built)  # now holds the old site
        return
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(site, old)
    os.rename(built, site)
    _remove_old(old)


def _remove_old(old: Path) -> None:
    try:
        shutil.rmtree(old)
    except OSError as exc:
        print(f"warning: the new site is in place, but the old one in {old.name} could not be "
              f"removed ({exc.strerror}); remove it by hand", file=sys.stderr)  # fmt: skip


def _normal_modes(tree: Path) -> None:
    """World-readable, as a web server needs: folders 0755, files 0644 (a temporary folder is made
    0700, and a restrictive umask would make the files unreadable to the server)."""
    tree.chmod(0o755)
    for folder, dirs, files in os.walk(tree):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def _is_previous_build(site: Path) -> bool:
    """Our marker; or, for a site built before the marker existed, what every MkDocs build of it
    holds (no project folder does)."""
    if (site / MARKER).is_file():
        return True
    return all((site / name).is_file() for name in ("404.html", "sitemap.xml", "search/search_index.json"))


def target_problem(root: Path, site: Path, docs_dir: Path, data_dir: Path) -> str | None:
    """Why `site` may not be built into (it would replace something that is not a site), or None.
    Paths are shown relative to the project."""
    shown = os.path.relpath(site, root)
    expected = "expected a folder of its own, such as site"
    protected = {"the project": root, "docs/": docs_dir, "data/": data_dir, ".git": root / ".git"}
    for name, path in protected.items():
        path = path.resolve()
        if site == path or site in path.parents:
            return f"{shown} is or holds {name}; {expected}"
        if path in site.parents and name != "the project":
            return f"{shown} is inside {name}; {expected}"
    if site.is_symlink() or (site.exists() and not site.is_dir()):
        return f"{shown} is not a folder; expected a folder that only a build writes"
    if site.is_dir() and any(site.iterdir()) and not _is_previous_build(site):
        return (
            f"{shown} holds files that no build of this site wrote (no {MARKER}); expected an empty "
            "folder or a previous build: remove it, or choose another --site"
        )
    return None


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


@contextmanager
def _locks(folders: list[Path], held: bool) -> Iterator[None]:
    """The project's lock (commands write data/ under it) and the site folder's. Without the
    folder's, a second build's stale-folder sweep deletes the first build's temp folder mid-build,
    and MkDocs, recreating folders as it writes, publishes the few pages written after the sweep as
    the whole site. `held`: the caller (make publish) already holds them."""
    with ExitStack() as stack:
        if not held:
            for folder in sorted(set(folders)):
                stack.enter_context(storage.lock(folder, "a build"))
        yield


def _quiet_mkdocs_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_trialsite", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        handler._trialsite = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def build_site(
    root: Path, site: Path | None = None, config_file: str = "mkdocs.yml", *, locked: bool = False
) -> int:
    """Validate, build strictly, swap in. Returns the exit status; prints problems for people.
    `locked`: the caller holds the project's and the site folder's locks."""
    root = root.resolve()
    site = Path(os.path.abspath(site or root / "site"))
    try:
        config = _config(root, config_file)
        plugin = _plugin(config)
    except MkDocsException as exc:
        print(f"cannot read {config_file}: {exc}", file=sys.stderr)
        return 1
    try:
        parse_site_url(config.site_url)  # before anything is read: one line, never a page
    except AddressError as exc:
        print(f"not built: {exc}", file=sys.stderr)
        return 1
    refused = target_problem(root, site, Path(config.docs_dir), plugin.layout(config).data_dir)
    if refused:
        print(f"not built: {refused}", file=sys.stderr)
        return 1
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        with _locks([root, site.parent], locked):
            problems = plugin.problems(config)  # with the lock: no command is writing data/
            if problems:
                print(DataError(problems).report(), file=sys.stderr)
                return 1
            return _build_and_publish(config, site)
    except storage.Busy as exc:
        print(
            f"another build into {site} or a command is running ({exc}); expected one at a time: "
            f"{site.name}/ was left as it was",
            file=sys.stderr,
        )
        return 1
    except storage.WriteRefused as exc:
        print(f"not built: {exc}; {site.name}/ was left as it was", file=sys.stderr)
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
        (tmp / MARKER).write_text(MARKER_TEXT, "utf-8")
        _normal_modes(tmp)
    except (MkDocsException, DataError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"build failed; {site.name}/ was left as it was:\n{exc}", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, site)
    print(f"built {site}")
    return 0
