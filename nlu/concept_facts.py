"""Facts read straight from spaCy: concept spans and their ConText scopes.

Some facts are plain vocabulary: previous spine surgery, acute inflammation,
Some facts are plain vocabulary: previous spine surgery, acute inflammation,
pain high in the back, chronic back pain, pain while running, pain that eases
once warmed up, self-care tried and whether it helped, and every red flag but
both legs (chest pain, major trauma, worsening leg weakness, and the cauda
equina signs: saddle numbness, bladder, bowel). For these the PhraseMatcher's
concept spans (nlu/concepts.py, phrases in data/) are the mentions and the
ConText cues on spaCy tokens (nlu/context.py) decide the status; the
regular-expression rules of nlu/extractor.py do not handle them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from clinic.facts import Finding
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


@dataclass(frozen=True)
class ConceptFact:
    """How a ``concept.value`` span becomes a finding.

    ``only_negated``: counts only when denied ("never had surgery", not "knee
    surgery"); ``history_immune``: a history cue leaves it present (a spine
    operation is in the past by nature); ``backward_negation``: whether "... is
    fine" after it denies it ("the fusion was fine" does not undo the fusion);
    ``not_before``: words that, straight after the span, cancel it ("feel hot
    and cold" is a fever, not inflammation); ``only_after``: words one of which
    must come straight before it ("a temperature", "no temp", not "temp job");
    ``not_in_sentence``: phrases that cancel it anywhere in its sentence ("lost
    weight on purpose"); ``not_within``: words that cancel it inside the span
    ("been running for years" is not chronic pain); ``not_after``: words that,
    straight before it, cancel it ("family history of back problems");
    ``negation_within``: a denial inside the span counts ("running doesn't make
    it worse", "no history of back pain", where the cue is part of the match);
    ``needs_within``: words one of which must be in the span ("stretched", not
    "a stretch"); ``question``: in a clause phrased as a question it is
    hypothetical ("does ice help?" asks for advice, it reports nothing);
    ``generic_question``: only in a question that says nothing of oneself
    ("is foot drop serious?"; "why is my foot dragging?" reports it).
    ``not_after`` entries may be several words ("should i"). ``needs_concept``:
    label prefixes one of which another span of its sentence must have ("it
    hasn't helped" is about self-care only next to a treatment).
    ``needs_number``: a number must be in the span ("fell about 8 feet", not
    "fell on my feet"). ``hypothetical_within``: a hypothetical cue overlapping
    the span counts ("if I come off my bike": the cue "if * come" takes the
    verb the phrase starts with).
    Red flags are conservative: a denial or history cue does not reach them
    across "and" ("no fever and chest pain").
    """

    fact: str
    value: Any
    only_negated: bool = False
    history_immune: bool = False
    backward_negation: bool = True
    not_before: tuple[str, ...] = ()
    only_after: tuple[str, ...] = ()
    not_in_sentence: tuple[str, ...] = ()
    not_within: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    negation_within: bool = False
    needs_within: tuple[str, ...] = ()
    needs_concept: tuple[str, ...] = ()
    question: bool = False
    generic_question: bool = False
    needs_number: bool = False
    hypothetical_within: bool = False
    status: str | None = None  # fixed by the phrase itself ("said I can keep running")
    inverted: bool = False  # the phrase states the opposite ("eases with rest")

    @property
    def red_flag(self) -> bool:
        return self.fact == "red_flags"


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

# Major trauma is an event: "... was fine" after it does not undo it ("came off my
# bike and felt fine at first"). Phrases whose lemma stands for several forms
# need the form that tells the event ("landed hard", not a runner "landing hard").
_TRAUMA = {"backward_negation": False, "hypothetical_within": True}
# "fell asleep", "my pace falls apart", "falls behind": no fall.
_NOT_A_FALL = ("asleep", "apart", "away", "below", "under", "behind", "short", "into", "within")
# Things that come off or fall, not the runner: "the chain came off my bike", "my
# pace fell off a cliff".
_NOT_THE_RUNNER = (
    "chain", "pace", "speed", "mileage", "fitness", "form", "times", "performance", "motivation",
)  # fmt: skip
MAJOR_TRAUMA_FACTS: dict[str, ConceptFact] = {
    "red_flag.major_trauma": ConceptFact(
        "red_flags",
        "major_trauma",
        not_before=("diet", "course"),  # "a crash diet"
        not_after=_NOT_THE_RUNNER,
        **_TRAUMA,
    ),
    "major_trauma.fell_backwards": ConceptFact(
        "red_flags", "major_trauma", not_within=("asleep",), not_after=_NOT_THE_RUNNER, **_TRAUMA
    ),
    "major_trauma.fall_distance": ConceptFact(
        "red_flags", "major_trauma", needs_number=True, **_TRAUMA
    ),
    "major_trauma.landed_hard": ConceptFact(
        "red_flags",
        "major_trauma",
        needs_within=("landed", "fell", "fallen", "came", "went", "crashed", "hit"),
        not_after=("rain", "snow", "hail", "sleet"),  # "the rain came down hard"
        **_TRAUMA,
    ),
    "major_trauma.run_over": ConceptFact(
        "red_flags",
        "major_trauma",
        needs_within=("run", "ran", "ended", "rearended", "boned", "tboned", "shunted"),
        **_TRAUMA,
    ),
    "major_trauma.any_accident": ConceptFact(
        "red_flags",
        "major_trauma",
        only_negated=True,
        not_within=("crashed", "crashing"),  # "my watch hasn't crashed"
        not_before=_NOT_A_FALL,
        **_TRAUMA,
    ),
}

# Worsening leg weakness, as conservative as trauma: "... and felt fine after"
# does not undo a leg that gave way. "caught" is a one-off trip ("my toe caught
# on a root"), not a foot that keeps catching.
_WEAKNESS = {"backward_negation": False, "hypothetical_within": True, "generic_question": True}
# "weaker" shares its lemma with "weak", and "getting" with "got": a form that says
# it is getting worse ("my legs feel weak after a long run" does not).
_WORSE_FORMS = (
    "weaker", "getting", "weakening", "progressive", "progressively", "increasing",
    "increasingly", "worsening", "severe", "severely",
)  # fmt: skip
# A leg named in the sentence: "I'm getting weaker" may be anything.
_LEG_PLACES = (
    "location.leg", "location.thigh", "location.calf", "location.foot", "location.buttock",
)  # fmt: skip
WORSENING_WEAKNESS_FACTS: dict[str, ConceptFact] = {
    "red_flag.worsening_weakness": ConceptFact(
        "red_flags", "worsening_weakness", not_within=("caught",), **_WEAKNESS
    ),
    # "my feet are dragging at the end of long runs" is tiredness.
    "worsening_weakness.foot_slaps": ConceptFact(
        "red_flags", "worsening_weakness", not_within=("feet", "caught"), **_WEAKNESS
    ),
    "worsening_weakness.weaker": ConceptFact(
        "red_flags",
        "worsening_weakness",
        needs_within=_WORSE_FORMS,
        # One leg against the other is a comparison, not a change: "weaker than my right".
        not_before=("than my", "than the other", "than the left", "than the right"),
        needs_concept=_LEG_PLACES,
        **_WEAKNESS,
    ),
    # The wildcard may hold the denial: "the weakness isn't getting any worse".
    "worsening_weakness.worse": ConceptFact(
        "red_flags", "worsening_weakness", negation_within=True, **_WEAKNESS
    ),
}

# Cauda equina signs (999). "number" has the lemma "numb"; "bottom" before "of",
# "end", "half" or "line" is no place ("numb at the bottom of my foot"). "a wee
# bit" is "a little"; "go for a run" is no toilet; "pissed myself laughing".
_WEE_BIT = ("bit", "bitty", "while", "tad", "touch", "one", "ones", "thing")
_NOT_TOILET = (
    "for a", "to the", "to a", "to work", "to bed", "to sleep", "to hospital", "back", "home",
    "out", "running", "run", "jogging",
)  # fmt: skip
CAUDA_EQUINA_FACTS: dict[str, ConceptFact] = {
    "red_flag.saddle_numbness": ConceptFact(
        "red_flags",
        "saddle_numbness",
        not_within=("number",),
        not_before=("of", "end", "half", "line"),
    ),
    "red_flag.saddle_place": ConceptFact(
        "red_flags", "saddle_numbness", not_within=("number",), negation_within=True
    ),
    "red_flag.saddle_wiping": ConceptFact("red_flags", "saddle_numbness"),
    # "... numbness in my legs, now it's in my groin": the sensation was named earlier.
    "red_flag.saddle_spread": ConceptFact(
        "red_flags",
        "saddle_numbness",
        needs_concept=("sensation.numbness", "sensation.tingling"),
    ),
    "red_flag.bladder": ConceptFact("red_flags", "bladder"),
    "red_flag.bladder_leak": ConceptFact(
        "red_flags", "bladder", not_after=("faecal", "fecal", "bowel"), not_before=("laughing",)
    ),
    "red_flag.bladder_retention": ConceptFact(
        "red_flags", "bladder", not_before=_WEE_BIT, not_within=("bit", "bitty", "tad")
    ),
    # "nothing comes out": of the bladder only with peeing or the toilet named.
    "red_flag.bladder_trickle": ConceptFact("red_flags", "bladder", needs_concept=("toilet.",)),
    "red_flag.bladder_difficulty": ConceptFact(
        "red_flags", "bladder", negation_within=True, not_before=_WEE_BIT
    ),
    "red_flag.bladder_unnoticed": ConceptFact("red_flags", "bladder", not_before=_NOT_TOILET),
    "red_flag.bladder_normal": ConceptFact("red_flags", "bladder", inverted=True),
    # "pain when I open my bowels" is no bowel problem (the bowel_normal phrases
    # read "open my bowels normally").
    "red_flag.bowel": ConceptFact(
        "red_flags",
        "bowel",
        not_after=("open my", "opening my", "opened my", "opens my"),
        not_before=("open", "are open", "been open"),
    ),
    "red_flag.bowel_leak": ConceptFact("red_flags", "bowel", not_before=("up", "laughing")),
    "red_flag.bowel_soiling": ConceptFact("red_flags", "bowel", needs_within=("soiling",)),
    "red_flag.bowel_difficulty": ConceptFact("red_flags", "bowel", negation_within=True),
    "red_flag.bowel_unnoticed": ConceptFact("red_flags", "bowel", not_before=_NOT_TOILET),
    "red_flag.bowel_normal": ConceptFact("red_flags", "bowel", inverted=True),
}

CONCEPT_FACTS: dict[str, ConceptFact] = {
    "spine_surgery.operation": ConceptFact(
        "spine_surgery", True, history_immune=True, backward_negation=False
    ),
    "spine_surgery.any_operation": ConceptFact(
        "spine_surgery", True, only_negated=True, history_immune=True, backward_negation=False
    ),
    "advised_not_to_run.told": ConceptFact("advised_not_to_run", True, history_immune=True),
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


def concept_mentions(doc: Doc) -> list[Finding]:
    """Every mention of a fact in ``CONCEPT_FACTS``: one finding per concept span."""
    mentions: list[Finding] = []
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
        status = _status(doc, span.start, span.end, rule)
        if rule.only_negated and status != NEGATED:
            continue
        mentions.append(
            Finding(rule.fact, rule.value, status, span.start_char, span.end_char, span.text)
        )
    return mentions


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
