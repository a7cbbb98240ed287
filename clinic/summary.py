"""A short summary of what the user reported: relevant positives and negatives."""

from __future__ import annotations

from clinic.facts import Facts

_FLAG_WORDS = {
    "saddle_numbness": "numbness around the bottom or genitals",
    "bladder": "problems peeing",
    "bowel": "problems with bowel control",
    "both_legs": "symptoms in both legs",
    "worsening_weakness": "leg weakness getting worse",
    "chest_pain": "chest pain",
    "major_trauma": "pain after a serious accident or fall",
    "fever": "a high temperature",
    "weight_loss": "weight loss without trying",
    "night_pain": "pain at night or that doesn't ease with rest",
    "lump": "a lump or swelling, or a change in the back's shape",
    "cough_sneeze_pain": "pain worse when coughing or sneezing",
    "upper_back": "pain high in the upper back",
}

_BOOL_WORDS = {
    "chronic": ("back pain that keeps coming back", "first episode, not recurring"),
    "spine_surgery": ("previous spine surgery", "no spine surgery"),
    "advised_not_to_run": ("advised not to run", None),
    "eases_after_warmup": ("eases after a warm-up", None),
    "pain_while_running": ("pain comes on while running", "no pain while running"),
    "acutely_inflamed": ("swollen or hot", "not swollen or hot"),
}


def _duration_words(days: int) -> str:
    if days >= 14 and days % 7 == 0:
        return f"for {days // 7} weeks"
    return "for 1 day" if days == 1 else f"for {days} days"


def summarise(facts: Facts) -> str:
    """One line a person can check, e.g. "You told me: pain for 3 weeks; no ...".

    Only what was reported (or ruled out) appears; unknowns are left out.
    """
    items: list[str] = []
    if facts.duration_days is not None:
        items.append("back pain " + _duration_words(facts.duration_days))
    flags = sorted(facts.red_flags | facts.medical_flags)
    items += [
        _FLAG_WORDS[flag]
        for flag in flags
        if flag != "both_legs" or facts.leg_symptoms != "both_legs"
    ]
    if facts.leg_symptoms == "none":
        items.append("nothing going down the legs")
    elif facts.leg_symptoms in ("one_leg", "both_legs"):
        where = "one leg" if facts.leg_symptoms == "one_leg" else "both legs"
        sensations = ", ".join(sorted(facts.leg_sensations)) or "symptoms"
        items.append(f"{sensations} going down {where}")
    denied = sorted(a.split(":", 1)[1] for a in facts.absent if a.startswith("leg_sensations:"))
    if denied:
        items.append("no " + " or ".join(denied) + " in the legs")
    if facts.red_flag_screen is False and not facts.red_flags:
        items.append("none of the emergency warning signs")
    if facts.medical_screen is False and not facts.medical_flags:
        items.append("none of the signs that need a GP first")
    if facts.self_care_tried is not None:
        if not facts.self_care_tried:
            items.append("no self-care tried yet")
        elif facts.self_care_helped is None:
            items.append("self-care tried")
        else:
            items.append(
                "self-care tried and " + ("helping" if facts.self_care_helped else "not helping")
            )
    for fact, (yes, no) in _BOOL_WORDS.items():
        value = getattr(facts, fact)
        text = yes if value else no if value is False else None
        if text:
            items.append(text)
    if not items:
        return "You haven't told me any details yet."
    return "Here's what you told me: " + "; ".join(items) + "."
