"""The maintainer's commands are as safe as the build: attacked with SIGKILL and Ctrl-C at every write
and at random moments, run twice at once, on a full disk, on read-only files, aimed at the wrong
folder, and fed links, FIFOs, stray files and files saved by other editors.

Each SIGKILL test checks two things: right after the kill, every file is whole (its old bytes or its
new bytes, never empty or cut); and once the next command has taken the lock (which finishes or
sweeps what the killed one left), the files changed together: all old or all new.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from corrections_helpers import as_published
from sitetree import tree_hash

from trialsite import storage
from trialsite.build import MARKER, build_site, swap_in
from trialsite.data.layout import DataLayout

STUDY = "data/studies/a041703-cohort-1.yaml"
LOG = "data/corrections.yaml"
CORRECTION = ("figure", "remission", "94", "--reason", "Test: transcribed wrongly.")
CORRECTION += ("--source", "eurekalert-1102627", "--locator", 'section "What the Study Found"')
SOURCE_CORRECTION = ("source", "jco-2025-wieduwilt", "doi", "10.1200/JCO.99.99999")
SOURCE_CORRECTION += CORRECTION[3:]
CORRECTION_FILES = (STUDY, LOG)
SOURCE_FILES = ("data/sources.yaml", LOG, "CITATION.cff")
PUBLISH_FILES = ("data/site.yaml", "data/published.yaml", "CITATION.cff")
RANDOM_KILLS = 25
PUBLISH_RANDOM_KILLS = 12  # a publish runs two builds (about 14 s): one kill in each 1.1 s of it
IN_CI = os.environ.get("CI") == "true"

# Runs a command with a trap: the Nth os.replace (or os.fsync) of the project's storage layer (made
# through trialsite/storage.py, which every write of ours goes through) kills the process with
# SIGKILL (or SIGINT) just before it happens, so every write step is a kill point.
# Writes of libraries (Jinja's bytecode cache) are not counted. Each write's site is printed for
# _kill_points: the command's own frames (trialsite/commands/) and the storage call it reached;
# the frames between (a build, the plugin, the kit's drawing cache) are one step of the command.
TRAP = textwrap.dedent(
    """
    import json, os, runpy, signal, sys, traceback
    what, n, sig, script = sys.argv[1], int(sys.argv[2]), getattr(signal, sys.argv[3]), sys.argv[4]
    calls = {"replace": [], "fsync": []}
    def site():
        frames = [f"{f.filename}:{f.lineno}" for f in traceback.extract_stack()[:-2]]
        mine = [f for f in frames if "/trialsite/storage.py:" in f]
        if not mine:
            return None
        command = [f for f in frames if "/trialsite/commands/" in f]
        return "<".join(f.rsplit("/", 1)[-1] for f in command + ["..."] + mine)
    def trap(name):
        real = getattr(os, name)
        def trapped(*args, **kwargs):
            where = site()
            if where is not None:
                calls[name].append(where)
                if name == what and len(calls[name]) == n:
                    os.kill(os.getpid(), sig)
            return real(*args, **kwargs)
        setattr(os, name, trapped)
    for name in calls:
        trap(name)
    sys.argv = [script, *sys.argv[5:]]
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        print(f"CALLS {json.dumps(calls)}", file=sys.stderr)
    """
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def _state(root: Path, files: tuple[str, ...]) -> dict[str, bytes | None]:
    return {f: (root / f).read_bytes() if (root / f).exists() else None for f in files}


def _recover(root: Path) -> None:
    """What the next command does first: take the lock, finish or sweep what a killed one left."""
    layout = DataLayout.of(root)
    with storage.lock(root, "test", sweep=[layout.data_dir, layout.studies_dir]):
        pass


def _leftovers(root: Path) -> list[str]:
    found = [p.name for p in root.glob(".*") if "trialsite-tmp" in p.name or p.name == storage.JOURNAL]
    found += [p.name for p in (root / "data").rglob(".*trialsite-tmp")]
    return found


def _run(root: Path, script: str, *args: str, trap: tuple[str, int, str] | None = None):
    cmd = [sys.executable, str(root / "scripts" / script), *args]
    if trap:
        cmd = [sys.executable, "-c", TRAP, *map(str, trap), str(root / "scripts" / script), *args]
    return subprocess.run(cmd, cwd=root, env=_env(), capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the project with its site built once, for the others to copy (the kit cache too)."""
    root = copy_project(tmp_path_factory.mktemp("pristine"))
    as_published(root)  # the corrections these tests make start from the published log
    assert build_site(root, root / "site") == 0
    return root


