"""The Glossary page: every term's plain-language definition (also shown as tooltips)."""

from __future__ import annotations

from trialsite.context import BuildContext
from trialsite.pages.markup import markdown_env


def render(ctx: BuildContext) -> str:
    return markdown_env().get_template("glossary.md.j2").render(terms=ctx.data.terms)
