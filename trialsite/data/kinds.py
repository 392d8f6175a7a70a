"""The kinds of source and of cited work, declared once: what a reader calls each kind, which
bibliographic fields it has, and the type every citation format gives it; and a person's or an
organisation's name as every format writes it.

One table each, so that a new kind (or a kind one format forgot, as the citations' map once had no
`registry-record`) is one row here, and a kind missing from a table fails the build with its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SourceKind = Literal[
    "journal-article", "news-release", "registry-record", "conference-abstract", "news-article"
]
# How a reference cites a work: a source's kind maps to one of these (a registry record is not cited
# as a reference); the site and one figure's page are works of this site.
WorkKind = Literal["article", "release", "news", "site", "figure"]


@dataclass(frozen=True)
class CitedKind:
    """One kind of cited work in every format: CSL-JSON, RIS, BibTeX and schema.org types."""

    csl: str
    ris: str  # JOUR journal article; ELEC a web page (Zotero and EndNote read it so); NEWS; DATA
    bibtex: str
    schema_org: str


CITED_KINDS: dict[str, CitedKind] = {
    "article": CitedKind("article-journal", "JOUR", "article", "ScholarlyArticle"),
    "release": CitedKind("report", "ELEC", "misc", "WebPage"),
    "news": CitedKind("article-newspaper", "NEWS", "misc", "NewsArticle"),
    "site": CitedKind("dataset", "DATA", "misc", "Dataset"),
    "figure": CitedKind("dataset", "DATA", "misc", "Dataset"),
}

_JOURNAL_FIELDS = frozenset(
    ("title", "authors", "container", "issued", "doi", "volume", "issue", "pages", "url", "number")
)


@dataclass(frozen=True)
class SourceKindInfo:
    phrase: str  # 'journal article': how the site names a source of this kind
    word: str  # 'article': the same, short, after 'the' ('the news release about the article')
    # The fields the kind has: a news release has no DOI, volume, issue or pages, so those read
    # "not applicable", never "not reported" (which says a source left it out).
    fields: frozenset[str]
    cited_as: WorkKind | None  # how a reference cites it; None: never cited as a reference


SOURCE_KINDS: dict[str, SourceKindInfo] = {
    "journal-article": SourceKindInfo("journal article", "article", _JOURNAL_FIELDS, "article"),
    "news-release": SourceKindInfo(
        "news release",
        "news release",
        frozenset(("title", "authors", "container", "issued", "url", "number")),
        "release",
    ),
    "registry-record": SourceKindInfo(
        "registry record",
        "registry record",
        frozenset(("title", "container", "issued", "url", "number")),
        None,
    ),
    # An abstract printed in a journal (or its supplement) has the journal's fields, and is cited as
    # a journal article.
    "conference-abstract": SourceKindInfo(
        "conference abstract", "conference abstract", _JOURNAL_FIELDS, "article"
    ),
    # A news report is cited as a news article on its site.
    "news-article": SourceKindInfo(
        "news report",
        "news report",
        frozenset(("title", "authors", "container", "issued", "url")),
        "news",
    ),
}


def source_kind(kind: str) -> SourceKindInfo:
    try:
        return SOURCE_KINDS[kind]
    except KeyError:
        raise ValueError(f"source kind {kind!r} is not in trialsite/data/kinds.py SOURCE_KINDS") from None


def cited_kind(kind: str) -> CitedKind:
    try:
        return CITED_KINDS[kind]
    except KeyError:
        raise ValueError(f"cited kind {kind!r} is not in trialsite/data/kinds.py CITED_KINDS") from None
