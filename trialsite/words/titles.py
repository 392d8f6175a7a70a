"""Titles in sentence case: which words keep their capitals (proper nouns, abbreviations) and which may
be lower-cased."""

from __future__ import annotations

import functools
import re

# Punctuation around a word that does not decide its case: 'ALL:' is the abbreviation 'ALL'.
PUNCTUATION = ":;,.()?!'\"\u201c\u201d\u2018\u2019"


def _keeps_capitals(part: str, *, compound: bool) -> bool:
    """An abbreviation ('ALL', 'CD22'), a word with digits ('A041703') or inner capitals ('mRNA'),
    or a short capitalised part of a compound ('B' in 'B-Cell', 'Ph' in 'Ph-Negative'): as written."""
    letters = [c for c in part if c.isalpha()]
    if not letters:
        return True
    if any(c.isdigit() for c in part):
        return True
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    if any(c.isupper() for c in part[1:]):
        return True
    if compound:
        return len(letters) <= 2 and letters[0].isupper()
    return len(letters) == 1 and letters[0].isupper() and part != "A"


@functools.lru_cache(maxsize=1024)
def title_pieces(title: str, proper_nouns: tuple[str, ...] = ()) -> tuple[tuple[str, bool], ...]:
    """The title cut into (text, keeps its capitals) pieces: proper nouns (as listed in the data),
    abbreviations and words with digits keep them; every other word may be lower-cased. Cached:
    every page, citation file and card asks again for the same few titles."""
    kept = [False] * len(title)
    for noun in proper_nouns:
        for m in re.finditer(re.escape(noun), title):
            kept[m.start() : m.end()] = [True] * (m.end() - m.start())
    pieces: list[tuple[str, bool]] = []
    for m in re.finditer(r"\S+|\s+", title):
        token, start = m.group(), m.start()
        if token.isspace():
            pieces.append((token, False))
            continue
        compound = "-" in token
        for sub in re.finditer(r"[^-/]+|[-/]", token):
            piece = sub.group()
            at = start + sub.start()
            core = piece.strip(PUNCTUATION)
            keep = all(kept[at : at + len(piece)]) or _keeps_capitals(core, compound=compound)
            pieces.append((piece, keep))
    return tuple(pieces)


def sentence_case(title: str, proper_nouns: tuple[str, ...] = (), *, subtitle_capital: bool = False) -> str:
    """'Then Blinatumomab for Older Adults With Newly Diagnosed B-Cell ALL: Alliance Study A041703
    Cohort 1 Results' -> 'Then blinatumomab for older adults with newly diagnosed B-cell ALL: Alliance
    study A041703 cohort 1 results'. The first word keeps its capital; with `subtitle_capital` (APA)
    so does the first word after a colon."""
    out: list[str] = []
    capital_next = True
    for piece, keep in title_pieces(title, proper_nouns):
        if piece.isspace() or piece in "-/":
            out.append(piece)
            continue
        text = piece if keep else piece.lower()
        if capital_next and not keep:
            text = text[:1].upper() + text[1:]
        out.append(text)
        capital_next = subtitle_capital and piece.endswith(":")
    return "".join(out)


def lower_first(text: str) -> str:
    """'One-year overall survival (OS)' -> 'one-year overall survival (OS)'; 'CR rate' stays."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text
