"""How a value reads in words: one function per question, shared by every page and output."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from trialsite.data.kinds import SOURCE_KINDS, source_kind
from trialsite.data.model import (
    Author,
    Citation,
    Comparison,
    Correction,
    CyclesValue,
    Dataset,
    Figure,
    Interval,
    RangeValue,
    Report,
    Source,
    Statement,
    Study,
    Term,
)
from trialsite.data.targets import FigureTarget, ReportTarget, SourceFieldTarget, Target
from trialsite.data.values import exact

NOT_REPORTED = "not reported"


def number(value: float) -> str:
    return exact(value)


def grouped(value: float) -> str:
    """A number as a reader reads it, thousands grouped: '3,200', '38,000'; 71 stays '71'."""
    return f"{int(value):,}" if float(value).is_integer() and abs(value) >= 1000 else number(value)


def value_text(figure: Figure, *, with_unit: bool = True) -> str:
    """The value with its unit, as a reader says it: '97%', '33 patients', '60 to 84 years'; without
    it ('97', '33', '60 to 84') for prose that writes the unit itself (`[[fig:ID|number]]`)."""
    v = figure.value
    unit = f" {figure.unit}" if figure.unit and with_unit else ""
    if figure.kind == "percent":
        return f"{number(v)}%" if with_unit else number(v)  # type: ignore[arg-type]
    if isinstance(v, RangeValue):
        return f"{grouped(v.low)} to {grouped(v.high)}{unit}"
    if isinstance(v, CyclesValue):
        if v.min is None:
            return f"up to {v.max}{unit}"
        if v.min == v.max:
            return f"{v.max}{unit}"
        joiner = " or " if v.max == v.min + 1 else " to "
        return f"{v.min}{joiner}{v.max}{unit}"
    if isinstance(v, str):
        return v
    if v == 1 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]  # '1 patient', '1 dose'
    return f"{grouped(v)}{unit}"


def derived_text(figure: Figure) -> str | None:
    """The count the build derived from a percent, worded so it is never taken for a reported one."""
    d = figure.derived
    if d is None:
        return None
    return f"{d.count} of {d.denominator} (derived by this site: {d.explanation})"


# --- titles in sentence case -------------------------------------------------------------------

# Punctuation around a word that does not decide its case: 'ALL:' is the abbreviation 'ALL'.
PUNCTUATION = ":;,.()?!'\"\u201c\u201d\u2018\u2019"


def _keeps_capitals(part: str, *, compound: bool) -> bool:
    """An abbreviation ('ALL', 'CD22'), a word with digits ('A041703') or inner capitals ('mRNA'),
    or a short capitalised part of a compound ('B' in 'B-Cell', 'Ph' in 'Ph-Negative'): as written."""
    letters = [c for c in part if c.isalpha()]
    if not letters:
        return True
    if any(c.isdigit() for c in part):
        return True
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    if any(c.isupper() for c in part[1:]):
        return True
    if compound:
        return len(letters) <= 2 and letters[0].isupper()
    return len(letters) == 1 and letters[0].isupper() and part != "A"


@functools.lru_cache(maxsize=1024)
def title_pieces(title: str, proper_nouns: tuple[str, ...] = ()) -> tuple[tuple[str, bool], ...]:
    """The title cut into (text, keeps its capitals) pieces: proper nouns (as listed in the data),
    abbreviations and words with digits keep them; every other word may be lower-cased. Cached:
    every page, citation file and card asks again for the same few titles."""
    kept = [False] * len(title)
    for noun in proper_nouns:
        for m in re.finditer(re.escape(noun), title):
            kept[m.start() : m.end()] = [True] * (m.end() - m.start())
    pieces: list[tuple[str, bool]] = []
    for m in re.finditer(r"\S+|\s+", title):
        token, start = m.group(), m.start()
        if token.isspace():
            pieces.append((token, False))
            continue
        compound = "-" in token
        for sub in re.finditer(r"[^-/]+|[-/]", token):
            piece = sub.group()
            at = start + sub.start()
            core = piece.strip(PUNCTUATION)
            keep = all(kept[at : at + len(piece)]) or _keeps_capitals(core, compound=compound)
            pieces.append((piece, keep))
    return tuple(pieces)


def sentence_case(title: str, proper_nouns: tuple[str, ...] = (), *, subtitle_capital: bool = False) -> str:
    """'Then Blinatumomab for Older Adults With Newly Diagnosed B-Cell ALL: Alliance Study A041703
    Cohort 1 Results' -> 'Then blinatumomab for older adults with newly diagnosed B-cell ALL: Alliance
    study A041703 cohort 1 results'. The first word keeps its capital; with `subtitle_capital` (APA)
    so does the first word after a colon."""
    out: list[str] = []
    capital_next = True
    for piece, keep in title_pieces(title, proper_nouns):
        if piece.isspace() or piece in "-/":
            out.append(piece)
            continue
        text = piece if keep else piece.lower()
        if capital_next and not keep:
            text = text[:1].upper() + text[1:]
        out.append(text)
        capital_next = subtitle_capital and piece.endswith(":")
    return "".join(out)


def or_not_reported(value: str | None) -> str:
    return value if value else NOT_REPORTED


def initials(given: str) -> str:
    """'Matthew J.' -> 'MJ'; a hyphenated name keeps both initials ('Jean-Paul' -> 'JP')."""
    return "".join(p[0] for p in given.replace(".", " ").replace("-", " ").split())


def author_short(author: Author) -> str:
    """'Wieduwilt MJ' for a person, 'Smith J Jr' with a suffix (AMA 3.11.1, Citing Medicine: after
    the initials, without comma or period); an organisation by its name."""
    if author.organisation:
        return author.family
    suffix = f" {author.suffix.replace('.', '')}" if author.suffix else ""
    return f"{author.family} {initials(author.given)}{suffix}"


def authors_list(authors: tuple[Author, ...]) -> str:
    """The names as a list ('Wieduwilt MJ, Yin J'), or "not reported" when there are none."""
    return ", ".join(author_short(a) for a in authors) or NOT_REPORTED


NOT_APPLICABLE = "not applicable"
# The fields each kind of source has (trialsite/data/kinds.py): a news release has no DOI, so its
# DOI reads "not applicable", never "not reported" (which says a source left it out).
FIELDS_OF_KIND = {kind: info.fields for kind, info in SOURCE_KINDS.items()}


def applies(source: Source, name: str) -> bool:
    # A kind missing from the table is an error, not a page of "not applicable".
    return name in source_kind(source.kind).fields


def field_text(source: Source, name: str) -> str:
    """A source's field as the Sources page shows it: the value, "not reported" or "not applicable"."""
    if not applies(source, name):
        return NOT_APPLICABLE
    return or_not_reported(getattr(source, name))


