"""Obvious personal data in free text is found (e-mail, phone, national ids with a valid checksum),
and the ordinary numbers of a registry's notes are not; masking keeps the rest of the text."""

from __future__ import annotations

import pytest

from app.domain.personal_data import mask, scan, scan_text


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("contact ana.ruiz@example.org for access", "email", "ana.ruiz@example.org"),
        ("on call: +44 20 7946 0958", "phone", "+44 20 7946 0958"),
        ("call (415) 555-0132 after 5", "phone", "(415) 555-0132"),
        ("customer SSN 536-90-4399 was in the sample", "national_id", "536-90-4399"),
        ("BSN 111222333 leaked", "national_id", "111222333"),
    ],
)
def test_finds_personal_data(text: str, kind: str, value: str) -> None:
    assert [(k, text[s:e]) for k, s, e in scan_text(text)] == [(kind, value)]


@pytest.mark.parametrize(
    "text",
    [
        "trained on 120000 rows for 35 epochs, lr 0.001",
        "version 1.2.3 released 2024-01-15, commit 9f8e7d6c",
        "AUC 0.9134 on holdout; 123456789 is not a checksum-valid id",
        "see https://example.org/docs and user@localhost",
    ],
)
def test_ordinary_registry_text_is_not_personal_data(text: str) -> None:
    assert scan_text(text) == []


def test_scan_walks_payloads_and_mask_replaces_only_the_findings() -> None:
    payload = {
        "name": "a@b.co",  # not a free-text field: names have their own rules
        "notes": "mail bob@corp.io or +1 415 555 0132 please",
        "versions": [{"notes": "clean"}, {"notes": "ssn 536-90-4399"}],
    }
    found = scan(payload)
    assert [(d.field, d.kind) for d in found] == [
        ("notes", "email"),
        ("notes", "phone"),
        ("versions[1].notes", "national_id"),
    ]
    masked = mask(payload, found)
    assert masked == {
        "name": "a@b.co",
        "notes": "mail [masked: email] or [masked: phone] please",
        "versions": [{"notes": "clean"}, {"notes": "ssn [masked: national_id]"}],
    }
    assert payload["notes"] == "mail bob@corp.io or +1 415 555 0132 please"  # the input is not changed
