"""Evaluate the assistant's NLU against Rasa's default pipeline (``make eval``).

    PYTHONPATH=. .venv/bin/python scripts/evaluate_nlu.py [--retrain] [--keep-tmp]

In one run it:

1. trains, in a temporary directory, Rasa's default pipeline (the config ``rasa init``
   writes; its pipeline is commented out there, so Rasa's autoconfig fills it in from
   ``rasa/engine/recipes/config_files/default_config.yml``, and every component that
   has a ``random_seed`` gets a fixed one) on the project's NLU data:
   ``rasa train nlu --nlu data/nlu --domain data/responses`` (the FAQ answers are
   passed as the domain so that both pipelines' ResponseSelector knows the faq/*
   sub-intents; nothing else from the domain is used);
2. uses ``models/clinic.tar.gz`` for the project's pipeline when it matches (newer
   than config.yml, data/nlu and data/responses, and its NLU graph, components and
   their settings, is the one config.yml builds); otherwise trains config.yml the same
   way into the temporary directory;
3. parses every message of ``tests/nlu_heldout.yml`` (never used for training) with
   both models in-process, alternating which model goes first, after a warm-up, and
   times every parse;
4. writes ``reports/nlu_eval.md``, ``reports/nlu_eval.json`` and the confusion matrix
   of the project's pipeline, ``reports/nlu_confusion.png`` (reports/ is gitignored),
   and prints one line of figures as its very last line.

The figures (the same definitions for both pipelines):

- intent macro-F1: over the held-out set's intents, with faq questions scored by
  their full retrieval intent (faq/ice_or_heat); any other prediction (nlu_fallback,
  a bare faq) counts as a miss;
- entity F1: micro-averaged over (fact, value, status) triples; the parse's entities
  named after a fact of clinic/facts.py, status from the entity's role (none =
  present). The default pipeline has no clinical extractor, so its figure is ~0;
- per-fact precision and recall, one row per fact and status, so negated,
  historical and hypothetical mentions are counted apart from present ones;
- red-flag recall: messages with a present red flag whose parse takes the emergency
  route (intent report_red_flag, or a present red_flags entity);
- negation errors: negated, historical or hypothetical mentions read as present,
  either as an entity (the same fact and value present; for a denied leg, "none", any
  leg symptom not expected) or, for a red flag, by routing a message whose red flags
  are all denied, past or hypothetical to the emergency intent. Each mention counts
  once;
- parse time per message: median and p95 in milliseconds.

Targets (issue 3) are reported, not asserted: the exit status is non-zero only when
the evaluation cannot run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from clinic.facts import BOOL_FACTS, FACT_NAMES, LEG_SYMPTOMS, SET_FACTS

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "nlu_heldout.yml"
REPORTS = ROOT / "reports"
CLINIC_MODEL = ROOT / "models" / "clinic.tar.gz"
CONFIG = ROOT / "config.yml"
NLU_DATA = ROOT / "data" / "nlu"
RESPONSES = ROOT / "data" / "responses"
SEED = 7

PRESENT = "present"
STATUSES = ("present", "negated", "historical", "hypothetical")
NOT_PRESENT = STATUSES[1:]
RED_FLAG_INTENT = "report_red_flag"
FALLBACK_INTENT = "nlu_fallback"
OURS, DEFAULT = "ours", "default"
# Not in the held-out set; parsed first so that graph tracing is not timed.
WARMUP = (
    "hello",
    "what are your opening hours?",
    "my lower back has been sore for a few days, no tingling, it goes down my left leg",
)

Triple = tuple[str, Any, str]


class EvalError(Exception):
    """The evaluation cannot run (bad held-out file, failed training, ...)."""


# ---------------------------------------------------------------------------
# The held-out set.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    text: str
    intent: str
    facts: frozenset[Triple]

    @property
    def has_red_flag(self) -> bool:
        return any(f == "red_flags" and s == PRESENT for f, _, s in self.facts)

    @property
    def has_context(self) -> bool:
        """Whether a fact is negated, historical or hypothetical."""
        return any(s != PRESENT for _, _, s in self.facts)


def vocabulary_error(fact: str, value: Any, status: str) -> str | None:
    """Why a triple is outside clinic/facts.py's vocabulary, or None."""
    if status not in STATUSES:
        return f"unknown status {status!r}"
    if fact not in FACT_NAMES:
        return f"unknown fact {fact!r}"
    if fact in SET_FACTS:
        return None if value in SET_FACTS[fact] else f"{value!r} is not a member of {fact}"
    if fact in BOOL_FACTS:
        return None if value is True else f"bool fact {fact} takes value true (deny by status)"
    if fact == "leg_symptoms":
        if value not in LEG_SYMPTOMS:
            return f"{value!r} is not one of {LEG_SYMPTOMS}"
        if (value == "none") != (status == "negated"):
            return "leg_symptoms uses none exactly when negated"
        return None
    if fact == "duration_days":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else f"duration_days takes whole days, not {value!r}"
    return f"fact {fact!r} has no known values"


