"""The validated model: what the renderers may rely on. `None` always means "not reported"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from trialsite.data.kinds import SourceKind as SourceKind  # re-exported: the model names it
from trialsite.data.targets import FigureTarget, ReportTarget, Target

FigureKind = Literal["count", "percent", "range", "cycles", "number", "qualitative"]
Basis = Literal["count", "proportion", "estimate", "rate", "median", "range", "schedule", "statement"]
# Why two reports of a figure differ, as far as the sources say (comparison.reasons).
Reason = Literal["lay-wording", "definition", "time-point", "starting-point", "data-cut"]
# Whether an interval is two- or one-sided, when the source says.
Sided = Literal["two-sided", "one-sided"]


@dataclass(frozen=True)
class Author:
    """A person (family and given names, a suffix such as 'Jr.'), or an organisation as author (its
    name, commas and all, in `family`)."""

    family: str
    given: str = ""
    affiliation: str | None = None
    organisation: bool = False
    suffix: str | None = None

    def csl(self) -> dict[str, str]:
        """The name as CSL-JSON writes it, the one form every citation format is written from."""
        if self.organisation:
            return {"literal": self.family}
        name = {"family": self.family, "given": self.given}
        if self.suffix:
            name["suffix"] = self.suffix
        return name


@dataclass(frozen=True)
class Copy:
    """A place where a source was read other than its own address (an aggregator, a repository)."""

    id: str
    name: str
    url: str
    secondary: bool
    covers: str


@dataclass(frozen=True)
class Presented:
    """Where a work was presented, as another (or the same) source states it."""

    name: str
    source: str
    locator: str


@dataclass(frozen=True)
class Source:
    id: str
    kind: SourceKind
    title: str | None
    authors: tuple[Author, ...]
    authors_complete: bool
    container: str
    container_short: str
    publisher: str | None
    issued: str | None
    doi: str | None
    volume: str | None
    issue: str | None
    pages: str | None
    url: str | None
    number: str | None
    reports: str | None
    known_from: str
    data_file: str
    number_in_list: int = 0
    proper_nouns: tuple[str, ...] = ()
    byline: str | None = None
    presented_at: Presented | None = None
    copies: tuple[Copy, ...] = ()
    # (field, where it was read) for each field the source states, as data/sources.yaml records it.
    evidence: tuple[tuple[str, str], ...] = ()

    def copy(self, copy_id: str) -> Copy:
        return next(c for c in self.copies if c.id == copy_id)


@dataclass(frozen=True)
class Citation:
    """Where a fact comes from: a source and the place in it."""

    source: str
    locator: str


@dataclass(frozen=True)
class RangeValue:
    low: float
    high: float


@dataclass(frozen=True)
class CyclesValue:
    min: int | None
    max: int


FigureValue = int | float | RangeValue | CyclesValue | str


@dataclass(frozen=True)
class Interval:
    """A confidence interval as the source states it."""

    level: float
    low: float
    high: float
    sided: Sided | None = None
    note: str | None = None


@dataclass(frozen=True)
class Derived:
    """A value the build computed from reported ones, shown as derived, never as reported."""

    count: int
    denominator: int
    explanation: str


@dataclass(frozen=True)
class Report:
    """One source's report of a figure: its own value, words, definition, interval, data cut and
    place in the source. The figure's own fields are its first (primary) report."""

    figure_id: str
    primary: bool
    value: FigureValue
    label: str | None  # the name this source gives the measure, when it differs from the figure's
    wording: str | None
    measures: str | None  # what this source's figure measures, when it differs from the figure's
    defined_at: str | None
    timepoint: str | None
    denominator: int | None
    denominator_figure: str | None
    basis: Basis
    intervals: tuple[Interval, ...]
    data_cut: str | None
    cite: Citation
    read_in: tuple[str, ...]
    notes: str | None
    line: int
    derived: Derived | None = None

    @property
    def source(self) -> str:
        return self.cite.source

    @property
    def target(self) -> Target:
        """What a correction of this report's value changes."""
        return FigureTarget(self.figure_id) if self.primary else ReportTarget(self.figure_id, self.source)


@dataclass(frozen=True)
class Comparison:
    """How a figure's reports relate, as far as the sources say."""

    same_measure: bool | None  # None: the sources do not say enough to tell
    reasons: tuple[Reason, ...]
    explanation: str


