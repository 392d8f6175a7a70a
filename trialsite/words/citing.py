"""A source in words: short citations, author names, how the site knows a value, and "not reported"
or "not applicable" for a field a source leaves out or does not have."""

from __future__ import annotations

from trialsite.data.kinds import SOURCE_KINDS, source_kind
from trialsite.data.model import (
    Author,
    Citation,
    Dataset,
    Report,
    Source,
    Statement,
    Study,
    Term,
)
from trialsite.words.titles import sentence_case
from trialsite.words.values import count_words

NOT_REPORTED = "not reported"


NOT_APPLICABLE = "not applicable"


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


def article_short(source: Source) -> str:
    """'Wieduwilt MJ, et al. Title in sentence case. J Clin Oncol. 2025': the article by its authors,
    title, journal and year, for a line of text."""
    who = authors_short(source)
    title = sentence_case(source.title, source.proper_nouns) if source.title else None
    year = source.issued[:4] if source.issued else "n.d."
    parts = [p for p in (who, title, source.container_short, year) if p]
    return ". ".join(p.rstrip(".") for p in parts)


def figures_scope(study: Study, data: Dataset) -> str:
    """Where a study's figures come from, as a reader says it: 'the news release' when one source
    gives them all, else 'the sources listed'. Never 'every figure reported', which no site knows."""
    cited = {f.cite.source for f in study.figures}
    if len(cited) == 1:
        return f"the {KIND_WORDS[data.source(next(iter(cited))).kind]}"
    return "the sources listed"


KIND_WORDS = {kind: info.word for kind, info in SOURCE_KINDS.items()}


KIND_PHRASES = {kind: info.phrase for kind, info in SOURCE_KINDS.items()}


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
        text += f", read in {count_words(n)} independent copies"
    return text


def statement_provenance(data: Dataset, statement: Statement) -> str:
    """How the site knows a sourced statement about the study: the same words as for a figure."""
    return _provenance(data, statement.cite.source, statement.read_in)


def term_provenance(data: Dataset, term: Term) -> str:
    """How the site knows a glossary definition that restates a source."""
    assert term.cite is not None
    return _provenance(data, term.cite.source, term.read_in)


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
