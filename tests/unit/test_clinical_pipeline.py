"""The clinical spaCy pipeline (nlu/pipeline.py) on its own: tokens, spelling,
synonyms, concepts and ConText statuses. Table-driven; real spaCy, no mocks."""

import pytest

from nlu.concepts import concepts
from nlu.context import status_of
from nlu.corrected import corrected_text
from nlu.extractor import extract
from nlu.fuzzy import FuzzyIndex, edit_distance
from nlu.pipeline import build_pipeline, default_pipeline
from nlu.vocabulary import VocabularyError, load_vocabulary, parse_vocabulary


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def concept_set(nlp, text):
    return {(c.concept, c.value, c.status) for c in concepts(nlp(text))}


def test_pipeline_is_blank_english_with_our_components(nlp):
    assert nlp.lang == "en"
    assert nlp.pipe_names == [
        "sentencizer",
        "lemmatizer",
        "clinic_normaliser",
        "clinic_concepts",
        "clinic_context",
    ]
    assert nlp.meta["name"] == "pipeline"  # spacy.blank, not a downloaded package


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("siatica", "sciatica", 2, 1),
        ("tinglng", "tingling", 2, 1),
        ("bladdr", "bladder", 1, 1),
        ("numbenss", "numbness", 2, 1),  # a swapped pair is one edit
        ("ladder", "bladder", 1, 1),
        ("walking", "talking", 1, 1),
        ("sciatica", "tingling", 2, 3),  # over the limit: limit + 1
    ],
)
def test_edit_distance(a, b, limit, expected):
    assert edit_distance(a, b, limit) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("siatica", "sciatica"),
        ("tinglng", "tingling"),
        ("bladdr", "bladder"),
        ("ladder", None),  # an English word is never corrected
        ("anything", None),  # nor a function word, nor into one ("nothing")
        ("tingl", None),  # too short to guess
        ("xyzzyq", None),
        ("feverr", "fever"),  # fever or fevers: one word, the shorter form
        ("tinglin", "tingling"),
        ("buttok", None),  # buttock or button: two words, no guess
    ],
)
def test_fuzzy_index(word, expected):
    index = FuzzyIndex(
        ["sciatica", "tingling", "tingles", "bladder", "numbness", "fever", "fevers"]
        + ["buttock", "button"],
        lambda w: w in {"ladder", "anything", "nothing"},
        lambda w: {"fevers": "fever"}.get(w, w),
    )
    assert index.correct(word) == expected


@pytest.mark.parametrize(
    ("text", "corrections"),
    [
        ("siatica down my leg", {"siatica": "sciatica"}),
        ("tingly calf and numbish toes", {"tingly": "tingling", "numbish": "numbness"}),
        ("been streching every day", {"streching": "stretching"}),
        ("my ladder fell over", {}),
        ("I haven't tried anything", {}),
    ],
)
def test_spelling_corrections(nlp, text, corrections):
    doc = nlp(text)
    assert {t.lower_: t._.correction for t in doc if t._.correction} == corrections


@pytest.mark.parametrize(
    ("text", "token", "norm"),
    [
        ("pins & needles in my foot", "pins & needles", "pins and needles"),
        ("pins n needles in my foot", "pins n needles", "pins and needles"),
        ("pain in my lumbar region", "lumbar", "lower back"),
        ("sore at the bottom of my back", "bottom of my back", "lower back"),
        ("my legs ache", "legs", "leg"),  # lemma from spacy-lookups-data
        ("I fell 3m", "m", "metre"),  # a unit after a number
        ("Im sore", "m", "be"),  # "I am", as the lookup table has it
    ],
)
def test_synonyms_and_lemmas_set_the_norm(nlp, text, token, norm):
    doc = nlp(text)
    assert [t.norm_ for t in doc if t.text == token] == [norm]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "pins & needles in my left calf after 5k",
            {
                ("sensation", "tingling", "present"),
                ("laterality", "left", "present"),
                ("location", "calf", "present"),
                ("running", "race", "present"),
            },
        ),
        (
            "sore lower back after my parkrun",
            {
                ("sensation", "ache", "present"),
                ("location", "lower_back", "present"),
                ("running", "parkrun", "present"),
            },
        ),
        (
            "pain between my shoulder blades on my long run",
            {
                ("sensation", "pain", "present"),
                ("location", "between_shoulder_blades", "present"),
                ("medical_flag", "upper_back", "present"),
                ("running", "long_run", "present"),
            },
        ),
        ("had a discectomy in 2019", {("spine_surgery", "operation", "present")}),
        ("it's swollen and hot to the touch", {("inflammation", "inflamed", "present")}),
        (
            "siatica down my leg",
            {
                ("sensation", "sciatica", "present"),
                ("radiation", "down_the_leg", "present"),
                ("location", "leg", "present"),
            },
        ),
        (
            "tempo and intervals this week",
            {("running", "tempo", "present"), ("running", "intervals", "present")},
        ),
        ("midway through my marathon block", {("running", "marathon_block", "present")}),
    ],
)
def test_concepts(nlp, text, expected):
    assert concept_set(nlp, text) == expected


