"""A burst of the same message from one sender: every copy answered and stored once."""

import time
from concurrent.futures import ThreadPoolExecutor

from tests.integration.driver import question_in

COPIES = 12


def test_a_burst_of_the_same_message_is_answered_and_nothing_is_lost(servers, sender):
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(pool.map(lambda _: servers.send(sender, "my back hurts"), range(COPIES)))
    assert all(replies), "a copy got no answer"
    deadline = time.monotonic() + 60  # a copy past the reply timeout is still being stored
    while True:
        stored = sum(e["event"] == "user" for e in servers.tracker(sender)["events"])
        if stored >= COPIES or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert stored == COPIES
    # The interview goes on: its first question (consent) is asked again.
    assert question_in(servers.send(sender, "my lower back hurts")) == "consent"
