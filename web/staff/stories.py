"""A conversation turned into an end-to-end test story under tests/stories/.

Rasa's own story writer does the work, as `rasa interactive` does: the tracker
is rebuilt from the stored events and exported in e2e form, so `rasa test` reads
each user text with the real NLU and checks every action. User texts are
redacted first. Entities are left out, as in the hand-written stories: the
clinical extractor has its own tests, and its values (true/false) are not valid
entity values in Rasa's training data format.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from web.staff.redaction import redact


def story_yaml(story_name: str, events: list[dict[str, Any]]) -> str:
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_writer.yaml_story_writer import YAMLStoryWriter

    replayed = []
    for data in events:
        if data.get("event") == "user":
            parse_data = {**(data.get("parse_data") or {}), "entities": []}
            data = {**data, "text": redact(data.get("text") or ""), "parse_data": parse_data}
        replayed.append(Event.from_parameters(data))
    tracker = DialogueStateTracker.from_events(story_name, replayed)
    return tracker.export_stories(YAMLStoryWriter(), e2e=True)


def story_path(stories_dir: Path, sender_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", sender_id).strip("-")[:60] or "conversation"
    return stories_dir / f"conversation_{safe}.yml"


def export_story(
    stories_dir: Path, sender_id: str, events: list[dict[str, Any]], tags: str
) -> Path:
    name = f"conversation {sender_id}" + (f" ({tags})" if tags else "")
    path = story_path(stories_dir, sender_id)
    header = (
        "# Exported by the staff console from a reviewed conversation (web/staff/stories.py):\n"
        "# user texts redacted. `rasa test` replays it against the current model.\n"
    )
    path.write_text(header + story_yaml(name, events), encoding="utf-8")
    return path
