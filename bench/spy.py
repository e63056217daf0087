"""Sampling the servers a bench drives with py-spy, and reading the samples back.

``record(pids, folder, name, seconds)`` starts one ``py-spy record`` per process (the
uvicorn workers: separate processes, so one recorder each) for ``seconds``, writing
collapsed stacks (``--format raw``: one line per distinct stack, ``frame;frame;...
count``) that flame-graph tools read; ``--nonblocking``, so the sampled process is
never paused (its CPU figures stay its own; a few samples may be torn).

``summarize(paths)`` reads those files and gives the functions with the largest share
of the samples: *own* (the function was on top of the stack: it was running) and
*total* (it was anywhere on the stack, counted once per sample). Without pausing the
process py-spy cannot tell a waiting thread from a running one, so samples whose top
frame is a known wait (``IDLE``: the event loop's ``select``, a thread pool's queue,
a condition) are left out: the shares are of the time spent working, as the bench's
"CPU per inspection" is (the driver's own work in C, SQLite's or libpq's, counts as
working; a wait inside it does too).

py-spy is a dev tool (``pip install py-spy``, in pyproject's dev extra); it needs the
right to ptrace the processes (root, or ``kernel.yama.ptrace_scope`` 0).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["available", "print_summary", "record", "summarize"]

IDLE = frozenset(
    {
        "EpollSelector.select (selectors.py)",
        "Condition.wait (threading.py)",
        "Event.wait (threading.py)",
        "_worker (concurrent/futures/thread.py)",
        "Connection._recv (multiprocessing/connection.py)",
        "Queue.get (queue.py)",
        "Thread.join (threading.py)",
        "sleep (time)",
    }
)
"""Top frames of threads waiting for work, not doing it."""

_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def available() -> bool:
    """Whether py-spy is installed (beside this Python, or on PATH)."""
    return _py_spy() is not None


def record(
    pids: Sequence[int], folder: Path, name: str, seconds: float, *, rate: int = 97
) -> list[tuple[subprocess.Popen[bytes], Path]]:
    """Start one recorder per process; each ends by itself after ``seconds``."""
    spy = _py_spy()
    if spy is None:
        raise RuntimeError("py-spy is not installed: pip install py-spy")
    started = []
    for pid in pids:
        out = folder / f"{name}-{pid}.txt"
        command = [spy, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds)))]
        command += ["--rate", str(rate), "--format", "raw", "--nonblocking", "-o", str(out)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append((process, out))
    return started


def wait(recorders: Sequence[tuple[subprocess.Popen[bytes], Path]]) -> list[Path]:
    """Wait for the recorders; the files they wrote (a failing one is skipped)."""
    written = []
    for process, out in recorders:
        _, err = process.communicate()
        if process.returncode == 0 and out.exists():
            written.append(out)
        else:
            print(f"py-spy failed ({process.returncode}): {err.decode()[-500:]}", file=sys.stderr)
    return written


def _function(frame: str) -> str:
    """``name (path/to/module.py:123)`` → ``name (module.py)``; other frames as they are."""
    found = _FRAME.match(frame)
    if found is None:
        return frame
    file = found.group("file")
    for marker in ("site-packages/", "/src/", "python3."):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{found.group('function')} ({file})"


def summarize(paths: Sequence[Path], *, top: int = 25) -> dict[str, Any]:
    """The functions with the largest share of the samples, own and total, over ``paths``."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for path in paths:
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not stack or not count_text.isdigit():
                continue
            count = int(count_text)
            frames = [
                _function(f) for f in stack.split(";") if not f.startswith(("process ", "thread "))
            ]
            if not frames or frames[-1] in IDLE:
                continue
            samples += count
            own[frames[-1]] += count
            for function in set(frames):
                total[function] += count

    def shares(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(f, round(100 * n / samples, 1)) for f, n in counter.most_common(top)]

    return {"samples": samples, "own": shares(own), "total": shares(total)} if samples else {}


def print_summary(summary: dict[str, Any], *, title: str) -> None:
    """The summary as two short tables."""
    if not summary:
        print(f"  {title}: no samples")
        return
    print(f"  {title}: {summary['samples']:,} samples (CPU time of the workers)")
    for kind in ("own", "total"):
        print(f"    by {kind} share:")
        for function, share in summary[kind]:
            print(f"      {share:5.1f} %  {function}")
