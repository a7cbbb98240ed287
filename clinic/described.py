"""What the person described in their own words, for the osteopath's pre-visit summary.

The extractor tags the clinical concepts of every message (nlu/concepts.py, in the
parse result under ``clinical_concepts``): where it hurts, which side, how it feels,
where it spreads, when it comes on, the running they do. The triage does not need
them; the osteopath reading before the visit does. Only what was said as present
counts: "no tingling", "used to get sciatica" and "what if it spreads" are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Concept kinds (data/nlu/clinical_vocabulary.yml), in the order a clinician reads them.
HEADINGS = {
    "location": "where",
    "laterality": "side",
    "sensation": "how it feels",
    "radiation": "spreading",
    "pattern": "when",
    "running": "running",
}


def described(concepts: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Present concepts by heading, each value once, in the order first said."""
    found: dict[str, list[str]] = {}
    for concept in concepts:
        heading = HEADINGS.get(concept.get("concept", ""))
        if heading is None or concept.get("status", "present") != "present":
            continue
        words = str(concept.get("value") or "").replace("_", " ")
        if words and words not in found.setdefault(heading, []):
            found[heading].append(words)
    return {heading: found[heading] for heading in HEADINGS.values() if found.get(heading)}


def described_text(concepts: Iterable[Mapping[str, Any]]) -> str:
    """E.g. "where: lower back; side: left; how it feels: ache; running: parkrun"."""
    return "; ".join(
        f"{heading}: {', '.join(words)}" for heading, words in described(concepts).items()
    )