def load_heldout(path: Path = HELDOUT) -> list[Item]:
    """The held-out set, checked against the facts vocabulary."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise EvalError(f"cannot read {path}: {error}") from error
    rows = data.get("utterances") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise EvalError(f"{path}: expected a non-empty list under 'utterances'")
    items = []
    for number, row in enumerate(rows, 1):
        where = f"{path.name} item {number}"
        if not isinstance(row, dict) or set(row) != {"text", "intent", "facts"}:
            raise EvalError(f"{where}: expected exactly text, intent and facts")
        text, intent, facts = row["text"], row["intent"], row["facts"]
        if not isinstance(text, str) or not text.strip():
            raise EvalError(f"{where}: empty text")
        if not isinstance(intent, str) or not intent:
            raise EvalError(f"{where} ({text!r}): missing intent")
        if not isinstance(facts, list):
            raise EvalError(f"{where} ({text!r}): facts must be a list")
        triples = set()
        for triple in facts:
            if not isinstance(triple, list) or len(triple) != 3:
                raise EvalError(f"{where} ({text!r}): {triple!r} is not [fact, value, status]")
            error = vocabulary_error(*triple)
            if error:
                raise EvalError(f"{where} ({text!r}): {triple!r}: {error}")
            if tuple(triple) in triples:
                raise EvalError(f"{where} ({text!r}): {triple!r} listed twice")
            triples.add(tuple(triple))
        items.append(Item(text, intent, frozenset(triples)))
    return items


# ---------------------------------------------------------------------------
# Predictions and scoring (plain Python, shared with tests/unit).
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    label: str
    triples: frozenset[Triple]
    ms: float = 0.0


def normalise_triple(fact: str, value: Any, status: str) -> Triple:
    if fact in BOOL_FACTS:
        value = value is True or str(value).lower() == "true"
    elif fact == "duration_days":
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = str(value)
    else:
        value = str(value)
    return (fact, value, status)


def triples_from_entities(entities: Iterable[dict[str, Any]]) -> frozenset[Triple]:
    """(fact, value, status) from a parse's entities; role gives the status."""
    triples = set()
    for entity in entities:
        fact = entity.get("entity")
        if fact not in FACT_NAMES:
            continue
        role = entity.get("role")
        status = role if role in NOT_PRESENT else PRESENT
        triples.add(normalise_triple(fact, entity.get("value"), status))
    return frozenset(triples)


def triples_from_findings(findings: Iterable[Any]) -> frozenset[Triple]:
    """(fact, value, status) from ``nlu.extractor.extract``'s findings."""
    return frozenset(normalise_triple(f.fact, f.value, f.status) for f in findings)


