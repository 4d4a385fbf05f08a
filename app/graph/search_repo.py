"""Compile a validated SearchRequest into parameterised Cypher and run it: one query for the page,
one for the total and facet counts (run concurrently). Lucene syntax errors become ValidationFailed."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, LiteralString

from neo4j import AsyncDriver
from neo4j.exceptions import ClientError

from app.domain import search as s
from app.domain.entities import PREFIX_CLASSIFICATION, PREFIX_CUSTOM, PREFIX_IMPORTANCE, PREFIX_METRIC
from app.errors import ValidationFailed
from app.graph import search_queries as q
from app.graph import vocab_queries as vq
from app.graph.model_records import Model, ModelVersion
from app.graph.props import Props
from app.graph.reads import rows, total
from app.graph.run_records import Run
from app.graph.vocab_records import SavedSearch, Term

MISSING_LOW = -1.0e300
MISSING_HIGH = 1.0e300
# Totals without facets count at most this many hits; asking for facets counts them all.
COUNT_CAP = 1000
LUCENE_FAILURES = ("ParseException", "Cannot parse", "TokenMgrError", "TooManyClauses", "maxClauseCount")
MATCHABLE = {
    "model": ("name", "description", "tags", "intended_use", "domain", "task"),
    "version": ("notes",),
    "run": ("name", "notes"),
}


@dataclass(frozen=True)
class SearchHit:
    id: str
    score: float
    version: ModelVersion
    model: Model
    run: Run | None
    aliases: list[str]
    matched_fields: list[str]
    open_findings: list[str]  # as the search document records them


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class Facet:
    field: s.FilterField
    values: list[FacetValue]


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    facets: list[Facet]
    has_next: bool
    end_cursor: str | None
    total_exact: bool = True


@dataclass
class Compiled:
    """Cypher text assembled from constants plus the parameters it references."""

    params: dict[str, Any] = field(default_factory=dict)
    reader: s.Reader = field(default_factory=s.Reader)

    def add(self, prefix: str, value: Any) -> str:
        name = f"{prefix}{len(self.params)}"
        self.params[name] = value
        return "$" + name


def condition_cypher(c: s.Condition, terms: list[s.Term], out: Compiled) -> str:
    spec = s.FIELDS[c.field]
    expr = q.FIELD_EXPR[c.field]
    if c.key is not None:
        prefix = PREFIX_CUSTOM if c.field is s.FilterField.CUSTOM else PREFIX_IMPORTANCE
        expr = expr.replace("$KEY", out.add("k", prefix + c.key))
    if c.field is s.FilterField.CUSTOM:
        assert c.key is not None
        expr = expr.replace("VISIBLE(cm)", _visible("cm", c.key, out)).replace("VISIBLE(v)", _visible("v", c.key, out))
    template = q.OPS_BY_KIND[spec.kind][c.op]
    value = c.value
    if spec.kind in (s.Kind.STRING, s.Kind.LIST) and c.op in (s.FilterOp.EQ, s.FilterOp.NEQ, s.FilterOp.IN):
        given = value if isinstance(value, list) else [value]
        value = _expanded(given, terms, spec.vocabulary)
    cypher = template.replace("X", "(" + expr + ")")
    return cypher.replace("$P", out.add("p", value)) if "$P" in cypher else cypher


def _visible(node: str, key: str, out: Compiled) -> str:
    """Whether `node`'s custom property `key` is of a class the reader may read (search_queries.CUSTOM_VISIBLE)."""
    reader = out.reader
    if "CL" not in out.params:
        out.params.update(
            CL=sorted(reader.readable),
            CO=sorted(reader.readable_if_owner),
            ME=reader.name,
            MT=list(reader.teams),
        )
    return q.CUSTOM_VISIBLE.replace("N[", node + "[").replace("$CK", out.add("ck", PREFIX_CLASSIFICATION + key))


def _expanded(values: list[str], terms: list[s.Term], vocabulary: str | None) -> list[str]:
    if vocabulary is None:
        return values
    out: list[str] = []
    for value in values:
        out.extend(x for x in s.expand(value, terms, vocabulary) if x not in out)
    return out


def filter_cypher(groups: tuple[tuple[s.Condition, ...], ...], terms: list[s.Term], out: Compiled) -> str:
    """OR of ANDs; an empty filter matches everything."""
    if not groups:
        return "true"
    ors = [" AND ".join(condition_cypher(c, terms, out) for c in group) for group in groups]
    return "(" + ") OR (".join(ors) + ")"


