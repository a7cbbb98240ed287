"""Facts read straight from spaCy: concept spans and their ConText scopes.

Some facts are plain vocabulary: previous spine surgery, acute inflammation,
pain high in the back, chronic back pain, pain while running, pain that eases
once warmed up, self-care tried and whether it helped, and every red flag but
both legs (chest pain, major trauma, worsening leg weakness, and the cauda
equina signs: saddle numbness, bladder, bowel). For these the PhraseMatcher's
concept spans (nlu/concepts.py, phrases in data/) are the mentions and the
ConText cues on spaCy tokens (nlu/context.py) decide the status.

How a concept span becomes a finding is a ``ConceptFact`` (nlu/concept_fact.py);
the tables of the red flags are in nlu/red_flag_facts.py, the others here.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span, Token

from clinic.facts import Finding
from nlu.concept_fact import ConceptFact
from nlu.concepts import SPAN_KEY
from nlu.context import (
    BACKWARD,
    HISTORICAL,
    HYPOTHETICAL,
    NEGATED,
    PRESENT,
    PRIORITY,
    Cue,
    cues_reaching,
)
from nlu.questions import in_question, is_generic_question
from nlu.red_flag_facts import CAUDA_EQUINA_FACTS, MAJOR_TRAUMA_FACTS, WORSENING_WEAKNESS_FACTS

# Pain while running. "started on a run" dates the onset, it is not a pattern;
# "pain free when I run" is the denial below, not pain.
_ONSET_WORDS = ("started", "began", "begun", "came")
RUNNING_PAIN_FACTS: dict[str, ConceptFact] = {
    "running_pain.while_running": ConceptFact(
        "pain_while_running", True, not_within=(*_ONSET_WORDS, "free")
    ),
    "running_pain.aggravates": ConceptFact("pain_while_running", True, negation_within=True),
    # "I can run without pain" denies it, "I can't run without pain" states it.
    # "... hasn't stopped me running and it feels fine": "and" joins two clauses.
    "running_pain.pain_free": ConceptFact(
        "pain_while_running", True, inverted=True, not_within=("and", "&")
    ),
}

# Chronic is about the history by nature: a history cue ("before", "history of")
# leaves it present, and "... is fine" later in the clause does not undo it.
# How long someone has run, sat or driven is not how long the back has hurt.
_ACTIVITY_WORDS = (
    "running", "run", "ran", "runner", "jogging", "racing", "training", "sitting", "sat",
    "standing", "stood", "driving", "waiting", "walking", "working", "member",
)  # fmt: skip
# A relative's back is not this runner's history ("no family history of ...").
_RELATIVES = ("family", "dad", "mum", "mom", "father", "mother", "brother", "sister")
CHRONIC_FACTS: dict[str, ConceptFact] = {
    "chronic.recurring": ConceptFact("chronic", True, history_immune=True, backward_negation=False),
    "chronic.long_standing": ConceptFact(
        "chronic",
        True,
        history_immune=True,
        backward_negation=False,
        not_within=_ACTIVITY_WORDS,
        not_after=_RELATIVES + _ACTIVITY_WORDS,  # "running since I was a teenager"
    ),
    "chronic.had_before": ConceptFact(
        "chronic",
        True,
        history_immune=True,
        backward_negation=False,
        not_after=_RELATIVES,
        negation_within=True,  # "no history of back pain": the cue starts the match
    ),
    # "I've got back pain" says nothing about the past; "never had back pain" does.
    "chronic.any_back_trouble": ConceptFact(
        "chronic", True, only_negated=True, history_immune=True, backward_negation=False
    ),
    # "it's not the first time": the denial sits inside the match.
    "chronic.first_time": ConceptFact(
        "chronic",
        True,
        history_immune=True,
        backward_negation=False,
        inverted=True,
        negation_within=True,
    ),
    # "First time" alone answers "Is this back pain that keeps coming back?"; not
    # "my first time running a half".
    "chronic.first_time_alone": ConceptFact(
        "chronic",
        True,
        history_immune=True,
        backward_negation=False,
        inverted=True,
        at_clause_end=True,
    ),
    # "it flares up when I run" names a trigger, not a recurrence.
    "chronic.flares": ConceptFact(
        "chronic",
        True,
        history_immune=True,
        backward_negation=False,
        not_before=("when", "whenever", "while", "whilst", "during", "on", "if", "after", "with"),
    ),
}

# Eases once warmed up. The phrase carries the warm-up, so "... and then it's
# fine" later on does not deny it; "still sore even after I've warmed up" denies
# it by itself. "does it ease once you warm up?" asks, it reports nothing.
WARM_UP_FACTS: dict[str, ConceptFact] = {
    "warm_up.eases": ConceptFact(
        "eases_after_warmup", True, backward_negation=False, question=True
    ),
    "warm_up.still_sore": ConceptFact("eases_after_warmup", True, status=NEGATED),
}

# Self-care tried is about the history by nature ("tried ice last year"), and
# "... is good" after it does not undo it. A question asks for advice ("should I
# try ice?"). Words inside the match that make it no treatment: "I have pain at
# rest", "I've been told to rest", "had trouble walking".
_NOT_TREATMENT = (
    "pain", "sore", "worse", "at", "trouble", "difficulty", "problems", "hard",
    "told", "advised", "said",
)  # fmt: skip
# The phrases match on lemmas; a report needs a form that says it was done: "can I
# use heat?", "I have to walk" and "does ice do anything" report nothing.
_TRIED = (
    "tried", "trying", "try", "been", "doing", "done", "did", "using", "used", "taking",
    "taken", "took", "started", "starting", "applied", "applying", "put", "putting", "had",
    "having", "went", "going",
)  # fmt: skip
_REQUEST = ("me", "us", "you", "please", "out")
# A treatment or "tried" in the sentence: "tried ice but it hasn't helped".
_SELF_CARE_KINDS = ("self_care.", "self_care_tried.")
_SELF_CARE = {"history_immune": True, "backward_negation": False, "question": True}
SELF_CARE_FACTS: dict[str, ConceptFact] = {
    "self_care_tried.doing": ConceptFact(
        "self_care_tried",
        True,
        not_within=_NOT_TREATMENT,
        needs_within=_TRIED,
        not_after=("should i", "could i", "shall i", "would i"),
        not_before=("of",),  # "had a stretch of bad luck"
        negation_within=True,  # "I haven't taken any painkillers": the cue is inside
        **_SELF_CARE,
    ),
    "self_care_tried.done": ConceptFact(
        "self_care_tried",
        True,
        needs_within=("stretched", "iced", "rested", "massaged", "rolled"),
        **_SELF_CARE,
    ),
    # Whether it helped: "help me" is a request ("can you help me").
    "self_care_helped.helps": ConceptFact(
        "self_care_helped",
        True,
        negation_within=True,
        not_before=_REQUEST,
        **_SELF_CARE,
    ),
    "self_care_helped.it_helps": ConceptFact(
        "self_care_helped",
        True,
        negation_within=True,
        not_before=_REQUEST,
        needs_concept=_SELF_CARE_KINDS,
        **_SELF_CARE,
    ),
    "self_care_helped.easing": ConceptFact(
        "self_care_helped",
        True,
        needs_within=("easing", "eased", "improving", "improved", "better", "easier"),
        needs_concept=_SELF_CARE_KINDS,
        not_before=("when", "whenever", "if", "with", "after", "once", "while", "whilst"),
        negation_within=True,  # "it's not easing": the cue is inside the match
        **_SELF_CARE,
    ),
    "self_care_helped.better_since": ConceptFact("self_care_helped", True, **_SELF_CARE),
    "self_care_helped.nothing": ConceptFact("self_care_helped", True, status=NEGATED),
    "self_care_helped.no_better": ConceptFact(
        "self_care_helped", True, status=NEGATED, needs_concept=_SELF_CARE_KINDS
    ),
    "self_care_tried.anything": ConceptFact(
        "self_care_tried", True, needs_within=("tried", "done", "used", "taken"), **_SELF_CARE
    ),
}

CONCEPT_FACTS: dict[str, ConceptFact] = {
    "spine_surgery.operation": ConceptFact(
        "spine_surgery", True, history_immune=True, backward_negation=False
    ),
    "spine_surgery.any_operation": ConceptFact(
        "spine_surgery", True, only_negated=True, history_immune=True, backward_negation=False
    ),
    "advised_not_to_run.told": ConceptFact("advised_not_to_run", True, history_immune=True),
    # Asked whether they were advised not to run: "nobody told me to stop", "the
    # physio said to stop." ("told me to stop taking ibuprofen" is about that).
    "advised_not_to_run.told_to_stop": ConceptFact(
        "advised_not_to_run", True, history_immune=True, at_clause_end=True
    ),
    "advised_to_run.cleared": ConceptFact("advised_not_to_run", True, status=NEGATED),
    "inflammation.inflamed": ConceptFact("acutely_inflamed", True),
    "inflammation.feels_hot": ConceptFact(
        "acutely_inflamed", True, not_before=("and cold", "& cold", "or cold")
    ),
    "medical_flag.upper_back": ConceptFact("medical_flags", "upper_back"),
    "medical_flag.fever": ConceptFact("medical_flags", "fever"),
    "medical_flag.temperature": ConceptFact(
        "medical_flags", "fever", only_after=("a", "no", "any", "raised")
    ),
    "medical_flag.lump": ConceptFact("medical_flags", "lump"),
    "medical_flag.night_pain": ConceptFact("medical_flags", "night_pain"),
    "medical_flag.eases_with_rest": ConceptFact("medical_flags", "night_pain", inverted=True),
    "medical_flag.cough_sneeze_pain": ConceptFact("medical_flags", "cough_sneeze_pain"),
    "medical_flag.weight_loss": ConceptFact(
        "medical_flags",
        "weight_loss",
        not_in_sentence=(
            "trying to lose",
            "want to lose",
            "wanted to lose",
            "on purpose",
            "deliberate",
            "intentional",
            "diet",
            "slimming",
            "calorie",
            "racing weight",
            "cutting weight",
        ),
    ),
    "red_flag.chest_pain": ConceptFact("red_flags", "chest_pain"),
    **MAJOR_TRAUMA_FACTS,
    **WORSENING_WEAKNESS_FACTS,
    **CAUDA_EQUINA_FACTS,
    **RUNNING_PAIN_FACTS,
    **CHRONIC_FACTS,
    **WARM_UP_FACTS,
    **SELF_CARE_FACTS,
}
FACTS = {rule.fact for rule in CONCEPT_FACTS.values()}


def _word(token: Token) -> str:
    """The word as meant: a misspelling's correction ("lannded" -> "landed")."""
    return token._.correction or token.lower_