# Every ConText cue kind and direction, with a terminator or pseudo-cue case each.
CONTEXT_CASES = [
    # Negation, forward.
    ("no tingling", "tingling", "negated"),
    ("not numb at all", "numb", "negated"),
    ("never had a back op", "back op", "negated"),
    ("no problems with my bladder", "bladder", "negated"),
    ("without any swelling", "swelling", "negated"),
    ("I don't have sciatica", "sciatica", "negated"),
    ("no tingling, numbness or weakness", "weakness", "negated"),
    ("nothing down my legs", "down my legs", "negated"),
    # Negation, backward.
    ("my bladder is fine", "bladder", "negated"),
    ("legs are ok", "legs", "negated"),
    # Terminators and new clauses end a scope.
    ("no fever but my bladder is playing up", "bladder", "present"),
    ("no numbness, and I've got swelling in my foot", "swelling", "present"),
    ("no tingling. my calf is swollen", "swollen", "present"),
    # A comma list not closed by or/and: the cue stops at the comma.
    ("no fever, swelling in my calf", "swelling", "present"),
    # Pseudo-cues are not cues.
    ("not sure why my calf is swollen", "swollen", "present"),
    ("no idea why my calf is swollen", "swollen", "present"),
    # History.
    ("used to get sciatica", "sciatica", "historical"),
    ("sciatica years ago", "sciatica", "historical"),
    ("history of sciatica", "sciatica", "historical"),
    # Hypothetical.
    ("what if it goes down my leg?", "down my leg", "hypothetical"),
    ("should I worry if I get pins and needles", "pins and needles", "hypothetical"),
    ("in case the swelling comes back", "swelling", "hypothetical"),
    # A mention that starts inside a forward cue ("if * feel") is in its scope.
    ("if my chest feels tight", "chest feels tight", "hypothetical"),
    # Beyond the window: too far to reach.
    (
        "no running this week because of work and family and stuff and the sciatica",
        "sciatica",
        "present",
    ),
    # Present.
    ("my calf is swollen", "swollen", "present"),
]


@pytest.mark.parametrize(("text", "target", "status"), CONTEXT_CASES)
def test_context_status(nlp, text, target, status):
    doc = nlp(text)
    start = doc.text.index(target)
    span = doc.char_span(start, start + len(target), alignment_mode="expand")
    assert status_of(doc, span.start, span.end) == status


def test_concept_spans_get_their_status(nlp):
    found = concept_set(nlp, "no tingling in my left leg but my calf is swollen")
    assert ("sensation", "tingling", "negated") in found
    assert ("inflammation", "inflamed", "present") in found


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("siatica down my left leg", ("leg_symptoms", "one_leg", "present")),
        ("tinglng in both feet", ("red_flags", "both_legs", "present")),
        ("no tinglng in my feet", ("leg_sensations", "tingling", "negated")),
        (
            "can't feel anything when I wipe, bladdr not right",
            ("red_flags", "saddle_numbness", "present"),
        ),
        ("for a fortnite now", ("duration_days", 14, "present")),
    ],
)
def test_facts_read_the_corrected_text(text, fact):
    assert fact in {(f.fact, f.value, f.status) for f in extract(text)}


def test_offsets_point_into_the_original_message(nlp):
    text = "bad siatica down my left leg for a fortnite"
    findings = extract(text, nlp)
    for finding in findings:
        assert finding.text == text[finding.start : finding.end]
    leg = next(f for f in findings if f.fact == "leg_symptoms")
    assert "siatica" in leg.text
    doc = nlp(text)
    corrected = corrected_text(doc)
    assert corrected.text == "bad sciatica down my left leg for a fortnight"
    assert corrected.original_offset(corrected.text.index("down")) == text.index("down")


def test_vocabulary_comes_from_data():
    vocabulary = load_vocabulary()
    assert vocabulary.synonyms["siatica"] == "sciatica"
    assert "lower back" in vocabulary.concepts["location.lower_back"]
    assert "no" in vocabulary.context["negated.forward"]
    assert "jogging" in vocabulary.word_classes["run"]


@pytest.mark.parametrize(
    "data",
    [
        {"nlu": [{"lookup": "location", "examples": "- back\n"}]},  # not concept.value
        {"nlu": [{"synonym": "sciatica", "examples": "siatica"}]},  # not a list
        {"rules": []},
        {"nlu": [{"lookup": "words.run", "examples": "- go for a run\n"}]},  # not one word
    ],
)
def test_bad_vocabulary_is_refused(data):
    with pytest.raises(VocabularyError):
        parse_vocabulary(data)