def metric_cypher(name: str, dataset: str | None, slice_: str | None, terms: list[s.Term], out: Compiled) -> str:
    keys = metric_keys(name, terms)
    return (
        q.METRIC_VALUE.replace("$MK", out.add("mk", keys))
        .replace("$MD", out.add("md", dataset))
        .replace("$MS", out.add("ms", slice_))
    )


_COMPARE = {
    s.FilterOp.EQ: "=",
    s.FilterOp.NEQ: "<>",
    s.FilterOp.GT: ">",
    s.FilterOp.GTE: ">=",
    s.FilterOp.LT: "<",
    s.FilterOp.LTE: "<=",
}


def candidates(req: s.SearchRequest, terms: list[s.Term], out: Compiled) -> str:
    """Full-text candidates (text and/or filters Lucene can narrow by), else every version."""
    prefilter = s.lucene_prefilter(req.groups, lambda c: _condition_values(c, terms))
    if req.text:
        text = s.text_query(req.text, req.text_mode, terms)
        out.params["text"] = f"({text}) AND ({prefilter})" if prefilter else text
        return q.TEXT_CANDIDATES
    if prefilter:
        out.params["text"] = prefilter
        return q.FILTER_CANDIDATES
    return q.ALL_CANDIDATES


def _condition_values(c: s.Condition, terms: list[s.Term]) -> list[str]:
    given = c.value if isinstance(c.value, list) else [c.value]
    return _expanded([str(v) for v in given], terms, s.FIELDS[c.field].vocabulary)


def body(req: s.SearchRequest, terms: list[s.Term], out: Compiled, first: str | None = None, carried: str = "") -> str:
    """Candidates, filters and metric thresholds over search documents: rows (v, score), plus the
    `carried` variables when `first` gives other candidates (search_queries.RANKED_CANDIDATES: sk
    and s; NEWEST_CANDIDATES: sk)."""
    parts = [first if first is not None else candidates(req, terms, out)]
    parts.append("WITH v, score" + carried + " WHERE " + filter_cypher(req.groups, terms, out) + "\n")
    for t in req.metrics:
        value = metric_cypher(t.name, t.dataset, t.slice, terms, out)
        compare = " " + _COMPARE[t.op] + " " + out.add("mv", t.value) + "\n"
        parts.append("WITH v, score" + carried + " WHERE " + value + compare)
    return "".join(parts)


def _page_params(req: s.SearchRequest, out: Compiled) -> None:
    out.params["after_key"] = req.after.key if req.after else None
    out.params["after_id"] = req.after.id if req.after else None
    out.params["limit"] = req.first + 1


def page_query(req: s.SearchRequest, terms: list[s.Term], out: Compiled) -> str:
    sort = req.sort
    key = q.SORT_KEY[sort.by]
    if sort.by is s.SortBy.METRIC:
        assert sort.metric is not None
        key = key.replace("METRIC", metric_cypher(sort.metric, sort.dataset, None, terms, out))
        out.params["sort_missing"] = MISSING_LOW if sort.descending else MISSING_HIGH
    _page_params(req, out)
    return (
        body(req, terms, out)
        + "WITH v, score, "
        + key
        + " AS sk\n"
        + q.AFTER[sort.descending]
        + "WITH v, score, sk "
        + q.ORDER[sort.descending]
        + "LIMIT $limit\n"
        + q.CONTEXT
        + q.PAGE_RETURN
        + q.ORDER[sort.descending]
    )


def ranked_keys(req: s.SearchRequest, terms: list[s.Term]) -> list[str] | None:
    """The metric keys whose stored scores can order this request: a sort by a metric on a named
    dataset (the scores hold whole-dataset values; without a dataset the run's metric counts too)
    and no candidates Lucene would narrow (there the hits are few and ranking them all is cheap)."""
    sort = req.sort
    if sort.by is not s.SortBy.METRIC or sort.metric is None or sort.dataset is None or req.text:
        return None
    if s.lucene_prefilter(req.groups, lambda c: _condition_values(c, terms)) is not None:
        return None
    return metric_keys(sort.metric, terms)


def metric_keys(name: str, terms: list[s.Term]) -> list[str]:
    """The stored keys of a metric: its name and its synonyms."""
    return [PREFIX_METRIC + n for n in s.expand(name, terms, "metric")]