def _follows(doc: Doc, start: int, phrases: tuple[str, ...]) -> bool:
    """Whether the words straight before token ``start`` end with one of ``phrases``."""
    before = " " + " ".join(t.lower_ for t in doc[max(0, start - 3) : start])
    return any(before.endswith(" " + phrase) for phrase in phrases)


def _concept_in_sentence(doc: Doc, span: Span, prefixes: tuple[str, ...]) -> bool:
    sent = span.sent
    return any(
        other.label_.startswith(prefixes) and sent.start <= other.start and other.end <= sent.end
        for other in doc.spans.get(SPAN_KEY, ())
    )


def _cue_within(doc: Doc, start: int, end: int, kind: str) -> bool:
    """A ``kind`` cue overlapping tokens ``[start, end)`` (ConText skips those)."""
    cues: list[Cue] = doc._.context_cues or []
    return any(c.kind == kind and c.start < end and start < c.end for c in cues)


def _status(doc: Doc, start: int, end: int, rule: ConceptFact) -> str:
    if rule.status:
        return rule.status
    kinds = {
        kind
        for kind, direction in cues_reaching(doc, start, end, stop_at_and=rule.red_flag)
        if rule.backward_negation or (kind, direction) != (NEGATED, BACKWARD)
    }
    if rule.history_immune:
        kinds.discard(HISTORICAL)
    if rule.negation_within and _cue_within(doc, start, end, NEGATED):
        kinds.add(NEGATED)
    if rule.hypothetical_within and _cue_within(doc, start, end, HYPOTHETICAL):
        kinds.add(HYPOTHETICAL)
    if rule.question and in_question(doc.text, doc[end - 1].idx):
        kinds.add(HYPOTHETICAL)
    last = doc[end - 1]
    if rule.generic_question and is_generic_question(
        doc.text, doc[start].idx, last.idx + len(last)
    ):
        kinds.add(HYPOTHETICAL)
    status = next((kind for kind in PRIORITY if kind in kinds), PRESENT)
    if rule.inverted:
        status = {PRESENT: NEGATED, NEGATED: PRESENT}.get(status, status)
    return status


