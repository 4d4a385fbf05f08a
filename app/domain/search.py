"""Search input rules (pure): filterable fields and operators, validation, Lucene escaping and
synonym expansion. Nothing here builds Cypher; app/graph/search_repo.py compiles what this checks."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from app.errors import ValidationFailed

MAX_PAGE = 100
DEFAULT_PAGE = 20
MAX_TEXT = 500
MAX_GROUPS = 10
MAX_CONDITIONS = 20
MAX_METRICS = 5
MAX_VALUES = 100
MAX_FACET_SIZE = 50
PROP_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
FEATURE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_./-]{0,63}")
METRIC_KEY = FEATURE_KEY


class Kind(Enum):
    """How a field's value is stored: decides which operators apply and which value is needed."""

    STRING = "string"
    LIST = "list"
    NUMBER = "number"
    TIME = "time"
    BOOL = "bool"
    SCALAR = "scalar"  # custom property: string, number or boolean


class FilterField(Enum):
    DOMAIN = "DOMAIN"
    TASK = "TASK"
    DATA_DOMAIN = "DATA_DOMAIN"
    FRAMEWORK = "FRAMEWORK"
    LICENCE = "LICENCE"
    OWNER = "OWNER"
    TEAM = "TEAM"
    ALIAS = "ALIAS"
    TAG = "TAG"
    REGULATORY = "REGULATORY"
    STATUS = "STATUS"
    MODEL_NAME = "MODEL_NAME"
    TRAINING_DURATION = "TRAINING_DURATION"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"
    CUSTOM = "CUSTOM"
    FEATURE_USED = "FEATURE_USED"
    FEATURE_IMPORTANCE = "FEATURE_IMPORTANCE"
    CONTAINS_PERSONAL_DATA = "CONTAINS_PERSONAL_DATA"
    TRAINED_ON = "TRAINED_ON"
    FINDING = "FINDING"


class FilterOp(Enum):
    EQ = "EQ"
    NEQ = "NEQ"
    IN = "IN"
    GT = "GT"
    GTE = "GTE"
    LT = "LT"
    LTE = "LTE"
    EXISTS = "EXISTS"
    PREFIX = "PREFIX"


class SortBy(Enum):
    RELEVANCE = "RELEVANCE"
    CREATED_AT = "CREATED_AT"
    METRIC = "METRIC"


class TextMode(Enum):
    SIMPLE = "SIMPLE"  # every word must match; special characters are literal
    LUCENE = "LUCENE"  # the caller writes Lucene syntax; syntax errors are validation errors


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    description: str
    vocabulary: str | None = None
    needs_key: bool = False
    facet: bool = False


FIELDS: dict[FilterField, FieldSpec] = {
    FilterField.DOMAIN: FieldSpec(Kind.STRING, "Business domain of the model.", "domain", facet=True),
    FilterField.TASK: FieldSpec(Kind.STRING, "ML task of the model (narrower tasks match too).", "task", facet=True),
    FilterField.DATA_DOMAIN: FieldSpec(Kind.LIST, "Data domain of any training dataset version.", "domain", facet=True),
    FilterField.FRAMEWORK: FieldSpec(Kind.STRING, "Framework of the training run.", facet=True),
    FilterField.LICENCE: FieldSpec(Kind.STRING, "Licence of the model.", facet=True),
    FilterField.OWNER: FieldSpec(Kind.LIST, "An owner of the model.", facet=True),
    FilterField.TEAM: FieldSpec(Kind.LIST, "An owning team of the model.", facet=True),
    FilterField.ALIAS: FieldSpec(Kind.LIST, "An alias (stage) currently pointing at the version.", facet=True),
    FilterField.TAG: FieldSpec(Kind.LIST, "A tag of the model.", facet=True),
    FilterField.REGULATORY: FieldSpec(Kind.LIST, "A regulatory constraint of the model.", "regulation", facet=True),
    FilterField.STATUS: FieldSpec(Kind.STRING, "Status of the version (READY, ARCHIVED).", facet=True),
    FilterField.MODEL_NAME: FieldSpec(Kind.STRING, "Name of the model."),
    FilterField.TRAINING_DURATION: FieldSpec(Kind.NUMBER, "Training run duration in seconds."),
    FilterField.CREATED_AT: FieldSpec(Kind.TIME, "When the version was registered."),
    FilterField.UPDATED_AT: FieldSpec(Kind.TIME, "When the model's metadata last changed."),
    FilterField.CUSTOM: FieldSpec(Kind.SCALAR, "Custom property `key` of the version or its model.", needs_key=True),
    FilterField.FEATURE_USED: FieldSpec(Kind.LIST, "Name of a feature the training run used."),
    FilterField.FEATURE_IMPORTANCE: FieldSpec(Kind.NUMBER, "Importance score of feature `key`.", needs_key=True),
    FilterField.CONTAINS_PERSONAL_DATA: FieldSpec(
        Kind.BOOL,
        "True when any training dataset version contains (or does not declare) personal data.",
        facet=True,
    ),
    FilterField.TRAINED_ON: FieldSpec(Kind.LIST, "Id of a dataset version the training run used."),
    FilterField.FINDING: FieldSpec(
        Kind.LIST,
        "Check of an open validation finding on the version (artifact_missing, artifact_corrupt, or a "
        "policy check such as intended_use_missing); EXISTS: the version has any open finding.",
        facet=True,
    ),
}