def ranked_page_query(req: s.SearchRequest, keys: list[str], terms: list[s.Term], out: Compiled) -> str:
    """The page in stored-score order: only versions with a score. It equals `page_query`'s page
    whenever it fills the page, since a missing metric sorts after every value in both directions."""
    assert req.sort.dataset is not None
    descending = req.sort.descending
    first = (
        q.RANKED_CANDIDATES.replace("BOUND", q.RANKED_BOUND[descending] if req.after else "s.value IS NOT NULL")
        .replace("$SKS", out.add("sk", keys))
        .replace("$SD", out.add("sd", req.sort.dataset))
        + q.RANKED_AFTER[descending]
        + q.RANKED_VERSION
    )
    _page_params(req, out)
    return (
        body(req, terms, out, first, ", sk, s")
        + "WITH v, score, sk "
        + q.RANKED_ORDER[descending]
        + "LIMIT $limit\n"
        + q.CONTEXT
        + q.PAGE_RETURN
        + q.ORDER[descending]
    )


# How many versions a newest-first page reads, in creation order, before ranking every candidate.
NEWEST_SCAN = 2000


def newest_applies(req: s.SearchRequest) -> bool:
    """A newest-first page without text (the default order then), unless every group names models
    (then the candidates are few already and reading in creation order would only add work)."""
    if req.text or req.sort.by is not s.SortBy.CREATED_AT or not req.sort.descending:
        return False
    by_name = (s.FilterOp.EQ, s.FilterOp.IN)
    named = bool(req.groups) and all(
        any(c.field is s.FilterField.MODEL_NAME and c.op in by_name for c in group) for group in req.groups
    )
    return not named


def newest_page_query(req: s.SearchRequest, terms: list[s.Term], out: Compiled) -> str:
    """The first matches after the cursor among the next NEWEST_SCAN versions in creation order,
    ordered as `page_query` orders them (millisecond, then id). Only rows of a later millisecond
    than the last one read are certainly the page's: a version not read yet may share that last
    millisecond and come first by id (`newest_page` keeps those rows out)."""
    _page_params(req, out)
    out.params["scan"] = NEWEST_SCAN
    first = q.NEWEST_CANDIDATES.replace("BOUND", q.NEWEST_BOUND[req.after is not None]) + q.AFTER[True]
    return (
        body(req, terms, out, first, ", sk")
        + "WITH v, score, sk "
        + q.NEWEST_ORDER
        + "LIMIT $limit\n"
        + q.CONTEXT
        + q.PAGE_RETURN
        + q.ORDER[True]
    )


def newest_page(found: list[dict[str, Any]], first: int) -> list[dict[str, Any]] | None:
    """The page (plus one row: there is a next page) from `newest_page_query`'s rows, or None when
    they cannot tell it: fewer matches than the page, or too few of a later millisecond than the
    last read (the rest may be preceded by a version of that millisecond not read yet)."""
    if len(found) <= first:
        return None
    edge = min(float(r["sk"]) for r in found)
    certain = [r for r in found if float(r["sk"]) > edge]
    if len(certain) < first:
        return None
    return [*certain[:first], found[-1]]


def count_query(req: s.SearchRequest, terms: list[s.Term], out: Compiled) -> str:
    out.params["count_cap"] = COUNT_CAP + 1  # one more tells "exactly the cap" from "more"
    return body(req, terms, out) + q.COUNT_RETURN


def facets_query(req: s.SearchRequest, terms: list[s.Term], out: Compiled) -> str:
    pairs = ["[['_total', '']]"] + [q.facet_pairs(f, s.FIELDS[f].kind) for f in req.facets]
    return body(req, terms, out) + "UNWIND " + " + ".join(pairs) + " AS fv\n" + q.FACETS_RETURN