def authors_short(source: Source) -> str | None:
    """'Wieduwilt MJ, et al.': never presents a partial author list as complete."""
    if not source.authors:
        return None
    text = ", ".join(author_short(a) for a in source.authors)
    return text if source.authors_complete else f"{text}, et al."


def source_short(source: Source) -> str:
    """A short citation for inline use."""
    if source.kind == "conference-abstract":
        year = source.issued[:4] if source.issued else "n.d."
        # The first author's own short name: a name may hold a comma, so the list is not split.
        lead = author_short(source.authors[0]) if source.authors else None
        more = len(source.authors) > 1 or not source.authors_complete
        who = f"{lead}, et al." if lead and more else lead
        num = f", abstract {source.number}" if source.number else ""
        return f"{who or source.container_short} {source.container_short} {year}{num}"
    if source.kind == "news-article":
        year = source.issued[:4] if source.issued else "n.d."
        return f"{source.container} {year}"
    if source.kind == "journal-article":
        year = source.issued[:4] if source.issued else "n.d."
        who = authors_short(source)
        # Vancouver's order: authors, then a full stop ('Wieduwilt M.' and 'Wieduwilt MJ, et al.').
        lead = f"{who.removesuffix('.')}. " if who else ""
        return f"{lead}{source.container_short} {year}"
    if source.kind == "news-release":
        num = f" {source.number}" if source.number else ""
        return f"{source.container} news release{num}"
    return f"{source.container} {source.number or ''}".strip()


