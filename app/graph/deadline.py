"""A request's deadline, carried to Neo4j as each transaction's timeout.

The service admits a bounded number of requests (app/web/backpressure.py) and sheds the rest; a
request it admitted must still end on time, with a result or a 503, instead of waiting for a lock
or a slow read for as long as the database lets it. The deadline is set once when the request
arrives (so time spent queued counts) and every read and write after that runs with what is left
of it as its transaction timeout: Neo4j stops and rolls back the transaction, nothing is written,
and the client is told to retry. Work outside a request (the validator, the outbox tail, the CLI)
has no deadline.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import LiteralString

from neo4j import Query
from neo4j.exceptions import Neo4jError

from app.errors import DependencyUnavailable

_deadline: ContextVar[float | None] = ContextVar("modelgraph_request_deadline", default=None)
# Too little time left to start a transaction usefully.
MIN_SECONDS = 0.01


class DeadlineExceeded(DependencyUnavailable):
    """The request ran out of its time budget before its database work finished; nothing of it was
    written (a transaction that times out is rolled back). Answered as 503 with Retry-After."""


@contextmanager
def deadline_in(seconds: float | None) -> Iterator[None]:
    """Work inside this block must finish within `seconds` from now (None or <= 0: no deadline)."""
    token = _deadline.set(time.monotonic() + seconds if seconds and seconds > 0 else None)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left before the deadline (None without one); DeadlineExceeded when it has passed."""
    at = _deadline.get()
    if at is None:
        return None
    left = at - time.monotonic()
    if left < MIN_SECONDS:
        raise exceeded(write=False)
    return left


def seconds_left() -> float | None:
    """Seconds left before the deadline, possibly negative (None without one); never raises."""
    at = _deadline.get()
    return None if at is None else at - time.monotonic()


def exceeded(*, write: bool) -> DeadlineExceeded:
    said = "the request ran past its deadline while the service is busy"
    return DeadlineExceeded(f"{said}; nothing was written, retry" if write else f"{said}; retry")


def timed(query: LiteralString) -> LiteralString | Query:
    """The query with the time left as its transaction timeout, when there is a deadline."""
    left = remaining()
    return query if left is None else Query(query, timeout=left)


def is_timeout(exc: Neo4jError) -> bool:
    """Neo4j stopped the transaction because its timeout passed."""
    code = exc.code or ""
    if "TransactionTimedOut" in code:
        return True
    # A transaction stopped while waiting for a lock, or stopped otherwise, once its deadline has
    # passed was stopped by it (the codes do not say why).
    at = _deadline.get()
    stopped = code.endswith(("Transaction.LockClientStopped", "Transaction.Terminated"))
    return stopped and at is not None and time.monotonic() >= at - MIN_SECONDS
