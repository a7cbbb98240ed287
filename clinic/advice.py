"""What the user reads for each level and advice key, in the clinic's voice.

The wording follows the clinic's article (shared/clinic/article.txt) and the
NHS safety-netting (shared/clinic/red-flags.md). Texts may name the clinic's
settings as {name}, {phone}, {opening_hours} and {threshold_text}.
"""

from __future__ import annotations

from clinic.settings import ClinicSettings
from clinic.triage import Triage

HEADLINES = {
    "emergency": (
        "Please call 999 now, or go straight to A&E. What you describe can be a sign of "
        "something serious that needs to be checked today. Don't drive yourself."
    ),
    "urgent_medical": (
        "Please get an urgent GP appointment today, or call NHS 111 if you can't get one. "
        "What you describe needs a medical check before osteopathy."
    ),
    "urgent_osteopath": (
        "Pain, tingling, numbness or weakness going down one leg can mean a nerve root is "
        "being pressed on, and that needs to be looked at as soon as possible."
    ),
    "assessment": (
        "Your back pain needs a proper structural assessment by a sports osteopath to find "
        "out what is causing it and how to put it right."
    ),
    "self_care": (
        "This sounds like the kind of mild strain or sprain that most runners' back pain is, "
        "and it should settle with some simple self-care."
    ),
    "keep_moving": (
        "Good news: when back pain is there while sitting or resting but goes once you have "
        "warmed up and run, the back usually responds well to movement."
    ),
}

ADVICE = {
    "call_999": (
        "If you're not sure, call 999 anyway and tell them about your back pain and these symptoms."
    ),
    "urgent_gp_or_111": (
        "Once a doctor has checked you over, {name} will be glad to see you: call {phone}."
    ),
    "stop_running": "Please stop running for now: running on this can make it worse.",
    "priority_booking": (
        "Book a priority appointment with us, or call {phone} so we can see you quickly."
    ),
    "no_heat_on_numb_skin": "Don't put heat on skin that feels numb: you may not feel it burning.",
    "structural_assessment": (
        "We are trained in sports and performance medicine, and will examine what is causing "
        "it and how to rectify it."
    ),
    "hold_off_training": (
        "With back pain that keeps coming back, hold off on your training schedule until "
        "you have been fully evaluated."
    ),
    "low_impact_alternatives": (
        "As you've had spine surgery or been advised against running, keep fit with low-impact "
        "exercise instead: biking or a stationary bike, the elliptical trainer, swimming or "
        "water therapy. Walking on a treadmill is good too, as its cushioning lessens the "
        "impact on your spine."
    ),
    "stretches": (
        "Gentle stretches for your upper body, hips and legs: reach your arms over your head, "
        "bend over to touch your toes, and sitting on the floor, lean each side of your body "
        "over. They get blood flowing to the back and help mild strains heal."
    ),
    "ice": (
        "As it's swollen or hot, use an ice pack (wrapped in a cloth) to bring the "
        "inflammation down, not heat."
    ),
    "heat": "Heat can ease the pain: a warm compress, a heating pad or an adhesive heat pad.",
    "ice_or_heat": (
        "If the area is swollen or hot, use an ice pack (wrapped in a cloth). If it isn't, "
        "heat such as a warm compress or heat pad can ease the pain."
    ),
    "listen_to_body": (
        "Listen to your body: if pain comes on while you're running, stop. Running on "
        "through it can bring about further problems."
    ),
    "biomechanical_assessment": (
        "Most runners' back strains come from running form, so a biomechanical assessment "
        "with a sports osteopath can stop it coming back."
    ),
    "keep_moving": "Keep running and keep moving: it is helping your back.",
    "stop_if_pain_while_running": "But if pain comes on while you're running, stop.",
    "book_if_no_better": (
        "If it isn't better within {threshold_text}, or it stops responding to self-care, "
        "book an assessment with us."
    ),
}

SAFETY_NET = (
    "Call 999 if you get numbness around your bottom or genitals, problems peeing or "
    "pooing, or symptoms in both legs."
)


def advice_message(result: Triage, settings: ClinicSettings) -> str:
    """The outcome message: headline, then each piece of advice on its own line."""
    values = {
        "name": settings.name,
        "phone": settings.phone,
        "opening_hours": settings.opening_hours,
        "threshold_text": settings.threshold_text,
    }
    lines = [HEADLINES[result.level]]
    lines += ["• " + ADVICE[key].format(**values) for key in result.advice]
    if result.level in ("self_care", "keep_moving", "assessment"):
        lines.append(SAFETY_NET)
    return "\n".join(lines)


def no_consent_message(settings: ClinicSettings) -> str:
    """Without consent: no symptom questions, but the clinic's number and every 999 sign."""
    return (
        "That's fine: I won't keep anything you tell me. Without notes I can't go through "
        f"your symptoms here, so please call {settings.name} on {settings.phone} "
        f"({settings.opening_hours}) and we'll help you directly.\n"
        "Call 999 now, or go to A&E, if along with your back pain you have numbness or "
        "tingling around your bottom or genitals, problems peeing or loss of bowel control, "
        "pain, tingling, numbness or weakness in both legs, leg weakness that is getting "
        "worse, chest pain, or pain that started after a serious fall or accident.\n"
        'If you change your mind, say "start again".'
    )


def fail_safe_message(settings: ClinicSettings) -> str:
    """What a person gets when the assistant cannot answer properly."""
    return (
        f"Sorry, I can't answer properly right now. Please call {settings.name} on "
        f"{settings.phone} ({settings.opening_hours}), or try again in a little while. "
        "If it's an emergency, call 999."
    )
