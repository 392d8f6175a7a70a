"""Check loaded documents and build the model from them, reporting each problem at its line and column.

Order matters: the schema first (shape and types), then what a schema cannot see: unique ids,
references between files, and whether the numbers agree with each other.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from trialsite.data.layout import SOURCES as SOURCES_FILE
from trialsite.data.load import Document, JsonPath, field_name
from trialsite.data.model import (
    Citation,
    Comparison,
    Copy,
    Derived,
    Disclosures,
    Figure,
    Group,
    Interval,
    Limit,
    Presented,
    RegimenStep,
    Relationship,
    Report,
    Source,
    Statement,
    Study,
)
from trialsite.data.schema import passes_quickly, validator
from trialsite.data.values import EVIDENCED_FIELDS, UNKNOWN, author_value, exact, figure_value, known
from trialsite.problems import Problem

if TYPE_CHECKING:
    from jsonschema import ValidationError

# --- schema ------------------------------------------------------------------------------------


def _expected_of(schema: dict[str, Any]) -> str | None:
    """A schema's own words for what it wants: its `x-expected`, or its named options (a `oneOf` of
    titled consts, such as the result groups) listed, so the list lives only in the schema."""
    if "x-expected" in schema:
        return str(schema["x-expected"])
    options = schema.get("oneOf") or []
    if options and all(isinstance(o, dict) and "const" in o for o in options):
        named = (
            f"{o['const']} ({str(o['title']).lower()})" if "title" in o else str(o["const"]) for o in options
        )
        return "one of: " + ", ".join(named)
    return None


def _expected(error: ValidationError) -> str:
    """What the schema wanted, in words: the nearest `x-expected` on the failing schema."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        # A missing field that names its own options (a figure's group) says them.
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else ""
        field_schema = (schema.get("properties") or {}).get(missing)
        own = _expected_of(field_schema) if isinstance(field_schema, dict) else None
        if own and "oneOf" in field_schema:
            return own
    expected = _expected_of(schema)
    if expected is not None:
        return expected
    if error.validator == "type":
        return str(error.validator_value)
    return "a valid value"


_field = field_name

# Validators about the kind of value; for the others (ranges, patterns) the kind was right.
_TYPE_VALIDATORS = {"type", "anyOf", "const", "enum"}


MAX_SHOWN = 60


def shown(value: object) -> str:
    """A value quoted in a message: its first line, cut short, so a message never echoes a file."""
    text = str(value)
    first = text.split("\n", 1)[0]
    cut = first[:MAX_SHOWN]
    return cut + ("..." if cut != text else "")


def _describe_found(doc: Document, path: JsonPath, instance: Any, validator: str = "type") -> str:
    written = doc.source_text.get(path)
    written = shown(written) if written is not None else None
    read_as = doc.read_as.get(path)
    if isinstance(instance, float) and not math.isfinite(instance):
        return f"YAML reads '{written}' as a number that is not finite"
    if written is not None and read_as and read_as != "text" and validator in _TYPE_VALIDATORS:
        return f"YAML reads '{written}' as {read_as}"
    if isinstance(instance, dict):
        return "found a mapping"
    if isinstance(instance, list):
        return "found a list"
    if isinstance(instance, str) and validator in _TYPE_VALIDATORS:
        return f"found the text '{shown(instance)}'"
    return f"found {written!r}" if written is not None else f"found {shown(repr(instance))}"


def _schema_problem(doc: Document, error: ValidationError) -> Problem:
    path: JsonPath = tuple(error.absolute_path)
    where = _field(path)
    expected = _expected(error)
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        return doc.problem(path, f"{where}: missing field '{missing}'; expected {expected}")
    if error.validator == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        name = extra[0] if extra else "?"
        return doc.problem(
            (*path, name),
            f"{_field((*path, name))}: unknown field '{name}'; expected one of: {', '.join(allowed)}",
            key=True,
        )
    if error.validator == "x-text":
        return doc.problem(
            path, f"{where}: YAML reads '{error.instance}' as a date; expected text: put it in quotes"
        )
    found = _describe_found(doc, path, error.instance, str(error.validator))
    return doc.problem(path, f"{where}: {found}; expected {expected}")


