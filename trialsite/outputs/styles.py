"""References in APA 7, AMA 11 and Vancouver (NLM Citing Medicine), written by this site, one function
per style and kind of work, each rule named beside the code that follows it.

Why not citeproc-py's styles: for what this site knows they cannot be right without repairs. CSL has
no way to say that an author list is incomplete; citeproc-py glues NLM dates ('2025Sep30'), numbers
each entry ('1.Wieduwilt'), prints a substituted title twice, drops a data set's version in AMA and
NLM, forces Title Case on reports in AMA and writes 'EurekAlert!.'. Patching the CSL files would need
four patched styles and would still not mark an incomplete list. So the three styles are written out
here, and the tests check each reference against the style guide's rule; the CSL-JSON download is still
rendered with citeproc-py in the tests, as reference managers render it.

The rules, and where they were read (third-party guides: the APA and AMA manuals are paywalled):
- Authors. APA 7 (9.8): all authors up to 20; 21 or more: the first 19, an ellipsis, the last. AMA 11
  (3.11.1): all up to 6; more than 6: the first 3, then "et al". NLM/ICMJE: up to 6; more: the first
  6, then "et al."; Citing Medicine (box 74) allows cutting the list to any number, then "et al.".
- An author list that is not known in full: APA and AMA have no provision ("et al." never stands in
  a reference entry after one name), so the known names are given and the entry says in square
  brackets, the styles' mark for text supplied by the citer, that the list is incomplete. NLM writes
  the known names, then "et al." (box 74).
- Titles. Articles and web items in sentence case in all three (APA 6.17; AMA 3.9; Citing Medicine
  ch. 1); APA also capitalises the first word after a colon. A data set's title: sentence case, italic,
  in APA; as written in AMA (a database's name); sentence case in NLM.
- A title that is not known: a description in square brackets in its place (APA 9.21; Citing Medicine
  box 16 supplies a title in brackets too).
- A journal article published online with no volume, issue or pages known: APA "Journal. Advance online
  publication." (10.1); AMA "J Abbrev. Published online Month D, YYYY." (3.11.5); NLM "J Abbrev. Epub
  YYYY Mon DD." (the electronic date, as PubMed and Citing Medicine write it). All three then say the
  same thing: the article was published online on that day; no issue is known.
- Unknown dates: APA "(n.d.)"; AMA leaves the date out; NLM leaves it out and keeps "[cited ...]".
- A news release: APA 10.4 "Organization. (n.d.). Title [Press release]. Site. URL" (no retrieval date:
  a release is not designed to change); AMA website form "Author. Title. Website. Date. Accessed date.
  URL"; NLM "Author. Title [Internet]. Site; date [cited date]. Available from: URL" (the shape of the
  CSL project's nlm-citation-sequence style). The release's number is given with it.
- A news article on a news website: APA 10.2 "Author. (Year, Month Day). Title [italic]. Site. URL";
  AMA website form "Author. Title. Website. Published Month Day, Year. Accessed date. URL"; NLM
  (Citing Medicine ch. 5, newspaper on the Internet) "Author. Title. Site [Internet]. Date [cited
  date]. Available from: URL". Never "Advance online publication", which is for journal articles.
- A versioned data set: APA 10.9 "Author. (Year). Title (Version x) [Data set]. Retrieved Month Day,
  Year, from URL" (retrieval date: the site is designed to change; the publisher is left out when it is
  the author); AMA "Title. Version x. Publisher; Year. Accessed date. URL"; NLM "Title [Internet].
  Version x. Publisher; date [cited date]. Available from: URL".
- A figure's own page in one version of this site (what a presenter copies): a part of the versioned
  data set, at that version's own address (never latest/). APA 10.9 and 9.21 "Publisher. (Year).
  Figure name [italic] (Version x) [Data set figure]. Site. URL" (no retrieval date: a version's
  address keeps showing what was cited); AMA 3.15.1 website form "Figure name. Site. Version x.
  Published Month Day, Year. Accessed date. URL"; NLM (Citing Medicine ch. 25, part of a Web site)
  "Site [Internet]. Version x. Publisher; date. Figure name; [cited date]. Available from: URL".
- No period after a DOI or URL (APA 9.35, AMA 3.15.1).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from trialsite.data.kinds import WorkKind
from trialsite.data.model import Author
from trialsite.words.citing import author_short
from trialsite.words.titles import sentence_case

__all__ = ["STYLES", "Work", "WorkKind", "reference"]

# Style id -> the name readers know it by.
STYLES = {"apa": "APA 7", "ama": "AMA 11", "vancouver": "Vancouver (NLM)"}

# What a reader writes in: the day they looked at the work, in each style's own date form.
ACCESSED = {"apa": "Month Day, Year", "ama": "Month Day, Year", "vancouver": "YYYY Mon DD"}
INCOMPLETE_MARK = "[author list incomplete]"
EN_DASH = "\u2013"

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class Work:
    """What a reference can say about a work: only what is known (None where nothing is reported)."""

    kind: WorkKind
    authors: tuple[Author, ...]
    authors_complete: bool
    title: str | None  # as the work writes it
    proper_nouns: tuple[str, ...] = ()
    subject: str | None = None  # what an untitled release is about, for the bracketed stand-in
    container: str | None = None
    container_short: str | None = None
    publisher: str | None = None
    issued: str | None = None  # ISO date
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    number: str | None = None
    version: str | None = None
    genre: str | None = None  # 'Abstract' for a conference abstract: reference managers only
    notes: tuple[str, ...] = ()  # for reference managers (where a copy was read), never printed


class Ref:
    """A reference as pieces of text, some italic: plain text and HTML come from the same pieces."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, bool]] = []

    def add(self, text: str, *, italic: bool = False) -> Ref:
        if text:
            self.parts.append((text, italic))
        return self

    def plain(self) -> str:
        return " ".join("".join(t for t, _ in self.parts).split())

    def html(self) -> str:
        out = "".join(
            f"<i>{html.escape(t, False)}</i>" if i else html.escape(t, False) for t, i in self.parts
        )
        return " ".join(out.split())


