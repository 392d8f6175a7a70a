"""Every id on a built page is used once: a figure's id is its permalink anchor, and an anchor that
also names a heading, a kit image or one of the theme's elements sends a reader to the wrong place.

Checked on each page's final HTML, whatever made the id (our templates, Markdown's headings, the
theme), with regular expressions rather than an HTML parser: the page's markup is ours or the
theme's, and data text in it is escaped, so '<tag ... id="...">' is never text. A duplicate that comes
from a figure's id is reported at that id in its data file.
"""

from __future__ import annotations

import re
from collections import Counter

from trialsite.context import BuildContext
from trialsite.data.load import load_document
from trialsite.data.model import Figure
from trialsite.problems import Problem

# Both start with a literal "<", which lets the regular expression engine skip to each candidate
# instead of trying the pattern at every character (seven times faster on the built pages).
_HIDDEN = re.compile(r"<(?:(script\b[^>]*>).*?</script\s*>|!--.*?-->)", re.S | re.I)
_ID = re.compile(r"""\sid=("[^"]*"|'[^']*'|[^\s>'"]+)""")
_OPEN_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\s[^>]*\Z")


def element_ids(html: str) -> list[tuple[str, str]]:
    """(tag, id) of every element of a page that has an id, in order: each ` id=` found, then the
    tag it stands in (the last "<" before it, with no ">" between)."""
    visible = _HIDDEN.sub(lambda m: f"<{m[1]}" if m[1] else "", html)
    found = []
    for m in _ID.finditer(visible):
        tag = _OPEN_TAG.match(visible, max(visible.rfind("<", 0, m.start()), 0), m.start() + 1)
        if tag is not None:
            found.append((tag[1].lower(), m[1].strip("\"'")))
    return found


def _figure_behind(ctx: BuildContext, ident: str) -> Figure | None:
    """The figure whose id made this anchor: its row or card, its card's label, its kit image."""
    figures = ctx.data.figures_by_id
    for candidate in (ident, ident.removesuffix("-label"), ident.removeprefix("kit-")):
        if candidate in figures:
            return figures[candidate]
    return None


def duplicate_problems(ctx: BuildContext, html: str, made_by: str, page_url: str) -> list[Problem]:
    """One problem for each id used more than once on the page; `made_by` is the file that makes the
    page (its Markdown in docs/, or the module of a generated page)."""
    found = element_ids(html)
    counts = Counter(ident for _, ident in found)
    problems = []
    for ident, n in counts.items():
        if n < 2:
            continue
        tags = ", ".join(f"<{tag}>" for tag, i in found if i == ident)
        page = f"the page /{page_url}"
        figure = _figure_behind(ctx, ident)
        if figure is None:
            problems.append(
                Problem(
                    made_by,
                    1,
                    1,
                    f"the id '{ident}' is used by {n} elements of {page} ({tags}); "
                    "expected each id once: give one of the headings or elements another id",
                )
            )
            continue
        study = next(s for s in ctx.data.studies if s.id == figure.study_id)
        index = [f.id for f in study.figures].index(figure.id)
        doc = load_document(ctx.layout.root / figure.data_file, figure.data_file)
        problems.append(
            doc.problem(
                ("figures", index, "id"),
                f"figures[{index}].id: '{figure.id}' makes the anchor '{ident}', which {n} elements of "
                f"{page} use ({tags}); expected a figure id that no heading, kit image or other "
                "element of the pages showing figures uses as its id",
            )
        )
    return problems