def intent_label(parse: dict[str, Any]) -> str:
    """The predicted intent, with faq resolved to its retrieval intent (faq/booking).

    As Rasa's own ``rasa test`` reads it: a ResponseSelector without a
    ``retrieval_intent`` setting (the default pipeline's) answers under "default",
    one with it (ours) under the retrieval intent's name.
    """
    intent = parse.get("intent") or {}
    name = intent.get("name") or "None"
    selector = parse.get("response_selector") or {}
    if name not in selector.get("all_retrieval_intents", []):
        return name
    key = intent.get("full_retrieval_intent_name")
    for selector_key in ("default", name):
        response = (selector.get(selector_key) or {}).get("response") or {}
        key = key or response.get("intent_response_key")
    return key or name


def routes_to_emergency(pred: Prediction) -> bool:
    return pred.label == RED_FLAG_INTENT or any(
        f == "red_flags" and s == PRESENT for f, _, s in pred.triples
    )


def read_as_present(item: Item, pred: Prediction, triple: Triple) -> bool:
    """Whether a negated/historical/hypothetical mention came out as a present entity."""
    fact, value, _ = triple
    expected_present = {v for f, v, s in item.facts if f == fact and s == PRESENT}
    for f, v, s in pred.triples:
        if f != fact or s != PRESENT:
            continue
        if v == value or (value == "none" and v not in expected_present):
            return True
    return False


