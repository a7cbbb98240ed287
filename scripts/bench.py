"""Load test and benchmarks of the assistant (``make bench``).

    .venv/bin/python scripts/bench.py [--workers 12] [--turns 400] [--seconds 120]
                                      [--write-doc] [--keep-tmp]
                                      [--skip-training] [--baseline-dir DIR]

For quick iterations: ``--skip-training`` leaves out full training and fine-tuning
(their figures print as nan), and ``--baseline-dir DIR`` keeps the starter bot in DIR
and reuses it on the next run instead of running ``rasa init`` again. Neither may be
combined with ``--write-doc``.

Everything runs on loopback, in a temporary folder, bounded in count and time. In one run:

1. **Baseline project**: ``rasa init --no-prompt --init-dir <tmp>`` creates Rasa's starter
   bot and trains it there (no network; the starter needs no action server).
2. **Our servers**: the real action server and Rasa server with ``models/clinic.tar.gz``
   (tests/integration/servers.py), a SQLite tracker store in the temporary folder, rate
   limits off (``RATE_LIMIT_PER_SENDER=0``, ``RATE_LIMIT_PER_IP=0``) and the production
   reply timeout (20 s). Cold start: from starting the processes to the Rasa server's
   first answer to a message. Then a warm-up: one patient alone for 16 turns (its
   latencies are the unloaded ones, reported apart), then the load:
   ``--workers`` simulated patients at once, each holding one free-text conversation
   after another (symptoms in their own words, typed answers to the interview's
   questions, a question from the article mid-interview, a correction after the
   outcome), until ``--turns`` turns are sent or ``--seconds`` have passed, whichever
   comes first. Peak RSS (VmHWM) of each server's process group is read after the load.
   Lost events: every conversation's tracker, read through the HTTP API with the token,
   must hold exactly the user messages sent to it.
3. **Baseline servers**: the starter bot under ``rasa run`` with the same load shape
   (same workers and bounds, its own greet/mood conversations) and the same kind of
   tracker store (SQLite in the temporary folder, so that only the bots differ).
4. **Full training** of the project (``rasa train --force``, same config and data, into
   the temporary folder with an empty cache) and **fine-tuning**
   (``rasa train --finetune models/clinic.tar.gz --epoch-fraction 0.5``).

Definitions:

- a turn is one message sent and the HTTP response to it; latency is measured on the
  client, from sending the request to reading the whole reply;
- throughput: turns without error, divided by the load's wall time;
- an error is a turn that failed at the HTTP level (no response within 60 s, or a status
  other than 200), got an empty reply, got a fail-safe reply, or stalled. A fail-safe
  reply is one of the server's "cannot handle it" texts (clinic/advice.py
  ``fail_safe_message``, server/rate_limit.py ``limited_message``), or, for a message
  that should move the interview on, a reply with a text containing "999" and the
  clinic's phone number while the turn carries neither an interview question nor a
  triage payload. A stalled turn carries neither, nor such a text; a conversation past
  20 turns counts as one error too. Each error ends that conversation (the next one
  starts). The baseline counts HTTP errors only: its starter bot answers some messages
  with nothing (its policies predict listening), which is its normal behaviour;
- lost events: user messages sent but missing from the conversation's tracker (doubled
  and out-of-order messages are reported too); checked for up to 60 s after the load,
  since a message past the reply timeout is still being handled and stored. The same
  trackers give the actions run per user message (the starter bot's trackers too).

Progress goes to stderr; the very last line on stdout is one line of figures. The
issue's targets are reported, never asserted: the exit status is non-zero only when a
stage could not run. Nothing is written into the repository unless ``--write-doc`` is
given, which (re)writes docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run directly, without the Makefile's PYTHONPATH
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import requests  # noqa: E402

from clinic.advice import fail_safe_message  # noqa: E402
from clinic.settings import load_settings  # noqa: E402
from server.rate_limit import limited_message  # noqa: E402
from tests.integration.driver import TYPED_NO, question_in, triage_of  # noqa: E402
from tests.integration.servers import (  # noqa: E402
    BIN,
    MODEL,
    Process,
    Servers,
    free_port,
    process_stats,
    project_env,
    wait_for,
)

DOC = ROOT / "docs" / "benchmarks.md"
TURN_TIMEOUT_S = 60.0
MAX_TURNS_PER_CONVERSATION = 20
LOST_EVENTS_WAIT_S = 60.0
TRAIN_TIMEOUT_S = 3600
# Sent by one patient alone before each load; its latencies are the unloaded ones.
WARM_UP_TURNS = 16
# The bench processes: no telemetry (project_env), no rate limits, the production
# reply timeout (server/channels.py DEFAULT_TIMEOUT_SECONDS) rather than the tests' 8 s.
BENCH_ENV = {"RATE_LIMIT_PER_SENDER": "0", "RATE_LIMIT_PER_IP": "0", "REPLY_TIMEOUT_SECONDS": "20"}
RUN_ID = secrets.token_hex(3)

# The targets on a 2-core machine: figure, comparison, threshold.
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("turn_p50_ratio", "<=", 1.5),
    ("throughput_tps", ">=", 40.0),
    ("errors", "<=", 0),
    ("lost_events", "<=", 0),
    ("rasa_rss_mb", "<=", 1300.0),
    ("cold_start_s", "<=", 60.0),
    ("train_s", "<=", 180.0),
)
# The figures line, in order, with each figure's format.
FIGURES: tuple[tuple[str, str], ...] = (
    ("turn_p50_ms", "{:.0f}"),
    ("baseline_p50_ms", "{:.0f}"),
    ("turn_p50_ratio", "{:.2f}"),
    ("p95_ms", "{:.0f}"),
    ("throughput_tps", "{:.1f}"),
    ("errors", "{:.0f}"),
    ("lost_events", "{:.0f}"),
    ("rasa_rss_mb", "{:.0f}"),
    ("actions_rss_mb", "{:.0f}"),
    ("cold_start_s", "{:.1f}"),
    ("train_s", "{:.1f}"),
    ("finetune_s", "{:.1f}"),
)


class BenchError(Exception):
    """A stage of the benchmark could not run."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Conversations: what a simulated patient says, and whether a turn went right.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One patient: an optional greeting, their own words, then typed answers."""

    opening: tuple[str, ...]
    answers: dict[str, str] = field(default_factory=dict)
    greeting: str | None = None
    faq: str | None = None  # asked after the first answer, mid-interview
    correction: str | None = None  # sent once after the outcome


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        ("My lower back has ached for 3 weeks since my marathon block. "
         "No tingling or numbness in my legs.",),
    ),
    Scenario(("my back hurts after running",), greeting="hi", faq="is ice or heat better?"),
    Scenario(
        ("tweaked my lower back at parkrun two days ago, nothing going down my legs",),
        {"acutely_inflamed": "yes it's a bit swollen and warm"},
    ),
    Scenario(("10 days of back pain now, I've been stretching and using heat but it "
              "hasn't helped",)),
    Scenario(
        ("my back is stiff when I sit at my desk but it eases off once I've warmed up "
         "on a run",),
        {"pain_while_running": "no, it's fine once I'm running"},
    ),
    Scenario(
        ("sore lower back for a week, nothing down my legs",),
        correction="actually it's more like six weeks",
    ),
    Scenario(("Sharp pain shooting down my left leg into my calf with pins and needles, "
              "back's been sore about a week",)),
    Scenario(
        ("my back is sore",),
        {"red_flag_screen": "nope", "duration_days": "about a fortnight"},
        faq="can I keep running with back pain?",
    ),
    Scenario(("I used to get sciatica years ago but now it's just my lower back, "
              "for 5 days",), greeting="hello"),
    Scenario(("lower back pain for 4 days and I've had a high temperature since yesterday",)),
    Scenario(("my back is killing me and I can't feel anything around my bum, and I'm "
              "struggling to pee",)),
)  # fmt: skip