ORDERING = (FilterOp.GT, FilterOp.GTE, FilterOp.LT, FilterOp.LTE)
OPS: dict[Kind, tuple[FilterOp, ...]] = {
    Kind.STRING: (FilterOp.EQ, FilterOp.NEQ, FilterOp.IN, FilterOp.EXISTS, FilterOp.PREFIX),
    Kind.LIST: (FilterOp.EQ, FilterOp.NEQ, FilterOp.IN, FilterOp.EXISTS, FilterOp.PREFIX),
    Kind.NUMBER: (FilterOp.EQ, FilterOp.NEQ, *ORDERING, FilterOp.EXISTS),
    Kind.TIME: (*ORDERING, FilterOp.EXISTS),
    Kind.BOOL: (FilterOp.EQ, FilterOp.NEQ),
    Kind.SCALAR: (
        FilterOp.EQ,
        FilterOp.NEQ,
        FilterOp.IN,
        *ORDERING,
        FilterOp.EXISTS,
        FilterOp.PREFIX,
    ),
}
METRIC_OPS = (FilterOp.EQ, FilterOp.NEQ, *ORDERING)


@dataclass(frozen=True)
class Term:
    """A controlled-vocabulary entry as search needs it."""

    vocabulary: str
    value: str
    synonyms: tuple[str, ...] = ()
    broader: str | None = None


@dataclass(frozen=True)
class Condition:
    field: FilterField
    op: FilterOp
    value: Any = None  # str | float | bool | datetime | list[str] | None (EXISTS)
    key: str | None = None


@dataclass(frozen=True)
class MetricThreshold:
    name: str
    op: FilterOp
    value: float
    dataset: str | None = None
    slice: str | None = None


@dataclass(frozen=True)
class Sort:
    by: SortBy = SortBy.RELEVANCE
    descending: bool = True
    metric: str | None = None
    dataset: str | None = None