# What may follow a span that ends its clause (besides punctuation and the end),
# a time included ("told me to stop for a couple of weeks").
_CLAUSE_END_WORDS = frozenset(
    "and but so because cos though although however whereas or yet either for until till "
    "now".split()
)


def _ends_clause(doc: Doc, end: int) -> bool:
    return end == len(doc) or doc[end].is_punct or doc[end].lower_ in _CLAUSE_END_WORDS


def concept_mentions(doc: Doc) -> list[Finding]:
    """Every mention of a fact in ``CONCEPT_FACTS``: one finding per concept span,
    less those read inside a denial phrase of the same fact (``_inside_denials``)."""
    mentions: list[Finding] = []
    denials: list[Finding] = []
    for span in doc.spans.get(SPAN_KEY, ()):
        rule = CONCEPT_FACTS.get(span.label_)
        if rule is None:
            continue
        after = doc[span.end : span.end + 2].text.lower()
        if any(after.startswith(words) for words in rule.not_before):
            continue
        if rule.only_after and not _follows(doc, span.start, rule.only_after):
            continue
        if any(words in span.sent.text.lower() for words in rule.not_in_sentence):
            continue
        if rule.not_within and any(_word(t) in rule.not_within for t in span):
            continue
        if rule.not_after and _follows(doc, span.start, rule.not_after):
            continue
        if rule.needs_within and not any(_word(t) in rule.needs_within for t in span):
            continue
        if rule.needs_concept and not _concept_in_sentence(doc, span, rule.needs_concept):
            continue
        if rule.needs_number and not any(t.like_num for t in span):
            continue
        if rule.at_clause_end and not _ends_clause(doc, span.end):
            continue
        status = _status(doc, span.start, span.end, rule)
        if rule.only_negated and status != NEGATED:
            continue
        mention = Finding(rule.fact, rule.value, status, span.start_char, span.end_char, span.text)
        mentions.append(mention)
        if rule.inverted and status == NEGATED:
            denials.append(mention)
    return _inside_denials(mentions, denials)