BASELINE_SCRIPTS: tuple[tuple[str, ...], ...] = (
    ("hello there", "I'm feeling sad today", "yes, that helped", "goodbye"),
    ("hi", "I am great, thanks", "are you a bot?", "bye"),
    ("good morning", "not good, a bit down", "no", "see you later"),
    ("hey", "feeling wonderful today", "am I talking to a human?", "goodbye"),
)

Replies = list[dict[str, Any]]


class Dialogue(Protocol):
    def next_message(self, replies: Replies) -> str | None:
        """What to say after ``replies`` (the last turn's), or None when done."""

    def check(self, text: str, replies: Replies) -> str:
        """The kind of error this turn is, or "ok"."""


class ClinicDialogue:
    """A patient talking to our assistant: answers whatever the interview asks."""

    def __init__(self, scenario: Scenario, fail_safe_texts: frozenset[str], phone: str) -> None:
        self.to_say = [*([scenario.greeting] if scenario.greeting else []), *scenario.opening]
        self.greeting = scenario.greeting
        self.answers = {**TYPED_NO, **scenario.answers}
        self.faq = scenario.faq
        self.correction = scenario.correction
        self.answered = 0
        self.fail_safe_texts = fail_safe_texts
        self.phone = phone

    def next_message(self, replies: Replies) -> str | None:
        if self.to_say:
            return self.to_say.pop(0)
        if triage_of(replies):
            text, self.correction = self.correction, None
            return text
        if self.faq and self.answered >= 1:
            text, self.faq = self.faq, None
            return text
        question = question_in(replies)
        if question is None:
            return None
        self.answered += 1
        return self.answers[question]

    def check(self, text: str, replies: Replies) -> str:
        expect_progress = text != self.greeting
        return classify_clinic_turn(replies, expect_progress, self.fail_safe_texts, self.phone)


