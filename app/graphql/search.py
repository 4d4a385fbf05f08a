"""GraphQL for search, facets, vocabularies and saved searches (merged into the schema by the lead)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.domain import search as s
from app.errors import ValidationFailed
from app.graph import search_repo
from app.graphql import payloads
from app.graphql.connection import Connection, asks_for_total, connection, decode, page_size, sliced
from app.graphql.context import Info
from app.graphql.disclosure import gate
from app.graphql.payloads import payload_union
from app.registry import vocab
from app.registry.commands import vocab as vocab_cmd
from app.registry.plan import Outcome

FilterField = strawberry.enum(s.FilterField, description="A filterable field (never free text).")
FilterOp = strawberry.enum(s.FilterOp, description="Comparison operator; which apply depends on the field.")
SortBy = strawberry.enum(s.SortBy, description="What search results are ordered by (ties by id).")
TextMode = strawberry.enum(s.TextMode, description="How `text` is read: SIMPLE (literal words) or LUCENE.")


@strawberry.input(description="One condition: a field, an operator and the value its kind needs.")
class FilterInput:
    field: FilterField = strawberry.field(description="The field to test.")
    op: FilterOp = strawberry.field(description="The operator.")
    value: str | None = strawberry.field(default=None, description="String value (EQ, NEQ, PREFIX).")
    values: list[str] | None = strawberry.field(default=None, description="Values for IN.")
    number: float | None = strawberry.field(default=None, description="Number for numeric fields.")
    flag: bool | None = strawberry.field(default=None, description="Boolean for boolean fields.")
    at: datetime | None = strawberry.field(default=None, description="Time for CREATED_AT / UPDATED_AT.")
    key: str | None = strawberry.field(default=None, description="Property or feature name.")


@strawberry.input(description="Conditions that must all hold.")
class FilterGroupInput:
    all_of: list[FilterInput] = strawberry.field(description="All of these conditions.")


@strawberry.input(description="A metric threshold on the latest non-superseded evaluation, else the run's metric.")
class MetricThresholdInput:
    name: str = strawberry.field(description="Metric name or a synonym (f1 finds f1_score).")
    op: FilterOp = strawberry.field(description="GT, GTE, LT, LTE, EQ or NEQ.")
    value: float = strawberry.field(description="The threshold.")
    dataset: str | None = strawberry.field(default=None, description="Dataset version id or dataset name evaluated on.")
    slice: str | None = strawberry.field(default=None, description="Evaluation slice (default: whole dataset).")


@strawberry.input(description="Result order.")
class SortInput:
    by: SortBy = strawberry.field(description="Sort key.")
    descending: bool = strawberry.field(default=True, description="Largest / newest first.")
    metric: str | None = strawberry.field(default=None, description="Metric name when sorting by METRIC.")
    dataset: str | None = strawberry.field(default=None, description="Dataset for the METRIC sort.")


@strawberry.input(description="A search over model versions: text, filters (OR of AND), metric thresholds.")
class SearchInput:
    text: str | None = strawberry.field(default=None, description="Free text over names, descriptions, notes, tags.")
    text_mode: TextMode | None = strawberry.field(default=None, description="SIMPLE (default) or LUCENE.")
    any_of: list[FilterGroupInput] | None = strawberry.field(default=None, description="Groups; any may match.")
    metrics: list[MetricThresholdInput] | None = strawberry.field(default=None, description="All must hold.")
    facets: list[FilterField] | None = strawberry.field(default=None, description="Facets to count.")
    facet_size: int | None = strawberry.field(default=None, description="Values per facet (max 50).")
    sort: SortInput | None = strawberry.field(default=None, description="Order (default relevance / newest).")
    first: int | None = strawberry.field(default=None, description="Page size (max 100).")
    after: str | None = strawberry.field(default=None, description="Cursor from a previous page.")


@strawberry.type(description="One matching model version.")
class SearchHit:
    id: strawberry.ID = strawberry.field(description="Model version id.")
    model_name: str = strawberry.field(description="Name of the model.")
    version: int = strawberry.field(description="Version number.")
    score: float = strawberry.field(description="Full-text relevance (0 without text).")
    aliases: list[str] = strawberry.field(description="Aliases pointing at this version now.")
    matched_fields: list[str] = strawberry.field(description="Fields containing a query word.")
    domain: str | None = strawberry.field(description="Model domain.")
    task: str | None = strawberry.field(description="Model task.")
    metrics: JSON = strawberry.field(description="Training run final metrics.")
    open_findings: list[str] = strawberry.field(
        default_factory=list,
        description="Checks of the version's open validation findings (ModelVersion.findings has the detail).",
    )


@strawberry.type(description="A facet value and how many hits have it.")
class FacetValue:
    value: str = strawberry.field(description="The value.")
    count: int = strawberry.field(description="Hits with this value.")


@strawberry.type(description="Counts per value of one field over all hits.")
class Facet:
    field: FilterField = strawberry.field(description="The field.")
    values: list[FacetValue] = strawberry.field(description="Top values, most frequent first.")


@strawberry.type(description="A page of hits with the total and facet counts.")
class SearchResults:
    hits: list[SearchHit] = strawberry.field(description="This page.")
    total: int = strawberry.field(
        description="All hits when facets were asked for or fewer than 1,000 matched; else at least this many."
    )
    total_is_exact: bool = strawberry.field(
        description="False when `total` is a lower bound (1,000 hits counted; ask for facets to count every hit)."
    )
    facets: list[Facet] = strawberry.field(description="Facet counts asked for.")
    has_next_page: bool = strawberry.field(description="More hits after this page.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="A filterable field, its type, operators and top values.")
class FilterFieldSpec:
    field: FilterField = strawberry.field(description="The field.")
    kind: str = strawberry.field(description="string, list, number, time, bool or scalar.")
    ops: list[FilterOp] = strawberry.field(description="Operators that apply.")
    description: str = strawberry.field(description="What the field means.")
    vocabulary: str | None = strawberry.field(description="Vocabulary whose synonyms expand values.")
    needs_key: bool = strawberry.field(description="True when `key` is required.")
    top_values: list[FacetValue] = strawberry.field(description="Most frequent values (facetable fields).")


@strawberry.type(description="A controlled-vocabulary term.")
class Term:
    id: strawberry.ID = strawberry.field(description="Term id.")
    vocabulary: str = strawberry.field(description="domain, task, regulation, metric, ...")
    value: str = strawberry.field(description="Canonical value.")
    synonyms: list[str] = strawberry.field(description="Synonyms that expand to this value.")
    broader: str | None = strawberry.field(description="Parent term value.")


@strawberry.type(description="A named, shared search.")
class SavedSearch:
    id: strawberry.ID = strawberry.field(description="Saved search id.")
    name: str = strawberry.field(description="Unique name.")
    description: str | None = strawberry.field(description="What it finds.")
    input: JSON = strawberry.field(description="The search input (snake_case), runnable as is.")
    created_by: str | None = strawberry.field(description="Who saved it.")


@strawberry.input(description="Create or update a vocabulary term.")
class UpsertTermInput:
    vocabulary: str = strawberry.field(description="Vocabulary name.")
    value: str = strawberry.field(description="Canonical value.")
    synonyms: list[str] | None = strawberry.field(default=None, description="Synonyms.")
    broader: str | None = strawberry.field(default=None, description="Parent value in the same vocabulary.")
    description: str | None = strawberry.field(default=None, description="Meaning.")


@strawberry.input(description="Save a search under a shared name.")
class SaveSearchInput:
    name: str = strawberry.field(description="Unique name (overwrites).")
    description: str | None = strawberry.field(default=None, description="What it finds.")
    search: SearchInput = strawberry.field(description="The search to save.")


@strawberry.type(description="The term as stored.")
class TermSuccess:
    term_id: strawberry.ID = strawberry.field(description="Id of the term.")


@strawberry.type(description="The saved search as stored.")
class SaveSearchSuccess:
    saved_search_id: strawberry.ID = strawberry.field(description="Id of the saved search.")


SearchPayload = payload_union("SearchPayload", SearchResults, "Results, or why the input is invalid.")
UpsertTermPayload = payload_union("UpsertTermPayload", TermSuccess, "Stored, or why not.")
SaveSearchPayload = payload_union("SaveSearchPayload", SaveSearchSuccess, "Stored, or why not.")


def to_raw(value: Any) -> Any:
    """Strawberry inputs -> the snake_case dicts the domain validates (enums kept as enums)."""
    if isinstance(value, list):
        return [to_raw(x) for x in value]
    if isinstance(value, Enum | datetime) or not hasattr(value, "__dict__"):
        return value
    out = {k: to_raw(v) for k, v in vars(value).items() if v is not None}
    if "any_of" in out:
        out["filters"] = out.pop("any_of")
    return out


def hit_type(h: search_repo.SearchHit) -> SearchHit:
    return SearchHit(
        id=strawberry.ID(h.id),
        model_name=h.model.name,
        version=h.version.version,
        score=h.score,
        aliases=h.aliases,
        matched_fields=h.matched_fields,
        domain=h.model.domain,
        task=h.model.task,
        metrics=JSON(h.run.metrics if h.run else {}),
        open_findings=h.open_findings,
    )


@strawberry.type
class SearchQuery:
    @strawberry.field(description="Search model versions: text, OR-of-AND filters, metric thresholds, facets.")
    async def search(self, info: Info, input: SearchInput) -> SearchPayload:
        readers: list[tuple[s.Reader, list[str]]] = []

        async def reader(req: s.SearchRequest) -> s.Reader:
            seen = await gate(info).search_reader()
            readers.append((seen, s.custom_keys(req)))
            return seen

        try:
            result = await vocab.search(info.context.services, to_raw(input), reader)
        except ValidationFailed as error:
            payloads.note_failure(info, error)
            return payloads.error_payload(error)
        for seen, keys in readers:
            gate(info).searched(seen, keys, result.total, [h.model for h in result.hits], more=result.has_next)
        facets = [
            Facet(field=f.field, values=[FacetValue(value=v.value, count=v.count) for v in f.values])
            for f in result.facets
        ]
        return SearchResults(
            hits=[hit_type(h) for h in result.hits],
            total=result.total,
            total_is_exact=result.total_exact,
            facets=facets,
            has_next_page=result.has_next,
            end_cursor=result.end_cursor,
        )

    @strawberry.field(description="Filterable fields with their kinds, operators and top values.")
    async def search_facets(self, info: Info, size: int = 10) -> list[FilterFieldSpec]:
        services = info.context.services
        facetable = tuple(f for f, spec in s.FIELDS.items() if spec.facet)
        repo = services.repos.search
        tops = {f.field: f.values for f in await repo.facet_values(facetable, min(max(size, 1), 50))}
        return [
            FilterFieldSpec(
                field=f,
                kind=spec.kind.value,
                ops=list(s.OPS[spec.kind]),
                description=spec.description,
                vocabulary=spec.vocabulary,
                needs_key=spec.needs_key,
                top_values=[FacetValue(value=v.value, count=v.count) for v in tops.get(f, [])],
            )
            for f, spec in s.FIELDS.items()
        ]

    @strawberry.field(description="Saved searches, by name.")
    async def saved_searches(self, info: Info, first: int = 50, after: str | None = None) -> Connection[SavedSearch]:
        limit = page_size(first)
        reader = vocab.vocab_reader(info.context.services)
        found = await reader.saved_searches(decode(after), limit + 1)
        total = await reader.count_saved_searches() if asks_for_total(info) else None
        rows = [
            (
                r.name,
                SavedSearch(
                    id=strawberry.ID(r.id),
                    name=r.name,
                    description=r.description,
                    input=r.input,
                    created_by=r.created_by,
                ),
            )
            for r in found
        ]
        return connection(rows, limit, total)

    @strawberry.field(description="Vocabulary terms by vocabulary and value, optionally of one vocabulary.")
    async def terms(
        self, info: Info, vocabulary: str | None = None, first: int = 50, after: str | None = None
    ) -> Connection[Term]:
        found = await vocab.vocab_reader(info.context.services).term_records(vocabulary)
        rows = [
            (
                f"{t.vocabulary}\x1f{t.value}",
                Term(
                    id=strawberry.ID(t.id),
                    vocabulary=t.vocabulary,
                    value=t.value,
                    synonyms=t.synonyms,
                    broader=t.broader,
                ),
            )
            for t in found
        ]
        return sliced(rows, first, after)


@strawberry.type
class SearchMutation:
    @strawberry.mutation(description="Create or update a vocabulary term (admin).")
    async def upsert_term(self, info: Info, input: UpsertTermInput) -> UpsertTermPayload:
        async def ok(outcome: Outcome) -> TermSuccess:
            return TermSuccess(term_id=strawberry.ID(str((outcome.result or {}).get("id"))))

        return await payloads.run_command(info, vocab_cmd.UpsertTerm, to_raw(input), ok)

    @strawberry.mutation(description="Save a search under a shared name.")
    async def save_search(self, info: Info, input: SaveSearchInput) -> SaveSearchPayload:
        raw = to_raw(input)
        payload = {"name": raw["name"], "description": raw.get("description"), "input": _jsonable(raw["search"])}

        async def ok(outcome: Outcome) -> SaveSearchSuccess:
            return SaveSearchSuccess(saved_search_id=strawberry.ID(str((outcome.result or {}).get("id"))))

        return await payloads.run_command(info, vocab_cmd.SaveSearch, payload, ok)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value