def _inside_denials(mentions: list[Finding], denials: list[Finding]) -> list[Finding]:
    """Without the mentions that a longer phrase of the same fact denies: in "bladder
    and bowels ok" the plain "bladder" is part of the denial, not a report of it."""

    def denied(mention: Finding) -> bool:
        return any(
            denial is not mention
            and (denial.fact, denial.value) == (mention.fact, mention.value)
            and denial.start <= mention.start
            and mention.end <= denial.end
            for denial in denials
        )

    return [mention for mention in mentions if not denied(mention)]


def concept_facts(mentions: list[Finding]) -> list[Finding]:
    """The findings of ``concept_mentions``: one per fact, value and status."""
    findings: dict[tuple[str, Any, str], Finding] = {}
    for mention in mentions:
        findings.setdefault((mention.fact, mention.value, mention.status), mention)
    return running_pain_outweighs_denial(list(findings.values()))


def running_pain_outweighs_denial(findings: list[Finding]) -> list[Finding]:
    """Some running hurts, so the fact holds: the denial is dropped.

    "fine on easy runs but it hurts on intervals", whichever part comes first.
    """
    if not any(f.fact == "pain_while_running" and f.status == PRESENT for f in findings):
        return findings
    return [f for f in findings if not (f.fact == "pain_while_running" and f.status == NEGATED)]