def figures_scope(study: Study, data: Dataset) -> str:
    """Where a study's figures come from, as a reader says it: 'the news release' when one source
    gives them all, else 'the sources listed'. Never 'every figure reported', which no site knows."""
    cited = {f.cite.source for f in study.figures}
    if len(cited) == 1:
        return f"the {KIND_WORDS[data.source(next(iter(cited))).kind]}"
    return "the sources listed"


def article_short(source: Source) -> str:
    """'Wieduwilt MJ, et al. Title in sentence case. J Clin Oncol. 2025': the article by its authors,
    title, journal and year, for a line of text."""
    who = authors_short(source)
    title = sentence_case(source.title, source.proper_nouns) if source.title else None
    year = source.issued[:4] if source.issued else "n.d."
    parts = [p for p in (who, title, source.container_short, year) if p]
    return ". ".join(p.rstrip(".") for p in parts)


def figure_sentence(
    figure: Figure, study: Study, data: Dataset, url: str | None = None, *, site: str | None = None
) -> str:
    """One line a presenter can paste: the value (with its correction notice, if any), what it
    measures, the study, the article that reports it, the news release it was transcribed from (with
    how the site knows the value), the site with its version ('A041703 Cohort 1: reported results,
    version 0.1.0') and the figure's permanent address."""
    source = data.source(figure.cite.source)
    reported = data.source(source.reports) if source.reports else source
    note = correction_note(data, figure.id)
    corrected = f" ({note})" if note else ""
    parts = [f"{figure.label}: {value_text(figure)}{corrected}. {figure.measures}"]
    parts.append(f"{study.title} ({study.registry_id}).")
    # How the site knows the value ('news release about the article', 'conference abstract, read in
    # two independent copies'), in parentheses after the source it was read in.
    known = provenance(data, figure.primary) if figure.reports else None
    how = f" ({known})" if known else ""
    if reported.kind == "journal-article":
        parts.append(f"{'Reported in' if source.reports else 'Source'}: {article_short(reported)}")
    else:
        parts.append(f"Source: {source_short(reported)}")
    if source.reports:
        parts[-1] += "."
        parts.append(f"Transcribed from: {source_short(source)}")
    parts[-1] += f"{how}."
    where = ", ".join(p for p in (site, url) if p)
    if where:
        parts.append(f"{'Site: ' if site else ''}{where}")
    return " ".join(parts)


# --- reports, provenance and how reports compare ---------------------------------------------

KIND_PHRASES = {kind: info.phrase for kind, info in SOURCE_KINDS.items()}
_COUNT_WORDS = {2: "two", 3: "three", 4: "four"}


def provenance(data: Dataset, report: Report) -> str:
    """How the site knows a reported value, in a few words: 'news release about the article',
    'conference abstract, read in two independent copies', 'conference abstract, read in one
    secondary copy'. A source with no copies was read at its own address."""
    return _provenance(data, report.source, report.read_in)


def _provenance(data: Dataset, source_id: str, read_in: tuple[str, ...]) -> str:
    source = data.source(source_id)
    text = KIND_PHRASES[source.kind]
    if source.reports:
        text += f" about the {KIND_WORDS[data.source(source.reports).kind]}"
    n = len(read_in)
    if n == 1:
        secondary = source.copy(read_in[0]).secondary
        text += ", read in one secondary copy" if secondary else ", read in one copy"
    elif n > 1:
        text += f", read in {_COUNT_WORDS.get(n, str(n))} independent copies"
    return text


def statement_provenance(data: Dataset, statement: Statement) -> str:
    """How the site knows a sourced statement about the study: the same words as for a figure."""
    return _provenance(data, statement.cite.source, statement.read_in)


def term_provenance(data: Dataset, term: Term) -> str:
    """How the site knows a glossary definition that restates a source."""
    assert term.cite is not None
    return _provenance(data, term.cite.source, term.read_in)


def report_value_text(figure: Figure, report: Report) -> str:
    """A report's value worded as the figure's value is ('84%', '60 to 84 years')."""
    return value_text(replace(figure, value=report.value))