class SearchRepo:
    """Read side of search; returns domain objects only."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.db = database

    async def search(self, req: s.SearchRequest, terms: list[s.Term], reader: s.Reader | None = None) -> SearchResult:
        """`reader`: what the caller may see of classified custom properties (public only when not given)."""
        seen = reader or s.Reader()
        counts = Compiled(reader=seen)
        count_cypher = facets_query(req, terms, counts) if req.facets else count_query(req, terms, counts)
        found, facet_rows = await asyncio.gather(self._page(req, terms, seen), self._run(count_cypher, counts.params))
        has_next = len(found) > req.first
        found = found[: req.first]
        end = s.encode_cursor(found[-1]["sk"], found[-1]["id"]) if found and has_next else None
        total, facets = _facets(facet_rows, req)
        exact = bool(req.facets) or total <= COUNT_CAP
        total = total if exact else COUNT_CAP
        words = s.words(req.text)
        return SearchResult([_hit(row, words) for row in found], total, facets, has_next, end, exact)

    async def _page(self, req: s.SearchRequest, terms: list[s.Term], seen: s.Reader) -> list[dict[str, Any]]:
        """The page's rows (one more than asked, to tell whether there is a next page): from the
        ranked scores, or the versions in creation order for a newest-first page, when they can order it
        and fill it; else by ranking every candidate."""
        keys = ranked_keys(req, terms)
        if keys is not None:
            ranked = Compiled(reader=seen)
            found = await self._run(ranked_page_query(req, keys, terms, ranked), ranked.params)
            if len(found) > req.first:
                return found
        if newest_applies(req):
            scanned = Compiled(reader=seen)
            newest = newest_page(await self._run(newest_page_query(req, terms, scanned), scanned.params), req.first)
            if newest is not None:
                return newest
        page = Compiled(reader=seen)
        return await self._run(page_query(req, terms, page), page.params)

    async def facet_values(self, fields: tuple[s.FilterField, ...], size: int) -> list[Facet]:
        """Top values of facetable fields over every version (for building filter panels)."""
        req = s.SearchRequest(facets=fields, facet_size=size)
        out = Compiled()
        _, facets = _facets(await self._run(facets_query(req, [], out), out.params), req)
        return facets

    async def _run(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        # Assembled only from constants in search_queries and enum values; values are $params.
        query: LiteralString = cypher
        try:
            return await rows(self.driver, self.db, query, **params)
        except ClientError as exc:
            message = exc.message or ""
            if any(marker in message for marker in LUCENE_FAILURES):
                raise ValidationFailed(
                    "text: not a valid search query (check quotes, brackets and operators, or use textMode SIMPLE)",
                    field="text",
                ) from None
            raise


def _facets(found: list[dict[str, Any]], req: s.SearchRequest) -> tuple[int, list[Facet]]:
    total = 0
    by_facet: dict[str, list[FacetValue]] = defaultdict(list)
    for row in found:
        if row["facet"] == "_total":
            total = int(row["n"])
        else:
            by_facet[row["facet"]].append(FacetValue(str(row["value"]), int(row["n"])))
    facets = []
    for fld in req.facets:
        values = sorted(by_facet.get(fld.value, []), key=lambda fv: (-fv.count, fv.value))
        facets.append(Facet(fld, values[: req.facet_size]))
    return total, facets


def _hit(row: dict[str, Any], words: list[str]) -> SearchHit:
    matched = _matched(words, {"model": row["model"], "version": row["version"], "run": row["run"]})
    return SearchHit(
        str(row["version"]["id"]),
        float(row["score"]),
        ModelVersion.of(row["version"]),
        Model.of(row["model"]),
        Run.of(row["run"]) if row["run"] else None,
        list(row["aliases"]),
        matched,
        list(row["version"].get("s_findings") or []),
    )


def _matched(words: list[str], stored: dict[str, Props | None]) -> list[str]:
    """Which text fields of the stored nodes contain a query word (a readable hint, the index
    decides the hits)."""
    found = []
    for prefix, props in stored.items():
        if not props:
            continue
        for name in MATCHABLE[prefix]:
            value = props.get(name)
            text = " ".join(value) if isinstance(value, list) else str(value or "")
            if any(w in text.casefold() for w in words):
                found.append(f"{prefix}.{name}")
    return found


class VocabReader:
    """Terms and saved searches, as domain objects."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.db = database

    async def term_records(self, vocabulary: str | None = None) -> list[Term]:
        found = await rows(self.driver, self.db, vq.LIST_TERMS, vocabulary=vocabulary)
        return [Term.of(r["props"]) for r in found]

    async def terms(self, vocabulary: str | None = None) -> list[s.Term]:
        return [
            s.Term(t.vocabulary, t.value, tuple(t.synonyms), t.broader) for t in await self.term_records(vocabulary)
        ]

    async def count_saved_searches(self) -> int:
        return await total(self.driver, self.db, vq.COUNT_SAVED_SEARCHES)

    async def saved_searches(self, after: str | None, limit: int) -> list[SavedSearch]:
        found = await rows(self.driver, self.db, vq.LIST_SAVED_SEARCHES, after=after, limit=limit)
        return [SavedSearch.of(r["props"]) for r in found]

    async def saved_search(self, name: str) -> SavedSearch | None:
        found = await rows(self.driver, self.db, vq.SAVED_SEARCH_BY_NAME, name=name)
        return SavedSearch.of(found[0]["props"]) if found else None
