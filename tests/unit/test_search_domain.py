"""Search input rules without services: validation messages, Lucene escaping, synonym expansion,
cursors and the Cypher the compiler produces (values only ever as parameters)."""

from __future__ import annotations

import pytest

from app.domain import search as s
from app.errors import ValidationFailed
from app.graph.search_repo import Compiled, filter_cypher, newest_applies, newest_page

TERMS = [
    s.Term("task", "classification", ("classifier",)),
    s.Term("task", "binary-classification", ("binary",), "classification"),
    s.Term("task", "natural-language-processing", ("NLP",)),
    s.Term("metric", "f1_score", ("f1",)),
]


def test_synonym_expands_to_canonical_and_narrower_terms() -> None:
    assert s.expand("classifier", TERMS, "task") == ["classifier", "classification", "binary-classification", "binary"]
    assert s.expand("nlp", TERMS)[:2] == ["nlp", "natural-language-processing"]
    assert s.expand("f1", TERMS, "metric") == ["f1", "f1_score"]
    assert s.expand("unknown", TERMS) == ["unknown"]


def test_simple_text_is_escaped_and_expanded() -> None:
    assert s.text_query('fraud AND (x) "q"', s.TextMode.SIMPLE, []) == 'fraud AND and AND \\(x\\) AND \\"q\\"'
    assert s.text_query("NLP model", s.TextMode.SIMPLE, TERMS) == ('("NLP" OR "natural-language-processing") AND model')
    assert s.text_query("a OR b", s.TextMode.LUCENE, TERMS) == "a OR b"


def test_operator_must_fit_the_field_kind() -> None:
    with pytest.raises(ValidationFailed, match=r"filters\[0\]\.allOf\[0\]\.op: GT does not apply to DOMAIN"):
        s.request({"filters": [{"all_of": [{"field": "DOMAIN", "op": "GT", "value": "x"}]}]})
    with pytest.raises(ValidationFailed, match=r"filters\[0\]\.allOf\[0\]\.field: must be one of DOMAIN"):
        s.request({"filters": [{"all_of": [{"field": "name; DROP", "op": "EQ", "value": "x"}]}]})
    with pytest.raises(ValidationFailed, match=r"\.number: needs a finite number"):
        s.request({"filters": [{"all_of": [{"field": "TRAINING_DURATION", "op": "GT", "number": float("nan")}]}]})


def test_page_size_is_bounded_and_cursors_are_checked() -> None:
    with pytest.raises(ValidationFailed, match=r"first: must be between 1 and 100 \(got 500\)"):
        s.request({"first": 500})
    with pytest.raises(ValidationFailed, match="after: is not a cursor"):
        s.request({"after": "bm9wZQ=="})
    cursor = s.decode_cursor(s.encode_cursor(0.25, "mv_1"))
    assert (cursor.key, cursor.id) == (0.25, "mv_1")


def test_metric_sort_needs_a_metric() -> None:
    with pytest.raises(ValidationFailed, match=r"sort\.metric"):
        s.request({"sort": {"by": "METRIC"}})


def test_compiled_filter_keeps_values_in_parameters() -> None:
    req = s.request(
        {
            "filters": [
                {
                    "all_of": [
                        {"field": "TASK", "op": "EQ", "value": "classifier"},
                        {"field": "CUSTOM", "op": "EQ", "key": "team_code", "value": "') RETURN 1 //"},
                    ]
                },
                {"all_of": [{"field": "TAG", "op": "PREFIX", "value": "fr"}]},
            ]
        }
    )
    out = Compiled()
    cypher = filter_cypher(req.groups, TERMS, out)
    assert "RETURN 1" not in cypher and "classifier" not in cypher
    assert cypher.count(") OR (") == 1
    assert ["classifier", "classification", "binary-classification", "binary"] in out.params.values()
    assert "cp.team_code" in out.params.values()


