"""Markdown extension: `[[fig:ID]]` and `[[source:ID]]` references in prose, as inline patterns.

An inline pattern never sees what Python-Markdown has already taken out of the text: code spans (the
backtick pattern runs first), indented code blocks, raw HTML blocks and, because a tag is matched and
passed over here, the attributes of inline HTML. So a reference written inside code or an attribute
stays as it is. `\\[[` writes `[[` literally (Python-Markdown's own escape then removes the
backslash). The reference becomes the Markdown that the resolver returns, parsed as the rest of the
paragraph is (links checked and rewritten by MkDocs), with no element of its own left around it.

What a reference means is not decided here: the extension is handed a resolver (the plugin's, for
the page being built) and a place to report a reference it cannot resolve.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

# Between the backtick pattern (190), so code is already out of the text, and the escape pattern
# (180), so that what a reference becomes is parsed by every pattern after this one, escapes included.
PRIORITY = 185
# A tag of inline HTML (Python-Markdown's own HTML_RE), passed over so its attributes stay as written;
# a reference not preceded by a backslash; an opening '[[' that no ']]' closes on its line.
_PATTERN = (
    r"(?P<tag><(?:/?[a-zA-Z][^<>@ ]*(?: [^<>]*)?|!--(?:(?!<!--|-->).)*--)>)"
    r"|(?<!\\)\[\[(?P<body>[^\n\]]*?)\]\]"
    r"|(?<!\\)(?P<open>\[\[)"
)
_WRAPPER = "trialsite-ref"  # a private tag: its children take its place once the inline pass is done

Resolve = Callable[[str], str]  # the reference's body ('fig:remission|bare') -> Markdown
Report = Callable[[str, str], None]  # (the reference as written, what is wrong; what is expected)


class UnresolvedReference(Exception):
    """Raised by a resolver for a reference it cannot resolve; its message says what is expected."""


class _References(InlineProcessor):
    def __init__(self, resolve: Resolve, report: Report, md: Markdown) -> None:
        super().__init__(_PATTERN, md)
        self.resolve, self.report = resolve, report

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int | None, int | None]:  # type: ignore[override]
        if m.group("tag") is not None:
            return None, None, None
        if m.group("open") is not None:
            self.report(
                "[[",
                "'[[' opens a figure reference that is not closed on the same line; "
                "expected [[fig:ID]], or \\[[ for the characters themselves",
            )
            return None, None, None
        try:
            markdown = self.resolve(m.group("body").strip())
        except UnresolvedReference as exc:
            self.report(m.group(0), str(exc))
            return None, None, None
        el = etree.Element(_WRAPPER, {"written": m.group(0)})
        el.text = markdown
        return el, m.start(0), m.end(0)


class _Unwrap(Treeprocessor):
    """Put each reference's elements and text where its wrapper stood. A reference whose links would
    stand inside a link (its text) is reported: a link inside a link is no HTML."""

    def __init__(self, md: Markdown, report: Report) -> None:
        super().__init__(md)
        self.report = report

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            for el in link.iter(_WRAPPER):
                if el.find(".//a") is not None:
                    self.report(
                        el.get("written", ""),
                        "a reference with links stands inside a link's text; expected [[fig:ID|bare]] "
                        "or [[fig:ID|number]] there, or the reference outside the link",
                    )
        for parent in list(root.iter()):
            index = 0
            while index < len(parent):
                el = parent[index]
                if el.tag != _WRAPPER:
                    index += 1
                    continue
                children = list(el)
                before = el.text or ""
                tail = el.tail or ""
                if index == 0:
                    parent.text = (parent.text or "") + before
                else:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + before
                parent.remove(el)
                for offset, child in enumerate(children):
                    parent.insert(index + offset, child)
                if children:
                    children[-1].tail = (children[-1].tail or "") + tail
                elif index == 0:
                    parent.text = (parent.text or "") + tail
                else:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + tail
                index += len(children)


class FigureReferences(Extension):
    """`[[...]]` references, resolved by `resolve` and reported through `report`."""

    def __init__(self, resolve: Resolve, report: Report, **kwargs: Any) -> None:
        self.resolve, self.report = resolve, report
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.inlinePatterns.register(_References(self.resolve, self.report, md), "trialsite_refs", PRIORITY)
        # After the inline pass (20), before the abbr extension's tree pass and MkDocs' link pass.
        md.treeprocessors.register(_Unwrap(md, self.report), "trialsite_refs_unwrap", 19)