class ScriptDialogue:
    """A fixed list of messages (the starter bot's greet/mood conversations)."""

    def __init__(self, messages: tuple[str, ...]) -> None:
        self.to_say = list(messages)

    def next_message(self, replies: Replies) -> str | None:
        return self.to_say.pop(0) if self.to_say else None

    def check(self, text: str, replies: Replies) -> str:
        return "ok"


def classify_clinic_turn(
    replies: Replies, expect_progress: bool, fail_safe_texts: frozenset[str], phone: str
) -> str:
    """One of "ok", "empty", "fail_safe" or "stalled" (see the module's definitions)."""
    if not replies:
        return "empty"
    texts = [str(reply.get("text") or "") for reply in replies]
    if any(text.strip() in fail_safe_texts for text in texts):
        return "fail_safe"
    if not expect_progress or triage_of(replies) or question_in(replies):
        return "ok"
    if any("999" in text and phone in text for text in texts):
        return "fail_safe"
    return "stalled"


def clinic_dialogues() -> Callable[[int], Dialogue]:
    settings = load_settings()
    texts = frozenset({fail_safe_message(settings).strip(), limited_message(settings).strip()})
    return lambda n: ClinicDialogue(SCENARIOS[n % len(SCENARIOS)], texts, settings.phone)


def baseline_dialogues() -> Callable[[int], Dialogue]:
    return lambda n: ScriptDialogue(BASELINE_SCRIPTS[n % len(BASELINE_SCRIPTS)])


# ---------------------------------------------------------------------------
# The load: concurrent patients over the REST webhook, bounded in turns and time.
# ---------------------------------------------------------------------------


@dataclass
class Budget:
    turns: int
    deadline: float

    def open(self) -> bool:
        return self.turns > 0 and time.monotonic() < self.deadline

    def take(self) -> bool:
        if not self.open():
            return False
        self.turns -= 1
        return True


@dataclass
class Load:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    sent: dict[str, list[str]] = field(default_factory=dict)  # by sender, once it speaks
    started: int = 0
    finished: int = 0
    empty_replies: int = 0
    wall_s: float = 0.0

    @property
    def conversations(self) -> int:
        return len(self.sent)

    @property
    def turns(self) -> int:
        return sum(len(texts) for texts in self.sent.values())

    @property
    def ok_turns(self) -> int:
        return self.turns - sum(self.errors.values())

    @property
    def throughput(self) -> float:
        return self.ok_turns / self.wall_s if self.wall_s else 0.0


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def post_turn(
    session: aiohttp.ClientSession, url: str, sender: str, text: str
) -> tuple[int, Replies | None, float]:
    """One turn: HTTP status (0 when there was no response), replies, seconds."""
    start = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        status, body = 0, None
    return status, body if isinstance(body, list) else None, time.perf_counter() - start


async def patient(
    session: aiohttp.ClientSession,
    url: str,
    make_dialogue: Callable[[int], Dialogue],
    budget: Budget,
    load: Load,
    prefix: str,
) -> None:
    """One simulated patient: one conversation after another while the budget lasts."""
    while budget.open():
        number = load.started
        load.started += 1
        sender = f"bench-{RUN_ID}-{prefix}-{number:04d}"
        if await converse_once(session, url, sender, make_dialogue(number), budget, load):
            load.finished += 1


