"""Durations in runners' own words, normalised to whole days."""

import pytest

from nlu.durations import find_durations, parse_duration_days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        # Plain amounts, digits and words, abbreviations.
        ("3 days", 3),
        ("It's been sore for 3 days now", 3),
        ("3 wks", 21),
        ("about 3wks", 21),
        ("a week", 7),
        ("it's been a week", 7),
        ("for a fortnight", 14),
        ("a couple of days", 2),
        ("couple days", 2),
        ("a few days", 3),
        ("several days", 4),
        ("couple of weeks", 14),
        ("a couple weeks ago", 14),
        ("a few weeks", 21),
        ("six weeks", 42),
        ("Twelve weeks", 84),
        ("twenty days", 20),
        ("10 days", 10),
        ("a month", 30),
        ("a few months", 90),
        ("6 months", 180),
        ("6 mths", 180),
        ("a year", 365),
        ("two yrs", 730),
        # Ranges take the upper bound; fractions round up.
        ("2-3 weeks", 21),
        ("2 - 3 weeks", 21),
        ("2 to 3 weeks", 21),
        ("two or three weeks", 21),
        ("2–3 weeks", 21),
        ("a week or two", 14),
        ("a day or two", 2),
        ("1.5 weeks", 11),
        ("a week and a half", 11),
        ("six and a half weeks", 46),
        ("half a week", 4),
        # "over" adds a sixth.
        ("over a month", 35),
        ("more than 2 weeks", 16),
        ("longer than a week", 8),
        # Bare plurals count two units.
        ("for years", 730),
        ("on and off for years", 730),
        ("it's been going on for weeks", 14),
        ("for months", 60),
        # Anchors.
        ("since yesterday", 1),
        ("started last night", 1),
        ("since this morning", 0),
        ("since last week", 7),
        ("since last month", 30),
        ("since last year", 365),
        ("since Monday", 3),
        ("since Saturday", 3),
        ("started on Sunday", 3),
        ("since the weekend", 3),
        ("since last weekend", 7),
        ("since last Tuesday", 7),
        ("since my marathon 3 weeks ago", 21),
        ("it started 10 days ago after a long run", 10),
        # Several durations: the longest wins.
        ("had it for 3 weeks, worse since yesterday", 21),
        ("worse since yesterday but I've had it for a month", 30),
        ("I've been icing it for 2 days, the pain's been there 3 weeks", 21),
        # An anchor after the event that set the pain off, or a dangling "since".
        ("it's been sore since my long run on Sunday", 3),
        ("stiff ever since the parkrun last weekend", 7),
        ("my back locked up after the club session yesterday", 1),
        ("tweaked it on Wednesday and it's been sore since", 3),
        ("slipped last week and it's not been right since then", 7),
        # Someone else's trouble is not how long this runner's back has hurt.
        ("my dad had sciatica for years, mine started 3 weeks ago", 21),
        ("my partner says I've had it for 2 weeks", 14),
    ],
)
def test_parse_duration_days(text, days):
    assert parse_duration_days(text) == days


@pytest.mark.parametrize(
    "text",
    [
        "",
        "my back hurts",
        "I run 3 days a week",
        "I run 4 times a week",
        "I do a long run once a week",
        "I stretch for 10 minutes a day",
        "every 2 weeks I do a long run",
        "my marathon is in 3 weeks",
        "I've got a half in 3 weeks' time",
        "the race is 2 weeks away",
        "3 weeks to go until London",
        "I'm 45 years old",
        "I've been running for 10 years",
        "I have been running for about 20 years",
        "I started running 2 years ago",
        "took up running about 6 months ago",
        "got into parkrun a year ago",
        "my mum has had back problems for years",
        "I ran a 10k on Sunday",
        "I've got a race on Saturday, is it ok since it only aches",
        "the GP told me to rest it for 2 weeks",
        "the tingling stopped about a month ago",
        "the physio said to rest it for a fortnight",
        "I'm 10 weeks postpartum",
        "I'm 20 weeks pregnant",
        "my dad's had sciatica for about 10 years",
        "One day I was running and it just went",
        "I ran 10k and then 5k",
        "since Christmas",
        "for ages",
    ],
)
def test_no_duration(text):
    assert parse_duration_days(text) is None


def test_find_durations_returns_spans_in_text_order():
    text = "Worse since yesterday, but I've had it for 3 weeks."
    spans = find_durations(text)
    assert [days for days, _, _ in spans] == [1, 21]
    assert [text[start:end] for _, start, end in spans] == ["since yesterday", "3 weeks"]


def test_find_durations_keeps_the_longer_of_overlapping_readings():
    text = "for a week or two"
    assert find_durations(text) == [(14, 4, 17)]


def test_ago_span_covers_the_amount():
    text = "since my marathon 3 weeks ago"
    ((days, start, end),) = find_durations(text)
    assert (days, text[start:end]) == (21, "3 weeks ago")


@pytest.mark.parametrize("text", ["", "   ", "🏃‍♀️🔥", "?!?!...", "x" * 10_000, "3 " * 5_000])
def test_odd_input_does_not_raise(text):
    assert isinstance(find_durations(text), list)
