"""What a correction changes: a figure's value, another source's report of it, or one field of a source.

The log writes a target as text ('figures/remission', 'figures/remission/reports/SOURCE-ID',
'sources/jco-2025-wieduwilt/doi'); this module is the one place that reads and writes that form.
"""

from __future__ import annotations

from dataclasses import dataclass

FIGURES = "figures"
SOURCES = "sources"
REPORTS = "reports"


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
class ReportTarget:
    """The value another source reports for a figure (one of the figure's `also_reported`)."""

    figure_id: str
    source_id: str

    def __str__(self) -> str:
        return f"{FIGURES}/{self.figure_id}/{REPORTS}/{self.source_id}"

    @property
    def ident(self) -> str:
        return f"{self.figure_id}/{self.source_id}"


@dataclass(frozen=True, order=True)
class SourceFieldTarget:
    source_id: str
    field: str

    def __str__(self) -> str:
        return f"{SOURCES}/{self.source_id}/{self.field}"

    @property
    def ident(self) -> str:
        return f"{self.source_id}/{self.field}"


Target = FigureTarget | ReportTarget | SourceFieldTarget


def parse_target(text: str) -> Target | None:
    """The target TEXT names, or None when it is not of one of the three forms."""
    parts = str(text).split("/")
    if len(parts) == 2 and parts[0] == FIGURES and parts[1]:
        return FigureTarget(parts[1])
    if len(parts) == 4 and parts[0] == FIGURES and parts[2] == REPORTS and parts[1] and parts[3]:
        return ReportTarget(parts[1], parts[3])
    if len(parts) == 3 and parts[0] == SOURCES and parts[1] and parts[2]:
        return SourceFieldTarget(parts[1], parts[2])
    return None
