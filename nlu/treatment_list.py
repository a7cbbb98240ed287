"""A message that only names treatments reports having tried them.

"stretching and ice", "a bit of stretching", "ibuprofen" is how people answer "Have
you tried anything for it yet, such as stretching, ice or heat?". A treatment named
in a sentence says nothing by itself ("my friend swears by ice"), but a message of
treatments alone, not asked and with no choice in it ("ice or heat?", "ice or heat"
ask), is that answer.
"""

from __future__ import annotations

from spacy.tokens import Doc

from clinic.facts import Finding
from nlu.concepts import SPAN_KEY
from nlu.context import PRESENT
from nlu.questions import is_question

TREATMENT = "self_care."
# Words a list of treatments may have around them: "just a bit of stretching really".
_FILLERS = frozenset(
    "a an the bit bits little some lots lot loads of and & plus also just mostly mainly "
    "only really too as well occasional few couple".split()
)


def tried_from_treatment_list(doc: Doc) -> list[Finding]:
    """``self_care_tried`` when the whole message is treatments and fillers."""
    treatments = [span for span in doc.spans.get(SPAN_KEY, ()) if span.label_.startswith(TREATMENT)]
    if not treatments or is_question(doc.text):
        return []
    covered = {i for span in treatments for i in range(span.start, span.end)}
    if any(i not in covered and not _filler(doc, i) for i in range(len(doc))):
        return []
    first, last = min(s.start_char for s in treatments), max(s.end_char for s in treatments)
    return [Finding("self_care_tried", True, PRESENT, first, last, doc.text[first:last])]


def _filler(doc: Doc, i: int) -> bool:
    token = doc[i]
    return token.is_space or (token.is_punct and token.text != "?") or token.lower_ in _FILLERS
