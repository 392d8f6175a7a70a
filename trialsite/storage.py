"""Writing the project's files safely: one lock for every command that writes, and changes to one
or several files applied as one step, whatever happens while they are written.

A change is written as complete temporary files beside their targets (fsync'd), then committed by
renaming a journal into place that lists them; only then are the temporary files renamed over their
targets. A process killed before the commit leaves the old files (its temporary files are swept);
killed after it, the next holder of the lock finishes the renames from the journal. So every file
is always either as it was or fully updated, and a set of files changes together or not at all.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import filelock

LOCK_NAME = ".site-build.lock"
JOURNAL = ".trialsite-journal.json"
_TMP_MARK = ".trialsite-tmp"


class Busy(Exception):
    """Another build or command holds the lock; the message says which."""


class WriteRefused(Exception):
    """Nothing was changed; the message says why, in one line, with paths relative to the project."""


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_HELD: set[Path] = set()  # lock files this process holds: a nested lock (the plugin, under a build) is free


def _open_lock(path: Path) -> int:
    """The lock file, opened without following a link (O_NOFOLLOW): a `.site-build.lock` that is a
    symlink would otherwise have its target truncated and overwritten. filelock's own FileLock opens
    an existing lock file without O_NOFOLLOW, so we open it and let filelock lock the descriptor."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise WriteRefused(
                f"{path.name} is a symbolic link; expected the lock file itself: remove the link"
            ) from None
        raise


@contextlib.contextmanager
def lock(folder: Path, what: str, *, wait: float = 0.0, sweep: Iterable[Path] = ()) -> Iterator[None]:
    """Hold the project's lock (a file in `folder`) while writing; wait up to `wait` seconds for it.
    On taking it, finish or sweep what a killed writer left (in `folder`, its data/ tree and the
    `sweep` folders). The kernel drops the lock of a killed process, so a SIGKILL never leaves it
    held. Taken again in the same process (the plugin under a build), it is already held."""
    folder.mkdir(parents=True, exist_ok=True)
    path = (folder / LOCK_NAME).absolute()
    if path in _HELD:
        yield
        return
    fd = _open_lock(path)
    try:
        deadline = time.monotonic() + wait
        while not filelock.lock_descriptor(fd, blocking=False):
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                raise Busy(holder or "another build or command")
            time.sleep(0.05)
        _HELD.add(path)
        try:
            with contextlib.suppress(OSError):  # who holds it, for the next one's message; best effort
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{what} (process {os.getpid()})\n".encode(), 0)
            recover(folder, sweep)
            yield
        finally:
            _HELD.discard(path)
            filelock.unlock_descriptor(fd)
    finally:
        os.close(fd)


def _temp_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}{_TMP_MARK}")


def _write_temp(path: Path, content: bytes) -> Path:
    tmp = _temp_for(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if path.exists():
        os.chmod(tmp, path.stat().st_mode & 0o7777)
    return tmp


def write_file(path: Path, content: bytes | str) -> None:
    """The one atomic write of a single file: complete temporary file beside it (fsync'd), renamed
    over it, folder fsync'd. A reader sees the old file or the new one, never half; a killed writer
    leaves only a temporary file that the next lock holder sweeps (or, outside data/, ignores)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = _write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _apply(root: Path, pairs: list[tuple[str, str]]) -> None:
    """Rename each temporary file over its target; a temporary file already gone was renamed."""
    folders = set()
    for tmp, target in pairs:
        src = root / tmp
        if src.exists():
            os.replace(src, root / target)
            folders.add((root / target).parent)
    for folder in folders:
        _fsync_dir(folder)


def recover(root: Path, sweep: Iterable[Path] = ()) -> None:
    """Finish a committed change that was interrupted, and sweep temporary files of one that was not
    (from `root` and the `sweep` folders). Called with the lock held."""
    journal = root / JOURNAL
    if journal.exists():
        try:
            pairs = [tuple(p) for p in json.loads(journal.read_text("utf-8"))]
        except (OSError, ValueError):
            pairs = []  # a journal is renamed into place whole: unreadable means nothing to finish
        _apply(root, pairs)  # type: ignore[arg-type]
        journal.unlink(missing_ok=True)
        _fsync_dir(root)
    folders = {root, *(f for top in (root / "data", *sweep) for f in _tree(top))}
    for folder in folders:
        for stray in folder.glob(f".*{_TMP_MARK}"):
            stray.unlink(missing_ok=True)


def _tree(top: Path) -> list[Path]:
    """`top` (data/) and every folder under it, links not followed: where a command writes."""
    if top.is_symlink() or not top.is_dir():
        return []
    return [Path(here) for here, _, _ in os.walk(top, followlinks=False)]


def is_own_temporary(path: Path) -> bool:
    """A temporary file or journal this module writes: never a stray data file."""
    return path.name == JOURNAL or (path.name.startswith(".") and path.name.endswith(_TMP_MARK))


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _refusal(root: Path, exc: OSError) -> str:
    reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    where = _display(root, Path(exc.filename)) if exc.filename else "the project"
    return f"cannot write {where}: {reason}; nothing was changed"


def write_files(root: Path, changes: Mapping[Path, bytes | str]) -> None:
    """Write every file of `changes` as one step (all or none), with the lock already held.

    Refuses, changing nothing, when a target is read-only or the disk is full. Ctrl-C and SIGTERM
    are held back while the renames run, so they cannot leave half a change behind."""
    root = root.resolve()
    targets = {Path(p).resolve(): c.encode("utf-8") if isinstance(c, str) else c for p, c in changes.items()}
    for path in targets:
        # The mode bits, not os.access: root may write anything, but a file marked read-only was
        # marked so on purpose, and replacing it by rename would ignore that.
        if path.exists() and (not path.stat().st_mode & 0o222 or not os.access(path, os.W_OK)):
            raise WriteRefused(f"{_display(root, path)} is read-only; nothing was changed")
    if len(targets) == 1:  # one file changes alone: no journal needed
        [(path, content)] = targets.items()
        try:
            write_file(path, content)
        except OSError as exc:
            raise WriteRefused(_refusal(root, exc)) from None
        return
    temps: list[Path] = []
    try:
        for path, content in targets.items():
            temps.append(_write_temp(path, content))
        pairs = [(_display(root, t), _display(root, p)) for t, p in zip(temps, targets, strict=True)]
        temps.append(_write_temp(root / JOURNAL, json.dumps(pairs).encode("utf-8")))
    except OSError as exc:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise WriteRefused(_refusal(root, exc)) from None
    blocked = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        os.replace(temps[-1], root / JOURNAL)  # the commit point
        _fsync_dir(root)
        _apply(root, pairs)
        (root / JOURNAL).unlink()
        _fsync_dir(root)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