@dataclass(frozen=True)
class Cursor:
    key: float
    id: str


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: every value checked, every name from an enum."""

    text: str | None = None
    text_mode: TextMode = TextMode.SIMPLE
    groups: tuple[tuple[Condition, ...], ...] = ()
    metrics: tuple[MetricThreshold, ...] = ()
    facets: tuple[FilterField, ...] = ()
    facet_size: int = 10
    sort: Sort = field(default_factory=Sort)
    first: int = DEFAULT_PAGE
    after: Cursor | None = None


@dataclass(frozen=True)
class Reader:
    """What the caller may see of classified custom properties, as policy answered for this request:
    the classes readable on any version, and those readable on versions of models the caller owns
    (by name or team). A CUSTOM filter matches only values of a class the caller may read, so a
    filter can never tell a reader what the value it may not see is, or that it exists. The default
    reads public values only (anything not classified is public)."""

    name: str = ""
    teams: tuple[str, ...] = ()
    readable: frozenset[str] = frozenset({"public"})
    readable_if_owner: frozenset[str] = frozenset({"public"})


def custom_keys(req: SearchRequest) -> list[str]:
    """The custom property keys the request filters on, in order, once each."""
    keys = [c.key for group in req.groups for c in group if c.field is FilterField.CUSTOM and c.key]
    return list(dict.fromkeys(keys))


def fail(name: str, rule: str) -> ValidationFailed:
    return ValidationFailed(f"{name}: {rule}", field=name)


# ---- conditions ------------------------------------------------------------------------------


def condition(where: str, raw: Mapping[str, Any]) -> Condition:
    """Check one `{field, op, value|values|number|flag|at, key}` against the field's kind."""
    fld = _enum(FilterField, f"{where}.field", raw.get("field"))
    op = _enum(FilterOp, f"{where}.op", raw.get("op"))
    spec = FIELDS[fld]
    if op not in OPS[spec.kind]:
        allowed = ", ".join(o.value for o in OPS[spec.kind])
        raise fail(f"{where}.op", f"{op.value} does not apply to {fld.value}; use one of {allowed}")
    key = _key(where, fld, raw.get("key")) if spec.needs_key else None
    if op is FilterOp.EXISTS:
        return Condition(fld, op, None, key)
    return Condition(fld, op, _value(where, spec.kind, op, raw), key)


def _key(where: str, fld: FilterField, raw: Any) -> str:
    pattern = PROP_KEY if fld is FilterField.CUSTOM else FEATURE_KEY
    if not isinstance(raw, str) or not pattern.fullmatch(raw):
        raise fail(f"{where}.key", f"{fld.value} needs a key matching {pattern.pattern}")
    return raw


def _value(where: str, kind: Kind, op: FilterOp, raw: Mapping[str, Any]) -> Any:
    if op is FilterOp.IN:
        values = raw.get("values")
        if not isinstance(values, list) or not values or len(values) > MAX_VALUES:
            raise fail(f"{where}.values", f"IN needs 1-{MAX_VALUES} values")
        return [_string(f"{where}.values[{i}]", x) for i, x in enumerate(values)]
    if kind in (Kind.STRING, Kind.LIST) or op is FilterOp.PREFIX:
        return _string(f"{where}.value", raw.get("value"))
    if kind is Kind.NUMBER:
        return _number(f"{where}.number", raw.get("number"))
    if kind is Kind.TIME:
        at = raw.get("at")
        if not isinstance(at, datetime) or at.tzinfo is None:
            raise fail(f"{where}.at", "needs a timezone-aware time (e.g. 2026-01-01T00:00:00Z)")
        return at
    if kind is Kind.BOOL:
        return _flag(f"{where}.flag", raw.get("flag"))
    return _scalar(where, op, raw)


def _scalar(where: str, op: FilterOp, raw: Mapping[str, Any]) -> Any:
    given = [k for k in ("value", "number", "flag") if raw.get(k) is not None]
    if len(given) != 1:
        raise fail(f"{where}.value", "a CUSTOM filter needs exactly one of value, number or flag")
    if op in ORDERING and given[0] != "number":
        raise fail(f"{where}.number", f"{op.value} compares numbers; give `number`")
    if given[0] == "number":
        return _number(f"{where}.number", raw["number"])
    if given[0] == "flag":
        return _flag(f"{where}.flag", raw["flag"])
    return _string(f"{where}.value", raw["value"])


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 512:
        raise fail(name, "needs a string of 1-512 characters")
    return value


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(name, "needs a finite number")
    return float(value)


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise fail(name, "needs true or false")
    return value


def _enum(enum: type[Any], name: str, value: Any) -> Any:
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise fail(name, f"must be one of {allowed} (got {value!r})") from None


# ---- whole request ---------------------------------------------------------------------------