def test_a_vocabulary_file_changes_what_is_matched(tmp_path):
    path = tmp_path / "vocabulary.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n'
        "  - synonym: sciatica\n    examples: |\n      - sciatic thing\n"
        "  - lookup: location.calf\n    examples: |\n      - calf\n"
        "  - lookup: sensation.sciatica\n    examples: |\n      - sciatica\n"
        "  - lookup: context.negated.forward\n    examples: |\n      - no\n",
        encoding="utf-8",
    )
    nlp = build_pipeline(path)
    found = {(c.concept, c.value, c.status) for c in concepts(nlp("no sciatic thing in my calf"))}
    assert found == {("sensation", "sciatica", "negated"), ("location", "calf", "negated")}


# Facts read by spaCy alone (nlu/concept_facts.py): misspellings reach them too.
P, N, H, Y = "present", "negated", "historical", "hypothetical"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("had a discetomy in 2018", {("spine_surgery", True, P)}),
        ("I've never had surgery", {("spine_surgery", True, N)}),
        ("knee surgery last year", set()),  # plain surgery counts only when denied
        ("the fusion was fine until this month", {("spine_surgery", True, P)}),
        ("it's swolen and warm to the touch", {("acutely_inflamed", True, P)}),
        ("feeling hot and cold", {("medical_flags", "fever", P)}),
        ("no feverr", {("medical_flags", "fever", N)}),
        ("I've had a temp", {("medical_flags", "fever", P)}),
        ("temp job", set()),
        ("what if I get a temperature?", {("medical_flags", "fever", Y)}),
        ("my chest feels really tight", {("red_flags", "chest_pain", P)}),
        ("I fell off a laddr", {("red_flags", "major_trauma", P)}),
        ("no acidents or falls", {("red_flags", "major_trauma", N)}),
        ("I lannded really hard on my back", {("red_flags", "major_trauma", P)}),
        ("I was rear endded", {("red_flags", "major_trauma", P)}),
        ("my foot keeps draging", {("red_flags", "worsening_weakness", P)}),
        ("my leg keeps givng way", {("red_flags", "worsening_weakness", P)}),
        ("my leg is weeker than last week", {("red_flags", "worsening_weakness", P)}),
        (
            "no fever and chest pain",
            {("medical_flags", "fever", N), ("red_flags", "chest_pain", P)},
        ),
        ("I don't have chest pain", {("red_flags", "chest_pain", N)}),
        (
            "a lump on my upper back",
            {("medical_flags", "lump", P), ("medical_flags", "upper_back", P)},
        ),
        ("lost nearly a stone without trying", {("medical_flags", "weight_loss", P)}),
        ("lost weight on purpose", set()),
        ("I haven't lost any weight", {("medical_flags", "weight_loss", N)}),
    ],
)
def test_facts_read_by_spacy(text, expected):
    facts = {"spine_surgery", "acutely_inflamed", "medical_flags", "red_flags"}
    assert {(f.fact, f.value, f.status) for f in extract(text) if f.fact in facts} == expected


@pytest.mark.parametrize(
    ("phrase", "text", "matches"),
    [
        ("chest feel * tight", "my chest feels really very tight", True),
        ("chest feel * tight", "my chest feels tight", True),
        ("chest feel * tight", "chest feels fine but my calf is tight", False),  # a clause word
        ("chest feel * tight", "chest feels fine, calf tight", False),  # punctuation
        ("tell * not|stop * run|jog", "the GP told me to stop jogging", True),
        ("tell * not|stop * run|jog", "the GP told me to keep jogging", False),
        ("lose * stone", "lost nearly a stone", True),
        ("lose * stone", "lost my keys on a stone wall", False),  # four words between
        # A synonym of several words is one token in the pattern, as in the text.
        ("pins and needles in|around my calf", "pins & needles in my calf", True),
        ("pins and needles in|around my calf", "pins and needles around my calf", True),
    ],
)
def test_phrase_marks_become_matcher_patterns(nlp, phrase, text, matches):
    from nlu.patterns import PhraseSet

    phrases = PhraseSet(nlp)
    phrases.add("test.phrase", (phrase,))
    assert bool(phrases(nlp(text))) is matches


@pytest.mark.parametrize(
    ("phrase", "text", "matches"),
    [
        ("{pain} * when {run}", "it aches when jogging", True),
        ("{pain} * when {run}", "it aches when swimming", False),
        ("{pain}|niggle on my {run}", "a niggle on my runs", True),
        ("{pain}|niggle on my {run}", "sore on my runs", True),
    ],
)
def test_word_classes_name_a_words_lookup(nlp, phrase, text, matches):
    from nlu.patterns import PhraseSet

    phrases = PhraseSet(nlp, {"pain": ("ache", "sore"), "run": ("run", "jog")})
    phrases.add("test.phrase", (phrase,))
    assert bool(phrases(nlp(text))) is matches


def test_an_unknown_word_class_is_refused(nlp):
    from nlu.patterns import token_pattern

    with pytest.raises(ValueError, match="words.pain"):
        token_pattern(nlp, "{pain} * when i run")


def test_alternatives_are_single_words(nlp):
    from nlu.patterns import token_pattern

    with pytest.raises(ValueError, match="one token"):
        token_pattern(nlp, "can't|cannot sleep")