async def converse_once(
    session: aiohttp.ClientSession,
    url: str,
    sender: str,
    dialogue: Dialogue,
    budget: Budget,
    load: Load,
) -> bool:
    """Whether the conversation came to its end (rather than an error or the budget's)."""
    replies: Replies = []
    for _ in range(MAX_TURNS_PER_CONVERSATION):
        text = dialogue.next_message(replies)
        if text is None:
            return True
        if not budget.take():
            return False
        load.sent.setdefault(sender, []).append(text)
        status, body, seconds = await post_turn(session, url, sender, text)
        if status:
            load.latencies_ms.append(seconds * 1000)
        load.empty_replies += body == []
        kind = "http" if status != 200 or body is None else dialogue.check(text, body)
        if kind != "ok":
            load.errors[kind] += 1
            return False
        replies = body or []
    load.errors["endless"] += 1  # more turns than any scripted conversation needs
    return False


async def report_progress(load: Load, label: str) -> None:
    while True:
        await asyncio.sleep(10)
        log(f"{label}: {load.turns} turns, {dict(load.errors) or 'no'} errors")


async def run_load(
    base_url: str, make_dialogue: Callable[[int], Dialogue], args: argparse.Namespace, label: str
) -> Load:
    load = Load()
    budget = Budget(args.turns, time.monotonic() + args.seconds)
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=args.workers)
    url = f"{base_url}/webhooks/rest/webhook"
    prefix = label.replace(" ", "-")  # the warm-up's conversations apart from the load's
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        progress = asyncio.ensure_future(report_progress(load, label))
        start = time.perf_counter()
        await asyncio.gather(
            *(
                patient(session, url, make_dialogue, budget, load, prefix)
                for _ in range(args.workers)
            )
        )
        load.wall_s = time.perf_counter() - start
        progress.cancel()
    log(
        f"{label}: {load.turns} turns in {load.wall_s:.1f} s, {load.conversations} "
        f"conversations ({load.finished} to their end), errors {dict(load.errors) or 0}, "
        f"p50 {percentile(load.latencies_ms, 50):.0f} ms, "
        f"p95 {percentile(load.latencies_ms, 95):.0f} ms, {load.throughput:.1f} turns/s"
    )
    return load


# ---------------------------------------------------------------------------
# Lost events and resources.
# ---------------------------------------------------------------------------