def check_schema(doc: Document, name: str) -> list[Problem]:
    if not doc.refused and not doc.needs_full_check and passes_quickly(name, doc.data):
        return []
    problems = []
    for error in validator(name).iter_errors(doc.data):
        # A value the loader refused (a tag, an impossible date) is already reported, and is None here.
        if tuple(error.absolute_path) in doc.refused:
            continue
        problems.append(_schema_problem(doc, error))
    return problems


# --- what a schema cannot see ------------------------------------------------------------------

_INVISIBLE = {"Cf", "Cc", "Co", "Cs", "Cn"}


def _strings(data: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


def check_characters(doc: Document) -> list[Problem]:
    """Invisible and direction-changing characters make two different ids look alike."""
    problems = []
    for path, text in _strings(doc.data):
        # str.isprintable() is False for every category in _INVISIBLE: a quick pass for most text.
        if text.replace("\n", "").replace("\t", "").isprintable():
            continue
        for ch in text:
            if ch in "\n\t":
                continue
            if unicodedata.category(ch) in _INVISIBLE:
                name = unicodedata.name(ch, "unnamed")
                problems.append(
                    doc.problem(
                        path,
                        f"{_field(path)}: invisible character U+{ord(ch):04X} ({name}); "
                        "expected visible text only: delete it",
                    )
                )
                break
    return problems


def _percent_matches(count: int, denominator: int, percent: float, decimals: int) -> bool:
    exact = Decimal(100 * count) / Decimal(denominator)
    step = Decimal(1).scaleb(-decimals)
    try:
        return exact.quantize(step, rounding=ROUND_HALF_UP) == Decimal(str(percent)).quantize(step)
    except InvalidOperation:  # more digits than Decimal keeps: no sensible count matches
        return False


MAX_DECIMALS = 6


def _decimals(written: str | None) -> int:
    """Decimals as written (97.0 means one); capped, as Decimal cannot quantize to 30 places."""
    if written and "." in written:
        digits = written.split(".", 1)[1]
        return min(len(digits.split("e")[0].split("E")[0]), MAX_DECIMALS)
    return 0


def _whole_matches(denominator: int, percent: float, decimals: int) -> list[int]:
    """The whole numbers of `denominator` that round to `percent`, found near percent * d / 100
    rather than by counting up to d (a denominator of 10**12 must not hang the build). More than
    three matches are cut to three: callers only ask whether there are none, one or several."""
    half_step = Decimal(1).scaleb(-decimals) / 2
    exact = Decimal(str(percent))
    low = int(((exact - half_step) * denominator / 100).to_integral_value(rounding="ROUND_FLOOR")) - 1
    high = int(((exact + half_step) * denominator / 100).to_integral_value(rounding="ROUND_CEILING")) + 1
    low, high = max(low, 0), min(high, denominator)
    if high - low > 8:
        high = low + 8
    found = [k for k in range(low, high + 1) if _percent_matches(k, denominator, percent, decimals)]
    return found[:3]


def _cite(raw: dict[str, Any]) -> Citation:
    return Citation(source=raw["source"], locator=raw["locator"])


# --- building the model ------------------------------------------------------------------------


class Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def unique(
        self, doc: Document, items: list[tuple[JsonPath, str]], what: str, seen: dict[str, str]
    ) -> None:
        for path, ident in items:
            if ident in seen:
                self.problems.append(
                    doc.problem(
                        path,
                        f"{_field(path)}: {what} id '{ident}' is already used ({seen[ident]}); "
                        "expected a unique id",
                    )
                )
            else:
                pos = doc.position(path)
                seen[ident] = f"{doc.path}:{pos.line}"

    def source_ref(
        self, doc: Document, path: JsonPath, source_id: str, sources: dict[str, Source], used: set[str]
    ) -> None:
        used.add(source_id)
        if source_id not in sources:
            self.problems.append(
                doc.problem(
                    path,
                    f"{_field(path)}: unknown source '{source_id}'; expected one of: "
                    f"{', '.join(sorted(sources)) or '(none)'} (from data/{SOURCES_FILE})",
                )
            )


def check_proper_nouns(doc: Document) -> list[Problem]:
    """A word listed as keeping its capitals must be in the title as written, or it is a typo."""
    problems = []
    for i, raw in enumerate(doc.data["sources"]):
        for j, word in enumerate(raw.get("proper_nouns", ())):
            if raw["title"] == UNKNOWN or word not in str(raw["title"]):
                path: JsonPath = ("sources", i, "proper_nouns", j)
                problems.append(
                    doc.problem(
                        path,
                        f"{_field(path)}: '{word}' is not in the title; expected a word or phrase of "
                        "the title exactly as written there",
                    )
                )
    return problems


def build_sources(doc: Document) -> list[Source]:
    out = []
    for i, raw in enumerate(doc.data["sources"]):
        out.append(
            Source(
                id=raw["id"],
                kind=raw["kind"],
                title=known(raw["title"]),
                authors=tuple(author_value(a) for a in raw["authors"]),
                authors_complete=raw["authors_complete"],
                container=raw["container"],
                container_short=raw["container_short"],
                publisher=known(raw["publisher"]),
                issued=known(str(raw["issued"])),
                doi=known(raw["doi"]),
                volume=known(raw["volume"]),
                issue=known(raw["issue"]),
                pages=known(raw["pages"]),
                url=known(raw["url"]),
                number=known(raw["number"]),
                reports=raw.get("reports"),
                known_from=raw["known_from"],
                data_file=doc.path,
                number_in_list=i + 1,
                proper_nouns=tuple(raw.get("proper_nouns", ())),
                byline=raw.get("byline"),
                presented_at=Presented(**raw["presented_at"]) if "presented_at" in raw else None,
                copies=tuple(Copy(**c) for c in raw.get("copies", ())),
                evidence=tuple(raw.get("evidence", {}).items()),
            )
        )
    return out


def states(field: str, plain: Any) -> bool:
    """Whether a source's field says something that needs evidence: a known value, a non-empty
    author list."""
    if field == "authors":
        return bool(plain)
    return known(plain if isinstance(plain, str) else str(plain)) is not None


def check_evidence(doc: Document, corrected: set[tuple[str, str]]) -> list[Problem]:
    """Every field a source states says where it was read; evidence for a field it does not state is
    a slip (a value removed, or evidence put under the wrong field). A field a correction filled in
    has its evidence in the log entry (its source and locator)."""
    problems = []
    for i, raw in enumerate(doc.data["sources"]):
        evidence = raw.get("evidence", {})
        for field in EVIDENCED_FIELDS:
            path: JsonPath = ("sources", i, field)
            stated = states(field, raw[field])
            if stated and field not in evidence and (raw["id"], field) not in corrected:
                problems.append(
                    doc.problem(
                        path,
                        f"{_field(path)}: {shown(raw[field])!r} is stated without evidence; expected "
                        f"evidence.{field} saying where in which retrieved text it was read (or a "
                        "correction of it in data/corrections.yaml)",
                    )
                )
            elif not stated and field in evidence:
                where: JsonPath = ("sources", i, "evidence", field)
                problems.append(
                    doc.problem(
                        where,
                        f"{_field(where)}: evidence for a field the source does not state; expected "
                        f"evidence only for the fields that are stated (remove it, or fill in {field})",
                        key=True,
                    )
                )
    return problems


def check_sources(ck: Checker, doc: Document, sources: dict[str, Source], used: set[str]) -> None:
    """What the sources schema cannot see: copy ids unique within a source, and the source that says
    where a work was presented."""
    for i, raw in enumerate(doc.data["sources"]):
        ck.unique(
            doc,
            [(("sources", i, "copies", j, "id"), c["id"]) for j, c in enumerate(raw.get("copies", ()))],
            "copy",
            {},
        )
        if "presented_at" in raw:
            path = ("sources", i, "presented_at", "source")
            ck.source_ref(doc, path, raw["presented_at"]["source"], sources, used)


def check_read_in(
    ck: Checker,
    doc: Document,
    path: JsonPath,
    source_id: str,
    read_in: list[str] | None,
    sources: dict[str, Source],
) -> tuple[str, ...]:
    """A value read in copies of its source names them; one read at the source's own address names none.

    PATH is the mapping that holds `source` and `read_in` (a figure, a report, a statement, a term)."""
    source = sources.get(source_id)
    if source is None:  # reported as an unknown source already
        return ()
    names = ", ".join(c.id for c in source.copies)
    if read_in is None:
        if source.copies:
            ck.add(
                [
                    doc.problem(
                        (*path, "source"),
                        f"{_field(path)}: source '{source_id}' was read in copies, but read_in does not "
                        f"say which; expected read_in with one or more of: {names}",
                    )
                ]
            )
        return ()
    if not source.copies:
        ck.add(
            [
                doc.problem(
                    (*path, "read_in"),
                    f"{_field((*path, 'read_in'))}: source '{source_id}' lists no copies (it was read at "
                    "its own address); expected no read_in here",
                    key=True,
                )
            ]
        )
        return ()
    for k, copy_id in enumerate(read_in):
        if copy_id not in {c.id for c in source.copies}:
            where = (*path, "read_in", k)
            ck.add(
                [
                    doc.problem(
                        where,
                        f"{_field(where)}: unknown copy '{copy_id}' of source '{source_id}'; "
                        f"expected one of: {names}",
                    )
                ]
            )
    return tuple(read_in)


def _intervals(
    ck: Checker, doc: Document, path: JsonPath, kind: str, value: Any, raw: list[dict[str, Any]]
) -> tuple[Interval, ...]:
    """Each confidence interval is ordered and contains the value it is an interval of."""
    out = []
    for k, iv in enumerate(raw):
        where: JsonPath = (*path, "ci", k)
        low, high, level = iv["low"], iv["high"], iv["level"]
        out.append(Interval(level, low, high, iv.get("sided"), iv.get("note")))
        if low > high:
            ck.add(
                [
                    doc.problem(
                        (*where, "low"),
                        f"{_field(where)}: low {low} is above high {high}; expected low <= high",
                    )
                ]
            )
        elif kind not in ("percent", "count", "number"):
            ck.add(
                [
                    doc.problem(
                        where,
                        f"{_field(where)}: a confidence interval is only for a single number (a count, "
                        f"percent or number), not a {kind} figure; expected no ci here",
                    )
                ]
            )
        elif not low <= value <= high:
            ck.add(
                [
                    doc.problem(
                        where,
                        f"{_field(where)}: the {exact(level)}% interval {exact(low)} to {exact(high)} "
                        f"does not contain the value {exact(value)}; expected an interval around the value "
                        "(check both against the source)",
                    )
                ]
            )
    return tuple(out)


def build_statements(
    ck: Checker,
    doc: Document,
    path: JsonPath,
    raw: list[dict[str, Any]],
    sources: dict[str, Source],
    used: set[str],
) -> tuple[Statement, ...]:
    out = []
    for k, item in enumerate(raw):
        where: JsonPath = (*path, k)
        ck.source_ref(doc, (*where, "source"), item["source"], sources, used)
        read_in = check_read_in(ck, doc, where, item["source"], item.get("read_in"), sources)
        out.append(Statement(item["text"], _cite(item), read_in))
    return tuple(out)


def _check_figure_numbers(
    ck: Checker, doc: Document, path: JsonPath, raw: dict[str, Any], counts: dict[str, int]
) -> Derived | None:
    """Consistency of one figure's numbers; returns the count derived from a percent, if any."""
    kind, value = raw["kind"], raw["value"]
    if kind == "range" and value["low"] > value["high"]:
        ck.add(
            [
                doc.problem(
                    (*path, "value", "low"),
                    f"{_field((*path, 'value'))}: low {value['low']} is above "
                    f"high {value['high']}; expected low <= high",
                )
            ]
        )
    if kind == "cycles" and known(value["min"]) is not None and value["min"] > value["max"]:
        ck.add(
            [
                doc.problem(
                    (*path, "value", "min"),
                    f"{_field((*path, 'value'))}: min {value['min']} is above "
                    f"max {value['max']}; expected min <= max",
                )
            ]
        )
    denominator_raw = raw["denominator"]
    if isinstance(denominator_raw, str) and denominator_raw != UNKNOWN:
        if denominator_raw not in counts:
            ck.add(
                [
                    doc.problem(
                        (*path, "denominator"),
                        f"{_field((*path, 'denominator'))}: '{denominator_raw}' is not a count figure of "
                        f"this study; expected one of: {', '.join(sorted(counts)) or '(none)'}, "
                        "a whole number, or unknown",
                    )
                ]
            )
            return None
        denominator: int | None = counts[denominator_raw]
    elif isinstance(denominator_raw, int):
        denominator = denominator_raw
    else:
        denominator = None
    if denominator == 0:
        what = "'" + denominator_raw + "' is 0" if isinstance(denominator_raw, str) else "0"
        ck.add(
            [
                doc.problem(
                    (*path, "denominator"),
                    f"{_field((*path, 'denominator'))}: {what}, and no percent is a share of nothing; "
                    "expected a count of 1 or more",
                )
            ]
        )
        return None
    if kind != "percent":
        if "count" in raw:
            ck.add(
                [
                    doc.problem(
                        (*path, "count"),
                        f"{_field((*path, 'count'))}: a count is only for a percent "
                        "figure; expected no 'count' here",
                        key=True,
                    )
                ]
            )
        return None
    decimals = _decimals(doc.source_text.get((*path, "value")))
    if denominator is None:
        return None
    if "count" in raw:
        count = raw["count"]
        if count > denominator or not _percent_matches(count, denominator, value, decimals):
            ck.add(
                [
                    doc.problem(
                        (*path, "count"),
                        f"{_field((*path, 'count'))}: {count} of {denominator} is "
                        f"{100 * count / denominator:.2f}%, which does not round to the stated {value}%; "
                        "expected a count and denominator that give the percent",
                    )
                ]
            )
        return None
    matches = _whole_matches(denominator, value, decimals)
    if raw["basis"] == "proportion":
        if not matches:
            ck.add(
                [
                    doc.problem(
                        (*path, "value"),
                        f"{_field((*path, 'value'))}: no whole number of {denominator} gives {value}%; "
                        "expected a percent that is a share of the denominator, or basis: estimate",
                    )
                ]
            )
            return None
        # A count is shown only when the source states the denominator of this very figure: one
        # borrowed from another figure (the number treated) may not be what the percent is of.
        if len(matches) == 1 and isinstance(denominator_raw, int):
            return Derived(
                count=matches[0],
                denominator=denominator,
                explanation=f"the only whole number of {denominator} that rounds to {value}%",
            )
    return None


def _disclosures(raw: dict[str, Any] | None) -> Disclosures | None:
    if raw is None:
        return None
    relationships = tuple(
        Relationship(r["person"], tuple(r["kinds"]), tuple(r["companies"])) for r in raw["relationships"]
    )
    return Disclosures(raw["statement"], relationships, _cite(raw))


def _denominator(raw: dict[str, Any], counts: dict[str, int]) -> tuple[int | None, str | None]:
    """(denominator, the count figure it was taken from) as the model keeps them."""
    denominator_raw = raw.get("denominator", UNKNOWN)
    if isinstance(denominator_raw, str):
        figure = denominator_raw if denominator_raw != UNKNOWN else None
        return counts.get(denominator_raw), figure
    return denominator_raw, None


REASONS_TEXT = "lay-wording, definition, time-point, starting-point, data-cut"


def _build_reports(
    ck: Checker,
    doc: Document,
    path: JsonPath,
    raw: dict[str, Any],
    counts: dict[str, int],
    sources: dict[str, Source],
    used: set[str],
    derived: Derived | None,
) -> tuple[tuple[Report, ...], Comparison | None]:
    """Every report of one figure, its own fields first; each checked as a figure is (source, copies,
    numbers, intervals), and together (one report per source; a comparison that says why they differ)."""
    kind = raw["kind"]
    denominator, denominator_figure = _denominator(raw, counts)
    primary = Report(
        figure_id=raw["id"],
        primary=True,
        value=figure_value(kind, raw["value"]),
        label=None,
        wording=raw.get("wording"),
        measures=None,
        defined_at=raw.get("defined_at"),
        timepoint=known(raw["timepoint"]),
        denominator=denominator,
        denominator_figure=denominator_figure,
        basis=raw["basis"],
        intervals=_intervals(ck, doc, path, kind, raw["value"], raw.get("ci", [])),
        data_cut=known(raw.get("data_cut", UNKNOWN)),
        cite=_cite(raw),
        read_in=check_read_in(ck, doc, path, raw["source"], raw.get("read_in"), sources),
        notes=known(raw["notes"]),
        line=doc.position(path).line,
        derived=derived,
    )
    reports = [primary]
    seen: dict[str, JsonPath] = {raw["source"]: (*path, "source")}
    for j, rep in enumerate(raw.get("also_reported", ())):
        rpath: JsonPath = (*path, "also_reported", j)
        source_id = rep["source"]
        ck.source_ref(doc, (*rpath, "source"), source_id, sources, used)
        if source_id in seen:
            first = seen[source_id]
            ck.add(
                [
                    doc.problem(
                        (*rpath, "source"),
                        f"{_field((*rpath, 'source'))}: source '{source_id}' already reports this figure "
                        f"({_field(first)}, line {doc.position(first).line}); expected one report per "
                        "source: put what it says in that one report",
                    )
                ]
            )
        seen.setdefault(source_id, (*rpath, "source"))
        numbers = {
            "kind": kind,
            "value": rep["value"],
            "denominator": rep.get("denominator", UNKNOWN),
            "basis": rep.get("basis", raw["basis"]),
            **({"count": rep["count"]} if "count" in rep else {}),
        }
        rep_derived = _check_figure_numbers(ck, doc, rpath, numbers, counts)
        rep_denominator, rep_denominator_figure = _denominator(numbers, counts)
        reports.append(
            Report(
                figure_id=raw["id"],
                primary=False,
                value=figure_value(kind, rep["value"]),
                label=rep.get("label"),
                wording=rep["wording"],
                measures=rep.get("measures"),
                defined_at=rep.get("defined_at"),
                timepoint=known(rep.get("timepoint", UNKNOWN)),
                denominator=rep_denominator,
                denominator_figure=rep_denominator_figure,
                basis=numbers["basis"],
                intervals=_intervals(ck, doc, rpath, kind, rep["value"], rep.get("ci", [])),
                data_cut=known(rep.get("data_cut", UNKNOWN)),
                cite=_cite(rep),
                read_in=check_read_in(ck, doc, rpath, source_id, rep.get("read_in"), sources),
                notes=known(rep.get("notes", UNKNOWN)),
                line=doc.position(rpath).line,
                derived=rep_derived,
            )
        )

    raw_comparison = raw.get("comparison")
    if len(reports) > 1 and raw_comparison is None:
        ck.add(
            [
                doc.problem(
                    (*path, "also_reported"),
                    f"{_field((*path, 'also_reported'))}: {len(reports)} reports but no comparison; "
                    "expected comparison: same_measure, reasons and explanation (how the reports "
                    "relate, as far as the sources say)",
                    key=True,
                )
            ]
        )
    if raw_comparison is None:
        return tuple(reports), None
    if len(reports) == 1:
        ck.add(
            [
                doc.problem(
                    (*path, "comparison"),
                    f"{_field((*path, 'comparison'))}: only one source reports this figure; expected "
                    "also_reported with the other reports, or no comparison",
                    key=True,
                )
            ]
        )
    same_measure = raw_comparison["same_measure"]
    comparison = Comparison(
        same_measure=None if same_measure == UNKNOWN else bool(same_measure),
        reasons=tuple(raw_comparison["reasons"]),
        explanation=raw_comparison["explanation"],
    )
    # Reports of one measure may still differ in value (a correction, a later analysis): the site then
    # says the sources do not say why. Reports that may not measure the same thing must say why not.
    if comparison.same_measure is not True and not comparison.reasons:
        where = (*path, "comparison", "reasons")
        said = "false" if comparison.same_measure is False else "unknown"
        ck.add(
            [
                doc.problem(
                    where,
                    f"{_field(where)}: same_measure is {said}, but no reason is given; expected one or "
                    f"more of {REASONS_TEXT} (as far as the sources say), explained in "
                    "comparison.explanation",
                )
            ]
        )
    return tuple(reports), comparison


def build_study(
    ck: Checker, doc: Document, sources: dict[str, Source], used: set[str], figure_ids: dict[str, str]
) -> Study | None:
    data = doc.data
    raw_study = data["study"]
    ck.unique(
        doc, [(("figures", i, "id"), f["id"]) for i, f in enumerate(data["figures"])], "figure", figure_ids
    )

    for path in (
        ("study", "registration", "source"),
        ("study", "chair", "source"),
        ("study", "population", "source"),
        ("study", "regimen", "source"),
        ("study", "publication"),
    ):
        node: Any = data
        for part in path:
            node = node[part]
        ck.source_ref(doc, path, node, sources, used)
    for i, group in enumerate(raw_study["groups"]):
        ck.source_ref(doc, ("study", "groups", i, "source"), group["source"], sources, used)
    for i, limit in enumerate(raw_study.get("limits", [])):
        path = ("study", "limits", i)
        if "cite" in limit:
            ck.source_ref(doc, (*path, "cite", "source"), limit["cite"]["source"], sources, used)
        if ("cite" in limit) == bool(limit.get("general")):
            ck.add(
                [
                    doc.problem(
                        path,
                        f"{_field(path)}: a limit needs either cite (source and locator) or general: true, "
                        "not both and not neither; expected one of them",
                    )
                ]
            )
    if "disclosures" in raw_study:
        disclosed = raw_study["disclosures"]["source"]
        ck.source_ref(doc, ("study", "disclosures", "source"), disclosed, sources, used)
    publication = sources.get(raw_study["publication"])
    if publication is not None and (publication.kind != "journal-article" or publication.title is None):
        path = ("study", "publication")
        ck.add(
            [
                doc.problem(
                    path,
                    f"{_field(path)}: '{publication.id}' is a {publication.kind}"
                    f"{'' if publication.title else ' with no known title'}; expected the id of the journal "
                    "article that reports the results, with its title",
                )
            ]
        )

    counts = {f["id"]: f["value"] for f in data["figures"] if f["kind"] == "count"}
    figures = []
    for i, raw in enumerate(data["figures"]):
        path: JsonPath = ("figures", i)
        ck.source_ref(doc, (*path, "source"), raw["source"], sources, used)
        derived = _check_figure_numbers(ck, doc, path, raw, counts)
        reports, comparison = _build_reports(ck, doc, path, raw, counts, sources, used, derived)
        denominator_raw = raw["denominator"]
        figures.append(
            Figure(
                id=raw["id"],
                study_id=raw_study["id"],
                label=raw["label"],
                kind=raw["kind"],
                value=figure_value(raw["kind"], raw["value"]),
                unit=known(raw["unit"]),
                measures=raw["measures"],
                timepoint=known(raw["timepoint"]),
                denominator=counts.get(denominator_raw)
                if isinstance(denominator_raw, str)
                else denominator_raw,
                denominator_figure=denominator_raw
                if isinstance(denominator_raw, str) and denominator_raw != UNKNOWN
                else None,
                basis=raw["basis"],
                cite=_cite(raw),
                group=raw["group"],
                headline=raw["headline"],
                notes=known(raw["notes"]),
                data_file=doc.path,
                line=doc.position(path).line,
                derived=derived,
                reports=reports,
                comparison=comparison,
                related=tuple(raw.get("related", ())),
            )
        )
    by_id = {f.id: f for f in figures}
    for i, raw in enumerate(data["figures"]):
        for k, other in enumerate(raw.get("related", ())):
            if other not in by_id or other == raw["id"]:
                where = ("figures", i, "related", k)
                what = "this figure itself" if other == raw["id"] else "not a figure of this study"
                ck.add(
                    [
                        doc.problem(
                            where,
                            f"{_field(where)}: '{other}' is {what}; expected the id of another figure "
                            "of this study",
                        )
                    ]
                )
    for k, other in enumerate(raw_study["regimen"].get("figures", ())):
        if other not in by_id:
            where = ("study", "regimen", "figures", k)
            ck.add(
                [
                    doc.problem(
                        where,
                        f"{_field(where)}: '{other}' is not a figure of this study; expected one of: "
                        f"{', '.join(sorted(by_id))}",
                    )
                ]
            )
    for k, other in enumerate(raw_study.get("at_a_glance", ())):
        if other not in by_id:
            where = ("study", "at_a_glance", k)
            ck.add(
                [
                    doc.problem(
                        where,
                        f"{_field(where)}: '{other}' is not a figure of this study; expected one of: "
                        f"{', '.join(sorted(by_id))}",
                    )
                ]
            )
    for i, step in enumerate(raw_study["regimen"]["steps"]):
        target = by_id.get(step["figure"])
        if target is None or target.kind != "cycles":
            path = ("study", "regimen", "steps", i, "figure")
            cycles = sorted(f.id for f in figures if f.kind == "cycles")
            ck.add(
                [
                    doc.problem(
                        path,
                        f"{_field(path)}: '{step['figure']}' is not a cycles figure of this study; "
                        f"expected one of: {', '.join(cycles) or '(none)'}",
                    )
                ]
            )
    for i, limit in enumerate(raw_study.get("limits", [])):
        if "figure" in limit and limit["figure"] not in by_id:
            path = ("study", "limits", i, "figure")
            ck.add(
                [
                    doc.problem(
                        path,
                        f"{_field(path)}: '{limit['figure']}' is not a figure of this study; "
                        f"expected one of: {', '.join(sorted(by_id))}",
                    )
                ]
            )
    if not any(f.headline for f in figures):
        ck.add(
            [
                doc.problem(
                    ("figures",),
                    "figures: none is marked headline: true; expected at least one for the Home page",
                )
            ]
        )
    return Study(
        id=raw_study["id"],
        name=raw_study["name"],
        cohort=raw_study["cohort"],
        short_title=raw_study["short_title"],
        registry_id=raw_study["registration"]["registry_id"],
        registration=Citation(raw_study["registration"]["source"], "registry record"),
        publication=raw_study["publication"],
        chair_name=raw_study["chair"]["name"],
        chair_role=raw_study["chair"]["role"],
        chair_affiliation=known(raw_study["chair"]["affiliation"]),
        chair_cite=_cite(raw_study["chair"]),
        groups=tuple(Group(g["name"], g["role"], _cite(g)) for g in raw_study["groups"]),
        population_summary=raw_study["population"]["summary"],
        population_criteria=tuple(raw_study["population"]["criteria"]),
        population_cite=_cite(raw_study["population"]),
        regimen_summary=raw_study["regimen"]["summary"],
        regimen_steps=tuple(RegimenStep(s["drug"], s["figure"]) for s in raw_study["regimen"]["steps"]),
        regimen_cite=_cite(raw_study["regimen"]),
        limits=tuple(
            Limit(x["text"], x.get("figure"), _cite(x["cite"]) if "cite" in x else None)
            for x in raw_study.get("limits", [])
        ),
        disclosures=_disclosures(raw_study.get("disclosures")),
        figures=tuple(figures),
        data_file=doc.path,
        population_details=build_statements(
            ck,
            doc,
            ("study", "population", "details"),
            raw_study["population"].get("details", []),
            sources,
            used,
        ),
        regimen_details=build_statements(
            ck, doc, ("study", "regimen", "details"), raw_study["regimen"].get("details", []), sources, used
        ),
        regimen_figures=tuple(raw_study["regimen"].get("figures", ())),
        design=build_statements(ck, doc, ("study", "design"), raw_study.get("design", []), sources, used),
        at_a_glance=tuple(raw_study.get("at_a_glance", ())),
        not_reported=tuple((x["group"], x["text"]) for x in raw_study.get("not_reported", [])),
    )