def negation_errors(item: Item, pred: Prediction) -> list[tuple[Triple, str]]:
    """Each negated/historical/hypothetical mention read as present, with how."""
    errors = []
    for triple in sorted(item.facts, key=str):
        if triple[2] == PRESENT:
            continue
        how = []
        if read_as_present(item, pred, triple):
            how.append("entity")
        if triple[0] == "red_flags" and not item.has_red_flag and pred.label == RED_FLAG_INTENT:
            how.append("routing")
        if how:
            errors.append((triple, "+".join(how)))
    return errors


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def score(items: Sequence[Item], preds: Sequence[Prediction]) -> dict[str, Any]:
    """Every figure of the report for one pipeline."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    labels = sorted({item.intent for item in items})
    y_true = [item.intent for item in items]
    y_pred = [pred.label for pred in preds]
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    per_intent = {
        label: {"precision": p, "recall": r, "f1": f, "support": int(n)}
        for label, p, r, f, n in zip(labels, precision, recall, f1, support, strict=True)
    }
    macro_f1 = f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)

    tp = fp = fn = 0
    per_fact: dict[tuple[str, str], dict[str, int]] = {}
    entity_errors = []
    for number, (item, pred) in enumerate(zip(items, preds, strict=True), 1):
        hits, extra, missed = (
            item.facts & pred.triples,
            pred.triples - item.facts,
            item.facts - pred.triples,
        )
        tp, fp, fn = tp + len(hits), fp + len(extra), fn + len(missed)
        for kind, triples in (("tp", hits), ("fp", extra), ("fn", missed)):
            for fact, _, status in triples:
                row = per_fact.setdefault((fact, status), {"tp": 0, "fp": 0, "fn": 0})
                row[kind] += 1
        if extra or missed:
            entity_errors.append(
                {"n": number, "missing": sorted(missed, key=str), "extra": sorted(extra, key=str)}
            )
    entity_p, entity_r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)

    flagged = [
        (n, item, pred)
        for n, (item, pred) in enumerate(zip(items, preds, strict=True), 1)
        if item.has_red_flag
    ]
    red_flag_misses = [n for n, _, pred in flagged if not routes_to_emergency(pred)]

    negation = []
    for number, (item, pred) in enumerate(zip(items, preds, strict=True), 1):
        for triple, how in negation_errors(item, pred):
            negation.append({"n": number, "triple": triple, "how": how})
    context_mentions = sum(1 for item in items for t in item.facts if t[2] != PRESENT)

    times = [pred.ms for pred in preds]
    return {
        "intent_macro_f1": float(macro_f1),
        "intent_accuracy": _ratio(
            sum(t == p for t, p in zip(y_true, y_pred, strict=True)), len(items)
        ),
        "per_intent": per_intent,
        "intent_errors": [
            {"n": n, "expected": t, "got": p}
            for n, (t, p) in enumerate(zip(y_true, y_pred, strict=True), 1)
            if t != p
        ],
        "entity": {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": entity_p,
            "recall": entity_r,
            "f1": _f1(entity_p, entity_r),
        },
        "entity_errors": entity_errors,
        "per_fact": {
            f"{fact}:{status}": {
                **row,
                "precision": _ratio(row["tp"], row["tp"] + row["fp"]),
                "recall": _ratio(row["tp"], row["tp"] + row["fn"]),
            }
            for (fact, status), row in sorted(
                per_fact.items(), key=lambda kv: (kv[0][0], STATUSES.index(kv[0][1]))
            )
        },
        "red_flag": {
            "total": len(flagged),
            "hits": len(flagged) - len(red_flag_misses),
            "recall": _ratio(len(flagged) - len(red_flag_misses), len(flagged)),
            "misses": red_flag_misses,
        },
        "negation": {"errors": negation, "count": len(negation), "mentions": context_mentions},
        "parse_ms": {
            "median": percentile(times, 50),
            "p95": percentile(times, 95),
            "n": len(times),
        },
    }


# ---------------------------------------------------------------------------
# Rasa: configs, training, loading, parsing.
# ---------------------------------------------------------------------------


def default_config() -> tuple[dict[str, Any], str]:
    """The config ``rasa init`` writes, its pipeline made explicit, seeds fixed."""
    import rasa
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.shared.utils.io import read_config_file

    source = Path(rasa.__file__).parent / "cli" / "initial_project" / "config.yml"
    config = read_config_file(str(source))
    missing = {key for key in ("pipeline", "policies") if not config.get(key)}
    how = f"`{source.relative_to(Path(rasa.__file__).parent.parent)}`"
    if missing:
        # What Rasa's autoconfig does at training time, without writing into the file.
        config = DefaultV1Recipe.complete_config(config, missing)
        filled = " and ".join(sorted(missing))
        how += f" ({filled} filled in by Rasa's autoconfig from default_config.yml)"
    config["assistant_id"] = "default-pipeline-eval"
    for component in config["pipeline"]:
        defaults = DefaultV1Recipe._from_registry(component["name"]).clazz.get_default_config()
        if "random_seed" in defaults:
            component.setdefault("random_seed", SEED)
    return config, how


def _env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    python_path = [str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        PYTHONPATH=os.pathsep.join(python_path),
        RASA_CACHE_DIRECTORY=str(cache_dir),  # never touch the project's .rasa cache
        TF_CPP_MIN_LOG_LEVEL=env.get("TF_CPP_MIN_LOG_LEVEL", "2"),
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def train_nlu(config: Path, out: Path, name: str, cache_dir: Path) -> tuple[Path, float]:
    """``rasa train nlu`` in a subprocess (one at a time); the model path and seconds."""
    log = out / f"train-{name}.log"
    command = [
        sys.executable, "-m", "rasa", "train", "nlu",
        "--config", str(config),
        "--nlu", str(NLU_DATA),
        "--domain", str(RESPONSES),
        "--out", str(out),
        "--fixed-model-name", name,
    ]  # fmt: skip
    _say(f"training the {name} pipeline ({config.name}); log: {log}")
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as stream:
        run = subprocess.run(
            command, cwd=ROOT, env=_env(cache_dir), stdout=stream, stderr=subprocess.STDOUT
        )
    seconds = time.perf_counter() - started
    model = out / f"{name}.tar.gz"
    if run.returncode != 0 or not model.exists():
        tail = log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n")
        tail = "\n".join(line for line in tail.splitlines() if line.strip())[-3000:]
        raise EvalError(f"training {name} failed (exit {run.returncode}):\n{tail}")
    return model, seconds


def _model_metadata(model: Path) -> dict[str, Any]:
    with tarfile.open(model) as archive:
        for member in archive.getmembers():
            if member.name.lstrip("/") == "metadata.json":
                stream = archive.extractfile(member)
                if stream is not None:
                    return json.load(stream)
    raise EvalError(f"{model} has no metadata.json")


def _nlu_nodes(nodes: dict[str, Any], target: str) -> dict[str, Any]:
    """The NLU part of a predict graph: the target and what it needs, without resources."""
    keep: dict[str, Any] = {}
    todo = [target]
    while todo:
        name = todo.pop()
        if name in keep or name not in nodes:
            continue
        node = nodes[name]
        keep[name] = {key: node.get(key) for key in ("uses", "fn", "config", "needs")}
        todo.extend(node.get("needs", {}).values())
    return keep


def clinic_model_status(model: Path = CLINIC_MODEL) -> tuple[bool, str]:
    """Whether the trained model matches config.yml and the current NLU data."""
    if not model.exists():
        return False, f"{_relative(model)} does not exist"
    inputs = [CONFIG] + sorted(
        p for d in (NLU_DATA, RESPONSES) for p in d.rglob("*") if p.is_file()
    )
    newest = max(inputs, key=lambda p: p.stat().st_mtime)
    if newest.stat().st_mtime > model.stat().st_mtime:
        return False, f"{_relative(newest)} changed after the model was trained"
    try:
        from rasa.engine.recipes.recipe import Recipe
        from rasa.shared.data import TrainingType
        from rasa.shared.utils.io import read_config_file

        config = read_config_file(str(CONFIG))
        built = Recipe.recipe_for_name(config.get("recipe")).graph_config_for_recipe(
            config, {}, training_type=TrainingType.BOTH
        )
        expected = _nlu_nodes(built.predict_schema.as_dict()["nodes"], built.nlu_target)
        metadata = _model_metadata(model)
        actual = _nlu_nodes(metadata["predict_schema"]["nodes"], metadata["nlu_target"])
    except Exception as error:  # an old or foreign archive: train instead
        return False, f"cannot compare the model with config.yml ({error})"
    if json.dumps(expected, sort_keys=True, default=str) != json.dumps(
        actual, sort_keys=True, default=str
    ):
        return False, "its NLU pipeline differs from config.yml"
    return True, "newer than config.yml and the NLU data, same NLU pipeline as config.yml"


def _quiet_rasa() -> None:
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    for name in ("rasa", "tensorflow", "absl", "h5py", "matplotlib"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)
    except ImportError:  # pragma: no cover - older Rasa
        pass


async def _parse_all(
    models: dict[str, Path], texts: Sequence[str]
) -> dict[str, list[tuple[dict[str, Any], float]]]:
    from rasa.core.agent import Agent

    agents = {}
    for name, path in models.items():
        _say(f"loading {name}: {path}")
        agent = Agent.load(str(path))
        if not agent.is_ready():
            raise EvalError(f"cannot load {path}")
        agents[name] = agent
    for agent in agents.values():
        for text in WARMUP * 2:
            await agent.parse_message(text)
    names = list(agents)
    results: dict[str, list[tuple[dict[str, Any], float]]] = {name: [] for name in names}
    _say(f"parsing {len(texts)} held-out messages with {' and '.join(names)}")
    for number, text in enumerate(texts):
        # Alternate which model goes first so that load on the machine hits both alike.
        for name in names if number % 2 == 0 else reversed(names):
            started = time.perf_counter()
            parse = await agents[name].parse_message(text)
            results[name].append((parse, (time.perf_counter() - started) * 1000))
    return results


# ---------------------------------------------------------------------------
# Report.
# ---------------------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _triple(triple: Triple) -> str:
    fact, value, status = triple
    value = "true" if value is True else value
    return f"{fact}={value}" + ("" if status == PRESENT else f" ({status})")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def confusion_png(
    items: Sequence[Item], preds: Sequence[Prediction], path: Path, title: str
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    y_true = [item.intent for item in items]
    y_pred = [pred.label for pred in preds]
    gold = sorted(set(y_true))
    labels = gold + sorted(set(y_pred) - set(gold))
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    size = max(8.0, 0.45 * len(labels) + 3)
    fig, ax = plt.subplots(figsize=(size, size * 0.9))
    # Colour by share of the row (recall), so that small intents show as clearly as big ones.
    shares = matrix / matrix.sum(axis=1, keepdims=True).clip(min=1)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=75, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title(
        f"{title}\n(counts; colour = share of the expected intent's messages)", fontsize=10
    )
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                color = "white" if shares[i, j] > 0.5 else "black"
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7, color=color)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """A markdown table; [] rows give "None."."""
    rows = [[_cell(str(value)) for value in row] for row in rows]
    if not rows:
        return ["None."]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _summary_rows(ours: dict[str, Any], default: dict[str, Any]) -> list[list[str]]:
    f1, default_f1 = ours["intent_macro_f1"], default["intent_macro_f1"]
    ratio = _ratio(ours["parse_ms"]["median"], default["parse_ms"]["median"])

    def flags(s: dict[str, Any]) -> str:
        return f"{_fmt(s['red_flag']['recall'])} ({s['red_flag']['hits']}/{s['red_flag']['total']})"

    def negations(s: dict[str, Any]) -> str:
        return f"{s['negation']['count']} of {s['negation']['mentions']} mentions"

    rows = [
        ["intent macro-F1", _fmt(f1), _fmt(default_f1)]
        + [f">= 0.95 and above default: {_met(f1 >= 0.95 and f1 > default_f1)}"],
        ["intent accuracy", _fmt(ours["intent_accuracy"]), _fmt(default["intent_accuracy"]), ""],
    ]
    for key in ("precision", "recall", "f1"):
        rows.append([f"entity {key}", _fmt(ours["entity"][key]), _fmt(default["entity"][key]), ""])
    rows += [
        ["red-flag recall", flags(ours), flags(default)]
        + [f"1.00: {_met(ours['red_flag']['recall'] == 1.0)}"],
        ["negation errors", negations(ours), negations(default)]
        + [f"0: {_met(ours['negation']['count'] == 0)}"],
        ["parse ms, median", _fmt(ours["parse_ms"]["median"]), _fmt(default["parse_ms"]["median"])]
        + [f"<= 1.5x default (x{ratio:.2f}): {_met(ratio <= 1.5)}"],
        ["parse ms, p95", _fmt(ours["parse_ms"]["p95"]), _fmt(default["parse_ms"]["p95"]), ""],
    ]
    return rows


def write_report(
    path: Path,
    items: Sequence[Item],
    preds: dict[str, list[Prediction]],
    scores: dict[str, dict[str, Any]],
    context: dict[str, Any],
) -> None:
    ours, default = scores[OURS], scores[DEFAULT]
    lines = [
        "# NLU evaluation: the project's pipeline against Rasa's default pipeline",
        "",
        f"Run {context['when']} in {context['seconds']:.0f} s on `{context['heldout']}` "
        f"({len(items)} messages, {sum(i.has_context for i in items)} with negated, historical "
        f"or hypothetical facts, {sum(i.has_red_flag for i in items)} with a present red flag).",
        "",
        f"- **ours**: `{context['ours_model']}`: {context['ours_how']}",
        f"- **default**: {context['default_how']}; trained in this run "
        f"({context['default_train_s']:.0f} s)",
        "- trained with `rasa train nlu --nlu data/nlu --domain data/responses`; "
        f"random seed {SEED} wherever a component takes one",
        "",
        "## Summary",
        "",
        *_table(["figure", "ours", "default", "target"], _summary_rows(ours, default)),
        "",
        "Definitions: see the docstring of `scripts/evaluate_nlu.py`. Entities are "
        "(fact, value, status) triples; the default pipeline has no clinical extractor, "
        "so its entity figures are the honest zero. Negation errors count each negated, "
        "historical or hypothetical mention once, whether it came out as a present entity or "
        "its message (with no present red flag) was routed to the emergency intent.",
        "",
        f"![confusion matrix of our pipeline]({context['png_name']})",
        "",
        "## Intents",
        "",
    ]
    metrics = ("precision", "recall", "f1")
    lines += _table(
        ["intent", "n", "ours P", "ours R", "ours F1", "default P", "default R", "default F1"],
        (
            [label, a["support"]]
            + [_fmt(a[k]) for k in metrics]
            + [_fmt(default["per_intent"][label][k]) for k in metrics]
            for label, a in ours["per_intent"].items()
        ),
    )
    lines += ["", "## Facts, per fact and status", ""]
    lines += ["Negated, historical and hypothetical mentions have rows of their own.", ""]
    empty = {"tp": 0, "fp": 0, "fn": 0, "precision": 0.0, "recall": 0.0}
    keys = sorted(
        set(ours["per_fact"]) | set(default["per_fact"]),
        key=lambda k: (k.split(":")[0], STATUSES.index(k.split(":")[1])),
    )
    rows = []
    for key in keys:
        a, b = ours["per_fact"].get(key, empty), default["per_fact"].get(key, empty)
        rows.append(
            [*key.split(":"), a["tp"] + a["fn"], a["tp"], a["fp"]]
            + [_fmt(a["precision"]), _fmt(a["recall"]), _fmt(b["precision"]), _fmt(b["recall"])]
        )
    header = ["fact", "status", "expected", "ours TP", "ours FP", "ours P", "ours R"]
    lines += _table(header + ["default P", "default R"], rows)

    def text(number: int) -> str:
        return items[number - 1].text

    def expected_flags(number: int) -> str:
        facts = sorted(items[number - 1].facts, key=str)
        return ", ".join(_triple(t) for t in facts if t[0] == "red_flags")

    for name in (OURS, DEFAULT):
        s = scores[name]
        misses = s["red_flag"]["misses"]
        lines += ["", f"## Red flags missed ({name}: {len(misses)})", ""]
        lines += _table(
            ["#", "message", "expected", "got intent"],
            ([n, text(n), expected_flags(n), preds[name][n - 1].label] for n in misses),
        )
        lines += ["", f"## Negation errors ({name}: {s['negation']['count']})", ""]
        lines += _table(
            ["#", "message", "mention", "read as present by"],
            (
                [e["n"], text(e["n"]), _triple(e["triple"]), e["how"]]
                for e in s["negation"]["errors"]
            ),
        )
        lines += ["", f"## Intent errors ({name}: {len(s['intent_errors'])})", ""]
        lines += _table(
            ["#", "message", "expected", "got"],
            ([e["n"], text(e["n"]), e["expected"], e["got"]] for e in s["intent_errors"]),
        )
    errors = ours["entity_errors"]
    lines += ["", f"## Fact differences (ours: {len(errors)} messages)", ""]
    lines += _table(
        ["#", "message", "missing", "extra"],
        (
            [e["n"], text(e["n"])]
            + [", ".join(map(_triple, e["missing"])), ", ".join(map(_triple, e["extra"]))]
            for e in errors
        ),
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def figures_line(scores: dict[str, dict[str, Any]]) -> str:
    ours, default = scores[OURS], scores[DEFAULT]
    parse_ms, default_ms = ours["parse_ms"]["median"], default["parse_ms"]["median"]
    return (
        f"intent_macro_f1={ours['intent_macro_f1']:.2f} "
        f"default_intent_macro_f1={default['intent_macro_f1']:.2f} "
        f"entity_f1={ours['entity']['f1']:.2f} "
        f"red_flag_recall={ours['red_flag']['recall']:.2f} "
        f"negation_errors={ours['negation']['count']} "
        f"parse_ms={parse_ms:.2f} default_parse_ms={default_ms:.2f} "
        f"parse_ms_ratio={_ratio(parse_ms, default_ms):.2f}"
    )


# ---------------------------------------------------------------------------
# Main.
# ---------------------------------------------------------------------------


def _say(message: str) -> None:
    print(f"[evaluate_nlu] {message}", file=sys.stderr, flush=True)


@dataclass
class Options:
    heldout: Path = HELDOUT
    reports: Path = REPORTS
    model: Path = CLINIC_MODEL
    retrain: bool = False
    keep_tmp: bool = False


def run(options: Options) -> str:
    started = time.perf_counter()
    items = load_heldout(options.heldout)
    _quiet_rasa()
    tmp = Path(tempfile.mkdtemp(prefix="evaluate_nlu-"))
    try:
        cache = tmp / "cache"
        config, default_how = default_config()
        default_cfg = tmp / "default_config.yml"
        default_cfg.write_text(
            "# Rasa's default pipeline, as `rasa init` + autoconfig give it; seeds fixed.\n"
            + yaml.safe_dump(config, sort_keys=False),
            encoding="utf-8",
        )
        # Decided before any training, on the data as it is when the run starts.
        if options.retrain:
            ok, why = False, "--retrain given"
        else:
            ok, why = clinic_model_status(options.model)
        default_model, default_s = train_nlu(default_cfg, tmp, DEFAULT, cache)
        if ok:
            ours_model, ours_how = options.model, f"used as trained: {why}"
        else:
            _say(f"not using {options.model}: {why}")
            ours_model, seconds = train_nlu(CONFIG, tmp, OURS, cache)
            ours_how = f"trained from config.yml in this run ({seconds:.0f} s), because {why}"
        _say(f"ours: {ours_how}")

        texts = [item.text for item in items]
        parsed = asyncio.run(_parse_all({OURS: ours_model, DEFAULT: default_model}, texts))
        preds = {
            name: [
                Prediction(intent_label(p), triples_from_entities(p.get("entities") or []), ms)
                for p, ms in results
            ]
            for name, results in parsed.items()
        }
        scores = {name: score(items, preds[name]) for name in (OURS, DEFAULT)}

        options.reports.mkdir(parents=True, exist_ok=True)
        png = options.reports / "nlu_confusion.png"
        confusion_png(items, preds[OURS], png, "Intent confusion, project pipeline (held-out set)")
        context = {
            "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "seconds": time.perf_counter() - started,
            "heldout": _relative(options.heldout),
            "ours_model": _relative(ours_model) if ok else "config.yml",
            "ours_how": ours_how,
            "default_how": default_how,
            "default_train_s": default_s,
            "png_name": png.name,
        }
        write_report(options.reports / "nlu_eval.md", items, preds, scores, context)
        (options.reports / "nlu_eval.json").write_text(
            json.dumps(
                {"context": context, "scores": scores, "default_config": config},
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )
        _say(f"report: {_relative(options.reports / 'nlu_eval.md')}, {_relative(png)}")
        return figures_line(scores)
    finally:
        if options.keep_tmp:
            _say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", type=Path, default=HELDOUT, help="held-out YAML file")
    parser.add_argument("--reports", type=Path, default=REPORTS, help="where reports go")
    parser.add_argument("--model", type=Path, default=CLINIC_MODEL, help="our trained model")
    parser.add_argument(
        "--retrain", action="store_true", help="train our pipeline even if the model matches"
    )
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    options = Options(
        args.heldout.resolve(),
        args.reports.resolve(),
        args.model.resolve(),
        args.retrain,
        args.keep_tmp,
    )
    os.chdir(ROOT)  # Rasa resolves some paths against the working directory
    try:
        line = run(options)
    except EvalError as error:
        print(f"evaluate_nlu: {error}", file=sys.stderr)
        return 1
    sys.stderr.flush()
    print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