def stored_events(base_url: str, token: str, sender: str) -> list[dict[str, Any]]:
    response = requests.get(
        f"{base_url}/conversations/{sender}/tracker",
        params={"token": token, "include_events": "ALL"},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["events"]


def user_texts(events: list[dict[str, Any]]) -> list[str]:
    return [e.get("text") or "" for e in events if e.get("event") == "user"]


def actions_per_message(trackers: list[list[dict[str, Any]]]) -> dict[str, float]:
    """Actions the server ran per user message (listening and session starts left out),
    and how many of them were responses (utter_*) rather than actions with code."""
    messages = sum(len(user_texts(events)) for events in trackers)
    names = [
        e.get("name") or ""
        for events in trackers
        for e in events
        if e.get("event") == "action"
        and e.get("name") not in ("action_listen", "action_session_start")
    ]
    utter = sum(name.startswith("utter_") for name in names)
    return {
        "actions": len(names) / messages if messages else float("nan"),
        "responses": utter / messages if messages else float("nan"),
    }


def compare_events(sent: dict[str, list[str]], stored: dict[str, list[str]]) -> dict[str, int]:
    """User messages lost, doubled, and conversations whose order differs."""
    counts = Counter({"lost": 0, "doubled": 0, "out_of_order": 0})
    for sender, expected in sent.items():
        found = stored.get(sender, [])
        counts["lost"] += sum((Counter(expected) - Counter(found)).values())
        counts["doubled"] += sum((Counter(found) - Counter(expected)).values())
        counts["out_of_order"] += int(Counter(found) == Counter(expected) and found != expected)
    return dict(counts)


def check_events(base_url: str, token: str, sent: dict[str, list[str]]) -> dict[str, Any]:
    """Compares every conversation's tracker with what was sent; waits for late ones."""
    deadline = time.monotonic() + LOST_EVENTS_WAIT_S
    while True:
        trackers = {sender: stored_events(base_url, token, sender) for sender in sent}
        stored = {sender: user_texts(events) for sender, events in trackers.items()}
        result: dict[str, Any] = compare_events(sent, stored)
        if result["lost"] == 0 or time.monotonic() > deadline:
            result["per_message"] = actions_per_message(list(trackers.values()))
            return result
        log(f"{result['lost']} user messages not stored yet: checking again")
        time.sleep(3)


def group_peak_rss_mb(pgid: int) -> tuple[float, dict[int, float]]:
    """Peak RSS (VmHWM) summed over a process group, and each process's, in MB."""
    peaks: dict[int, float] = {}
    for entry, fields in process_stats():
        if fields[2] != str(pgid):
            continue
        try:
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[int(entry.name)] = int(line.split()[1]) / 1024
        except OSError:
            continue  # the process ended meanwhile
    return sum(peaks.values()), peaks


def group_cpu_s(pgid: int) -> float:
    """CPU seconds (user and system) a process group's live processes have used."""
    ticks = sum(
        int(fields[11]) + int(fields[12]) for _, fields in process_stats() if fields[2] == str(pgid)
    )
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_ms_per_turn(processes: list[Process], run: Callable[[], Load]) -> tuple[Load, list[float]]:
    """Runs a load; each server's CPU time per turn sent, in ms. Unlike latency, this
    hardly depends on what else the machine runs meanwhile."""
    pids = [process.popen.pid for process in processes if process.popen]
    if len(pids) != len(processes):
        raise BenchError("a server is not running")
    before = [group_cpu_s(pid) for pid in pids]
    load = run()
    used = [group_cpu_s(pid) - start for pid, start in zip(pids, before, strict=True)]
    per_turn = [seconds * 1000 / max(load.turns, 1) for seconds in used]
    names = [process.name for process in processes]
    log(", ".join(f"{n}: {ms:.1f} ms CPU per turn" for n, ms in zip(names, per_turn, strict=True)))
    return load, per_turn


def process_rss_mb(process: Process) -> float:
    if not process.popen or process.popen.poll() is not None:
        raise BenchError(f"{process.name} is not running")
    total, peaks = group_peak_rss_mb(process.popen.pid)
    log(f"{process.name}: peak RSS {total:.0f} MB ({len(peaks)} process(es): {peaks})")
    return total


# ---------------------------------------------------------------------------
# The stages.
# ---------------------------------------------------------------------------


def tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def timed_run(args: list[str], cwd: Path, env: dict[str, str], log_file: Path) -> float:
    """Runs a command to its end; its wall time in seconds."""
    start = time.monotonic()
    with log_file.open("wb") as handle:
        run = subprocess.run(
            args, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT,
            timeout=TRAIN_TIMEOUT_S, check=False,
        )  # fmt: skip
    seconds = time.monotonic() - start
    if run.returncode != 0:
        raise BenchError(f"{' '.join(args[:3])} failed ({run.returncode}):\n{tail(log_file)}")
    return seconds


def init_baseline(tmp: Path, keep: Path | None = None) -> Path:
    """``rasa init`` (which trains the starter bot); the project's folder. With ``keep``,
    the project is made there, or reused when an earlier run left a model in it."""
    project = keep or tmp / "baseline"
    if list((project / "models").glob("*.tar.gz")):
        log(f"reusing the starter bot in {project}")
        return project
    project.mkdir(parents=True, exist_ok=True)
    env = project_env(RASA_CACHE_DIRECTORY=str(tmp / "cache-baseline"))
    command = [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)]
    seconds = timed_run(command, project, env, tmp / "baseline-init.log")
    if not list((project / "models").glob("*.tar.gz")):
        raise BenchError(f"rasa init trained no model:\n{tail(tmp / 'baseline-init.log')}")
    log(f"starter bot created and trained in {seconds:.1f} s")
    return project


def warm_up(args: argparse.Namespace) -> argparse.Namespace:
    """The warm-up's bounds: one patient alone, a few conversations (timed apart)."""
    return argparse.Namespace(workers=1, turns=WARM_UP_TURNS, seconds=args.seconds)


def cold_start(start: Callable[[], None], send_first: Callable[[], Replies]) -> float:
    begin = time.monotonic()
    start()
    if not send_first():
        raise BenchError("the first message got no answer")
    return time.monotonic() - begin


