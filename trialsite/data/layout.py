"""Where each data file lives and how study files are found: one answer for validation, the
maintainer's commands, the guard and the edit links."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from trialsite.storage import is_own_temporary

SOURCES = "sources.yaml"
GLOSSARY = "glossary.yaml"
SITE = "site.yaml"
CORRECTIONS = "corrections.yaml"
PUBLISHED = "published.yaml"
STUDIES = "studies"
STUDY_SUFFIXES = (".yaml", ".yml")
NOTE_SUFFIXES = (".md",)  # notes for maintainers, such as data/README.md: never published


@dataclass(frozen=True)
class DataLayout:
    """The data folder of one project. Paths shown to people are relative to `root`."""

    root: Path
    data_dir: Path

    @classmethod
    def of(cls, root: Path, data_dir: str | Path = "data") -> DataLayout:
        root = root.resolve()
        folder = Path(data_dir)
        return cls(root, folder if folder.is_absolute() else root / folder)

    @property
    def sources(self) -> Path:
        return self.data_dir / SOURCES

    @property
    def glossary(self) -> Path:
        return self.data_dir / GLOSSARY

    @property
    def site(self) -> Path:
        return self.data_dir / SITE

    @property
    def corrections(self) -> Path:
        return self.data_dir / CORRECTIONS

    @property
    def published(self) -> Path:
        return self.data_dir / PUBLISHED

    @property
    def studies_dir(self) -> Path:
        return self.data_dir / STUDIES

    def study_files(self) -> list[Path]:
        """Every study file (regular files only), .yaml before .yml, each sorted by name."""
        return [
            p
            for suffix in STUDY_SUFFIXES
            for p in sorted(self.studies_dir.glob(f"*{suffix}"))
            if stat.S_ISREG(p.lstat().st_mode)
        ]

    def fixed_files(self) -> list[tuple[Path, str]]:
        """The one-of-a-kind files, each with the schema that checks it."""
        return [
            (self.sources, "sources"),
            (self.glossary, "glossary"),
            (self.site, "site"),
            (self.corrections, "corrections"),
            (self.published, "published"),
        ]

    def display(self, path: Path) -> str:
        """A path as people read it in messages: relative to the project, never absolute."""
        return Path(os.path.relpath(os.path.abspath(path), self.root)).as_posix()

    def unexpected(self) -> list[tuple[Path, str]]:
        """Every entry of the data folder the build would not read as data, with why: links and
        special files (a FIFO would hang a read), and files that are neither data files nor notes.
        Nothing is opened: entries are looked at with lstat only."""
        expected = {p for p, _ in self.fixed_files()}
        found: list[tuple[Path, str]] = []
        for folder, dirs, files in os.walk(self.data_dir, followlinks=False):
            here = Path(folder)
            for name in sorted(dirs):
                if (here / name).is_symlink():
                    found.append((here / name, "is a symbolic link"))
            dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
            for name in sorted(files):
                path = here / name
                mode = path.lstat().st_mode
                if stat.S_ISLNK(mode):
                    found.append((path, "is a symbolic link"))
                elif not stat.S_ISREG(mode):
                    found.append((path, "is not a regular file (a FIFO, socket or device)"))
                elif (
                    is_own_temporary(path)
                    or path in expected
                    or path.suffix in NOTE_SUFFIXES
                    or (here == self.studies_dir and path.suffix in STUDY_SUFFIXES)
                ):
                    continue
                else:
                    found.append((path, "is not a data file the build reads"))
        return found