@dataclass(frozen=True)
class Figure:
    id: str
    study_id: str
    label: str
    kind: FigureKind
    value: FigureValue
    unit: str | None
    measures: str
    timepoint: str | None
    denominator: int | None
    denominator_figure: str | None
    basis: Basis
    cite: Citation
    group: str  # its section of results (data/groups.py): the site's own grouping
    headline: bool
    notes: str | None
    data_file: str
    line: int
    derived: Derived | None = None
    reports: tuple[Report, ...] = ()  # every report, the primary (this figure's own fields) first
    comparison: Comparison | None = None
    related: tuple[str, ...] = ()

    @property
    def primary(self) -> Report:
        return self.reports[0]

    @property
    def other_reports(self) -> tuple[Report, ...]:
        return self.reports[1:]


@dataclass(frozen=True)
class Statement:
    """A fact about the study in our words, with its source."""

    text: str
    cite: Citation
    read_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    name: str
    role: str
    cite: Citation


@dataclass(frozen=True)
class Limit:
    """One thing the results cannot tell: our words, sourced unless it is a general explanation."""

    text: str
    figure: str | None
    cite: Citation | None  # None: a general explanation (marked general: true in the data)


@dataclass(frozen=True)
class Relationship:
    person: str
    kinds: tuple[str, ...]
    companies: tuple[str, ...]


@dataclass(frozen=True)
class Disclosures:
    statement: str
    relationships: tuple[Relationship, ...]
    cite: Citation


@dataclass(frozen=True)
class RegimenStep:
    drug: str
    figure: str


@dataclass(frozen=True)
class Study:
    id: str
    name: str
    cohort: str
    short_title: str
    registry_id: str
    registration: Citation
    publication: str
    chair_name: str
    chair_role: str
    chair_affiliation: str | None
    chair_cite: Citation
    groups: tuple[Group, ...]
    population_summary: str
    population_criteria: tuple[str, ...]
    population_cite: Citation
    regimen_summary: str
    regimen_steps: tuple[RegimenStep, ...]
    regimen_cite: Citation
    limits: tuple[Limit, ...]  # may be empty: the Home and Results pages then say nothing of limits
    disclosures: Disclosures | None
    figures: tuple[Figure, ...]
    data_file: str
    population_details: tuple[Statement, ...] = ()
    regimen_details: tuple[Statement, ...] = ()
    design: tuple[Statement, ...] = ()  # as the sources state it; the first is the kit's context line
    regimen_figures: tuple[str, ...] = ()
    design: tuple[Statement, ...] = ()  # how the study was designed, as the sources state it
    at_a_glance: tuple[str, ...] = ()  # figure ids shown at a glance, in order
    not_reported: tuple[tuple[str, str], ...] = ()  # (group, what no source held reports)

    @property
    def title(self) -> str:
        return f"{self.name} {self.cohort}"

    def figure(self, figure_id: str) -> Figure:
        return next(f for f in self.figures if f.id == figure_id)

    def figures_in(self, group: str) -> tuple[Figure, ...]:
        """This study's figures of one result group, in data order."""
        return tuple(f for f in self.figures if f.group == group)


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    matches: tuple[str, ...]
    definition: str
    cite: Citation | None = None  # the source whose definition this restates, when one defines it
    read_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Licence:
    """The terms of reuse of the site's own text and data."""

    id: str  # SPDX, such as CC-BY-4.0
    name: str
    url: str


@dataclass(frozen=True)
class Release:
    """The site's own version and date (data/site.yaml), its first published version, its licence
    and its publisher."""

    version: str
    date: str
    first_version: str
    first_date: str
    licence: Licence
    publisher: str


CorrectedValue = FigureValue | tuple[Author, ...] | bool | None


@dataclass(frozen=True)
class Correction:
    """One entry of data/corrections.yaml: a published value replaced, with why and on what authority.

    `previous` and `new` are model values: a FigureValue for a figure; for a source field, text or
    None for "not reported", a tuple of authors, or a flag."""

    id: str
    date: str
    target: Target
    previous: CorrectedValue
    new: CorrectedValue
    reason: str
    cite: Citation
    published_in: str | None
    line: int

    @property
    def figure_id(self) -> str | None:
        return self.target.figure_id if isinstance(self.target, FigureTarget | ReportTarget) else None


@dataclass(frozen=True)
class Dataset:
    """Everything under data/, validated and cross-checked. It knows nothing of the site's settings."""

    studies: tuple[Study, ...]
    sources: tuple[Source, ...]
    terms: tuple[Term, ...]
    figures_by_id: dict[str, Figure] = field(default_factory=dict, compare=False)
    release: Release | None = None
    corrections: tuple[Correction, ...] = ()  # oldest first, as in the log
    # Derived from `sources` (also in a copy made with dataclasses.replace).
    sources_by_id: dict[str, Source] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources_by_id", {s.id: s for s in self.sources})

    def source(self, source_id: str) -> Source:
        return self.sources_by_id[source_id]

    def figure(self, figure_id: str) -> Figure:
        return self.figures_by_id[figure_id]
