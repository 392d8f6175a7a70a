"""Plain values (as the data files write them) and model values, and the one way between them.

A figure's plain value is what sits under `value:` in its study file: a number, text, or for a range
or cycles a mapping. Validation, the corrections rules, the correction command and the downloads all
convert through this module; comparing plain values is how a change since publication is detected.
"""

from __future__ import annotations

import math
import re
import shlex
from decimal import Decimal
from typing import Any, get_args

from trialsite.data.model import Author, CyclesValue, FigureKind, FigureValue, RangeValue

UNKNOWN = "unknown"
FIGURE_KINDS: tuple[str, ...] = get_args(FigureKind)
# The kinds of a source's fields: a piece of text (or unknown), the author list, a yes/no flag.
TEXT, AUTHORS, FLAG = "source", "authors", "flag"
# Every published field of a source, with its kind: a correction may change any of them, and the
# build refuses a change to any of them that the log does not record. (`proper_nouns` only says
# which words keep their capitals in sentence case; `known_from`, `kind` and `reports` describe the
# record itself.)
SOURCE_FIELD_KINDS = {
    "title": TEXT,
    "authors": AUTHORS,
    "authors_complete": FLAG,
    "container": TEXT,
    "container_short": TEXT,
    "publisher": TEXT,
    "issued": TEXT,
    "doi": TEXT,
    "volume": TEXT,
    "issue": TEXT,
    "pages": TEXT,
    "url": TEXT,
    "number": TEXT,
}
SOURCE_FIELDS = tuple(SOURCE_FIELD_KINDS)
# The bibliographic facts of a source: each one it states (a known value, a non-empty author list)
# carries `evidence` in data/sources.yaml, where in which retrieved text it was read. The names of
# the journal or site (container, container_short, publisher) are described in `known_from`.
EVIDENCED_FIELDS = ("title", "authors", "issued", "doi", "volume", "issue", "pages", "url", "number")
_FLAG_WORDS = {"true": True, "yes": True, "complete": True, "false": False, "no": False, "incomplete": False}
# An author written on the command line: 'Family, Given (Affiliation)' or 'Family, Given, Suffix
# (Affiliation)', or an organisation's name ("in double quotes" when it holds a comma or a ';').
_PERSON = re.compile(
    r'^(?P<family>[^,()"]+),(?P<given>[^,()"]+?)(?:,(?P<suffix>[^,()"]+?))?'
    r"\s*(?:\((?P<affiliation>[^()]+)\))?$"
)
_QUOTED = re.compile(r'^"(?P<name>[^"]+)"$')

_DASHES = "\u2013\u2014"  # en and em dash, as pasted from a document
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:[-" + _DASHES + r"]|to)\s*(-?\d+(?:\.\d+)?)\s*$")
_UP_TO = re.compile(r"^\s*up\s+to\s+(\d+)\s*$", re.IGNORECASE)


class ValueProblem(ValueError):
    """A value that does not fit its kind; the message says what was expected."""


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _is_int(v: Any) -> bool:
    return _is_number(v) and float(v).is_integer()


def _num(text: str) -> int | float:
    f = float(text)
    return int(f) if f.is_integer() and "." not in text else f


def shape_problem(kind: str, value: Any) -> str | None:
    """Why a plain value cannot be a value of this kind, or None when it can."""
    if kind == "count":
        return None if _is_int(value) and value >= 0 else "a whole number of 0 or more"
    if kind == "percent":
        return None if _is_number(value) and 0 <= value <= 100 else "a percent between 0 and 100"
    if kind == "number":
        return None if _is_number(value) else "a number"
    if kind == "range":
        ok = isinstance(value, dict) and set(value) == {"low", "high"}
        ok = ok and _is_number(value["low"]) and _is_number(value["high"]) and value["low"] <= value["high"]
        return None if ok else "a range: a mapping with low and high, low <= high"
    if kind == "cycles":
        ok = isinstance(value, dict) and set(value) == {"min", "max"} and _is_int(value["max"])
        ok = ok and (value["min"] == UNKNOWN or (_is_int(value["min"]) and value["min"] <= value["max"]))
        return None if ok else "cycles: a mapping with min (a whole number or unknown) and max"
    if kind == "qualitative":
        return None if isinstance(value, str) and value.strip() else "text"
    if kind == TEXT:
        return None if isinstance(value, str) and value.strip() else "text, or unknown"
    if kind == FLAG:
        return None if isinstance(value, bool) else "true or false"
    if kind == AUTHORS:
        return None if isinstance(value, list) and all(_is_author(a) for a in value) else _AUTHORS_EXPECTED
    return f"one of the kinds {', '.join(FIGURE_KINDS)}"


