"""graphql-transport-ws sockets that keep checking who is on the other end.

A socket authenticates once in connection_init, but it may live for hours: its principal is
checked again before every operation and every `ws_recheck_seconds`. A revoked or expired key,
or a disabled principal, ends the socket (close code 4403) and every subscription on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage, SubscribeMessage

from app.errors import RegistryError, Unauthenticated
from app.graphql.context import Context

log = logging.getLogger(__name__)
FORBIDDEN = 4403
TRY_AGAIN_LATER = 1013


def bearer_of(context: Context) -> str | None:
    """The Authorization entry of the connection_init payload."""
    params = context.connection_params if isinstance(context.connection_params, dict) else {}
    token = params.get("Authorization") or params.get("authorization")
    return token if isinstance(token, str) else None


async def principal_of(context: Context) -> Any:
    """Resolve the socket's token again (the key cache answers within its TTL)."""
    return await context.request.app.state.authenticator.actor_for(bearer_of(context))


class RecheckingTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Re-authenticates on every subscribe and periodically while the socket is open."""

    _recheck_task: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self._recheck_task is None:
            self._recheck_task = asyncio.create_task(self._recheck_periodically())

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and not await self._still_allowed():
            return
        await super().handle_subscribe(message)

    async def shutdown(self) -> None:
        if self._recheck_task is not None and self._recheck_task is not asyncio.current_task():
            self._recheck_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._recheck_task
        await super().shutdown()

    async def _recheck_periodically(self) -> None:
        every = self.context.services.settings.ws_recheck_seconds
        while await self._sleep_then_check(every):
            pass

    async def _sleep_then_check(self, every: float) -> bool:
        await asyncio.sleep(every)
        return await self._still_allowed()

    async def _still_allowed(self) -> bool:
        """Refresh the socket's principal, or end the socket and say why."""
        try:
            self.context.principal = await principal_of(self.context)
        except Unauthenticated as exc:
            await self._end(FORBIDDEN, exc.message)
            return False
        except RegistryError as exc:  # cannot tell who it is now: fail closed, the client may retry
            log.warning("websocket principal re-check failed: %s", exc.code)
            await self._end(TRY_AGAIN_LATER, "authentication unavailable")
            return False
        return True

    async def _end(self, code: int, reason: str) -> None:
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)
        with contextlib.suppress(Exception):  # the peer may already be gone
            await self.websocket.close(code=code, reason=reason[:120])
