"""Two huge photos against face matching: server CPU, peak memory, and how long a wanted face
is missed (issue 15, item 2).

What it does
    A node in a temporary home (embedded SQLite) is migrated, given two officers and their
    tokens, and the astronaut's portrait (scikit-image, 800×800) is enrolled in the
    ``wanted`` face gallery (``passerelle face enrol``). ``passerelle serve`` starts on
    loopback. The wanted traveller (that portrait as the live photo) is inspected until
    the answer is a ``hit`` (the face model loaded), before the attack.

    The attack: officer two sends ``--photos`` (2) inspections at once, each with a
    ``--side``×``--side`` (6000) PNG of one colour as the document and the live photo (118 KB
    to send, 36 MP to decode). From that moment officer one sends the wanted traveller
    every ``--probe-every`` seconds (3: the node's default photo rate, 20 a minute) and
    the decision of each is recorded, until the attack's requests are answered, the
    server's CPU is quiet again (under 0.6 CPU over the last probe's interval) and three
    probes in a row are ``hit``; or ``--max-seconds`` (150) have passed.

Figures
    - the attack's answers (status and decision) and how long each took;
    - **missed**: the probes answered other than ``hit``, and the seconds from the attack
      until the wanted face was a hit again (0 when the first probe was);
    - **server CPU seconds** spent from the attack until the last probe (the server quiet
      again, or ``--max-seconds``), the probes' own included: the server process and every
      process it started (the face workers; a killed one's CPU is counted through its
      parent);
    - **peak RSS**: the largest resident memory of the server process, and the sum of the
      peaks of every process of the server (an upper bound of its total).

    Run it on a checkout before the change and after (``PYTHONPATH=<checkout>/src``: the
    ``passerelle`` command then runs that code) on the same machine.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from passerelle.server.ports import free_port as _free_port


def _mrz() -> str:
    """A Moroccan passport's MRZ with every check digit right (the wanted traveller's)."""
    from passerelle.documents import MrzFormat
    from passerelle.documents.compose import compose_mrz

    return compose_mrz(
        MrzFormat.TD3,
        document_number="ZX9876543",
        birth_date="900421",
        expiry_date="310714",
        surname="LAMRANI",
        given_names="SALMA",
        issuing_state="MAR",
        sex="F",
    )


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    command = [str(Path(sys.executable).with_name("passerelle")), *args]
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"passerelle {' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return done.stdout


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
            except (OSError, IndexError):
                continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def _cpu_seconds(pid: int) -> float:
    """CPU of the server's processes, those it reaped included (utime+stime+cutime+cstime)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for member in _tree(pid):
        try:
            fields = _stat(member)
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15]) / tick
    return total


def _peak_rss_mib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


