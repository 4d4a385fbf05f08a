"""Foreseen GraphQL failures are logged as one line, without a traceback; a caller's bad variable
is one of them."""

from __future__ import annotations

import logging

import pytest

from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor
from app.services import Services

pytestmark = [pytest.mark.integration]


async def test_a_bad_variable_is_logged_as_one_line_without_a_traceback(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    schema = build_schema(services.settings)
    admin = Actor(id="root", name="root", roles=("admin",))
    context = Context(request=None, response=None, services=services, principal=admin)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO):
        result = await schema.execute(
            'query($n: Int!) { versionStatus(model: "m", version: $n) { flags { reason } } }',
            variable_values={"n": "abc"},
            context_value=context,
        )
    assert result.errors
    assert all(record.exc_info is None for record in caplog.records)
    assert [r.levelname for r in caplog.records if "abc" in r.getMessage()] == ["INFO"]
