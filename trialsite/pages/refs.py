"""References in hand-written pages: `[[fig:ID]]`, `[[fig:ID|bare]]`, `[[source:ID]]`,
`[[source:ID|address]]` (the source's own address, written out), `[[key-results]]`, `[[at-a-glance]]`.

Prose never types a result; it names the figure, and the build puts in the value and its source.
An id that does not exist is a build error pointing at the page, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trialsite.data.model import Dataset
from trialsite.problems import Problem

FORMS = ("value", "bare", "label", "measures")
_ANY = re.compile(r"\[\[(.*?)\]\]")
_FIG = re.compile(r"^fig:([^|\s]+)(?:\|([a-z]+))?$")
_SOURCE = re.compile(r"^source:([^|\s]+)(?:\|(address))?$")
_OPEN = re.compile(r"\[\[")
_DIRECTIVES = ("key-results", "at-a-glance", "limits", "data-files")


@dataclass(frozen=True)
class Ref:
    start: int
    end: int
    line: int
    col: int
    kind: str  # "fig", "source" or a directive name
    target: str
    form: str


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def find_refs(text: str, path: str, data: Dataset) -> tuple[list[Ref], list[Problem]]:
    refs: list[Ref] = []
    problems: list[Problem] = []
    # An opening '[[' outside every complete reference would reach the page as literal text.
    spans = [m.span() for m in _ANY.finditer(text)]
    for m in _OPEN.finditer(text):
        if not any(a <= m.start() < b for a, b in spans):
            line, col = _line_col(text, m.start())
            problems.append(
                Problem(
                    path,
                    line,
                    col,
                    "'[[' opens a figure reference that is not closed on the same line; "
                    "expected [[fig:ID]] or [[key-results]]",
                )
            )
    for m in _ANY.finditer(text):
        line, col = _line_col(text, m.start())
        body = m.group(1).strip()
        if body in _DIRECTIVES:
            refs.append(Ref(m.start(), m.end(), line, col, body, "", ""))
            continue
        source = _SOURCE.match(body)
        if source:
            known_sources = [s.id for s in data.sources]
            if source.group(1) in known_sources:
                refs.append(
                    Ref(m.start(), m.end(), line, col, "source", source.group(1), source.group(2) or "")
                )
            else:
                problems.append(
                    Problem(
                        path,
                        line,
                        col,
                        f"unknown source id '{source.group(1)}'; expected one of: {', '.join(known_sources)}",
                    )
                )
            continue
        fig = _FIG.match(body)
        if not fig:
            problems.append(
                Problem(
                    path,
                    line,
                    col,
                    f"'[[{body}]]' is not a figure reference; expected "
                    "[[fig:ID]], [[fig:ID|bare]], [[fig:ID|label]], [[fig:ID|measures]], "
                    "[[source:ID]], [[source:ID|address]], [[key-results]], [[at-a-glance]], [[limits]] "
                    "or [[data-files]]",
                )
            )
            continue
        figure_id, form = fig.group(1), fig.group(2) or "value"
        if figure_id not in data.figures_by_id:
            known = ", ".join(sorted(data.figures_by_id))
            problems.append(
                Problem(path, line, col, f"unknown figure id '{figure_id}'; expected one of: {known}")
            )
            continue
        if form not in FORMS:
            problems.append(
                Problem(
                    path,
                    line,
                    col,
                    f"unknown form '|{form}' for figure '{figure_id}'; expected one of: {', '.join(FORMS)}",
                )
            )
            continue
        refs.append(Ref(m.start(), m.end(), line, col, "fig", figure_id, form))
    return refs, problems


def substitute(text: str, refs: list[Ref], replace: Callable[[Ref], str]) -> str:
    out = []
    last = 0
    for ref in refs:
        out.append(text[last : ref.start])
        out.append(replace(ref))
        last = ref.end
    out.append(text[last:])
    return "".join(out)


def check_pages(docs_dir: Path, data: Dataset) -> list[Problem]:
    """Every problem in the references of the hand-written pages under docs_dir, before a build.
    Paths are shown as the project names them: 'docs/about.md'."""
    problems: list[Problem] = []
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
        problems.extend(find_refs(text, rel, data)[1])
    return problems
