"""Read YAML safely into plain data, remembering where every key and value stood.

PyYAML's composer gives nodes with positions; we build plain Python values from them ourselves so
that duplicate keys, aliases and object-constructing tags are refused before anything is constructed.
"""

from __future__ import annotations

import datetime as dt
import errno
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trialsite.problems import DataError, Problem

MAX_BYTES = 1_000_000
JsonPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR: "text",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a boolean (true/false)",
    "tag:yaml.org,2002:null": "empty (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}


# A number as people write it. YAML 1.1 also reads 017 (octal), 0x1F (hex), 1_000 and 1:30 (base 60)
# as numbers, which is never what a figure means.
_PLAIN_NUMBER = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")
_NOT_FINITE = re.compile(r"^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$")  # reported by the schema as not finite


def field_name(path: JsonPath) -> str:
    """A JSON path as a maintainer reads it: figures[4].value."""
    parts = [str(p) if isinstance(p, str) else f"[{p}]" for p in path]
    return ".".join(parts).replace(".[", "[") or "the file"


class DateText(str):
    """Text YAML would read as a date: kept as written, but remembered so text fields can refuse it."""


class Position(NamedTuple):
    """A tuple, not a dataclass: the loader makes one for every key and value it reads."""

    line: int
    col: int


@dataclass
class Document:
    """A loaded file: plain data plus the position of each value and key, by JSON path."""

    path: str
    data: Any
    values: dict[JsonPath, Position] = field(default_factory=dict)
    keys: dict[JsonPath, Position] = field(default_factory=dict)
    read_as: dict[JsonPath, str] = field(default_factory=dict)
    source_text: dict[JsonPath, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Values the loader already refused (and reported); the schema check does not report them again.
    refused: set[JsonPath] = field(default_factory=set)
    # A number that is not finite: only jsonschema, with our rules added (trialsite.schemas), judges
    # one, so the quick schema check is skipped.
    needs_full_check: bool = False

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """The nearest known position: the value itself, else its key, else its closest parent."""
        probe = tuple(path)
        while True:
            if key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            if not probe:
                return Position(1, 1)
            probe = probe[:-1]

    def problem(self, path: JsonPath, message: str, *, key: bool = False) -> Problem:
        pos = self.position(path, key=key)
        return Problem(self.path, pos.line, pos.col, message)


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that we refuse to read, reported in its own words (not as a syntax error)."""


class _Loader(yaml.SafeLoader):
    """Safe loader that refuses aliases: they add nothing to our data and allow expansion bombs."""

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(
                problem="YAML aliases (*name) are not allowed; expected each value written out in full",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


# libyaml's loader, when PyYAML was built with it: composing large data sets about ten times faster.
_CLoader: type | None = getattr(yaml, "CSafeLoader", None)


def _has_alias(root: Node) -> bool:
    """libyaml composes an alias as the anchored node itself, so a node met twice is an alias."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return False


def _pos(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, doc: Document, loader: Any) -> None:
        self.doc = doc
        self.loader = loader
        self.problems: list[Problem] = []

    def fail(self, node: Node, message: str, path: JsonPath | None = None, *, refuse: bool = True) -> None:
        """Report a problem at a node; `path` names the field and, with `refuse`, marks its value as
        already reported so the schema check does not describe the same value a second time."""
        p = _pos(node)
        if path is not None:
            if refuse:
                self.doc.refused.add(path)
            message = f"{field_name(path)}: {message}"
        self.problems.append(Problem(self.doc.path, p.line, p.col, message))

    def build(self, node: Node, path: JsonPath) -> Any:
        self.doc.values[path] = _pos(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.fail(node, f"YAML tag {node.tag!r} is not allowed; expected a plain list", path)
                return None
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: JsonPath) -> dict[str, Any] | None:
        if node.tag != "tag:yaml.org,2002:map":
            self.fail(node, f"YAML tag {node.tag!r} is not allowed; expected a plain mapping", path)
            return None
        out: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                self.fail(key_node, "a key must be plain text, such as 'label'", path, refuse=False)
                continue
            key = key_node.value
            if key == "<<":
                self.fail(
                    key_node,
                    "YAML merge keys (<<) are not allowed; expected each key written out",
                    path,
                    refuse=False,
                )
                continue
            if key in first_seen:
                first = first_seen[key]
                self.fail(
                    key_node,
                    f"duplicate key '{key}' (first at line {first.line}); expected each key once",
                    (*path, key),
                    refuse=False,
                )
                continue
            first_seen[key] = _pos(key_node)
            self.doc.keys[(*path, key)] = _pos(key_node)
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node: ScalarNode, path: JsonPath) -> Any:
        kind = _SCALAR_TAGS.get(node.tag)
        if kind is None:
            self.fail(node, f"YAML tag {node.tag!r} is not allowed; expected a plain value", path)
            return None
        self.doc.read_as[path] = kind
        self.doc.source_text[path] = node.value
        if node.tag == _STR:
            return node.value
        unusual = not _PLAIN_NUMBER.match(node.value) and not _NOT_FINITE.match(node.value)
        if kind in ("a whole number", "a number") and unusual:
            self.fail(
                node,
                f"YAML 1.1 reads '{node.value}' as {kind} in an unusual notation; "
                "expected a plain decimal number such as 33 or 97.5 (or quotes, for text)",
                path,
            )
            return None
        try:
            value = self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.fail(node, f"cannot read '{node.value}' as {kind} ({exc}); expected a real {kind[2:]}", path)
            return None
        if isinstance(value, dt.datetime):
            self.fail(node, f"'{node.value}' is a date and time; expected a date alone (YYYY-MM-DD)", path)
            return None
        if isinstance(value, dt.date):
            return DateText(node.value)
        if isinstance(value, float) and not math.isfinite(value):
            self.doc.needs_full_check = True
        return value


