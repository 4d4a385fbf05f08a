"""The shape every policy answer takes inside the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Decision:
    """`allow` is true only when OPA said exactly `allow: true`."""

    allow: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)
    requires_review: bool = False

    @classmethod
    def deny(cls, reason: str) -> Decision:
        return cls(allow=False, reasons=(reason,))

    @classmethod
    def from_opa(cls, body: Any) -> Decision:
        """Fail closed: anything but a well-formed result with allow == True is a denial."""
        if not isinstance(body, dict) or "result" not in body:
            return cls.deny("policy decision undefined")
        result = body["result"]
        if not isinstance(result, dict):
            return cls.deny("policy decision malformed")
        raw_reasons = result.get("reasons", [])
        reasons = tuple(str(r) for r in raw_reasons) if isinstance(raw_reasons, list) else ()
        return cls(
            allow=result.get("allow") is True,
            reasons=reasons,
            requires_review=result.get("requires_review") is True,
        )
