"""Approved examples, written where Rasa and `make eval` read them.

- The intent example goes to ``data/nlu/reviewed.yml``: Rasa's YAML, intents and
  examples sorted so a git diff shows only what changed, no duplicates, and never
  a text that another data/nlu file already has.
- When staff corrected the facts the clinical extractor found, the message and
  the right facts also go to ``tests/nlu_reviewed.yml``, in the held-out set's
  format, so engineers see what the rule-based extractor must learn.
"""

from __future__ import annotations

from pathlib import Path

import yaml

HEADER = (
    'version: "3.1"\n\n'
    "# Examples approved by clinic staff in the console's NLU inbox (web/staff/).\n"
    "# Written by the console, redacted, sorted and de-duplicated: edit with care.\n\n"
)
FACTS_HEADER = (
    "# Messages whose facts clinic staff corrected in the console's NLU inbox, in the\n"
    "# format of tests/nlu_heldout.yml. Written by the console, redacted.\n\n"
)


def intent_choices(project_dir: Path) -> list[str]:
    """The domain's intents, with the retrieval intent faq as its faq/... members."""
    domain = yaml.safe_load((project_dir / "domain.yml").read_text(encoding="utf-8"))
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents", [])]
    faq: list[str] = []
    for path in sorted((project_dir / "data" / "responses").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses", {})
        faq += [name.removeprefix("utter_") for name in responses if name.startswith("utter_faq/")]
    return sorted(set(intents) - {"faq"} | set(faq))


class DuplicateExample(ValueError):
    """The text is already an example."""


def _examples(path: Path) -> dict[str, set[str]]:
    if not path.exists():
        return {}
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: dict[str, set[str]] = {}
    for block in document.get("nlu") or []:
        if "intent" not in block:
            continue
        lines = str(block.get("examples") or "").splitlines()
        texts = {line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")}
        found.setdefault(block["intent"], set()).update(texts)
    return found


def known_texts(nlu_dir: Path) -> set[str]:
    """Every example text in the NLU data, lower-cased."""
    return {
        text.lower()
        for path in sorted(nlu_dir.glob("*.yml"))
        for texts in _examples(path).values()
        for text in texts
    }


def _block_text(examples: dict[str, set[str]]) -> str:
    lines = ["nlu:"]
    for intent in sorted(examples):
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {text}" for text in sorted(examples[intent], key=str.lower))
    return "\n".join(lines) + "\n"


def add_example(nlu_dir: Path, intent: str, text: str) -> Path:
    """Add ``text`` as an example of ``intent`` to ``nlu_dir``/reviewed.yml."""
    text = " ".join(text.split())
    if not text or text.startswith(("-", "#")) or any(ch in text for ch in "[]{}"):
        raise ValueError("the example is empty or has characters Rasa reads as markup")
    if text.lower() in known_texts(nlu_dir):
        raise DuplicateExample(f"“{text}” is already in the training data")
    path = nlu_dir / "reviewed.yml"
    examples = _examples(path)
    examples.setdefault(intent, set()).add(text)
    path.write_text(HEADER + _block_text(examples), encoding="utf-8")
    return path


def add_fact_case(path: Path, text: str, intent: str, facts: list[list]) -> None:
    """Append a message and its right facts to the reviewed facts set."""
    document = {"utterances": []}
    if path.exists():
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or document
    cases = [case for case in document.get("utterances") or [] if case["text"] != text]
    cases.append({"text": text, "intent": intent, "facts": facts})
    cases.sort(key=lambda case: case["text"].lower())
    body = yaml.safe_dump({"utterances": cases}, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(FACTS_HEADER + body, encoding="utf-8")
