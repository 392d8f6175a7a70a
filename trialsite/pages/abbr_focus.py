"""Markdown extension: glossary tooltips that a keyboard can reach.

The `abbr` extension turns defined terms into <abbr title="..."> elements, which only show their
definition on mouse hover. Here the first use of each term on a page also gets tabindex="0", so Tab
lands on it and Material's tooltip (feature `content.tooltips`) opens on focus; the title stays the
accessible description for screen readers. Later uses of the same term are left out of the tab
order so a long page does not gain dozens of extra tab stops for one word.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class _FocusFirstAbbr(Treeprocessor):
    def run(self, root: etree.Element) -> None:
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