def test_a_custom_filter_sees_a_value_only_through_the_readers_classes() -> None:
    req = s.request({"filters": [{"all_of": [{"field": "CUSTOM", "op": "EXISTS", "key": "risk_contact"}]}]})
    reader = s.Reader("olga", ("risk",), frozenset({"public", "internal"}), frozenset({"public", "confidential"}))
    out = Compiled(reader=reader)
    cypher = filter_cypher(req.groups, [], out)
    # The version's property and the model's fallback are each checked against the reader's classes.
    assert cypher.count("IN $CL") == 2 and cypher.count("IN $CO") == 2
    assert out.params["CL"] == ["internal", "public"] and out.params["CO"] == ["confidential", "public"]
    assert out.params["ME"] == "olga" and out.params["MT"] == ["risk"]
    assert "cp.risk_contact" in out.params.values() and "cc.risk_contact" in out.params.values()
    assert "risk_contact" not in cypher  # keys are parameters, never text
    # Without a reader a filter sees public values only.
    plain = Compiled()
    filter_cypher(req.groups, [], plain)
    assert plain.params["CL"] == ["public"] and plain.params["CO"] == ["public"]
    assert s.custom_keys(req) == ["risk_contact"]


def test_open_findings_are_a_facetable_list_field_filtered_by_check_or_existence() -> None:
    req = s.request(
        {
            "filters": [
                {"all_of": [{"field": "FINDING", "op": "IN", "values": ["artifact_missing", "artifact_corrupt"]}]},
                {"all_of": [{"field": "FINDING", "op": "EXISTS"}]},
            ],
            "facets": ["FINDING"],
        }
    )
    out = Compiled()
    cypher = filter_cypher(req.groups, [], out)
    assert cypher == (
        "(any(x IN coalesce((v.s_findings), []) WHERE x IN $p0)) OR (size(coalesce((v.s_findings), [])) > 0)"
    )
    assert out.params == {"p0": ["artifact_missing", "artifact_corrupt"]}
    assert req.facets == (s.FilterField.FINDING,)
    with pytest.raises(ValidationFailed, match=r"filters\[0\]\.allOf\[0\]\.value: needs a string"):
        s.request({"filters": [{"all_of": [{"field": "FINDING", "op": "EQ"}]}]})


def test_lucene_prefilter_narrows_only_when_every_group_can() -> None:
    from app.domain.search import Condition, FilterField, FilterOp, lucene_prefilter

    def values(c: Condition) -> list[str]:
        return c.value if isinstance(c.value, list) else [c.value]

    domain = Condition(FilterField.DOMAIN, FilterOp.EQ, "finance")
    frameworks = Condition(FilterField.FRAMEWORK, FilterOp.IN, ["xgboost", 'light"gbm'])
    duration = Condition(FilterField.TRAINING_DURATION, FilterOp.GT, 60.0)
    assert lucene_prefilter(((domain, frameworks),), values) == (
        '(s_domain:("finance") AND s_framework:("xgboost" OR "light\\"gbm"))'
    )
    assert lucene_prefilter(((domain,), (duration,)), values) is None  # the second group cannot narrow
    assert lucene_prefilter(((Condition(FilterField.DOMAIN, FilterOp.NEQ, "x"),),), values) is None
    assert lucene_prefilter(((Condition(FilterField.TAG, FilterOp.EQ, "++"),),), values) is None


def test_a_newest_first_page_keeps_only_rows_no_unread_version_can_precede() -> None:
    def row(ms: float, vid: str) -> dict[str, object]:
        return {"sk": ms, "id": vid}

    # Ranked by (millisecond desc, id asc); the last millisecond read (100) may hold unread versions
    # with smaller ids, so only the rows of later milliseconds are certain.
    found = [row(300, "b"), row(200, "a"), row(200, "c"), row(100, "z")]
    assert newest_page(found, 3) == [row(300, "b"), row(200, "a"), row(200, "c"), row(100, "z")]
    assert newest_page(found, 2) == [row(300, "b"), row(200, "a"), row(100, "z")]
    assert newest_page(found, 4) is None  # not more rows than the page: no next page known
    # Every row in the last millisecond read: nothing is certain.
    assert newest_page([row(100, "a"), row(100, "b"), row(100, "c")], 2) is None
    assert newest_page([row(300, "a"), row(100, "b"), row(100, "c")], 2) is None


def test_newest_first_reading_is_for_pages_without_text_sorted_by_creation() -> None:
    assert newest_applies(s.request({}))
    assert newest_applies(s.request({"filters": [{"all_of": [{"field": "TAG", "op": "EQ", "value": "x"}]}]}))
    assert not newest_applies(s.request({"text": "fraud"}))
    assert not newest_applies(s.request({"sort": {"by": "CREATED_AT", "descending": False}}))
    assert not newest_applies(s.request({"sort": {"by": "METRIC", "metric": "f1"}}))
    named = {"filters": [{"all_of": [{"field": "MODEL_NAME", "op": "EQ", "value": "m"}]}]}
    assert not newest_applies(s.request(named))
