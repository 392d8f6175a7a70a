"""References in hand-written pages: `[[fig:ID]]` (the value, its source and its details),
`[[fig:ID|bare]]` (the value with its unit, no citation), `[[fig:ID|number]]` (the value without its
unit, for prose that writes the unit), `[[fig:ID|label]]`, `[[fig:ID|measures]]`, `[[source:ID]]`,
`[[source:ID|address]]` (the source's own address, written out); and, each on a line of its own,
`[[key-results]]`, `[[at-a-glance]]`, `[[limits]]`, `[[not-reported]]` and `[[data-files]]`.
`\\[[` writes `[[` itself.

Prose never types a result; it names the figure, and the build puts in the value and its source.
The inline references are read by a Markdown extension (pages/figrefs.py), so code and attributes are
never touched; the block directives are whole lines, replaced before Markdown. An id that does not
exist is a build error pointing at the page, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown

from trialsite.data.model import Dataset
from trialsite.pages.figrefs import FigureReferences, UnresolvedReference
from trialsite.problems import Problem

FORMS = ("value", "bare", "number", "label", "measures")
_FIG = re.compile(r"^fig:([^|\s]+)(?:\|([a-z]+))?$")
_SOURCE = re.compile(r"^source:([^|\s]+)(?:\|(address))?$")
DIRECTIVES = ("key-results", "at-a-glance", "limits", "not-reported", "data-files")
# A directive is a line of its own, not indented (an indented line is code).
_DIRECTIVE_LINE = re.compile(r"^ {0,3}\[\[(" + "|".join(DIRECTIVES) + r")\]\][ \t]*$", re.MULTILINE)
_EXPECTED = (
    "expected [[fig:ID]], [[fig:ID|bare]], [[fig:ID|number]], [[fig:ID|label]], [[fig:ID|measures]], "
    "[[source:ID]], [[source:ID|address]], or [[key-results]], [[at-a-glance]], [[limits]], "
    "[[not-reported]] or [[data-files]] on a line of its own (\\[[ for the characters themselves)"
)


@dataclass(frozen=True)
class Ref:
    kind: str  # "fig", "source" or a directive name
    target: str
    form: str
    start: int = 0
    end: int = 0


def parse(body: str, data: Dataset) -> Ref:
    """What an inline reference's body ('fig:remission|bare') names; UnresolvedReference if nothing."""
    if body in DIRECTIVES:
        raise UnresolvedReference(f"'[[{body}]]' shares its line with other text; {_EXPECTED}")
    source = _SOURCE.match(body)
    if source:
        known_sources = [s.id for s in data.sources]
        if source.group(1) not in known_sources:
            raise UnresolvedReference(
                f"unknown source id '{source.group(1)}'; expected one of: {', '.join(known_sources)}"
            )
        return Ref("source", source.group(1), source.group(2) or "")
    fig = _FIG.match(body)
    if not fig:
        raise UnresolvedReference(f"'[[{body}]]' is not a figure reference; {_EXPECTED}")
    figure_id, form = fig.group(1), fig.group(2) or "value"
    if figure_id not in data.figures_by_id:
        known = ", ".join(sorted(data.figures_by_id))
        raise UnresolvedReference(f"unknown figure id '{figure_id}'; expected one of: {known}")
    if form not in FORMS:
        raise UnresolvedReference(
            f"unknown form '|{form}' for figure '{figure_id}'; expected one of: {', '.join(FORMS)}"
        )
    return Ref("fig", figure_id, form)


def directives(text: str) -> list[Ref]:
    """The block directives of a page, each a line of its own."""
    return [Ref(m.group(1), "", "", m.start(), m.end()) for m in _DIRECTIVE_LINE.finditer(text)]


def substitute(text: str, refs: list[Ref], replace: Callable[[Ref], str]) -> str:
    out = []
    last = 0
    for ref in refs:
        out.append(text[last : ref.start])
        out.append(replace(ref))
        last = ref.end
    out.append(text[last:])
    return "".join(out)


# What Markdown keeps references out of, for placing a report: code spans (Python-Markdown's own
# backtick pattern), tags of HTML and indented lines (code, or an HTML block's inside).
_NOT_PROSE = re.compile(
    r"(?<!\\)(`+)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)|<[a-zA-Z/!][^<>]*>|^(?: {4}|\t)[^\n]*$",
    re.DOTALL | re.MULTILINE,
)


def _prose(text: str) -> str:
    """The text with what Markdown reads as code or tags blanked out, lines and columns kept."""
    return _NOT_PROSE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


class Reported:
    """The references a page's conversion could not resolve, placed at their line and column in the
    page's source: the n-th report of a text is its n-th unescaped occurrence in the page's prose."""

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, _prose(text)
        self.problems: list[Problem] = []
        self._seen: dict[str, int] = {}

    def __call__(self, written: str, message: str) -> None:
        n = self._seen.get(written, 0)
        self._seen[written] = n + 1
        if written == "[[":
            pattern = re.compile(r"(?<!\\)\[\[(?![^\n\]]*?\]\])")
        else:
            pattern = re.compile(r"(?<!\\)" + re.escape(written))
        found = list(pattern.finditer(self.text))
        offset = found[min(n, len(found) - 1)].start() if found else 0
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        self.problems.append(Problem(self.path, line, col, message))


def check_text(
    text: str, path: str, data: Dataset, extensions: Iterable[Any] = (), configs: dict[str, Any] | None = None
) -> list[Problem]:
    """Every problem in a page's references, found the way the build finds them (through Markdown)."""
    reported = Reported(path, text)

    def resolve(body: str) -> str:
        ref = parse(body, data)
        # A stand-in with a link where the page's text would have one (a reference in a link's text).
        return "[x](#)" if ref.kind == "source" or ref.form == "value" else "x"

    md = markdown.Markdown(
        extensions=[*extensions, FigureReferences(resolve, reported)], extension_configs=configs or {}
    )
    md.convert(_DIRECTIVE_LINE.sub("", text))
    return reported.problems


def check_pages(
    docs_dir: Path, data: Dataset, extensions: Iterable[Any] = (), configs: dict[str, Any] | None = None
) -> list[Problem]:
    """Every problem in the references of the hand-written pages under docs_dir, before a build.
    Paths are shown as the project names them: 'docs/about.md'."""
    problems: list[Problem] = []
    extensions = list(extensions)
    for page in sorted(docs_dir.rglob("*.md")):
        rel = f"{docs_dir.name}/{page.relative_to(docs_dir).as_posix()}"
        raw = page.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            problems.append(
                Problem(
                    rel, line, col, f"byte 0x{raw[exc.start]:02x} is not UTF-8; expected a UTF-8 text file"
                )
            )
            continue
        problems.extend(check_text(text, rel, data, extensions, configs))
    return problems