class MemoryWatch(threading.Thread):
    """Samples the peak RSS of every process of the server every 0.1 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peaks, self.stop = pid, dict[int, int](), threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.1):
            for member in _tree(self.pid):
                try:
                    self.peaks[member] = max(self.peaks.get(member, 0), _peak_rss_mib(member))
                except OSError:
                    continue


def _post(port: int, token: str, body: dict[str, Any], timeout: float = 300.0) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST",
            "/api/v1/inspections",
            body=json.dumps(body),
            headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
        )
        answer = connection.getresponse()
        payload = answer.read()
    finally:
        connection.close()
    decision = ""
    if answer.status == 201:
        decision = json.loads(payload)["decision"]
    return answer.status, decision


def _inspection(**photos: str) -> dict[str, Any]:
    return {
        "mrz": _mrz(),
        "purpose": "border control",
        "crossing_point": "TNG-MED",
        "direction": "entry",
        **photos,
    }


def _encoded(image: Any, kind: str) -> str:
    out = io.BytesIO()
    image.save(out, format=kind)
    return base64.b64encode(out.getvalue()).decode()


def measure(args: argparse.Namespace, home: Path) -> dict[str, Any]:
    from PIL import Image
    from skimage import data

    env = {**os.environ, "PASSERELLE_HOME": str(home), "PASSERELLE_NODE": "MAR"}
    env.pop("PASSERELLE_DATABASE_URL", None)
    _cli(env, "db", "upgrade")
    _cli(env, "keys", "init")
    tokens = {}
    for name in ("officer.one", "officer.two"):
        _cli(env, "user", "add", name, "--role", "officer", stdin="Bench-" + os.urandom(8).hex())
        tokens[name] = _cli(env, "token", "issue", name, "--days", "1").strip().split()[-1]
    portrait = Image.fromarray(data.astronaut()).resize((800, 800), Image.LANCZOS)
    portrait_file = home / "wanted.jpg"
    portrait.save(portrait_file, format="JPEG", quality=92)
    _cli(env, "face", "enrol", "wanted", "MAR-W-0001", str(portrait_file))
    wanted = base64.b64encode(portrait_file.read_bytes()).decode()
    huge = _encoded(Image.new("RGB", (args.side, args.side), (120, 130, 140)), "PNG")

    port = _free_port()
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("passerelle")), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while b"Application startup complete" not in (home / "server.log").read_bytes():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((home / "server.log").read_text()[-3000:])
            time.sleep(0.1)
        warm_since = time.monotonic()
        while True:  # until the wanted traveller is a hit (the face model loaded)
            first = _post(port, tokens["officer.one"], _inspection(live_photo=wanted))
            if first[1] == "hit" or time.monotonic() - warm_since > 60:
                break
            time.sleep(1.0)
        warm_s = round(time.monotonic() - warm_since, 1)
        time.sleep(2.0)
        watch = MemoryWatch(server.pid)
        watch.start()
        cpu_before = _cpu_seconds(server.pid)
        attack: list[dict[str, Any]] = []

        def send_huge() -> None:
            started = time.monotonic()
            status, decision = _post(
                port, tokens["officer.two"], _inspection(document_photo=huge, live_photo=huge)
            )
            attack.append(
                {"status": status, "decision": decision, "s": round(time.monotonic() - started, 2)}
            )

        started = time.monotonic()
        senders = [threading.Thread(target=send_huge) for _ in range(args.photos)]
        for sender in senders:
            sender.start()
        time.sleep(0.2)  # the huge photos are in
        probes: list[dict[str, Any]] = []
        cpu_then = _cpu_seconds(server.pid)
        while time.monotonic() - started < args.max_seconds:
            sent = time.monotonic()
            status, decision = _post(port, tokens["officer.one"], _inspection(live_photo=wanted))
            time.sleep(max(0.0, args.probe_every - (time.monotonic() - sent)))
            cpu_now = _cpu_seconds(server.pid)
            busy = (cpu_now - cpu_then) / (time.monotonic() - sent)
            cpu_then = cpu_now
            probes.append(
                {
                    "at_s": round(sent - started, 2),
                    "status": status,
                    "decision": decision,
                    "server_cpus_busy": round(busy, 2),
                }
            )
            attack_done = not any(sender.is_alive() for sender in senders)
            if attack_done and busy < 0.6 and [p["decision"] for p in probes[-3:]] == ["hit"] * 3:
                break
        for sender in senders:
            sender.join()
        cpu = _cpu_seconds(server.pid) - cpu_before
        idle_after_s = probes[-1]["at_s"] if probes else None
        watch.stop.set()
        watch.join()
        missed = [p for p in probes if p["decision"] != "hit"]
        first_hit = next((p for p in probes if p["decision"] == "hit"), None)
        back_at = None
        for index, probe in enumerate(probes):
            if all(p["decision"] == "hit" for p in probes[index:]):
                back_at = probe["at_s"]
                break
        return {
            "side": args.side,
            "photo_bytes": len(base64.b64decode(huge)),
            "first_inspection": {"status": first[0], "decision": first[1], "after_s": warm_s},
            "attack": attack,
            "probes": probes,
            "missed": len(missed),
            "hit_again_after_s": back_at,
            "first_hit_at_s": first_hit["at_s"] if first_hit else None,
            "server_cpu_s": round(cpu, 1),
            "server_idle_again_after_s": idle_after_s,
            "peak_rss_mib_server": watch.peaks.get(server.pid, 0),
            "peak_rss_mib_all_processes": sum(watch.peaks.values()),
        }
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", type=int, default=6000, help="Side of the huge PNGs.")
    parser.add_argument("--photos", type=int, default=2, help="Huge photo requests at once.")
    parser.add_argument(
        "--probe-every", type=float, default=3.0, help="Seconds between probes (20 a minute)."
    )
    parser.add_argument("--max-seconds", type=float, default=150.0, help="Longest run.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="photo-flood-") as folder:
        result = measure(args, Path(folder))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"attack: {args.photos} × {args.side}×{args.side} PNG ({result['photo_bytes']:,} bytes)")
    for answer in result["attack"]:
        print(f"  answered {answer['status']} {answer['decision'] or '-'} in {answer['s']} s")
    first = result["first_inspection"]
    print(f"wanted traveller before the attack: {first['decision']} ({first['after_s']} s)")
    decisions = " ".join(f"{p['at_s']:g}s:{p['decision'] or p['status']}" for p in result["probes"])
    print(f"wanted traveller during the attack: {decisions}")
    print(f"  missed (not hit): {result['missed']}; hit again from {result['hit_again_after_s']} s")
    print(
        f"server CPU: {result['server_cpu_s']} s "
        f"(quiet again {result['server_idle_again_after_s']} s after the attack)"
    )
    print(
        f"peak RSS: server {result['peak_rss_mib_server']} MiB, "
        f"all its processes {result['peak_rss_mib_all_processes']} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