def interval_text(figure: Figure, interval: Interval) -> str:
    """'95% CI 61 to 92%' or 'two-sided 90% CI 63 to 89%'."""
    unit = "%" if figure.kind == "percent" else f" {figure.unit}" if figure.unit else ""
    sided = f"{interval.sided} " if interval.sided else ""
    return f"{sided}{number(interval.level)}% CI {number(interval.low)} to {number(interval.high)}{unit}"


def report_label(figure: Figure, report: Report) -> str:
    return report.label or figure.label


def report_measures(figure: Figure, report: Report) -> str:
    return report.measures or figure.measures


REASON_WORDS = {
    "lay-wording": "lay wording of a named endpoint",
    "definition": "different definitions",
    "time-point": "different time points",
    "starting-point": "different starting points",
    "data-cut": "different analyses or data cuts",
}


def agreement(figure: Figure) -> str:
    """One sentence on how a figure's reports relate: one source only, or agreement and difference."""
    if len(figure.reports) < 2:
        return "Stated by one source only."
    values = {value_text(replace(figure, value=r.value)) for r in figure.reports}
    n = len(figure.reports)
    count = _COUNT_WORDS.get(n, str(n))
    c = figure.comparison
    if figure.kind == "qualitative":
        if c is None or c.same_measure is True:
            return f"The {count} reports say much the same, each in its own words."
        if c.same_measure is False:
            return f"The {count} reports, each in its own words, do not describe the same thing."
        return (
            f"The {count} reports, each in its own words; the sources do not say enough to tell "
            "whether they describe the same thing."
        )
    if len(values) == 1:
        said = f"All {count} reports give the same value" if n > 2 else "Both reports give the same value"
    else:
        said = f"The {count} reports give different values"
    if c is None or c.same_measure is True:
        if len(values) == 1:
            return f"{said}, for the same measure."
        return f"{said}." if c and c.reasons else f"{said}; the sources do not say why."
    if c.same_measure is False:
        return f"{said}, but not for the same measure."
    return f"{said}; the sources do not say enough to tell whether they measure the same thing."


def lower_first(text: str) -> str:
    """'One-year overall survival (OS)' -> 'one-year overall survival (OS)'; 'CR rate' stays."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def reasons_text(comparison: Comparison) -> str:
    return "; ".join(REASON_WORDS[r] for r in comparison.reasons)


def also_reported_text(data: Dataset, figure: Figure) -> str | None:
    """'Also reported as 97% for complete remission through course II by Wieduwilt MJ, et al. ...':
    the other reports, for a card or a download; None when one source states the figure."""
    if not figure.other_reports:
        return None
    parts = []
    for r in figure.other_reports:
        label = f" for {lower_first(r.label)}" if r.label else ""
        notice = correction_notice(data, r.target)
        corrected = f" ({notice.text})" if notice else ""
        by = source_short(data.source(r.source))
        parts.append(f"{report_value_text(figure, r)}{corrected}{label} by {by}")
    return "Also reported as " + "; ".join(parts)


# --- corrections -----------------------------------------------------------------------------
# Every output (pages, downloads, images, citations) asks these functions, so a corrected value
# carries the same notice wherever it is shown.


def latest_correction(data: Dataset, target: Target) -> Correction | None:
    """The newest log entry for a target, if it was corrected."""
    return next((c for c in reversed(data.corrections) if c.target == target), None)


def correction_value_text(data: Dataset, correction: Correction, which: str = "previous") -> str:
    """A corrected value ('previous' or 'new') worded as the site words the value itself."""
    value = correction.previous if which == "previous" else correction.new
    figure_id = correction.figure_id
    if figure_id is not None and figure_id in data.figures_by_id:
        return value_text(replace(data.figure(figure_id), value=value))  # type: ignore[arg-type]
    if isinstance(value, bool):
        return "complete" if value else "incomplete"  # the one flag: authors_complete
    if isinstance(value, tuple):
        return authors_list(value)
    return or_not_reported(value)  # type: ignore[arg-type]


def is_addition(correction: Correction) -> bool:
    """True when the entry fills in a value that was not reported (a DOI, the authors): it is then
    worded "added", not "corrected; previously not reported"."""
    return correction.previous is None or correction.previous == ()


def correction_verb(correction: Correction) -> str:
    """'added', 'corrected', or for the author list's flag 'marked complete' / 'marked incomplete'."""
    if isinstance(correction.new, bool):
        return "marked complete" if correction.new else "marked incomplete"
    return "added" if is_addition(correction) else "corrected"