def bench_ours(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    workdir = tmp / "ours"
    workdir.mkdir()
    servers = Servers(workdir, **BENCH_ENV)
    try:
        seconds = cold_start(servers.start, lambda: servers.send(f"bench-{RUN_ID}-cold", "hello"))
        log(f"our servers: cold start {seconds:.1f} s (process start to first answer)")
        warm = asyncio.run(run_load(servers.url, clinic_dialogues(), warm_up(args), "ours warm-up"))
        load, (rasa_cpu, actions_cpu) = cpu_ms_per_turn(
            [servers.rasa, servers.actions],
            lambda: asyncio.run(run_load(servers.url, clinic_dialogues(), args, "ours")),
        )
        rasa_rss, actions_rss = process_rss_mb(servers.rasa), process_rss_mb(servers.actions)
        events = check_events(servers.url, servers.token, load.sent)
        log(f"our servers: tracker check {events}")
        return {"load": load, "warm_up": warm, "cold_start_s": seconds, "events": events,
                "rasa_rss_mb": rasa_rss, "actions_rss_mb": actions_rss,
                "rasa_cpu_ms": rasa_cpu, "actions_cpu_ms": actions_cpu}  # fmt: skip
    finally:
        servers.stop()


def baseline_process(project: Path, port: int, token: str) -> Process:
    endpoints = project / "bench-endpoints.yml"
    # The same kind of tracker store as ours, so that only the bots differ.
    endpoints.write_text(
        f'tracker_store:\n  type: SQL\n  url: "sqlite:///{project / "tracker.db"}"\n'
    )
    model = sorted((project / "models").glob("*.tar.gz"))[-1]
    command = [
        str(BIN / "rasa"), "run", "--model", str(model), "--endpoints", str(endpoints),
        "--credentials", str(project / "credentials.yml"), "--interface", "127.0.0.1",
        "--port", str(port), "--enable-api", f"--auth-token={token}",
    ]  # fmt: skip
    env = project_env(**BENCH_ENV, SANIC_HOST="127.0.0.1")
    return Process("baseline rasa server", command, env, project / "rasa.log")


def bench_baseline(args: argparse.Namespace, project: Path) -> dict[str, Any]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    token = secrets.token_urlsafe(16)
    process = baseline_process(project, port, token)

    def send(sender: str, text: str) -> Replies:
        response = requests.post(
            f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def start() -> None:
        process.start()
        wait_for(f"{url}/", process)

    try:
        seconds = cold_start(start, lambda: send(f"bench-{RUN_ID}-base-cold", "hello"))
        log(f"baseline: cold start {seconds:.1f} s")
        warm = asyncio.run(run_load(url, baseline_dialogues(), warm_up(args), "baseline warm-up"))
        load, (cpu,) = cpu_ms_per_turn(
            [process], lambda: asyncio.run(run_load(url, baseline_dialogues(), args, "baseline"))
        )
        rss = process_rss_mb(process)
        events = check_events(url, token, load.sent)
        log(f"baseline: tracker check {events}")
        return {"load": load, "warm_up": warm, "cold_start_s": seconds, "rss_mb": rss,
                "events": events, "cpu_ms": cpu}  # fmt: skip
    finally:
        process.stop()


def train_full(tmp: Path) -> float:
    env = project_env(RASA_CACHE_DIRECTORY=str(tmp / "cache-train"))
    command = [
        str(BIN / "rasa"), "train", "--force", "--config", "config.yml", "--domain",
        "domain.yml", "--data", "data", "--out", str(tmp / "train"), "--fixed-model-name",
        "clinic-bench",
    ]  # fmt: skip
    seconds = timed_run(command, ROOT, env, tmp / "train.log")
    log(f"full training: {seconds:.1f} s")
    return seconds


def finetune(tmp: Path) -> float:
    env = project_env(RASA_CACHE_DIRECTORY=str(tmp / "cache-finetune"))
    command = [
        str(BIN / "rasa"), "train", "--finetune", str(MODEL), "--epoch-fraction", "0.5",
        "--out", str(tmp / "finetune"), "--fixed-model-name", "clinic-finetune",
    ]  # fmt: skip
    seconds = timed_run(command, ROOT, env, tmp / "finetune.log")
    log(f"fine-tuning: {seconds:.1f} s")
    return seconds


# ---------------------------------------------------------------------------
# Figures, report and the command line.
# ---------------------------------------------------------------------------


def figures_of(ours: dict[str, Any] | None, base: dict[str, Any] | None,
               train_s: float | None, finetune_s: float | None) -> dict[str, float]:  # fmt: skip
    nan = float("nan")
    figures = {name: nan for name, _ in FIGURES}
    if ours:
        load: Load = ours["load"]
        figures.update(
            turn_p50_ms=percentile(load.latencies_ms, 50),
            p95_ms=percentile(load.latencies_ms, 95),
            throughput_tps=load.throughput,
            errors=sum(load.errors.values()),
            lost_events=ours["events"]["lost"],
            rasa_rss_mb=ours["rasa_rss_mb"],
            actions_rss_mb=ours["actions_rss_mb"],
            cold_start_s=ours["cold_start_s"],
        )
    if base:
        figures["baseline_p50_ms"] = percentile(base["load"].latencies_ms, 50)
    figures["turn_p50_ratio"] = figures["turn_p50_ms"] / figures["baseline_p50_ms"]
    figures["train_s"] = nan if train_s is None else train_s
    figures["finetune_s"] = nan if finetune_s is None else finetune_s
    return figures


def figures_line(figures: dict[str, float]) -> str:
    return " ".join(f"{name}={fmt.format(figures[name])}" for name, fmt in FIGURES)


def verdict(value: float, comparison: str, threshold: float) -> str:
    """Whether a target is met, or by how much it is missed."""
    met = value <= threshold if comparison == "<=" else value >= threshold
    if met:
        return "met"
    if threshold == 0:
        return f"missed ({value:g})"
    factor = value / threshold if comparison == "<=" else threshold / value
    return f"missed by {abs(value - threshold):.4g} ({factor:.2f}×)"


def machine(load_at_start: tuple[float, float, float]) -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace").splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo
                  if line.startswith("model name")), platform.processor() or "unknown")  # fmt: skip
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    return {
        "cpus": str(os.cpu_count()),
        "cpu_model": model,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        # Other work on the machine moves latency and throughput; say how much there was.
        "load": "load average (1, 5, 15 min) {} at the start, {} at the end".format(
            *(", ".join(f"{x:.2f}" for x in load) for load in (load_at_start, os.getloadavg()))
        ),
    }


