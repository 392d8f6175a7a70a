"""Publishing is atomic under faults: `scripts/build.py` is SIGKILLed at several points and the site
folder is always either the complete old site or the complete new one; the next build succeeds and
clears what the killed build left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_project
from corrections_helpers import resnapshot
from sitetree import leftover_temp_folders, tree_hash

from trialsite.build import LOCK_NAME, TEMP_PREFIX, build_site
from trialsite.data.dataset import load_dataset

STUDY = "data/studies/a041703-cohort-1.yaml"
POLL_LIMIT_S = 120  # a safety net against a hung build, not an assertion about speed


@dataclass(frozen=True)
class Sites:
    new_project: Path
    old_site: Path
    old_hash: str
    new_hash: str


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    base = tmp_path_factory.mktemp("atomic")
    old_project = copy_project(base / "old")
    new_project = copy_project(base / "new")
    data = load_dataset(old_project / "data", old_project)
    figure = next(f for f in data.figures_by_id.values() if f.headline and f.basis == "estimate")
    study = new_project / STUDY
    lines = study.read_text("utf-8").splitlines()
    start = lines.index(f"  - id: {figure.id}")
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("    value: "))
    lines[at] = f"    value: {figure.value - 1}"  # type: ignore[operator]
    study.write_text("\n".join(lines) + "\n", "utf-8")
    resnapshot(new_project)  # a changed copy on purpose, not a correction
    assert build_site(old_project, base / "ref-old" / "site") == 0
    assert build_site(new_project, base / "ref-new" / "site") == 0
    old_hash, new_hash = tree_hash(base / "ref-old" / "site"), tree_hash(base / "ref-new" / "site")
    assert old_hash != new_hash
    return Sites(new_project, base / "ref-old" / "site", old_hash, new_hash)


def _temp_dirs(parent: Path) -> list[Path]:
    return list(parent.glob(TEMP_PREFIX + "*"))


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool]) -> bool:
    """SIGKILL the build as soon as `ready()` holds; False if it finished first."""
    deadline = time.monotonic() + POLL_LIMIT_S
    while time.monotonic() < deadline:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.0005)
    proc.kill()
    proc.wait()
    raise AssertionError("the build neither finished nor reached the kill point")


def _start(project: Path, site: Path, patch: str = "") -> subprocess.Popen[bytes]:
    if not patch:
        args = [sys.executable, "scripts/build.py", "--site", str(site)]
    else:
        code = f"{patch}\nimport runpy, sys\nsys.argv = ['build.py', '--site', {str(site)!r}]\n"
        code += "runpy.run_path('scripts/build.py', run_name='__main__')\n"
        args = [sys.executable, "-c", code]
    return subprocess.Popen(args, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _fresh_target(tmp_path: Path, sites: Sites) -> Path:
    site = tmp_path / "out" / "site"
    shutil.copytree(sites.old_site, site, symlinks=True)
    return site


def _assert_whole_then_recovers(site: Path, sites: Sites) -> str:
    state = tree_hash(site)
    assert state in (sites.old_hash, sites.new_hash), "site/ is neither the old nor the new site"
    assert build_site(sites.new_project, site) == 0
    assert tree_hash(site) == sites.new_hash
    assert leftover_temp_folders(site.parent) == []
    return "old" if state == sites.old_hash else "new"


def _has(path_in_temp: str) -> Callable[[Path], Callable[[], bool]]:
    def make(parent: Path) -> Callable[[], bool]:
        return lambda: any((d / path_in_temp).exists() for d in _temp_dirs(parent))

    return make


# MkDocs writes, in order: theme assets, the static templates (404, sitemap), the pages, and last
# the search index (on_post_build); then build_site swaps. Each point is seen in the temp folder.
KILL_POINTS = {
    "temp folder created": (lambda parent: lambda: bool(_temp_dirs(parent)), {"old"}),
    "theme assets copied": (_has("assets"), {"old"}),
    "sitemap written": (_has("sitemap.xml.gz"), {"old"}),
    "results page written": (_has("results/index.html"), {"old"}),
    # The last file before the swap: the kill may land just before or just after it.
    "search index written": (_has("search/search_index.json"), {"old", "new"}),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_during_the_build_leaves_a_whole_site(point: str, tmp_path: Path, sites: Sites) -> None:
    site = _fresh_target(tmp_path, sites)
    proc = _start(sites.new_project, site)
    ready, allowed = KILL_POINTS[point]
    killed = _kill_when(proc, ready(site.parent))
    assert killed, f"the build finished before '{point}'"
    assert _assert_whole_then_recovers(site, sites) in allowed


SWAP_PATCH = """
import os, signal
import trialsite.build as b
_real = b._exchange
def _exchange(a, c):
    if {when!r} == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    done = _real(a, c)
    if {when!r} == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return done
b._exchange = _exchange
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the atomic exchange is Linux renameat2")
@pytest.mark.parametrize(("when", "expected"), [("before", "old"), ("after", "new")])
def test_kill_right_around_the_swap(when: str, expected: str, tmp_path: Path, sites: Sites) -> None:
    site = _fresh_target(tmp_path, sites)
    proc = _start(sites.new_project, site, SWAP_PATCH.format(when=when))
    assert proc.wait() == -signal.SIGKILL
    # Killed before the old site (now in the temp folder) was removed: it is still there.
    assert _temp_dirs(site.parent)
    assert _assert_whole_then_recovers(site, sites) == expected


