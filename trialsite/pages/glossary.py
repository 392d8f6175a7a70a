"""The Glossary page: every term's plain-language definition (also shown as tooltips), with the source
whose definition it restates, when one does."""

from __future__ import annotations

from trialsite.context import BuildContext
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import markdown_env
from trialsite.urls import GLOSSARY
from trialsite.words.citing import term_provenance


def render(ctx: BuildContext) -> str:
    parts = Fragments(ctx)
    return (
        markdown_env()
        .get_template("glossary.md.j2")
        .render(
            terms=[
                {
                    "t": t,
                    "cite": parts.cite_md(t.cite, from_src=GLOSSARY) if t.cite else None,
                    "provenance": term_provenance(ctx.data, t) if t.cite else None,
                }
                for t in ctx.data.terms
            ],
        )
    )
