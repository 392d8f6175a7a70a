"""Issue 19's attacks on interrupted writes, the lock, big files and messages (items 4, 10, 12, 13,
14): each entry point recovers a killed command's write before it reads anything.

Kills are injected with strace (`-e inject=rename...:signal=KILL:when=N`): the Nth rename the command
makes is its last. The loops are kept to the renames of one correction (the fsync kills are in
tests/test_commands_safety.py), each followed by a different entry point as the recoverer.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

from trialsite import storage
from trialsite.build import check
from trialsite.commands.correct import CorrectionRefused, record
from trialsite.data.layout import DataLayout

PY = sys.executable
STRACE = shutil.which("strace") or "/usr/bin/strace"
IN_CI = os.environ.get("CI") == "true"
SOURCE_FIX = ["source", "jco-2025-wieduwilt", "volume", "43", "--reason", "r"]
SOURCE_FIX += ["--source", "jco-2025-wieduwilt", "--locator", "l"]
FILES = ("data/sources.yaml", "data/corrections.yaml", "CITATION.cff")
RENAMES = "rename,renameat,renameat2"
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # no .pyc renames among the counted ones


def _strace_ready() -> None:
    if not os.path.exists(STRACE):
        if IN_CI:
            pytest.fail("strace is missing; .ci/run installs it")
        pytest.skip("strace is not installed")


def _killed_at_rename(root: Path, n: int, args: list[str]) -> subprocess.CompletedProcess[str]:
    """scripts/correct.py ARGS, killed by SIGKILL at its Nth rename."""
    inject = f"inject={RENAMES}:signal=KILL:when={n}"
    cmd = [STRACE, "-f", "-qq", "-o", "/dev/null", "-e", f"trace={RENAMES}", "-e", inject]
    cmd += [PY, str(root / "scripts" / "correct.py"), *args]
    return subprocess.run(cmd, cwd=root, env=ENV, capture_output=True, text=True, timeout=120)


def _state(root: Path) -> tuple[bytes | None, ...]:
    return tuple((root / f).read_bytes() if (root / f).exists() else None for f in FILES)


def _ours(root: Path) -> list[str]:
    """Our temporaries and journal anywhere in the project but the venv."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob(".*")
        if ".venv" not in p.parts and storage.is_own_temporary(p)
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[bytes | None, ...], tuple]:
    """A project, its files before the correction, and after it (the correction run once, whole)."""
    root = copy_project(tmp_path_factory.mktemp("edges"))
    before = _state(root)
    done = copy_project(tmp_path_factory.mktemp("edges-done"))
    run = subprocess.run(
        [PY, "scripts/correct.py", *SOURCE_FIX], cwd=done, env=ENV, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return root, before, _state(done)


def _fresh(pristine: tuple, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(pristine[0], root, symlinks=True)
    return root


def _entry_points(root: Path, site: Path) -> dict[str, list[str]]:
    return {
        "build": [PY, "scripts/build.py", "--site", str(site)],
        "check": [PY, "-m", "trialsite.commands.check"],
        "mkdocs": [PY, "-m", "mkdocs", "build", "-q", "-d", str(site)],
    }


def _build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`scripts/build.py` in the copy, as a maintainer runs it."""
    cmd = _entry_points(root, site)["build"]
    return subprocess.run(cmd, cwd=root, env=ENV, capture_output=True, text=True)


def test_kill_at_first_rename_then_every_build_recovers(pristine: tuple, tmp_path: Path) -> None:
    """Issue 19 item 4, as reproduced: the temporary left in data/ is swept, not refused."""
    _strace_ready()
    root = _fresh(pristine, tmp_path)
    killed = _killed_at_rename(root, 1, SOURCE_FIX)
    assert killed.returncode != 0, killed.stderr
    assert any(p.startswith("data/") for p in _ours(root)), "the kill left nothing: the test misses it"
    # Seen by a check with no lock (what dataset.py reads): ours, not a stray data file.
    assert not [p for p, _ in DataLayout.of(root).unexpected() if storage.is_own_temporary(p)]
    run = _build(root, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    assert "move or delete" not in run.stderr
    assert _ours(root) == []
    assert _state(root) == pristine[1]  # killed before the commit: the old files


@pytest.mark.parametrize("entry", ["check", "mkdocs", "build"])
def test_kill_after_the_commit_point_is_finished_by_every_entry_point(
    pristine: tuple, tmp_path: Path, entry: str
) -> None:
    """Killed at the second rename (the first after the journal is in place): `make check`, a plain
    `mkdocs build` and the build each finish the journal, so the log entry is kept."""
    _strace_ready()
    root = _fresh(pristine, tmp_path)
    _killed_at_rename(root, 2, SOURCE_FIX)
    assert (root / storage.JOURNAL).exists(), "not killed after the commit point"
    cmd = _entry_points(root, tmp_path / "site")[entry]
    run = subprocess.run(cmd, cwd=root, env=ENV, capture_output=True, text=True, timeout=300)
    assert _ours(root) == [], run.stderr
    assert _state(root) == pristine[2], run.stderr
    if entry != "mkdocs":  # mkdocs prints the site's own warnings; the data is what counts here
        assert run.returncode == 0, run.stderr


def test_every_rename_of_a_correction_then_check(pristine: tuple, tmp_path: Path) -> None:
    """Killed at each rename in turn: after `make check`, all old or all new, nothing of ours left."""
    _strace_ready()
    seen = set()
    for n in range(1, 8):
        root = tmp_path / f"n{n}"
        shutil.copytree(pristine[0], root, symlinks=True)
        killed = _killed_at_rename(root, n, SOURCE_FIX)
        run = subprocess.run(
            [PY, "-m", "trialsite.commands.check"], cwd=root, env=ENV, capture_output=True, text=True
        )
        assert run.returncode == 0, (n, run.stderr)
        assert _ours(root) == [], n
        state = _state(root)
        assert state in (pristine[1], pristine[2]), n
        seen.add(state == pristine[2])
        if killed.returncode == 0:  # no Nth rename: the command ran to the end
            break
    else:
        pytest.fail("the correction made more renames than the loop tries")
    assert seen == {False, True}  # both sides of the commit point were hit


def test_two_commands_at_once_one_waits(pristine: tuple, tmp_path: Path) -> None:
    """A check while a correction holds the lock waits or refuses in one line; never a half state."""
    root = _fresh(pristine, tmp_path)
    with storage.lock(root, "a test correction"):
        run = subprocess.run(
            [PY, "-m", "trialsite.commands.check"], cwd=root, env=ENV, capture_output=True, text=True
        )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert "a test correction" in run.stderr


def test_own_temporaries_are_ignored_by_git(tmp_path: Path) -> None:
    for name in (
        "data/.sources.yaml.123.trialsite-tmp",
        "data/studies/.x.yaml.9.trialsite-tmp",
        storage.JOURNAL,
    ):
        run = subprocess.run(["git", "check-ignore", "-q", "--no-index", name], cwd=ROOT)
        assert run.returncode == 0, f"{name} is not in .gitignore"


def test_a_symlinked_lock_never_writes_its_target(pristine: tuple, tmp_path: Path) -> None:
    """Item 13: the lock opens with O_NOFOLLOW; a link in its place is refused in one line."""
    root = _fresh(pristine, tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (root / storage.LOCK_NAME).unlink(missing_ok=True)
    (root / storage.LOCK_NAME).symlink_to(victim)
    run = _build(root, tmp_path / "site")
    assert victim.read_text() == "keep me\n"
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "symbolic link" in run.stderr
    with pytest.raises(storage.WriteRefused), storage.lock(root, "test"):
        pass
    assert victim.read_text() == "keep me\n"


def test_a_report_is_corrected_only_on_its_own_source(pristine: tuple, tmp_path: Path) -> None:
    """Item 10: the registry record cannot "support" a new value of the conference abstract."""
    root = _fresh(pristine, tmp_path)
    before = _state(root)
    with pytest.raises(CorrectionRefused, match="own source"):
        record(
            root,
            "figures/patients-treated/reports/jco-2023-abstract-7006",
            "34",
            reason="r",
            source="eurekalert-1102627",
            locator="l",
            today=dt.date(2026, 12, 1),
        )
    assert _state(root) == before
    log = root / "data/corrections.yaml"
    text = log.read_text("utf-8")
    entry = (
        "\n  - id: 2026-01-01-patients-treated-report\n    date: 2026-01-01\n"
        "    corrects: figures/patients-treated/reports/jco-2023-abstract-7006\n"
        "    previous: 33\n    new: 34\n    reason: r\n    source: eurekalert-1102627\n    locator: l\n"
    )
    if "entries: []" in text:
        text = text.replace("entries: []", "entries:" + entry)
    else:
        text = text.rstrip("\n") + entry
    log.write_text(text, "utf-8")
    shown = [str(p) for p in check(root)]
    assert any(s.startswith("data/corrections.yaml:") and "own source" in s for s in shown), shown


def test_a_huge_data_file_is_refused_before_it_is_read(pristine: tuple, tmp_path: Path) -> None:
    """Item 12: a 4 GB (sparse) data file is refused by its size, at once, not read whole."""
    root = _fresh(pristine, tmp_path)
    with open(root / "data/glossary.yaml", "r+b") as f:
        f.truncate(4 * 1024**3)
    start = time.monotonic()
    run = subprocess.run(
        [
            PY,
            "-c",
            "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
            "from trialsite.commands.check import main; sys.exit(main())",
        ],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - start < 30
    assert run.returncode == 1
    assert "MemoryError" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert (
        "data/glossary.yaml:1:1: the file is 4294967296 bytes; expected at most 1000000 bytes" in run.stderr
    )


def test_check_from_docs_works(pristine: tuple, tmp_path: Path) -> None:
    """Item 14: `python -m trialsite.commands.check` from docs/ checks the project above it."""
    root = _fresh(pristine, tmp_path)
    run = subprocess.run(
        [PY, "-m", "trialsite.commands.check"], cwd=root / "docs", env=ENV, capture_output=True, text=True
    )
    assert "Traceback" not in run.stderr
    assert run.returncode == 0, run.stderr
    elsewhere = subprocess.run(
        [PY, "-m", "trialsite.commands.check"], cwd=tmp_path, env=ENV, capture_output=True, text=True
    )
    assert elsewhere.returncode == 1
    assert len(elsewhere.stderr.strip().splitlines()) == 1 and "Traceback" not in elsewhere.stderr


def test_cache_as_a_plain_file_is_named_relative(pristine: tuple, tmp_path: Path) -> None:
    """Item 14: `.cache` as a file: the message names it relative to the project."""
    root = _fresh(pristine, tmp_path)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    (root / ".cache").write_text("not a folder\n")
    run = _build(root, tmp_path / "site")
    assert run.returncode == 1
    assert (root / ".cache").read_text() == "not a folder\n"
    assert "Traceback" not in run.stderr
    assert str(root) not in run.stderr and str(tmp_path) not in run.stderr.replace(str(tmp_path / "site"), "")
    assert ".cache" in run.stderr


def test_a_correction_refused_in_staging_points_at_the_option(pristine: tuple, tmp_path: Path) -> None:
    """Item 14: the new log entry exists only in the scratch copy; its problem names the option,
    never a line of corrections.yaml that the real file does not have."""
    root = _fresh(pristine, tmp_path)
    before = _state(root)
    lines = len((root / "data/corrections.yaml").read_text("utf-8").splitlines())
    with pytest.raises(CorrectionRefused) as refused:
        record(root, "figures/remission", "95", reason="r", source="no-such-source", locator="l")
    message = str(refused.value)
    assert message.startswith("--source: unknown source 'no-such-source'"), message
    assert "corrections.yaml:" not in message, f"points into a scratch copy of {lines} lines"
    assert _state(root) == before