@pytest.mark.parametrize("delay_ms", [400, 1600])
def test_kill_after_a_delay_never_leaves_half_a_site(delay_ms: int, tmp_path: Path, sites: Sites) -> None:
    """Wherever the kill lands (the build's speed varies), the site is whole."""
    site = _fresh_target(tmp_path, sites)
    proc = _start(sites.new_project, site)
    try:
        proc.wait(timeout=delay_ms / 1000)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    _assert_whole_then_recovers(site, sites)


def test_stale_temp_folders_are_cleared_and_a_missing_site_is_created(tmp_path: Path, sites: Sites) -> None:
    parent = tmp_path / "out"
    stale = parent / f"{TEMP_PREFIX}stale"
    (stale / "half").mkdir(parents=True)
    (stale / "half" / "index.html").write_text("<p>half a site</p>")
    site = parent / "site"
    assert not site.exists()
    assert build_site(sites.new_project, site) == 0
    assert tree_hash(site) == sites.new_hash
    assert leftover_temp_folders(parent) == []
    assert sorted(os.listdir(parent)) == sorted(["site", LOCK_NAME])


GATE_PATCH = """
import pathlib, time
import mkdocs.commands.build as mb
_real = mb._build_page
def _gated(page, *args, **kwargs):
    # Pause before the Sources page (Home and Results are written) until the test opens the gate.
    if page.file.src_uri == "sources.md":
        pathlib.Path({ready!r}).touch()
        while not pathlib.Path({gate!r}).exists():
            time.sleep(0.01)
    return _real(page, *args, **kwargs)
mb._build_page = _gated
"""


def test_a_second_build_is_refused_while_the_first_runs(
    tmp_path: Path, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two builds into one folder. Before the lock, the second one's stale-folder sweep emptied the
    first one's temp folder mid-build and the first then published the few pages written after it."""
    site = _fresh_target(tmp_path, sites)
    ready, gate = tmp_path / "ready", tmp_path / "gate"
    proc = _start(sites.new_project, site, GATE_PATCH.format(ready=str(ready), gate=str(gate)))
    try:
        assert _wait_until(proc, ready.exists), "the first build ended before its pause"
        assert build_site(sites.new_project, site) == 1
        assert "another build into" in capsys.readouterr().err
        assert _temp_dirs(site.parent), "the running build's folder was deleted"
        assert tree_hash(site) == sites.old_hash
    finally:
        gate.touch()
    assert proc.wait(timeout=POLL_LIMIT_S) == 0
    assert tree_hash(site) == sites.new_hash
    assert leftover_temp_folders(site.parent) == []


def test_a_held_lock_refuses_the_build_and_touches_nothing(tmp_path: Path, sites: Sites) -> None:
    import fcntl

    site = _fresh_target(tmp_path, sites)
    running = site.parent / f"{TEMP_PREFIX}running"
    running.mkdir()
    with open(site.parent / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert build_site(sites.new_project, site) == 1
    assert running.exists()
    assert tree_hash(site) == sites.old_hash
    # Once the lock is free, the folder is stale and the next build clears it.
    assert build_site(sites.new_project, site) == 0
    assert not running.exists()


def _wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool]) -> bool:
    """Wait until `ready()` holds while the build runs; False if it finished first."""
    deadline = time.monotonic() + POLL_LIMIT_S
    while time.monotonic() < deadline:
        if ready():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.0005)
    raise AssertionError("the build neither finished nor reached the point")


FALLBACK_PATCH = """
import os, signal
import trialsite.build as b
b._exchange = lambda a, c: False  # as on a system without renameat2
_real_rename, _calls = os.rename, []
def _rename(src, dst):
    _calls.append(src)
    if len(_calls) == 2 and {when!r} == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    _real_rename(src, dst)
    if len(_calls) == 2 and {when!r} == "after":
        os.kill(os.getpid(), signal.SIGKILL)
os.rename = _rename
"""


@pytest.mark.parametrize(("when", "expected"), [("before", "old"), ("after", "new")])
def test_the_two_rename_fallback_is_recovered_by_the_next_build(
    when: str, expected: str, tmp_path: Path, sites: Sites
) -> None:
    """Without renameat2 the swap is site -> site.old, then new -> site. Killed between the two,
    site/ is briefly missing (a gap of the fallback only); the next build puts the old one back
    before anything else, then publishes."""
    site = _fresh_target(tmp_path, sites)
    old = site.with_name("site.old")
    proc = _start(sites.new_project, site, FALLBACK_PATCH.format(when=when))
    assert proc.wait() == -signal.SIGKILL
    if expected == "old":
        assert not site.exists()
        assert tree_hash(old) == sites.old_hash
        from trialsite.build import _recover_fallback_swap

        _recover_fallback_swap(site)
        assert tree_hash(site) == sites.old_hash
    else:
        assert tree_hash(site) == sites.new_hash
        assert old.exists()
    assert build_site(sites.new_project, site) == 0
    assert tree_hash(site) == sites.new_hash
    assert not old.exists()
    assert leftover_temp_folders(site.parent) == []