@dataclass(frozen=True)
class Notice:
    """The notice of a corrected value, and its parts for formats that keep them in separate fields
    (figures.csv, JSON-LD, slides): every output takes all of them from `correction_notice`."""

    text: str  # "Corrected on 2026-11-25; previously 97%", or "Added on 2026-11-25" for a filled-in value
    date: str
    previous: str  # the previous value, worded as the site words the value
    entry_id: str  # the entry's anchor on the Corrections page


def correction_notice(data: Dataset, target: Target) -> Notice | None:
    """The notice for a target; None if it was never corrected. A figure whose denominator figure
    was corrected later than the figure itself carries that correction's notice: its value still
    stands, but what it is a share of changed."""
    own = latest_correction(data, target)
    figure = data.figures_by_id.get(target.figure_id) if isinstance(target, FigureTarget) else None
    base = figure.denominator_figure if figure else None
    via = latest_correction(data, FigureTarget(base)) if base else None
    if via is not None and (own is None or data.corrections.index(via) > data.corrections.index(own)):
        label = data.figure(base).label.lower() if base in data.figures_by_id else base
        before = correction_value_text(data, via)
        return Notice(
            f"Denominator corrected on {via.date}: {label} previously {before}", via.date, "", via.id
        )
    if own is None:
        return None
    previous = correction_value_text(data, own)
    if isinstance(own.new, bool):  # the author list's flag: said as what happened, for readers
        text = f"Author list {correction_verb(own)} on {own.date}"
    elif is_addition(own):
        text = f"Added on {own.date}"
    else:
        text = f"Corrected on {own.date}; previously {previous}"
    return Notice(text, own.date, previous, own.id)


def correction_note(data: Dataset, figure_id: str) -> str | None:
    """'Corrected on 2026-11-25; previously 97%' for a corrected figure; None for any other."""
    notice = correction_notice(data, FigureTarget(figure_id))
    return notice.text if notice else None


def correction_subject(data: Dataset, correction: Correction) -> str:
    """What an entry corrected, in words: 'Remission' or 'J Clin Oncol 2025: DOI'."""
    figure_id = correction.figure_id
    target = correction.target
    if isinstance(target, ReportTarget):
        label = data.figure(target.figure_id).label if target.figure_id in data.figures_by_id else figure_id
        try:
            by = source_short(data.source(target.source_id))
        except StopIteration:
            by = target.source_id
        return f"{label}, as reported by {by}"
    if figure_id is not None:
        return data.figure(figure_id).label if figure_id in data.figures_by_id else figure_id
    assert isinstance(target, SourceFieldTarget)
    source_id = target.source_id
    label = target.field.replace("_", " ")
    label = label.upper() if label == "doi" else label
    label = "author list" if target.field == "authors_complete" else label
    try:
        return f"{source_short(data.source(source_id))}: {label}"
    except StopIteration:
        return f"{source_id}: {label}"


KIND_WORDS = {kind: info.word for kind, info in SOURCE_KINDS.items()}


def source_with_locator(cite: Citation, data: Dataset) -> str:
    """'Source: EurekAlert! news release 1102627, section ...': the short citation and where in it."""
    return f"Source: {source_short(data.source(cite.source))}, {cite.locator}"


def transcribed_from(cite: Citation, data: Dataset) -> str | None:
    """Says that a figure was copied from a secondary source, and what that source reports."""
    source = data.source(cite.source)
    if not source.reports:
        return None
    reported = data.source(source.reports)
    return f"Transcribed from the {KIND_WORDS[source.kind]} reporting {source_short(reported)}"