def request(raw: Mapping[str, Any]) -> SearchRequest:
    """Validate a snake_case search input (as GraphQL or a saved search delivers it)."""
    text = raw.get("text")
    if text is not None:
        text = text.strip()
        if len(text) > MAX_TEXT or any(ord(c) < 32 for c in text):
            raise fail("text", f"must be at most {MAX_TEXT} characters without control characters")
    groups = _groups(raw.get("filters") or [])
    metrics = tuple(_metric(f"metrics[{i}]", m) for i, m in enumerate(raw.get("metrics") or []))
    if len(metrics) > MAX_METRICS:
        raise fail("metrics", f"at most {MAX_METRICS} thresholds")
    facets = tuple(_enum(FilterField, f"facets[{i}]", f) for i, f in enumerate(raw.get("facets") or []))
    for i, facet in enumerate(facets):
        if not FIELDS[facet].facet:
            raise fail(
                f"facets[{i}]",
                f"{facet.value} has no facet counts; facetable: {', '.join(facet_names())}",
            )
    first = raw.get("first") or DEFAULT_PAGE
    if not 1 <= first <= MAX_PAGE:
        raise fail("first", f"must be between 1 and {MAX_PAGE} (got {first})")
    facet_size = raw.get("facet_size") or 10
    if not 1 <= facet_size <= MAX_FACET_SIZE:
        raise fail("facetSize", f"must be between 1 and {MAX_FACET_SIZE}")
    mode = _enum(TextMode, "textMode", raw.get("text_mode") or TextMode.SIMPLE)
    sort = _sort(raw.get("sort") or {}, bool(text))
    after = decode_cursor(raw["after"]) if raw.get("after") else None
    return SearchRequest(text or None, mode, groups, metrics, facets, facet_size, sort, first, after)


def facet_names() -> list[str]:
    return [f.value for f, spec in FIELDS.items() if spec.facet]


def _groups(raw: list[Mapping[str, Any]]) -> tuple[tuple[Condition, ...], ...]:
    if len(raw) > MAX_GROUPS:
        raise fail("filters", f"at most {MAX_GROUPS} anyOf groups")
    groups = []
    for g, group in enumerate(raw):
        conds = group.get("all_of") or []
        if not conds or len(conds) > MAX_CONDITIONS:
            raise fail(f"filters[{g}].allOf", f"needs 1-{MAX_CONDITIONS} conditions")
        groups.append(tuple(condition(f"filters[{g}].allOf[{c}]", raw_c) for c, raw_c in enumerate(conds)))
    return tuple(groups)


def _metric(where: str, raw: Mapping[str, Any]) -> MetricThreshold:
    name = raw.get("name")
    if not isinstance(name, str) or not METRIC_KEY.fullmatch(name):
        raise fail(f"{where}.name", f"must match {METRIC_KEY.pattern}")
    op = _enum(FilterOp, f"{where}.op", raw.get("op"))
    if op not in METRIC_OPS:
        raise fail(f"{where}.op", f"must be one of {', '.join(o.value for o in METRIC_OPS)}")
    dataset = _string(f"{where}.dataset", raw["dataset"]) if raw.get("dataset") else None
    slice_ = _string(f"{where}.slice", raw["slice"]) if raw.get("slice") else None
    return MetricThreshold(name, op, _number(f"{where}.value", raw.get("value")), dataset, slice_)


def _sort(raw: Mapping[str, Any], has_text: bool) -> Sort:
    default = SortBy.RELEVANCE if has_text else SortBy.CREATED_AT
    by = _enum(SortBy, "sort.by", raw.get("by") or default)
    descending = raw.get("descending")
    metric = raw.get("metric")
    if by is SortBy.METRIC and (not isinstance(metric, str) or not METRIC_KEY.fullmatch(metric)):
        raise fail("sort.metric", "sorting by METRIC needs a metric name")
    dataset = _string("sort.dataset", raw["dataset"]) if raw.get("dataset") else None
    return Sort(by, True if descending is None else bool(descending), metric, dataset)


# ---- cursors ---------------------------------------------------------------------------------


