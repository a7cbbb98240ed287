"""Where a turn's time goes: py-spy on our servers under the bench's load.

    .venv/bin/uv pip install --python .venv/bin/python py-spy   # once; a tool, not locked
    .venv/bin/python scripts/profile_load.py [--workers 12] [--turns 240] [--out DIR]

Starts the action server and the Rasa server as ``make bench`` does (scripts/bench.py:
the trained model, SQLite tracker store, no rate limits), warms up with one patient,
then records both processes with ``py-spy record --format raw`` (collapsed stacks in
DIR) while ``--workers`` patients send ``--turns`` turns. Prints each server's CPU time
per turn and the share of samples per part of a turn: each sample counts for the first
part, in the order below, that one of its frames belongs to. Samples include time
blocked in system calls (disk syncs, for instance), which also holds up the server's
one event loop; the event loop's own part (uvloop, in C) includes some waiting that
py-spy cannot tell from work, so the CPU time per turn is the figure to compare.
Loopback only, bounded in turns and time.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "scripts"):
    if str(path) not in sys.path:  # run directly, without the Makefile's PYTHONPATH
        sys.path.insert(0, str(path))

import bench  # noqa: E402

from tests.integration.servers import BIN, Servers  # noqa: E402

# (part, frame substrings): the first part with a matching frame takes the sample.
RASA_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("action server: HTTP call", ("request (rasa/utils/endpoints.py",)),
    ("action server: tracker as JSON", ("_action_call_format (rasa/core/actions/action.py",)),
    ("action server: response check", ("_validate_action_result (",)),
    ("tracker store: read", ("fetch_tracker_and_update_session (rasa/core/processor.py",)),
    ("tracker store: write", ("save_tracker (rasa/core/processor.py",)),
    ("NLU: DIET and ResponseSelector", ("rasa/nlu/classifiers/diet_classifier.py",)),
    ("NLU: featurizers", ("rasa/nlu/featurizers/",)),
    ("NLU: clinical extractor", ("nlu/components.py", "nlu/extractor.py", "nlu/durations.py")),
    ("NLU: other", ("parse_message (rasa/core/processor.py",)),
    ("policies", ("_predict_next_with_tracker (rasa/core/processor.py",)),
    ("slot extraction, form: other", ("run_action_extract_slots (", "rasa/core/actions/forms.py")),
    ("actions: other (tracker copies, events)", ("_run_action (rasa/core/processor.py",)),
    ("message handling: other", ("handle_message (rasa/core/processor.py",)),
    ("HTTP server, channel, event loop", ("",)),
)
ACTION_SERVER_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("our actions (actions/, clinic/)", ("(actions/", "(clinic/")),
    ("JSON", ("json/", "ujson")),
    ("rasa_sdk: the rest of a call", ("webhook (rasa_sdk/endpoint.py",)),
    ("HTTP server, event loop", ("",)),
)


def breakdown(raw: Path, parts: tuple[tuple[str, tuple[str, ...]], ...]) -> Counter[str]:
    """Samples per part from py-spy's raw output (``frame;frame;... count`` per line)."""
    samples: Counter[str] = Counter()
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        part = next(name for name, marks in parts if any(mark in stack for mark in marks))
        samples[part] += int(count)
    return samples


def report(title: str, cpu_ms: float, samples: Counter[str]) -> None:
    total = sum(samples.values()) or 1
    print(f"{title}: {cpu_ms:.1f} ms CPU per turn, {total} samples")
    for part, count in samples.most_common():
        print(f"  {count / total * 100:5.1f}%  {part}")


def spy(pid: int, out: Path) -> subprocess.Popen:
    command = [str(BIN / "py-spy"), "record", "--pid", str(pid), "--format", "raw",
               "--rate", "200", "--nonblocking", "--output", str(out)]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=12, help="concurrent patients (12)")
    parser.add_argument("--turns", type=int, default=240, help="turns in the load (240)")
    parser.add_argument("--out", type=Path, help="where py-spy's stacks go (a temporary folder)")
    args = parser.parse_args(argv)
    if not (BIN / "py-spy").exists():
        print("py-spy is not installed: see the first lines of this script", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="clinic-profile-"))
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="clinic-profile-servers-"))
    servers = Servers(work, **bench.BENCH_ENV)
    load_bounds = argparse.Namespace(workers=args.workers, turns=args.turns, seconds=300)
    try:
        servers.start()
        servers.send("profile-warm-up", "hello")
        asyncio.run(
            bench.run_load(
                servers.url, bench.clinic_dialogues(), bench.warm_up(load_bounds), "warm"
            )
        )
        processes = {"rasa": servers.rasa, "actions": servers.actions}
        spies = [spy(p.popen.pid, out / f"{name}.txt") for name, p in processes.items() if p.popen]
        time.sleep(2)  # py-spy attaches
        _, cpu = bench.cpu_ms_per_turn(
            list(processes.values()),
            lambda: asyncio.run(
                bench.run_load(servers.url, bench.clinic_dialogues(), load_bounds, "load")
            ),
        )
        for process in spies:
            process.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            process.wait(timeout=60)
    finally:
        servers.stop()
        shutil.rmtree(work, ignore_errors=True)
    report("Rasa server", cpu[0], breakdown(out / "rasa.txt", RASA_PARTS))
    report("action server", cpu[1], breakdown(out / "actions.txt", ACTION_SERVER_PARTS))
    print(f"stacks in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
