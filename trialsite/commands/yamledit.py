"""Round-trip YAML for the commands that edit data files in place, keeping comments and order."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
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


@dataclass(frozen=True)
class TextFile:
    """A data file's text as ruamel.yaml reads it (no byte-order mark, '\\n' line ends), with what
    it had of those kept aside so a rewrite gives them back: a file saved by another editor keeps
    its form, and only the changed value's line differs."""

    text: str
    bom: bool
    crlf: bool

    @classmethod
    def read(cls, path: Path) -> TextFile:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        return cls(text.replace("\r\n", "\n"), raw.startswith(b"\xef\xbb\xbf"), "\r\n" in text)

    def encode(self, text: str) -> bytes:
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")