def encode_cursor(key: float, node_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, node_id]).encode()).decode()


def decode_cursor(raw: str) -> Cursor:
    try:
        key, node_id = json.loads(base64.urlsafe_b64decode(raw.encode()))
        if isinstance(key, bool) or not isinstance(key, int | float) or not isinstance(node_id, str):
            raise ValueError
        return Cursor(float(key), node_id)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise fail("after", "is not a cursor returned by this search") from None


# ---- text and synonyms -----------------------------------------------------------------------

LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def escape(token: str) -> str:
    """Escape Lucene's special characters (and operator words) so user text is matched literally."""
    if token in ("AND", "OR", "NOT", "TO"):
        return token.lower()
    return LUCENE_SPECIAL.sub(r"\\\1", token)


# Filter fields whose values the search_doc full-text index also holds (graph_schema/V0022): an
# EQ/IN condition on them can narrow Lucene's candidates; Cypher still checks the exact value.
LUCENE_FIELDS: dict[FilterField, str] = {
    FilterField.DOMAIN: "s_domain",
    FilterField.TASK: "s_task",
    FilterField.LICENCE: "s_licence",
    FilterField.FRAMEWORK: "s_framework",
    FilterField.ALIAS: "s_aliases",
    FilterField.TAG: "s_tags",
    FilterField.REGULATORY: "s_regulatory",
    FilterField.MODEL_NAME: "model_name",
}


def lucene_prefilter(groups: tuple[tuple[Condition, ...], ...], values_of: Any) -> str | None:
    """A Lucene clause every hit must satisfy, derived from the filters (OR of ANDs), or None when
    some group has no condition Lucene can check. Only a superset: the analyser ignores case and
    punctuation, so Cypher re-checks each value exactly."""
    ors = []
    for group in groups:
        clauses = []
        for c in group:
            if c.field not in LUCENE_FIELDS or c.op not in (FilterOp.EQ, FilterOp.IN):
                continue
            values = values_of(c)
            if not values or not all(any(ch.isalnum() for ch in str(v)) for v in values):
                continue
            clauses.append(LUCENE_FIELDS[c.field] + ":(" + " OR ".join(phrase(str(v)) for v in values) + ")")
        if not clauses:
            return None
        ors.append("(" + " AND ".join(clauses) + ")")
    return " OR ".join(ors) if ors else None


def phrase(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expand(value: str, terms: Iterable[Term], vocabulary: str | None = None) -> list[str]:
    """The canonical value, its synonyms and narrower terms for `value` (case-insensitive);
    just `value` when it is no term."""
    pool = [t for t in terms if vocabulary is None or t.vocabulary == vocabulary]
    low = value.casefold()
    hits = [t for t in pool if t.value.casefold() == low or low in (s.casefold() for s in t.synonyms)]
    if not hits:
        return [value]
    out: list[str] = [value]
    seen: set[str] = set()
    queue = [t.value for t in hits]
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if current not in out:
            out.append(current)
        queue.extend(t.value for t in pool if t.broader == current)
    for t in pool:
        if t.value in seen:
            out.extend(s for s in t.synonyms if s not in out)
    return out


def text_query(text: str, mode: TextMode, terms: Iterable[Term]) -> str:
    """Lucene query for the full-text indexes. SIMPLE: every word must match (literally), a word that
    is a vocabulary value or synonym matches any of its synonyms. LUCENE: passed through as written."""
    if mode is TextMode.LUCENE:
        return text
    pool = list(terms)
    parts = []
    for word in text.split()[:32]:
        options = expand(word, pool)
        if len(options) == 1:
            parts.append(escape(word))
        else:
            parts.append("(" + " OR ".join(phrase(o) for o in options) + ")")
    return " AND ".join(parts)


def words(text: str | None) -> list[str]:
    """Lower-case plain words of the query, to report which fields matched."""
    if not text:
        return []
    cleaned = LUCENE_SPECIAL.sub(" ", text).casefold().split()
    return [w for w in cleaned if w not in ("and", "or", "not") and len(w) > 1]