def load_rows(label: str, load: Load) -> str:
    return (
        f"| {label} | {load.turns} | {load.conversations} ({load.finished} to the end) | "
        f"{load.wall_s:.1f} | {percentile(load.latencies_ms, 50):.0f} | "
        f"{percentile(load.latencies_ms, 95):.0f} | {percentile(load.latencies_ms, 99):.0f} | "
        f"{load.throughput:.1f} | {sum(load.errors.values())} |"
    )


def render_doc(figures: dict[str, float], ours: dict[str, Any], base: dict[str, Any],
               args: argparse.Namespace, host: dict[str, str]) -> str:  # fmt: skip
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    targets = "\n".join(
        f"| `{name}` | {comparison} {threshold:g} | {figures[name]:.4g} | "
        f"{verdict(figures[name], comparison, threshold)} |"
        for name, comparison, threshold in TARGETS
    )
    errors = ", ".join(f"{kind} {n}" for kind, n in ours["load"].errors.items()) or "none"
    ours_actions, base_actions = ours["events"]["per_message"], base["events"]["per_message"]
    return f"""# Benchmarks

Measured by `make bench` (scripts/bench.py, which says exactly how each figure is
taken) on {date}. Reproduce with:

```sh
make bench
```

## Machine

{host["cpus"]} CPUs ({host["cpu_model"]}), {host["ram"]} RAM, {host["os"]},
Python {host["python"]}. The load generator runs on the same machine and shares its
CPUs with the servers. During the run: {host["load"]}.

## Figures

```
{figures_line(figures)}
```

| target (issue 6) | wanted | measured | |
| --- | --- | --- | --- |
{targets}

## Load

{args.workers} simulated patients at once, each holding one conversation after another
through the REST webhook, until {args.turns} turns are sent or {args.seconds} s have
passed. Our patients describe back pain in free text, answer the interview's questions
in typed words, ask a question from the article mid-interview or correct a fact after
the outcome; the starter bot's patients greet it and answer its mood questions. Both
servers keep conversations in a SQLite tracker store and run without rate limits; ours
calls the real action server.

| server | turns | conversations | wall s | p50 ms | p95 ms | p99 ms | turns/s | errors |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{load_rows("ours", ours["load"])}
{load_rows("starter bot (`rasa init`)", base["load"])}
{load_rows("ours, 1 patient (warm-up)", ours["warm_up"])}
{load_rows("starter bot, 1 patient (warm-up)", base["warm_up"])}

- Errors of ours, by kind: {errors}. An error is a turn without a 200 response within
  60 s, an empty reply, the fail-safe reply (the server's "cannot answer" texts, or a
  text with 999 and the clinic's phone number where the interview should have moved
  on), or a turn that carried neither an interview question nor an outcome.
- Trackers after the load (user messages sent compared with those stored, read through
  the HTTP API): lost {ours["events"]["lost"]}, doubled {ours["events"]["doubled"]},
  conversations out of order {ours["events"]["out_of_order"]}. The starter bot's: lost
  {base["events"]["lost"]}, doubled {base["events"]["doubled"]}.
- Actions run per user message (listening left out; from the trackers): ours
  {ours_actions["actions"]:.1f}, of which {ours_actions["responses"]:.1f} responses and the
  rest actions with code (custom actions on the action server, the form, slot
  extraction); the starter bot {base_actions["actions"]:.1f}, of which
  {base_actions["responses"]:.1f} responses. The starter bot answered
  {base["load"].empty_replies} of its {base["load"].turns} messages with nothing (its
  policies predicted listening), which is not counted as an error.
- CPU time per turn during the load (user and system time of each server's processes,
  which depends far less than latency on what else the machine runs): our Rasa server
  {ours["rasa_cpu_ms"]:.1f} ms and action server {ours["actions_cpu_ms"]:.1f} ms; the
  starter bot's Rasa server {base["cpu_ms"]:.1f} ms.

## Resources

- Peak RSS (VmHWM over each server's process group, after the load): Rasa server
  {figures["rasa_rss_mb"]:.0f} MB, action server {figures["actions_rss_mb"]:.0f} MB;
  the starter bot's Rasa server {base["rss_mb"]:.0f} MB.
- Cold start, from starting the processes to the Rasa server's first answer:
  {figures["cold_start_s"]:.1f} s (the starter bot: {base["cold_start_s"]:.1f} s).
- Full training (`rasa train --force`, empty cache): {figures["train_s"]:.1f} s.
- Fine-tuning (`rasa train --finetune models/clinic.tar.gz --epoch-fraction 0.5`):
  {figures["finetune_s"]:.1f} s.

Where a turn's time goes, and what was done about it: docs/profile.md
(scripts/profile_load.py).
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=12, help="concurrent patients (12)")
    parser.add_argument("--turns", type=int, default=400, help="turns per load at most (400)")
    parser.add_argument("--seconds", type=float, default=120, help="seconds per load at most")
    parser.add_argument("--write-doc", action="store_true", help="(re)write docs/benchmarks.md")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--skip-training", action="store_true", help="no full training nor fine-tuning"
    )
    parser.add_argument(
        "--baseline-dir", type=Path, help="keep the starter bot here and reuse it next time"
    )
    args = parser.parse_args(argv)
    if args.write_doc and (args.skip_training or args.baseline_dir):
        parser.error("--write-doc needs a full run (no --skip-training, no --baseline-dir)")
    return args


def run_stage(name: str, failures: list[str], stage: Callable[[], Any]) -> Any:
    log(f"--- {name}")
    try:
        return stage()
    except Exception as error:  # one failed stage must not hide the others' figures
        log(f"{name} failed: {error}")
        failures.append(name)
        return None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_at_start = os.getloadavg()
    if not MODEL.exists():
        log(f"no trained model at {MODEL}: run `make model` first")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    log(f"working in {tmp}")
    failures: list[str] = []
    try:
        project = run_stage(
            "starter bot: rasa init", failures, lambda: init_baseline(tmp, args.baseline_dir)
        )
        ours = run_stage("our servers", failures, lambda: bench_ours(args, tmp))
        base = None
        if project:
            base = run_stage("starter bot servers", failures, lambda: bench_baseline(args, project))
        train_s = finetune_s = None
        if not args.skip_training:
            train_s = run_stage("full training", failures, lambda: train_full(tmp))
            finetune_s = run_stage("fine-tuning", failures, lambda: finetune(tmp))
    finally:
        if args.keep_tmp:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    figures = figures_of(ours, base, train_s, finetune_s)
    if failures:
        log(f"stages that could not run: {', '.join(failures)}")
    elif args.write_doc:
        DOC.write_text(render_doc(figures, ours, base, args, machine(load_at_start)))
        log(f"wrote {DOC.relative_to(ROOT)}")
    print(figures_line(figures), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
