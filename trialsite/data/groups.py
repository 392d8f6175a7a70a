"""The Results page's sections (a figure's `group`), read from the one place they are declared: the
study schema's `result_group`. Their order is the page's order; a new group is one entry there."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from trialsite.data.schema import schema_text


@dataclass(frozen=True)
class ResultGroup:
    """One section of results: the site's own grouping, not a claim of any source."""

    id: str
    title: str
    description: str


@cache
def result_groups() -> tuple[ResultGroup, ...]:
    options = json.loads(schema_text("study"))["$defs"]["result_group"]["oneOf"]
    return tuple(ResultGroup(o["const"], o["title"], o["description"]) for o in options)