_AUTHORS_EXPECTED = "a list of authors, each a person (family, given, affiliation) or an organisation (name)"


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_author(a: Any) -> bool:
    if not isinstance(a, dict):
        return False
    if set(a) == {"name"}:
        return _is_text(a["name"])
    keys = {"family", "given", "affiliation"}
    return set(a) in (keys, keys | {"suffix"}) and all(_is_text(a[k]) for k in a)


def same(a: Any, b: Any) -> bool:
    """Equal as data: 96 and 96.0 are the same value; text must match exactly."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if _is_number(a) and _is_number(b):
        return float(a) == float(b)
    if isinstance(a, str) and isinstance(b, str):
        return str(a) == str(b)
    return False


def parse(kind: str, text: str) -> Any:
    """The plain value a maintainer means by TEXT on the command line, for a figure of this kind."""
    raw = text.strip()
    try:
        if kind == "count":
            if not re.fullmatch(r"\d+", raw):
                raise ValueError
            value: Any = int(raw)
        elif kind == "percent":
            value = _num(raw.removesuffix("%").strip())
        elif kind == "number":
            value = _num(raw.replace(",", ""))
        elif kind == "range":
            m = _RANGE.match(raw)
            if not m:
                raise ValueError
            value = {"low": _num(m.group(1)), "high": _num(m.group(2))}
        elif kind == "cycles":
            up_to = _UP_TO.match(raw)
            m = _RANGE.match(raw)
            if up_to:
                value = {"min": UNKNOWN, "max": int(up_to.group(1))}
            elif m:
                value = {"min": int(m.group(1)), "max": int(m.group(2))}
            elif re.fullmatch(r"\d+", raw):
                value = {"min": int(raw), "max": int(raw)}
            else:
                raise ValueError
        elif kind == FLAG:
            value = _FLAG_WORDS[raw.lower()]
        elif kind == AUTHORS:
            value = parse_authors(raw)
        else:  # qualitative text, or a source field
            value = " ".join(raw.split())
    except (ValueError, KeyError):
        value = None
    problem = "unreadable" if value is None else shape_problem(kind, value)
    if problem:
        raise ValueProblem(f"'{text}' is not {_EXAMPLES.get(kind, 'text')}")
    return value


_EXAMPLES = {
    "count": "a whole number such as 33",
    "percent": "a percent such as 96 or 96.5%",
    "number": "a number such as 71 or 3200",
    "range": "a range such as 60-84 or '60 to 84'",
    "cycles": "cycles such as 4-5, 2, or 'up to 2'",
    "qualitative": "text",
    TEXT: "text",
    FLAG: "true or false",
    AUTHORS: (
        "authors separated by ';', each 'Family, Given (Affiliation)', 'Family, Given, Suffix', or an "
        "organisation's name (in double quotes when it holds a comma), or none"
    ),
}


def _author_parts(text: str) -> list[str]:
    """The list split at each ';' outside double quotes (an organisation's name may hold one)."""
    parts, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if quoted:
        raise ValueError(text)
    return [*parts, "".join(current)]


def parse_authors(text: str) -> list[dict[str, str]]:
    """'Wieduwilt, Matthew J. (Wake Forest University School of Medicine); Smith, John, Jr.; "Smith,
    Jones & Co."' as plain data. A name without a comma, or one in double quotes, is an organisation;
    a third part after a comma is the person's suffix; 'none' is the empty list."""
    if text.strip().lower() == "none":
        return []
    out: list[dict[str, str]] = []
    for part in _author_parts(text):
        name = " ".join(part.split())
        quoted = _QUOTED.match(name)
        if quoted and quoted["name"].strip():
            out.append({"name": " ".join(quoted["name"].split())})
            continue
        if not name or '"' in name:
            raise ValueError(text)
        if "," not in name:
            if "(" in name or ")" in name:
                raise ValueError(text)
            out.append({"name": name})
            continue
        m = _PERSON.match(name)
        if not m:
            raise ValueError(text)
        person = {"family": m["family"].strip(), "given": m["given"].strip()}
        if m["suffix"]:
            person["suffix"] = m["suffix"].strip()
        person["affiliation"] = (m["affiliation"] or UNKNOWN).strip()
        out.append(person)
    return out


def authors_text(plain: list[dict[str, str]]) -> str:
    """The author list written as the command line takes it (the inverse of `parse_authors`)."""
    if not plain:
        return "none"
    parts = []
    for a in plain:
        if "name" in a:
            plain_name = not any(c in a["name"] for c in ',;()"')
            parts.append(a["name"] if plain_name else f'"{a["name"]}"')
        else:
            where = f" ({a['affiliation']})" if a["affiliation"] != UNKNOWN else ""
            suffix = f", {a['suffix']}" if a.get("suffix") else ""
            parts.append(f"{a['family']}, {a['given']}{suffix}{where}")
    return "; ".join(parts)


def text_form(kind: str, value: Any) -> str:
    """The value written as the command line takes it (the inverse of `parse`)."""
    if kind == AUTHORS and isinstance(value, list):
        return authors_text(value)
    if kind == FLAG and isinstance(value, bool):
        return "true" if value else "false"
    if kind in ("range", "cycles") and isinstance(value, dict):
        low, high = (value["low"], value["high"]) if kind == "range" else (value["min"], value["max"])
        return f"up to {_fmt(high)}" if low == UNKNOWN else f"{_fmt(low)}-{_fmt(high)}"
    return _fmt(value)


def as_argument(kind: str, value: Any) -> str:
    """`text_form`, quoted for a POSIX shell."""
    return shlex.quote(text_form(kind, value))


def exact(v: float) -> str:
    """A number with every digit the data holds, never rounded to a precision of its own ('{:g}'
    showed 99.99999 as 100 and logged 97 -> 97.0000001 as '97' -> '97'): the shortest text that reads
    back as the same number, without an exponent (1e-07 is 0.0000001); a whole number without '.0'."""
    if _is_int(v):
        return str(int(v))
    return format(Decimal(repr(float(v))), "f")


def _fmt(v: Any) -> str:
    return exact(v) if _is_number(v) else str(v)


def known(plain: Any) -> Any:
    """None for a value written `unknown` (shown as "not reported"); the value itself otherwise."""
    return None if plain == UNKNOWN else plain


def figure_value(kind: str, plain: Any) -> FigureValue:
    """The model value of a plain figure value (what words.values.value_text formats)."""
    if kind == "range":
        return RangeValue(low=plain["low"], high=plain["high"])
    if kind == "cycles":
        return CyclesValue(min=known(plain["min"]), max=plain["max"])
    return plain


def source_value(plain: Any) -> str | None:
    """The model value of a text field of a source: text, or None when `unknown`."""
    return known(str(plain))


def author_value(plain: dict[str, Any]) -> Author:
    if "name" in plain:
        return Author(str(plain["name"]), organisation=True)
    suffix = str(plain["suffix"]) if "suffix" in plain else None
    return Author(str(plain["family"]), str(plain["given"]), known(str(plain["affiliation"])), suffix=suffix)


def source_field_value(kind: str, plain: Any) -> str | bool | tuple[Author, ...] | None:
    """The model value of any source field, by its kind."""
    if kind == AUTHORS:
        return tuple(author_value(a) for a in plain)
    if kind == FLAG:
        return bool(plain)
    return source_value(plain)


def source_plain(kind: str, raw: Any) -> Any:
    """A source field as loaded (ruamel/YAML types) as plain data for comparing and logging."""
    if kind == AUTHORS:
        return [{str(k): str(v) for k, v in a.items()} for a in raw]
    if kind == FLAG:
        return raw
    return str(raw)


def structured(value: FigureValue) -> Any:
    """A model value as JSON data: ranges and cycles as mappings, with null where not reported."""
    if isinstance(value, RangeValue):
        return {"low": value.low, "high": value.high}
    if isinstance(value, CyclesValue):
        return {"min": value.min, "max": value.max}
    return value


def figure_plain(raw: dict[str, Any]) -> Any:
    """The plain value of a figure as loaded from its study file (dates and the like as text)."""
    value = raw["value"]
    if isinstance(value, dict):
        return {k: v for k, v in value.items()}
    return value
