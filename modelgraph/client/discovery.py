"""Finding things for `ModelGraph`: search and lineage, reviews to decide, and health reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from modelgraph.client import api_sync as api


class Discovery:
    """Search, lineage, reviews and health (mixed into `ModelGraph`, which owns `graph`)."""

    graph: api.Graph

    # ---- search, lineage, reviews, health ------------------------------------------------------
    def search(self, text: str | None = None, *, page: int = 50, **fields: Any) -> Iterator[Any]:
        """Every hit of a search (text, any_of, metrics, sort, ...), page after page."""
        after: str | None = None
        while True:
            got = self.graph.search(api.SearchInput(text=text, first=page, after=after, **fields)).search
            assert isinstance(got, api.SearchSearchSearchResults)
            yield from got.hits
            if not got.has_next_page:
                return
            after = got.end_cursor

    def lineage(self, start: str, direction: str = "BOTH", max_hops: int = 3, **fields: Any) -> Any:
        return self.graph.lineage(
            api.LineageInput(start=start, direction=api.LineageDirection(direction), max_hops=max_hops, **fields)
        ).lineage

    def iter_reviews(self, status: str | None = "PENDING", page: int = 50, **fields: Any) -> Iterator[Any]:
        after: str | None = None
        while True:
            got = self.graph.list_reviews(
                api.ReviewsInput(status=api.ReviewStatus(status) if status else None, first=page, after=after, **fields)
            ).reviews
            yield from (e.node for e in got.edges)
            if not got.page_info.has_next_page:
                return
            after = got.page_info.end_cursor

    def approve_review(self, review_id: str, comment: str | None = None) -> Any:
        done = self.graph.approve_review(api.DecideReviewInput(id=review_id, comment=comment))
        assert isinstance(done.approve_review, api.ApproveReviewApproveReviewReviewDecided)
        return done.approve_review.review

    def reject_review(self, review_id: str, comment: str | None = None) -> Any:
        done = self.graph.reject_review(api.DecideReviewInput(id=review_id, comment=comment))
        assert isinstance(done.reject_review, api.RejectReviewRejectReviewReviewDecided)
        return done.reject_review.review

    def report_health(self, samples: Iterable[Mapping[str, Any]]) -> Any:
        """Health samples from a serving agent: {deployment_id, at, latency_p95_ms, error_rate, ...}."""
        done = self.graph.report_health(
            api.ReportHealthInput(samples=[api.HealthSampleInput(**dict(s)) for s in samples])
        )
        assert isinstance(done.report_health, api.ReportHealthReportHealthHistoryWriteSuccess)
        return done.report_health.result
