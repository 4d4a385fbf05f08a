"""Obvious personal data in free text (notes, descriptions, reasons, narratives): e-mail addresses,
phone numbers and national identification numbers. Detection leans on maintained libraries —
`phonenumbers` (Google's libphonenumber) finds phone numbers, `email-validator` confirms e-mail
candidates, `python-stdnum` validates national id checksums — so a string of digits in a note is a
national id only when a country's checksum says so. What happens to a finding is policy data
(policies/modelgraph/privacy): refuse the write, mask the value, or send the change to review."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.de import idnr
from stdnum.dk import cpr
from stdnum.es import dni
from stdnum.fr import nir
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.se import personnummer
from stdnum.us import ssn

KINDS = ("email", "phone", "national_id")
# Payload keys (at any depth) holding free text people write; other fields have their own rules.
FREE_TEXT_FIELDS = frozenset({"notes", "description", "reason", "text", "intended_use", "narrative", "comment"})

# Candidates only: the libraries decide. An e-mail-like token; an id-like token (digits with
# optional separators, or the letters and digits of a fiscal code).
_EMAIL_CANDIDATE = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")
_ID_CANDIDATE = re.compile(r"(?<![\w.])(?:\d[\d -]{7,14}\d|[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]|\d{8}[A-Z])(?![\w.])")
# Fixed-length national ids with a checksum; SSNs only in their written form (NNN-NN-NNNN), as a
# bare nine-digit number is too often something else.
_ID_CHECKS: tuple[Callable[[str], bool], ...] = (
    lambda s: bool(re.fullmatch(r"\d{3}-\d{2}-\d{4}", s)) and ssn.is_valid(s),
    bsn.is_valid,
    idnr.is_valid,
    pesel.is_valid,
    cpr.is_valid,
    personnummer.is_valid,
    nir.is_valid,
    dni.is_valid,
    codicefiscale.is_valid,
)
MASK = "[masked: {kind}]"


@dataclass(frozen=True)
class Detection:
    field: str  # the payload path, e.g. notes or versions[2].notes
    kind: str  # email | phone | national_id
    start: int
    end: int


def scan_text(text: str, region: str = "US") -> list[tuple[str, int, int]]:
    """(kind, start, end) of each finding, in text order, not overlapping."""
    found: list[tuple[str, int, int]] = []
    for m in _EMAIL_CANDIDATE.finditer(text):
        try:
            validate_email(m.group(0), check_deliverability=False)
        except EmailNotValidError:
            continue
        found.append(("email", m.start(), m.end()))
    for m in _ID_CANDIDATE.finditer(text):
        if any(_valid(check, m.group(0)) for check in _ID_CHECKS):
            found.append(("national_id", m.start(), m.end()))
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        found.append(("phone", match.start, match.end))
    ordered: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(found, key=lambda f: (f[1], -f[2])):
        if ordered and start < ordered[-1][2]:
            continue  # inside an earlier finding (a phone-like run of an id, say)
        ordered.append((kind, start, end))
    return ordered


def _valid(check: Callable[[str], bool], value: str) -> bool:
    try:
        return check(value)
    except Exception:  # stdnum raises on odd lengths and formats of some countries
        return False


def scan(payload: Any, region: str = "US", path: str = "") -> list[Detection]:
    """Every finding in the free-text fields of a command payload."""
    out: list[Detection] = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            where = f"{path}.{key}" if path else str(key)
            if key in FREE_TEXT_FIELDS and isinstance(value, str):
                out += [Detection(where, kind, s, e) for kind, s, e in scan_text(value, region)]
            elif isinstance(value, dict | list):
                out += scan(value, region, where)
    elif isinstance(payload, list):
        for index, item in enumerate(payload):
            out += scan(item, region, f"{path}[{index}]")
    return out


def mask(payload: Any, detections: list[Detection], path: str = "") -> Any:
    """A copy of the payload with each detection's text replaced by a marker naming its kind."""
    if isinstance(payload, dict):
        out: dict[str, Any] = {}
        for key, value in payload.items():
            where = f"{path}.{key}" if path else str(key)
            mine = [d for d in detections if d.field == where]
            if mine and isinstance(value, str):
                for d in sorted(mine, key=lambda d: d.start, reverse=True):
                    value = value[: d.start] + MASK.format(kind=d.kind) + value[d.end :]
                out[key] = value
            else:
                out[key] = mask(value, detections, where)
        return out
    if isinstance(payload, list):
        return [mask(item, detections, f"{path}[{i}]") for i, item in enumerate(payload)]
    return payload
