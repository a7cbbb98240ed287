"""Durations in free text ("2-3 weeks", "since yesterday"), normalised to whole days.

Plain Python and regular expressions only. Conventions (the safer reading wins,
because a longer duration moves a runner towards an assessment, never away
from emergency care):

- ranges take the upper bound: "2-3 weeks" -> 21, "a week or two" -> 14;
- fractions round up: "1.5 weeks" -> 11, "a week and a half" -> 11;
- a month is 30 days, a year 365, a fortnight 14;
- vague quantities: "a couple of" = 2, "a few" = 3, "several" = 4, "many" = 5;
  a bare plural ("for weeks", "for years") = 2 units;
- "over / more than / longer than N" adds a sixth (at least one day):
  "over a month" -> 35, "over 2 weeks" -> 16;
- anchors: "since yesterday" / "last night" -> 1, "this morning" / "today" -> 0,
  "since last week" -> 7, "since last month" -> 30, "since last year" -> 365,
  "since Monday" (any weekday) or "since the weekend" -> 3 (the weekday of the
  message is unknown, so the middle of the week is assumed),
  "since last Monday" / "last weekend" -> 7; an anchor after the event that
  set the pain off counts too ("since my run yesterday" -> 1, "after my half
  last weekend" -> 7, "went on Tuesday and I've been hobbling since" -> 3);
- "N units ago" counts as a duration ("since my marathon 3 weeks ago" -> 21).

Frequencies ("3 days a week", "once a week", "every 2 weeks"), future times
("my marathon is in 3 weeks", "3 weeks to go"), ages ("45 years old"), how
long someone has been running ("running for 10 years") and someone else's
trouble ("my mum has had back problems for years") are not durations.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}
_QUANTITY_WORDS = {"couple": 2, "few": 3, "several": 4, "many": 5}
_UNIT_DAYS = {"d": 1, "w": 7, "f": 14, "m": 30, "y": 365}
_ANCHOR_DAYS = {
    "yesterday": 1,
    "last night": 1,
    "this morning": 0,
    "this afternoon": 0,
    "today": 0,
    "last week": 7,
    "last weekend": 7,
    "last month": 30,
    "last year": 365,
    "the weekend": 3,
    "the other day": 3,
}
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

_NUM = r"\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_QUANT = r"(?:a\s+)?(?:couple|few)(?:\s+of)?|several|many"
_UNIT = r"days?|wks?|weeks?|fortnights?|months?|mths?|mnths?|years?|yrs?"
_HALF = r"\s+and\s+a\s+half"

# "[over] (2-3 | 2 | a couple of | half a) [and a half] weeks [and a half] [ago]"
_AMOUNT = rf"""
    \b(?:(?P<over>over|more\s+than|longer\s+than|at\s+least|well\s+over|just\s+over|upwards\s+of)\s+)?
    (?:
        (?P<lo>{_NUM})\s*(?:-|–|—|to|or|/)\s*(?P<hi>{_NUM})
      | (?P<halfa>half\s+an?)
      | (?P<quant>{_QUANT})
      | (?P<num>{_NUM})
    )
    (?P<half1>{_HALF})?
    [\s-]*(?P<unit>{_UNIT})\b
    (?P<half2>{_HALF})?
    (?P<ortwo>\s+or\s+(?:two|2)\b)?
    (?P<ago>\s+(?:ago|back(?!\s+(?:pain|ache|problems?|issues?|trouble|op)))\b)?
"""
# "for weeks", "it's been months": a bare plural counts as two units.
_BARE_PLURAL = r"\b(?:for|been|over|past|last|these|many)\s+(?P<bare>days|weeks|months|years)\b"
# "since yesterday", "started on Monday", "came on last week".
_ANCHOR = rf"""
    \b(?:since|started|starting|began|begun|came\s+on|come\s+on|kicked\s+in|from)\s+
    (?:on\s+|at\s+)?
    (?P<anchor>yesterday|last\s+night|this\s+(?:morning|afternoon)|today
      |last\s+week(?:end)?|last\s+month|last\s+year|the\s+weekend|the\s+other\s+day
      |(?P<last>last\s+)?(?:{_WEEKDAYS}))\b
