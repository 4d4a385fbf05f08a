"""Input rules. Each failure names the field and the rule; nothing is ever interpreted as query text."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, overload

from app.errors import ValidationFailed

NAME_RULE = "1-128 characters: letters, digits, '.', '_' or '-', starting with a letter or digit"
# Patterns are used with fullmatch only: "^...$" with match() lets a trailing newline through.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
KEY_RULE = "1-64 characters: letters, digits, '_', '.', '-' or '/', starting with a letter"
KEY_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_./-]{0,63}")
PROP_RULE = "1-64 characters: lowercase letters, digits or '_', starting with a letter"
PROP_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
DIGEST_PATTERN = re.compile(r"sha256:[0-9a-f]{64}")
ALIAS_RULE = (
    "1-128 characters: letters, digits, '.', '_' or '-', starting with a letter or digit; compared case-insensitively"
)
# Bidi embeddings/overrides/isolates and marks, and zero-width characters: invisible, so two labels
# that look the same could differ, or a label could display differently from what it is.
BIDI_CONTROLS = {*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f", "\u061c"}
INVISIBLE = frozenset({*BIDI_CONTROLS, "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e"})
MAX_TEXT = 20_000
MAX_SHORT = 512
MAX_ITEMS = 200
FUTURE_SKEW = timedelta(minutes=5)


def fail(field: str, rule: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {rule}", field=field)


def normalise(value: str) -> str:
    """Unicode NFC, so visually equal names are equal."""
    return unicodedata.normalize("NFC", value)


def name(field: str, value: str) -> str:
    value = normalise(value)
    if not NAME_PATTERN.fullmatch(value):
        raise fail(field, f"must be {NAME_RULE}")
    return value


def name_key(value: str) -> str:
    """The form names are unique in: `Credit-Default` and `credit-default` are the same model."""
    return unicodedata.normalize("NFKC", value).casefold()


def alias(field: str, value: str) -> str:
    """Aliases are compared (and protected) in one form: NFKC, case-folded, nothing invisible around them,
    so "Production", "production\\n" or full-width letters are the protected "production", never a way around it."""
    if value != value.strip():
        raise fail(field, "must not start or end with whitespace")
    if any(_invisible(c) for c in value):
        raise fail(field, "must not contain control, bidi or zero-width characters")
    folded = name_key(value)
    if not NAME_PATTERN.fullmatch(folded):
        raise fail(field, f"must be {ALIAS_RULE}")
    return folded


def key(field: str, value: str) -> str:
    value = normalise(value)
    if not KEY_PATTERN.fullmatch(value):
        raise fail(field, f"must be {KEY_RULE}")
    return value


def prop_name(field: str, value: str) -> str:
    if not PROP_PATTERN.fullmatch(value):
        raise fail(field, f"must be {PROP_RULE}")
    return value


def text(field: str, value: str | None, *, max_len: int = MAX_TEXT, required: bool = False) -> str | None:
    """Free text is stored exactly as given (after NFC); NUL and other control chars are refused."""
    if value is None or value == "":
        if required:
            raise fail(field, "is required")
        return value
    value = normalise(value)
    if len(value) > max_len:
        raise fail(field, f"must be at most {max_len} characters (got {len(value)})")
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise fail(field, "must not contain NUL or control characters")
    return value


def short(field: str, value: str | None, *, required: bool = False) -> str | None:
    return text(field, value, max_len=MAX_SHORT, required=required)


def string_list(field: str, values: Iterable[str] | None, *, item_max: int = 64) -> list[str]:
    items = list(values or [])
    if len(items) > MAX_ITEMS:
        raise fail(field, f"must have at most {MAX_ITEMS} items")
    out: list[str] = []
    for index, item in enumerate(items):
        checked = text(f"{field}[{index}]", item, max_len=item_max, required=True)
        assert checked is not None
        if checked.strip() != checked:
            raise fail(f"{field}[{index}]", "must not start or end with whitespace")
        if checked not in out:
            out.append(checked)
    return out


def finite(field: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(field, "must be a finite number (NaN and Infinity are not allowed)")
    return float(value)


def mapping(field: str, value: object) -> Mapping[str, Any]:
    """A JSON object from a JSON-typed input (which accepts any JSON: 5, [1, 2], ...)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise fail(field, "must be an object {name: value}")
    return value


def metrics(field: str, values: Mapping[str, float] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for metric_name, value in mapping(field, values).items():
        metric_key = key(f"{field}.name", metric_name)
        out[metric_key] = finite(f"{field}.{metric_key}", value)
    if len(out) > MAX_ITEMS:
        raise fail(field, f"must have at most {MAX_ITEMS} entries")
    return out


def scalar_map(field: str, values: Mapping[str, Any] | None) -> dict[str, str | float | bool]:
    """Parameters: names by KEY_RULE, values string / finite number / bool."""
    out: dict[str, str | float | bool] = {}
    for param, value in mapping(field, values).items():
        param_key = key(f"{field}.name", param)
        if isinstance(value, bool):
            out[param_key] = value
        elif isinstance(value, int | float):
            out[param_key] = finite(f"{field}.{param_key}", value)
        elif isinstance(value, str):
            checked = text(f"{field}.{param_key}", value, max_len=4096)
            out[param_key] = checked or ""
        else:
            raise fail(f"{field}.{param_key}", "must be a string, a finite number or a boolean")
    if len(out) > MAX_ITEMS:
        raise fail(field, f"must have at most {MAX_ITEMS} entries")
    return out


def _invisible(c: str) -> bool:
    """C0/C1 controls, bidi controls and zero-width characters."""
    return unicodedata.category(c) == "Cc" or c in INVISIBLE


def labels(field: str, values: Iterable[str] | None) -> list[str]:
    """Owners, teams and tags: like string_list, and nothing invisible (no control, bidi or zero-width
    characters), so an owner or team cannot be impersonated by a look-alike."""
    out = string_list(field, values)
    for index, item in enumerate(out):
        if any(_invisible(c) for c in item):
            raise fail(f"{field}[{index}]", "must not contain control, bidi or zero-width characters")
    return out


def digest(field: str, value: str) -> str:
    if not DIGEST_PATTERN.fullmatch(value):
        raise fail(field, "must be sha256:<64 lowercase hex characters>")
    return value


def non_negative_int(field: str, value: int | None) -> int | None:
    if value is not None and value < 0:
        raise fail(field, "must be zero or positive")
    return value


def utc(field: str, value: datetime | None, *, allow_future: bool = False) -> datetime | None:
    """Timezone-aware UTC only; never far in the future unless allowed."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise fail(field, "must include a timezone (e.g. 2026-01-01T00:00:00Z)")
    value = value.astimezone(UTC)
    if not allow_future and value > datetime.now(UTC) + FUTURE_SKEW:
        raise fail(field, "must not be in the future")
    return value


@overload
def aware(field: str, value: datetime) -> datetime: ...


@overload
def aware(field: str, value: datetime | None) -> datetime | None: ...


def aware(field: str, value: datetime | None) -> datetime | None:
    """A point in time a read asks about: timezone-aware (a naive one would silently match nothing)."""
    return utc(field, value, allow_future=True)


def one_of(field: str, value: str | None, allowed: Iterable[str]) -> str | None:
    allowed_list = list(allowed)
    if value is not None and value not in allowed_list:
        raise fail(field, f"must be one of {', '.join(allowed_list)} (got {value!r})")
    return value
