"""Escaping for the two kinds of text we generate, so data can never become markup.

HTML templates use Jinja's autoescape. Markdown templates escape every value by default too
(through `finalize`); only values built by our own helpers, marked `Md`, pass through as they are.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any
from urllib.parse import quote

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup

# Python-Markdown's backslash escapes, as configured in mkdocs.yml (tables adds '|').
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")


class Md(str):
    """Markdown produced by our helpers, already escaped where it holds data."""


def md_escape(value: Any) -> Md:
    if isinstance(value, Md):
        return value
    text = " ".join(str(value).split())
    return Md(_MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=True)))


def _finalize_md(value: Any) -> Any:
    return value if isinstance(value, Md) else md_escape(value)


_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def slug(value: str) -> Md:
    """An id for an anchor: validated data, so it may stand unescaped in `{ #id }`."""
    if not _SLUG.match(value):
        raise ValueError(f"not a slug: {value!r}")
    return Md(value)


# What an address may keep as it is in a Markdown link target: RFC 3986's reserved and unreserved
# characters, less those that Python-Markdown reads first: '(' and ')' end the target, '[' and ']'
# open links, and everything else ('|' splits a table cell, '`' opens a code span, '\\' escapes, '<'
# and '>' start HTML) is percent-encoded, which names the same resource.
_URL_KEEP = ":/?#@!$&'*+,;=%"


def url_link(url: str, text: str | None = None) -> Md:
    """A Markdown link to a validated https URL, showing the address (or `text`) as its text; safe in
    a table cell too."""
    return Md(f"[{md_escape(url if text is None else text)}]({quote(url, safe=_URL_KEEP)})")


@cache
def _bytecode_cache() -> FileSystemBytecodeCache:
    """Compiling our templates was a tenth of a small build; Jinja keeps each compiled template in a
    private folder of the system's temporary directory, checked against the template's source."""
    return FileSystemBytecodeCache()


@cache
def markdown_env() -> Environment:
    env = Environment(
        loader=PackageLoader("trialsite.pages", "templates"),
        bytecode_cache=_bytecode_cache(),
        autoescape=False,
        finalize=_finalize_md,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["slug"] = slug
    env.globals["url_link"] = url_link
    return env


@cache
def html_env() -> Environment:
    return Environment(
        loader=PackageLoader("trialsite.pages", "templates"),
        bytecode_cache=_bytecode_cache(),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_MD_INLINE = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]"})


def inline_html_for_markdown(html_text: str) -> Md:
    """HTML that will stand inside a Markdown paragraph or list item: Python-Markdown still applies
    backticks, emphasis and links to the text between (and inside) its tags, so the characters that
    start them become character references, which mean the same in HTML. Our templates put none of
    these characters in tag or attribute names."""
    return Md(" ".join(html_text.translate(_MD_INLINE).split()))


def html_markup(text: str) -> Markup:
    """Mark HTML we rendered ourselves as safe to embed in another HTML template."""
    return Markup(text)
