"""Where each data file lives and how study files are found: one answer for validation, the
maintainer's commands, the guard and the edit links."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SOURCES = "sources.yaml"
GLOSSARY = "glossary.yaml"
SITE = "site.yaml"
CORRECTIONS = "corrections.yaml"
PUBLISHED = "published.yaml"
STUDIES = "studies"
STUDY_SUFFIXES = (".yaml", ".yml")


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
        """Every study file, .yaml before .yml, each sorted by name."""
        return [p for suffix in STUDY_SUFFIXES for p in sorted(self.studies_dir.glob(f"*{suffix}"))]

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
        """A path as people read it in messages: relative to the project."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
