"""Markdown extension: glossary tooltips that a keyboard can reach.

The `abbr` extension turns defined terms into <abbr title="..."> elements, which only show their
definition on mouse hover. Here the first use of each term on a page also gets tabindex="0", so Tab
lands on it and Material's tooltip (feature `content.tooltips`) opens on focus; the title stays the
accessible description for screen readers. Later uses of the same term are left out of the tab
order so a long page does not gain dozens of extra tab stops for one word.

A term that is only part of a longer token (a file name such as `a041703-cohort-1.yaml`, an
address, a hyphenated word) is no glossary term there: its <abbr> is taken off again, as the
pages' own glossing (pages/fragments.py) never adds one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_GLUED_BEFORE = re.compile(r"[\w./-]$")
_GLUED_AFTER = re.compile(r"^(?:[\w/-]|\.\w)")


# A character escaped in the Markdown source (`a041703\-cohort`) stands in the tree as STX, its
# code point, ETX until the end: read as the character it is.
_ESCAPED = re.compile("\x02(\\d+)\x03")


def _plain(text: str | None) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m[1])), text or "")


def _unwrap_glued(root: etree.Element) -> None:
    """Take the <abbr> off a term written as part of a longer token."""
    for parent in list(root.iter()):
        for index, el in reversed(list(enumerate(parent))):
            if el.tag != "abbr":
                continue
            before = parent.text if index == 0 else parent[index - 1].tail
            if not (_GLUED_BEFORE.search(_plain(before)) or _GLUED_AFTER.match(_plain(el.tail))):
                continue
            _unwrap(parent, index, el)


def _unwrap_in_details(root: etree.Element) -> None:
    """No tooltips inside a <details> (collapsed, a keyboard cannot open them); the terms are
    explained where the page shows them openly and on the Glossary page."""
    for details in root.iter("details"):
        for parent in list(details.iter()):
            for index, el in reversed(list(enumerate(parent))):
                if el.tag == "abbr":
                    _unwrap(parent, index, el)


def _unwrap(parent: etree.Element, index: int, el: etree.Element) -> None:
    text = (el.text or "") + (el.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text
    parent.remove(el)


class _FocusFirstAbbr(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        _unwrap_glued(root)
        _unwrap_in_details(root)
        seen: set[str] = set()
        for el in root.iter("abbr"):
            title = el.get("title")
            if title and title not in seen and el.get("tabindex") is None:
                seen.add(title)
                el.set("tabindex", "0")


class AbbrFocusExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After 'abbr' (priority 7) has made the <abbr> elements.
        md.treeprocessors.register(_FocusFirstAbbr(md), "abbr_focus", 4)


def makeExtension(**kwargs: object) -> AbbrFocusExtension:  # the name Markdown looks up
    return AbbrFocusExtension(**kwargs)
