"""Personal data in the free text of a write, handled as policy says before anything is planned:
a kind policy refuses fails the write naming the field; a kind it masks is replaced in the payload
(the stored text says `[masked: email]`); a kind it sends to review goes into the plan's context,
where the policy's privacy rules turn it into a review reason. OPA is asked only when something was
found, so writes without personal data cost nothing extra."""

from __future__ import annotations

from typing import Any

from app.domain.personal_data import Detection, mask, scan
from app.errors import ValidationFailed
from app.services import Services

PRIVACY_PACKAGE = "modelgraph.privacy"


async def screen(services: Services, payload: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The payload to plan with, and the findings that need a review."""
    found = scan(payload, services.settings.phone_region)
    if not found:
        return payload, []
    kinds = sorted({d.kind for d in found})
    handling: dict[str, str] = await services.policy.query(PRIVACY_PACKAGE, "handling", {"kinds": kinds}) or {}
    refused = [d for d in found if handling.get(d.kind, "refuse") == "refuse"]
    if refused:
        first = refused[0]
        raise ValidationFailed(
            f"{first.field}: contains personal data ({first.kind}), which policy refuses in free text",
            field=first.field,
        )
    masked: list[Detection] = [d for d in found if handling.get(d.kind) == "mask"]
    review = [{"field": d.field, "kind": d.kind} for d in found if handling.get(d.kind) == "review"]
    return (mask(payload, masked) if masked else payload), review