# --- pieces ----------------------------------------------------------------------------------------


def _ymd(iso: str) -> tuple[int, int | None, int | None]:
    parts = [int(p) for p in iso.split("-")]
    return parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


def long_date(iso: str) -> str:
    """'September 30, 2025' (APA and AMA)."""
    y, m, d = _ymd(iso)
    if m is None:
        return str(y)
    return f"{MONTHS[m - 1]} {d}, {y}" if d else f"{MONTHS[m - 1]} {y}"


def apa_date(iso: str) -> str:
    """'2025, September 30' (APA: year first, then month and day)."""
    y, m, d = _ymd(iso)
    return ", ".join(
        p for p in (str(y), f"{MONTHS[m - 1]} {d}" if m and d else MONTHS[m - 1] if m else "") if p
    )


def nlm_date(iso: str) -> str:
    """'2025 Sep 30' (Citing Medicine: year, three-letter month, day)."""
    y, m, d = _ymd(iso)
    return " ".join(str(p) for p in (y, MONTHS[m - 1][:3] if m else None, d) if p)


def _end(text: str) -> str:
    """Text followed by a period, unless it already ends with one, '?' or '!' (no double marks)."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _title(work: Work, style: str) -> tuple[str, bool]:
    """(title or a bracketed description in its place, whether it is the work's own title)."""
    if work.title:
        if work.kind == "site" and style == "ama":
            return work.title, True  # a database's name, as written
        return sentence_case(work.title, work.proper_nouns, subtitle_capital=style == "apa"), True
    if work.kind == "release" and work.subject:
        what = "Press release" if style == "apa" else "News release"  # APA's own term (10.4)
        return f"[{what} on {work.subject}]", False
    return "[Title not reported]", False


def _apa_name(a: Author) -> str:
    if a.organisation:
        return a.family
    initials = " ".join(
        "-".join(f"{p[0]}." for p in part.split("-") if p) for part in a.given.replace(".", " ").split()
    )
    # APA 9.8: a suffix after the initials, with a comma ('Smith, J., Jr.').
    return f"{a.family}, {initials}, {a.suffix}" if a.suffix else f"{a.family}, {initials}"


def _vancouver_name(a: Author) -> str:
    return author_short(a)


def _apa_authors(work: Work) -> str:
    names = [_apa_name(a) for a in work.authors]
    if len(names) > 20:
        text = ", ".join(names[:19]) + ", . . . " + names[-1]
    elif len(names) > 1:
        text = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        text = names[0]
    if not work.authors_complete:
        text += f" {INCOMPLETE_MARK}"
    return _end(text)


def _ama_authors(work: Work) -> str:
    names = [_vancouver_name(a) for a in work.authors]
    text = ", ".join(names[:3]) + ", et al" if len(names) > 6 else ", ".join(names)
    if not work.authors_complete:
        text += f" {INCOMPLETE_MARK}"
    return _end(text)


def _nlm_authors(work: Work) -> str:
    names = [_vancouver_name(a) for a in work.authors]
    text = ", ".join(names[:6]) + ", et al." if len(names) > 6 else ", ".join(names)
    if not work.authors_complete and len(names) <= 6:
        text += ", et al."
    return _end(text)


# --- APA 7 ------------------------------------------------------------------------------------------


def apa(work: Work) -> Ref:
    r = Ref()
    title, real = _title(work, "apa")
    if work.kind == "article":
        year = f"({_ymd(work.issued)[0] if work.issued else 'n.d.'})."
        if work.authors:
            r.add(_apa_authors(work) + f" {year} ").add(_end(title) + " ")
        else:  # no author: the title takes the author's place (APA 9.12)
            r.add(_end(title) + f" {year} ")
        r.add(work.container or "", italic=True)
        if work.volume:
            r.add(", ").add(work.volume, italic=True)
            r.add(f"({work.issue})" if work.issue else "")
            r.add(f", {work.pages.replace('-', EN_DASH)}" if work.pages else "")  # APA: a page range
            r.add(". ")
        else:
            r.add(". Advance online publication. ")
        r.add(f"https://doi.org/{work.doi}" if work.doi else work.url or "")
    elif work.kind == "news":
        date = f"({apa_date(work.issued) if work.issued else 'n.d.'})."
        if work.authors:
            r.add(_apa_authors(work) + f" {date} ").add(_end(title), italic=real).add(" ")
        else:  # no author: the title takes the author's place (APA 9.12)
            r.add(_end(title), italic=real).add(f" {date} ")
        r.add(_end(work.container) + " " if work.container else "")
        r.add(work.url or "")
    elif work.kind == "release":
        date = f"({apa_date(work.issued) if work.issued else 'n.d.'})."
        number = f" (News release No. {work.number})" if work.number else ""
        label = " [Press release]" if real else ""  # a bracketed description already says so
        if work.authors:
            r.add(_apa_authors(work) + f" {date} ").add(title, italic=real).add(f"{number}{label}. ")
        else:  # no author: the title takes the author's place (APA 9.12)
            r.add(title, italic=real).add(f"{number}{label}. {date} ")
        r.add(_end(work.container) + " " if work.container else "")
        r.add(work.url or "")
    elif work.kind == "figure":  # one figure's page in one version of the site's data set
        r.add(_end(work.publisher) + " " if work.publisher else "")
        r.add(f"({_ymd(work.issued)[0] if work.issued else 'n.d.'}). ")
        r.add(title, italic=real)
        r.add(f" (Version {work.version})" if work.version else "")
        r.add(" [Data set figure]. ")
        r.add(_end(work.container) + " " if work.container else "")
        r.add(work.url or "")
    else:  # the site: a data set whose publisher is its author
        r.add(_end(work.publisher) + " " if work.publisher else "")
        r.add(f"({_ymd(work.issued)[0] if work.issued else 'n.d.'}). ")
        r.add(title, italic=real)
        if work.version:
            r.add(f" (Version {work.version})")
        r.add(" [Data set].")
        if work.url:
            r.add(f" Retrieved {ACCESSED['apa']}, from {work.url}")
    return r


def _year_volume_issue_pages(work: Work) -> str:
    """'2023;41(16):7006. ': where in its journal an article stands, as AMA (3.11) and NLM write it."""
    year = _ymd(work.issued)[0] if work.issued else ""
    issue = f"({work.issue})" if work.issue else ""
    pages = f":{work.pages}" if work.pages else ""
    return f"{year};{work.volume}{issue}{pages}. "


# --- AMA 11 -----------------------------------------------------------------------------------------


def ama(work: Work) -> Ref:
    r = Ref()
    title, _real = _title(work, "ama")
    if work.kind == "article":
        if work.authors:
            r.add(_ama_authors(work) + " ")
        r.add(_end(title) + " ")
        r.add(work.container_short or work.container or "", italic=True).add(". ")
        if work.volume:
            r.add(_year_volume_issue_pages(work))
        elif work.issued:
            r.add(f"Published online {long_date(work.issued)}. ")
        r.add(f"doi:{work.doi}" if work.doi else work.url or "")
    elif work.kind == "news":
        if work.authors:
            r.add(_ama_authors(work) + " ")
        r.add(_end(title) + " ")
        r.add(_end(work.container) + " " if work.container else "")
        r.add(f"Published {long_date(work.issued)}. " if work.issued else "")
        r.add(f"Accessed {ACCESSED['ama']}. ")
        r.add(work.url or "")
    elif work.kind == "release":
        if work.authors:
            r.add(_ama_authors(work) + " ")
        r.add(_end(title) + " ")
        r.add(_end(work.container) + " " if work.container else "")
        r.add(f"News release {work.number}. " if work.number else "")
        r.add(f"{long_date(work.issued)}. " if work.issued else "")
        r.add(f"Accessed {ACCESSED['ama']}. ")
        r.add(work.url or "")
    elif work.kind == "figure":
        r.add(_end(title) + " ")
        r.add(_end(work.container) + " " if work.container else "")
        r.add(f"Version {work.version}. " if work.version else "")
        r.add(f"Published {long_date(work.issued)}. " if work.issued else "")
        r.add(f"Accessed {ACCESSED['ama']}. ")
        r.add(work.url or "")
    else:
        r.add(_end(title) + " ")
        r.add(f"Version {work.version}. " if work.version else "")
        year = str(_ymd(work.issued)[0]) if work.issued else ""
        r.add(f"{work.publisher}; {year}. " if work.publisher else f"{year}. " if year else "")
        r.add(f"Accessed {ACCESSED['ama']}. ")
        r.add(work.url or "")
    return r


# --- Vancouver (NLM Citing Medicine) ----------------------------------------------------------------


def vancouver(work: Work) -> Ref:
    r = Ref()
    title, _real = _title(work, "vancouver")
    if work.kind == "article":
        if work.authors:
            r.add(_nlm_authors(work) + " ")
        r.add(_end(title) + " ")
        r.add(_end(work.container_short or work.container or "") + " ")
        if work.volume:
            r.add(_year_volume_issue_pages(work))
        elif work.issued:
            r.add(f"Epub {nlm_date(work.issued)}. ")
        if work.doi:
            r.add(f"doi:{work.doi}")
        elif work.url:
            r.add(f"Available from: {work.url}")
    elif work.kind == "news":
        if work.authors:
            r.add(_nlm_authors(work) + " ")
        r.add(_end(title) + " ")
        r.add(f"{work.container} [Internet]. " if work.container else "")
        date = nlm_date(work.issued) if work.issued else ""
        cited = f"[cited {ACCESSED['vancouver']}]"
        r.add(f"{date} {cited}. " if date else f"{cited}. ")
        r.add(f"Available from: {work.url}" if work.url else "")
    elif work.kind == "figure":  # a part of a Web site: the site first, then the part
        r.add(f"{work.container or '[Site title not reported]'} [Internet]. ")
        r.add(f"Version {work.version}. " if work.version else "")
        date = nlm_date(work.issued) if work.issued else ""
        r.add(f"{work.publisher}; " if work.publisher else "")
        r.add(f"{date}. " if date else "")
        r.add(f"{title}; [cited {ACCESSED['vancouver']}]. ")
        r.add(f"Available from: {work.url}" if work.url else "")
    else:
        if work.authors and work.kind != "site":  # the site's publisher is named as its publisher
            r.add(_nlm_authors(work) + " ")
        r.add(f"{title} [Internet]. ")
        r.add(f"Version {work.version}. " if work.version else "")
        where = work.publisher if work.kind == "site" else work.container
        date = nlm_date(work.issued) if work.issued else ""
        cited = f"[cited {ACCESSED['vancouver']}]"
        r.add(f"{where}; " if where else "")
        r.add(f"{date} {cited}. " if date else f"{cited}. ")
        r.add(f"News release {work.number}. " if work.kind == "release" and work.number else "")
        r.add(f"Available from: {work.url}" if work.url else "")
    return r


FORMATTERS: dict[str, Callable[[Work], Ref]] = {"apa": apa, "ama": ama, "vancouver": vancouver}


def reference(work: Work, style: str, *, as_html: bool = False) -> str:
    ref = FORMATTERS[style](work)
    return ref.html() if as_html else ref.plain()
