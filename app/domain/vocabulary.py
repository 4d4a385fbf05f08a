"""Controlled values the core validates against (search vocabularies extend these as Terms)."""

from __future__ import annotations

REGULATORY = (
    "GDPR",
    "HIPAA",
    "CCPA",
    "EU-AI-Act-high-risk",
    "EU-AI-Act-limited-risk",
    "SOX",
    "PCI-DSS",
    "FCRA",
)
RUN_END_STATES = ("FINISHED", "FAILED", "KILLED")
RUN_STATES = ("RUNNING", *RUN_END_STATES)
