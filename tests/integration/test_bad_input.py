"""Bad input gets a polite reply, and the conversation goes on."""

import pytest

from tests.integration.driver import question_in, start_interview

BAD_INPUTS = {
    "empty": "",
    "very-long": "my back hurts " + "blah " * 2000,
    "emoji-only": "😩😩🏃‍♀️💥",
    "other-language": "me duele mucho la espalda cuando corro",
    "nonsense": "asdkjh qwpoeiru zxmcnv",
    "punctuation-only": "?!?!...,,;;",
}


@pytest.mark.parametrize("text", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gets_a_polite_reply_and_the_conversation_goes_on(servers, sender, text):
    replies = servers.send(sender, text)
    texts = [reply.get("text", "") for reply in replies]
    assert any(texts), f"no reply to {text[:40]!r}"
    joined = " ".join(texts)
    assert "Traceback" not in joined and "Exception" not in joined
    # The conversation goes on: a normal message afterwards starts the interview.
    follow_up = servers.send(sender, "my lower back has been sore for a few days")
    assert question_in(follow_up) or any("custom" in r for r in follow_up), follow_up


def test_bad_input_in_the_middle_of_the_interview_keeps_the_question(servers, sender):
    assert question_in(start_interview(servers, sender, "my back hurts")) == "red_flag_screen"
    replies = servers.send(sender, "asdkjh qwpoeiru")
    assert question_in(replies) == "red_flag_screen"
    assert "01564 330773" in " ".join(r.get("text", "") for r in replies)