_SYNTAX_HINT = "expected valid YAML (closed quotes, indentation with spaces only, 'key: value' lines)"
_TOO_DEEP = "the file nests lists or mappings too deeply to read; expected the shape in data/README.md"


def _load_fast(display: str, text: str) -> Document | None:
    """The same Document through libyaml, or None to take the pure-Python path: when libyaml is
    missing, and for any file it refuses or that uses an alias, so problems read as they always have."""
    if _CLoader is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None  # PyYAML's reader refuses these characters with its own message
    doc = Document(path=display, data=None)
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
        if node is None or _has_alias(node):
            return None
        builder = _Builder(doc, loader)
        doc.data = builder.build(node, ())
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    doc.problems = builder.problems
    return doc


def read_limited(path: Path, display: str, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, its size checked (fstat) before anything is read: a huge file is
    refused at once, not read whole. Opened without following a link, and non-blocking (a FIFO
    put in its place between the check and the open would otherwise hang)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DataError(
                [Problem(display, 1, 1, "the file is a symbolic link; expected a regular file")]
            ) from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataError(
                [Problem(display, 1, 1, "the file is not a regular file; expected a regular file")]
            )
        if info.st_size > limit:
            raise DataError(
                [Problem(display, 1, 1, f"the file is {info.st_size} bytes; expected at most {limit} bytes")]
            )
        raw = handle.read(limit + 1)  # a file growing after the check is still cut at the limit
    if len(raw) > limit:
        raise DataError(
            [Problem(display, 1, 1, f"the file is over {limit} bytes; expected at most {limit} bytes")]
        )
    return raw


def load_document(path: Path, display: str) -> Document:
    """Load one YAML file. Unreadable YAML raises DataError; lesser problems (a duplicate key, a
    refused tag) are kept in `problems` so that the rest of the file can still be checked."""
    doc = Document(path=display, data=None)
    try:
        raw = read_limited(path, display)
    except OSError as exc:
        raise DataError([Problem(display, 1, 1, f"cannot read the file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            [
                Problem(
                    display,
                    line,
                    col,
                    f"byte 0x{raw[exc.start]:02x} is not UTF-8; expected UTF-8 text: save the file as UTF-8",
                )
            ]
        ) from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise DataError([Problem(display, 1, 1, "the file is empty; expected a YAML mapping")])
    fast = _load_fast(display, text)
    if fast is not None:
        return fast
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        # A control character (NUL, ESC...): YAML refuses it before any parsing, with no mark.
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise DataError(
            [
                Problem(
                    display,
                    line,
                    col,
                    f"character U+{exc.character:04X} is not allowed; expected printable text",
                )
            ]
        ) from None
    except _Refused as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise DataError([Problem(display, line, col, str(exc.problem))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context = exc.context
        if context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            # An unclosed quote is found far below where it opened: say where the block began.
            context = f"{context} (from line {exc.context_mark.line + 1})"
        what = " ".join(x for x in (context, exc.problem) if x)
        raise DataError([Problem(display, line, col, f"YAML syntax: {what}; {_SYNTAX_HINT}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(display, 1, 1, f"YAML syntax: {exc}; {_SYNTAX_HINT}")]) from None
    except RecursionError:
        raise DataError([Problem(display, 1, 1, _TOO_DEEP)]) from None
    if node is None:
        raise DataError([Problem(display, 1, 1, "the file is empty; expected a YAML mapping")])
    builder = _Builder(doc, loader)
    try:
        doc.data = builder.build(node, ())
    except RecursionError:
        raise DataError([Problem(display, 1, 1, _TOO_DEEP)]) from None
    loader.dispose()
    doc.problems = builder.problems
    return doc
