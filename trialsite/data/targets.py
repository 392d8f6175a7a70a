"""What a correction changes: a figure's value, or one field of a source.

The log writes a target as text ('figures/remission', 'sources/jco-2025-wieduwilt/doi'); this module
is the one place that reads and writes that form.
"""

from __future__ import annotations

from dataclasses import dataclass

FIGURES = "figures"
SOURCES = "sources"


@dataclass(frozen=True, order=True)
class FigureTarget:
    figure_id: str

    def __str__(self) -> str:
        return f"{FIGURES}/{self.figure_id}"

    @property
    def ident(self) -> str:
        """How the target reads after its kind: 'remission'."""
        return self.figure_id


@dataclass(frozen=True, order=True)
class SourceFieldTarget:
    source_id: str
    field: str

    def __str__(self) -> str:
        return f"{SOURCES}/{self.source_id}/{self.field}"

    @property
    def ident(self) -> str:
        return f"{self.source_id}/{self.field}"


Target = FigureTarget | SourceFieldTarget


def parse_target(text: str) -> Target | None:
    """The target TEXT names, or None when it is not of either form."""
    parts = str(text).split("/")
    if len(parts) == 2 and parts[0] == FIGURES and parts[1]:
        return FigureTarget(parts[1])
    if len(parts) == 3 and parts[0] == SOURCES and parts[1] and parts[2]:
        return SourceFieldTarget(parts[1], parts[2])
    return None