"""

# An anchor after the event that set the pain off ("since my run yesterday",
# "after my half marathon last weekend"), or with a "since" left dangling later
# ("it went on Tuesday and I've been hobbling since").
_EVENT_ANCHOR = rf"""
    \b(?:(?P<event>(?:since|after|during)\s+(?:my|the|a|an|that)\s+(?:[\w'-]+\s+){{0,3}}?)|on\s+)?
    (?P<anchor>yesterday|last\s+night|last\s+week(?:end)?|last\s+month
      |(?P<last>last\s+)?(?:{_WEEKDAYS}))\b
"""
_DANGLING_SINCE = re.compile(r"\bsince\s*(?:$|[.!?,;]|then\b|and\b|but\b)", re.IGNORECASE)

# Context that makes an amount something other than how long the pain has lasted.
_FREQUENCY_BEFORE = re.compile(
    r"(?:\b(?:once|twice|thrice|times|x|every|each|per|in|next|within|another)|\d+x)\s*$"
)
# "30 miles a week", "a marathon a month": "a week" after a count is a rate.
_RATE_BEFORE = re.compile(
    r"\b(?:minutes|mins|hours|hrs|miles?|km|k|runs|sessions|days|weeks|marathons|races|"
    r"parkruns)\s*$"
)
_FREQUENCY_AFTER = re.compile(
    r"^(?:\s*(?:a|per|each|every|/)\s*(?:day|week|wk|month|year|fortnight)\b"
    r"|'?s?\s*time\b|\s+(?:away|to\s+go|out\b|old\b|of\s+age|until|till|running|of\s+running"
    r"|pregnant\b|postpartum\b|post[\s-]?partum\b|post[\s-]?natal\b))"
)
# "been running for 10 years", "I've run for about 20 years", "took up running 2 years ago".
_RUNNING_BEFORE = re.compile(
    r"\b(?:(?:running|racing|training|jogging|(?:'ve|have|has|i|we)\s+run|ran|trained|raced)\s+"
    r"(?:(?:for|about|around|over|nearly|almost|roughly|the\s+(?:last|past))\s+)+"
    r"|been\s+(?:running|racing|training|jogging|a\s+runner)\s+"
    r"|(?:start(?:ed)?|began|begun|took\s+up|taken\s+up|got\s+into|picked\s+up)\s+"
    r"(?:running|jogging|racing|parkrun|triathlon)\s+(?:(?:about|around|over|nearly|almost|"
    r"roughly)\s+)*)$"
)
# Someone else is the subject of the clause: "my dad's had sciatica for years".
_SOMEONE_ELSE_BEFORE = re.compile(
    r"\b(?:my|his|her|our|their)\s+(?:mum|mom|mother|dad|father|parents?|brother|sister|"
    r"wife|husband|partner|son|daughter|friend|mate|colleague|coach|gran|grandma|nan|"
    r"grandad|granddad|grandfather|grandmother|uncle|aunt|auntie|cousin|boyfriend|girlfriend)"
    r"(?:(?!\b(?:i|i've|ive|i'm|im|me|mine|myself|but)\b)[^.,;!?\n])*$"
)
# Advice ("told me not to run for a month", "said rest for 2 weeks"), a pregnancy
# ("8 weeks postpartum") or something that has ended ("that
# stopped a month ago") is not how long the pain has lasted.
_NOT_THE_PAIN_BEFORE = re.compile(
    r"\b(?:(?:told|advised|asked)\s+(?:me\s+)?(?:not\s+)?to\s+(?:[\w']+\s+){1,3}"
    r"|(?:said|says|suggested|recommended)\s+(?:to\s+|i\s+should\s+)?(?:rest|stop|avoid|"
    r"take|lay|keep)\b(?:\s+[\w']+){0,3}\s+"
    r"|(?:stopped|ended|finished|cleared\s+up|went\s+away|disappeared)\s+(?:about\s+|around\s+)?)$"
)
# A lone "one day" / "a day" is usually narrative ("one day I was running").
_WEAK_DAY_CUE = re.compile(
    r"\b(?:for|about|around|over|past|last|been|just|only|nearly|almost|than|roughly|"
    r"maybe|probably|under)\s*$"
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    flags = re.IGNORECASE | re.VERBOSE
    return (
        re.compile(_AMOUNT, flags),
        re.compile(_BARE_PLURAL, re.IGNORECASE),
        re.compile(_ANCHOR, flags),
        re.compile(_EVENT_ANCHOR, flags),
    )


def _number(token: str) -> float:
    token = token.lower()
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    return float(token)


def _unit_days(unit: str) -> int:
    unit = unit.lower()
    key = "w" if unit.startswith("wk") else unit[0]
    return _UNIT_DAYS[key]


def _amount_days(match: re.Match[str]) -> float:
    """Days for one `_AMOUNT` match, before the "over" adjustment."""
    unit = _unit_days(match["unit"])
    if match["lo"]:
        count = max(_number(match["lo"]), _number(match["hi"]))
    elif match["halfa"]:
        count = 0.5
    elif match["quant"]:
        word = match["quant"].lower().split()
        count = next(_QUANTITY_WORDS[w] for w in word if w in _QUANTITY_WORDS)
    else:
        count = _number(match["num"])
    if match["half1"] or match["half2"]:
        count += 0.5
    if match["ortwo"]:
        count = max(count, 2)
    return count * unit


def _is_excluded(text: str, match: re.Match[str]) -> bool:
    """True when an amount of time is a frequency, a future date, an age, etc."""
    lowered = text.lower()
    before = lowered[max(0, match.start() - 40) : match.start()]
    after = lowered[match.end() : match.end() + 20]
    if _FREQUENCY_BEFORE.search(before) or _FREQUENCY_AFTER.search(after):
        return True
    is_a = (match["num"] or "").lower() in ("a", "an")
    if is_a and _RATE_BEFORE.search(before):
        return True
    if any(p.search(before) for p in (_RUNNING_BEFORE, _SOMEONE_ELSE_BEFORE, _NOT_THE_PAIN_BEFORE)):
        return True
    is_single_day = (
        (match["num"] or "").lower() in ("a", "an", "one")
        and match["unit"].lower().startswith("d")
        and not (match["ago"] or match["ortwo"] or match["half2"])
    )
    return bool(is_single_day and not _WEAK_DAY_CUE.search(before))


def _find_amounts(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
    spans = []
    for match in pattern.finditer(text):
        if _is_excluded(text, match):
            continue
        days = _amount_days(match)
        if match["over"]:
            days += max(1, days // 6)
        spans.append((math.ceil(days), match.start(), match.end()))
    return spans


def _find_bare_plurals(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
    spans = []
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()].lower()
        if _RUNNING_BEFORE.search(before) or _SOMEONE_ELSE_BEFORE.search(before):
            continue
        spans.append((2 * _unit_days(match["bare"]), match.start("bare"), match.end()))
    return spans


def _find_anchors(
    text: str, pattern: re.Pattern[str], loose: bool = False
) -> list[tuple[int, int, int]]:
    spans = []
    for match in pattern.finditer(text):
        if loose and not (match["event"] or _DANGLING_SINCE.search(text, match.end())):
            continue
        anchor = " ".join(match["anchor"].lower().split())
        if anchor in _ANCHOR_DAYS:
            days = _ANCHOR_DAYS[anchor]
        else:  # a weekday
            days = 7 if match["last"] else 3
        # A loose anchor's span is the time alone, not the event before it.
        start = match.start("anchor") if loose else match.start()
        spans.append((days, start, match.end()))
    return spans


def find_durations(text: str) -> list[tuple[int, int, int]]:
    """Every duration in ``text`` as ``(days, start, end)``, in text order.

    Spans never overlap; where two readings overlap the longer span is kept.
    """
    amount, bare, anchor, event_anchor = _patterns()
    found = (
        _find_amounts(text, amount)
        + _find_bare_plurals(text, bare)
        + _find_anchors(text, anchor)
        + _find_anchors(text, event_anchor, loose=True)
    )
    kept: list[tuple[int, int, int]] = []
    for span in sorted(found, key=lambda s: (s[1] - s[2], s[1])):
        if all(span[2] <= k[1] or span[1] >= k[2] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s[1])


def parse_duration_days(text: str) -> int | None:
    """The duration ``text`` states, in whole days, or ``None`` if it states none.

    With several durations the longest wins: shorter ones usually describe a
    recent change ("had it for 3 weeks, worse since yesterday").
    """
    spans = find_durations(text)
    return max(days for days, _, _ in spans) if spans else None
