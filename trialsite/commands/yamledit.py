"""Round-trip YAML for the commands that edit data files in place, keeping comments and order."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML


def round_trip_yaml() -> YAML:
    """Round-trip settings that reproduce our files byte for byte: 2-space maps, '  - ' lists, no re-wrap."""
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 100_000
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def dump(y: YAML, data: Any) -> str:
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()