def _copy(pristine: Path, dest: Path) -> Path:
    shutil.copytree(pristine, dest, symlinks=True)
    return dest


def _kill_points(sites: list[str]) -> list[int]:
    """The calls to kill at: each write site (TRAP's: the command's step, the storage call) at its
    first and its last call. A site met more often is a loop writing files of one kind the same way
    (the kit's 26 drawings, a transaction's three renames); its middle calls reach no state its first
    and last do not, and each costs a whole run of the command."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for n, site in enumerate(sites, 1):
        first.setdefault(site, n)
        last[site] = n
    return sorted({*first.values(), *last.values()})


def _kill_loop(
    root: Path,
    script: str,
    args: tuple[str, ...],
    files: tuple[str, ...],
    new: dict[str, bytes | None],
    calls: dict[str, list[str]],
    random_kills: int = RANDOM_KILLS,
) -> tuple[int, set[str]]:
    """Kill the command at every write site (_kill_points) of os.replace and os.fsync, then at
    `random_kills` moments spread over its run; return how many runs were killed and which states
    (old, new) they left after recovery."""
    old = _state(root, files)
    duration: float | None = None
    rng = random.Random(20261125)
    points: list[tuple[str, int, str] | float] = [
        (what, n, "SIGKILL") for what in ("replace", "fsync") for n in _kill_points(calls[what])
    ]
    killed = 0
    random_killed = 0
    outcomes: set[str] = set()
    attempts, cap = 0, len(points) + 4 * random_kills
    while points or random_killed < random_kills:
        # After the fixed points, one moment in each of `random_kills` equal slices of the run (a
        # busy machine makes some runs end sooner than the first ones did: those are tried again).
        attempts += 1
        assert attempts <= cap, "too few runs could be killed"
        if points:
            point: tuple[str, int, str] | float = points.pop(0)
        else:
            if duration is None:  # the window: a whole run as the loop's own runs go (caches warm)
                started = time.monotonic()
                assert _run(root, script, *args).returncode == 0
                duration = time.monotonic() - started
                _restore(root, old)
            point = duration * 0.9 * (random_killed + rng.random()) / random_kills + 0.05
        if isinstance(point, tuple):
            done = _run(root, script, *args, trap=point)
            was_killed = done.returncode == -signal.SIGKILL
        else:
            proc = subprocess.Popen(
                [sys.executable, str(root / "scripts" / script), *args],
                cwd=root,
                env=_env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(point)
            proc.send_signal(signal.SIGKILL)
            was_killed = proc.wait() == -signal.SIGKILL
            random_killed += was_killed
        killed += was_killed
        after = _state(root, files)
        for f in files:
            assert after[f] in (old[f], new[f]), f"{point}: {f} is neither the old nor the new file"
        _recover(root)
        after = _state(root, files)
        assert after in (old, new), f"{point}: the files did not change together: {files}"
        outcomes.add("old" if after == old else "new")
        assert _leftovers(root) == [], point
        _restore(root, old)  # back to the old state for the next kill
    return killed, outcomes


def _restore(root: Path, state: dict[str, bytes | None]) -> None:
    for f, content in state.items():
        if content is None:
            (root / f).unlink(missing_ok=True)
        else:
            (root / f).write_bytes(content)


def _calls(stderr: str) -> dict[str, list[str]]:
    return json.loads(stderr.rsplit("CALLS ", 1)[1].splitlines()[0])


def _whole_run(
    pristine: Path, tmp_path: Path, script: str, args: tuple[str, ...]
) -> tuple[dict[str, list[str]], Path]:
    """One whole run in a copy, listing the sites of its os.replace and os.fsync calls (the kill
    points); and the copy it left (the new state)."""
    root = _copy(pristine, tmp_path / "whole")
    done = _run(root, script, *args, trap=("replace", 10**9, "SIGKILL"))
    assert done.returncode == 0, done.stderr
    return _calls(done.stderr), root


def test_sigkill_at_every_write_and_at_random_never_loses_or_splits_a_correction(
    pristine: Path, tmp_path: Path
) -> None:
    counts, done_root = _whole_run(pristine, tmp_path, "correct.py", SOURCE_CORRECTION)
    new = _state(done_root, SOURCE_FILES)
    root = _copy(pristine, tmp_path / "attacked")
    assert _state(root, SOURCE_FILES) != new
    assert len(counts["replace"]) >= 4  # the journal's commit and the three files' renames
    killed, outcomes = _kill_loop(root, "correct.py", SOURCE_CORRECTION, SOURCE_FILES, new, counts)
    assert killed >= RANDOM_KILLS
    assert outcomes == {"old", "new"}  # kills before the commit roll back, after it roll forward


def test_sigkill_at_every_write_and_at_random_never_loses_or_splits_a_publish(
    pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/a041703/")  # publishing needs a public address
    args = ("--site", "site")
    counts, done_root = _whole_run(pristine, tmp_path, "publish.py", args)
    new = _state(done_root, PUBLISH_FILES)
    attacked = _copy(pristine, tmp_path / "attacked")
    killed, outcomes = _kill_loop(
        attacked, "publish.py", args, PUBLISH_FILES, new, counts, random_kills=PUBLISH_RANDOM_KILLS
    )
    assert killed >= PUBLISH_RANDOM_KILLS
    assert outcomes == {"old", "new"}


def test_ctrl_c_at_every_write_gives_one_line_and_whole_files(pristine: Path, tmp_path: Path) -> None:
    root = _copy(pristine, tmp_path / "p")
    old = _state(root, CORRECTION_FILES)
    done_root = _copy(pristine, tmp_path / "done")
    assert _run(done_root, "correct.py", *CORRECTION).returncode == 0
    new = _state(done_root, CORRECTION_FILES)
    for n in range(1, 5):
        done = _run(root, "correct.py", *CORRECTION, trap=("replace", n, "SIGINT"))
        assert "Traceback" not in done.stderr, done.stderr
        if done.returncode != 0:
            assert done.returncode == 130 and "correction interrupted" in done.stderr
        assert _state(root, CORRECTION_FILES) in (old, new), n
        assert _leftovers(root) == []
        for f, content in old.items():
            (root / f).write_bytes(content)  # type: ignore[arg-type]


def test_two_corrections_at_once_both_end_up_in_the_log(pristine: Path, tmp_path: Path) -> None:
    root = _copy(pristine, tmp_path / "p")
    common = ("--reason", "Test.", "--source", "eurekalert-1102627", "--locator", "x")
    procs = [
        subprocess.Popen(
            [sys.executable, str(root / "scripts/correct.py"), "figure", fid, value, *common],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for fid, value in (("remission", "94"), ("survival-1y", "86"))
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    log = (root / LOG).read_text("utf-8")
    assert "corrects: figures/remission" in log and "corrects: figures/survival-1y" in log
    assert build_site(root, root / "site") == 0


def test_a_full_disk_changes_nothing_and_says_so(pristine: Path, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("mounting a small tmpfs needs root, which CI has")
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    try:
        root = mount / "p"
        root.mkdir()
        for name in ("data", "scripts", "docs", "overrides", "mkdocs.yml", "CITATION.cff"):
            src = pristine / name if (pristine / name).exists() else ROOT / name
            if src.is_dir():
                shutil.copytree(src, root / name, symlinks=True)
            else:
                shutil.copy2(src, root / name)
        old = _state(root, SOURCE_FILES)
        fd = os.open(root / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 512):
                pass
        except OSError:
            pass  # full
        finally:
            os.close(fd)
        done = _run(root, "correct.py", *SOURCE_CORRECTION)
        assert done.returncode == 1
        assert "the disk is full; nothing was changed" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert _state(root, SOURCE_FILES) == old
        assert _leftovers(root) == []
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_read_only_log_is_refused_and_nothing_changes(pristine: Path, tmp_path: Path) -> None:
    root = _copy(pristine, tmp_path / "p")
    old = _state(root, CORRECTION_FILES)
    (root / LOG).chmod(0o444)
    done = _run(root, "correct.py", *CORRECTION)
    assert done.returncode == 1
    assert "data/corrections.yaml is read-only; nothing was changed" in done.stderr
    assert _state(root, CORRECTION_FILES) == old


@pytest.mark.parametrize("target", ["docs", "data", ".", ".git", "scripts", "docs/sub"])
def test_the_build_never_replaces_a_folder_that_is_not_a_site(
    pristine: Path, tmp_path: Path, target: str
) -> None:
    root = _copy(pristine, tmp_path / "p")
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", "utf-8")
    before = tree_hash(root)
    done = _run(root, "build.py", "--site", target)
    assert done.returncode == 1
    assert done.stderr.startswith("not built: "), done.stderr
    assert str(tmp_path) not in done.stderr  # paths relative to the project
    assert tree_hash(root) == before


def test_the_build_replaces_an_empty_folder_and_its_own_site(pristine: Path, tmp_path: Path) -> None:
    root = _copy(pristine, tmp_path / "p")
    (root / "out").mkdir()
    assert _run(root, "build.py", "--site", "out").returncode == 0
    assert (root / "out" / MARKER).is_file()
    assert _run(root, "build.py", "--site", "out").returncode == 0


def test_special_files_links_and_stray_files_in_data_are_refused_without_hanging(
    pristine: Path, tmp_path: Path
) -> None:
    root = _copy(pristine, tmp_path / "p")
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", "utf-8")
    os.mkfifo(root / "data/studies/fifo.yaml")
    (root / "data/studies/linked.yaml").symlink_to(secret)
    (root / "data/notes.yml").write_text("token: s3cret\n", "utf-8")
    done = _run(root, "build.py")
    assert done.returncode == 1
    assert "data/studies/fifo.yaml:1:1: is not a regular file" in done.stderr
    assert "data/studies/linked.yaml:1:1: is a symbolic link" in done.stderr
    assert "data/notes.yml:1:1: is not a data file the build reads" in done.stderr
    assert "hunter2" not in done.stderr and "s3cret" not in done.stderr
    assert str(tmp_path) not in done.stderr


def test_only_the_validated_data_files_are_published(pristine: Path) -> None:
    published = sorted(
        p.relative_to(pristine / "site").as_posix() for p in (pristine / "site/data").rglob("*")
    )
    layout = DataLayout.of(pristine)
    validated = sorted(layout.display(p) for p, _ in layout.fixed_files()) + [
        layout.display(p) for p in layout.study_files()
    ]
    assert [p for p in published if "." in p.rsplit("/", 1)[-1]] == sorted(validated)


def test_a_message_never_echoes_more_than_the_line_at_fault(pristine: Path, tmp_path: Path) -> None:
    root = _copy(pristine, tmp_path / "p")
    long_line = "x" * 5000
    (root / "data/glossary.yaml").write_text(f'"{long_line}"\n', "utf-8")
    done = _run(root, "build.py")
    assert done.returncode == 1
    assert long_line not in done.stderr and len(done.stderr) < 2000, done.stderr


def test_published_files_are_plain_and_readable_by_another_user(pristine: Path, tmp_path: Path) -> None:
    site = pristine / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    for path in site.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert not path.is_symlink(), path
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))
    web = Path(tempfile.mkdtemp(prefix="www-"))
    try:
        web.chmod(0o755)
        subprocess.run(["cp", "-a", f"{site}/.", str(web / "html")], check=True)
        if os.geteuid() == 0 and shutil.which("runuser"):
            files = [str(p) for p in (web / "html").rglob("*") if p.is_file()]
            reader = subprocess.run(
                ["runuser", "-u", "nobody", "--", "cat", *files], capture_output=True, check=False
            )
            assert reader.returncode == 0, reader.stderr[:500]
        elif IN_CI:
            pytest.fail("reading as another user needs root and runuser")
    finally:
        shutil.rmtree(web)


def test_an_old_site_that_cannot_be_removed_is_a_warning_once_the_new_one_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "site", tmp_path / "new"
    old.mkdir()
    (old / "v").write_text("old", "utf-8")
    new.mkdir()
    (new / "v").write_text("new", "utf-8")

    def refuse(path: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(shutil, "rmtree", refuse)
    swap_in(new, old)
    assert (old / "v").read_text("utf-8") == "new"
    assert "the new site is in place" in capsys.readouterr().err


def test_a_correction_back_to_the_published_value_withdraws_it(pristine: Path, tmp_path: Path) -> None:
    root = _copy(pristine, tmp_path / "p")
    old = _state(root, CORRECTION_FILES)
    assert _run(root, "correct.py", *CORRECTION).returncode == 0
    back = _run(root, "correct.py", "figure", "remission", "97", *CORRECTION[3:])
    assert back.returncode == 0, back.stderr
    assert back.stdout.startswith("withdrew 20")
    assert _state(root, CORRECTION_FILES) == old  # as published: no entry, no notice


def test_a_correction_in_the_future_is_refused_by_the_command_and_the_build(
    pristine: Path, tmp_path: Path
) -> None:
    root = _copy(pristine, tmp_path / "p")
    done = _run(root, "correct.py", *CORRECTION, "--date", "2999-01-01")
    assert done.returncode == 1 and "is in the future" in done.stderr
    log = root / LOG
    log.write_text(
        log.read_text("utf-8").replace(
            "entries: []",
            "entries:\n  - id: 2999-01-01-remission\n    date: 2999-01-01\n    corrects: figures/remission\n"
            "    previous: 97\n    new: 94\n    reason: x\n    source: eurekalert-1102627\n    locator: x",
        ),
        "utf-8",
    )
    built = _run(root, "build.py")
    assert built.returncode == 1
    line = log.read_text("utf-8").split("\n").index("    date: 2999-01-01") + 1
    assert f"data/corrections.yaml:{line}:11: entries[0].date: 2999-01-01 is in the future" in built.stderr


def test_a_count_of_zero_cannot_become_a_denominator(pristine: Path, tmp_path: Path) -> None:
    root = _copy(pristine, tmp_path / "p")
    done = _run(root, "correct.py", "figure", "patients-treated", "0", *CORRECTION[3:])
    assert done.returncode == 1
    assert "'patients-treated' is 0, and no percent is a share of nothing" in done.stderr


@pytest.mark.parametrize("form", ["bom", "crlf", "bom+crlf"])
def test_files_saved_with_a_bom_or_crlf_keep_their_form_through_a_correction(
    pristine: Path, tmp_path: Path, form: str
) -> None:
    root = _copy(pristine, tmp_path / "p")
    for name in CORRECTION_FILES:
        text = (root / name).read_bytes()
        if "crlf" in form:
            text = text.replace(b"\n", b"\r\n")
        if "bom" in form:
            text = b"\xef\xbb\xbf" + text
        (root / name).write_bytes(text)
    before = _state(root, CORRECTION_FILES)
    done = _run(root, "correct.py", *CORRECTION)
    assert done.returncode == 0, done.stderr
    after = _state(root, CORRECTION_FILES)
    for name in CORRECTION_FILES:
        assert after[name].startswith(b"\xef\xbb\xbf") == ("bom" in form)  # type: ignore[union-attr]
        lines = after[name].split(b"\n")  # type: ignore[union-attr]
        assert all(line.endswith(b"\r") for line in lines[:-1]) == ("crlf" in form)
    changed = [
        (a, b)
        for a, b in zip(before[STUDY].split(b"\n"), after[STUDY].split(b"\n"), strict=False)  # type: ignore[union-attr]
        if a != b
    ]
    assert len(changed) == 1 and b"value: 94" in changed[0][1]
    assert _run(root, "correct.py", "figure", "survival-1y", "86", *CORRECTION[3:]).returncode == 0


def test_make_passes_dollars_and_quotes_as_typed(pristine: Path, tmp_path: Path) -> None:
    root = _copy(pristine, tmp_path / "p")
    shutil.copy2(ROOT / "Makefile", root / "Makefile")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / ".venv").symlink_to(ROOT / ".venv")
    reason = 'Costs $34 and $$5, "quoted", it\'s `ticked` \\ backslashed'
    done = subprocess.run(
        [
            "make",
            "-s",
            "correct",
            "FIGURE=remission",
            "VALUE=94",
            f"REASON={reason}",
            "SOURCE=eurekalert-1102627",
            "LOCATOR=a $HOME place",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    from trialsite.data.load import load_document

    entry = load_document(root / LOG, LOG).data["entries"][-1]
    assert entry["reason"] == reason
    assert entry["locator"] == "a $HOME place"
