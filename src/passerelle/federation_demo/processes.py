"""Running ``passerelle`` as an operator does: one-off commands, and each node's two servers.

:func:`run_passerelle` runs one command to its end (``node init``, ``peer add``,
``sltd load`` ...) and raises :class:`StepFailed` with its output when it
fails. :class:`ServedProcess` is one long-running server of a node
(``passerelle serve`` or ``passerelle federation serve``): started with
:func:`subprocess.Popen` in a session of its own, its output written to a log
file in the node's home, waited for until it answers, and stopped with
SIGTERM (then SIGKILL after a grace period). :class:`DemoNode` is one demo
node: its home, its two loopback ports and its two servers. Nothing here
kills a process it did not start.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Protocol

from passerelle.documents.states import state_name
from passerelle.exc import PasserelleError
from passerelle.federation.protocol.identity import NodeIdentity, load_identity
from passerelle.federation.protocol.tls import TlsFiles, client_ssl_context
from passerelle.server.ports import free_port

__all__ = [
    "NODE_SETTINGS",
    "CommandRunner",
    "DemoNode",
    "ServedProcess",
    "StepFailed",
    "cpu_seconds",
    "node_environment",
    "passerelle_command",
    "resident_bytes",
    "run_passerelle",
]

STOP_GRACE_S = 15.0
"""Seconds a server is given to stop after SIGTERM before it is killed."""


class StepFailed(PasserelleError):
    """A demo step could not be carried out (a command failed, a server did not start)."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step, self.reason = step, reason


class CommandRunner(Protocol):
    """Runs ``passerelle ARGS`` as a node (its environment), to the end; its standard output.

    Raises :class:`StepFailed` when the command fails. :func:`run_passerelle` runs the
    console script as a process, as an operator does.
    """

    def __call__(
        self, args: Sequence[str], env: Mapping[str, str], *, stdin: str | None = None
    ) -> str: ...


def passerelle_command() -> list[str]:
    """The ``passerelle`` console script beside this interpreter (else the interpreter itself)."""
    script = Path(sys.executable).parent / "passerelle"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from passerelle.cli import main; main()"]


def node_environment(
    home: Path, state: str, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a command acting as one node: this process's, less any other
    ``PASSERELLE_*`` setting, with the node's home and state (and ``extra``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PASSERELLE_")}
    return env | {"PASSERELLE_HOME": str(home), "PASSERELLE_NODE": state, **(extra or {})}


def run_passerelle(
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    stdin: str | None = None,
    timeout: float = 180.0,
) -> str:
    """Run ``passerelle ARGS`` to its end and return its standard output.

    Raises :class:`StepFailed` naming the command, with the end of its error
    output, when it exits with another status than 0 or runs past ``timeout``.
    """
    step = "passerelle " + " ".join(args)
    try:
        done = subprocess.run(
            [*passerelle_command(), *args],
            env=dict(env),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise StepFailed(step, f"no answer within {timeout:g} s") from exc
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()[-1500:]
        raise StepFailed(step, f"exit {done.returncode}: {said}")
    return done.stdout


class ServedProcess:
    """One server of a node, run as its own process (``passerelle serve`` or
    ``passerelle federation serve``), with its output in ``log``.

    ``ready`` says whether it answers (an HTTP response or a TLS handshake on
    its port); :meth:`start` waits for that, :meth:`stop` ends it.
    """

    def __init__(
        self,
        name: str,
        args: Sequence[str],
        env: Mapping[str, str],
        log: Path,
        ready: Callable[[], bool],
    ) -> None:
        self.name = name
        self.args = list(args)
        self.env = dict(env)
        self.log = log
        self.ready = ready
        self._process: subprocess.Popen[bytes] | None = None
        self._output: IO[bytes] | None = None
        self.paused = False

    @property
    def running(self) -> bool:
        """Whether the process was started and has not exited."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def spawn(self) -> None:
        """Start the process (not waiting for it to answer); nothing if it runs already."""
        if self.running:
            return
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._output = self.log.open("ab")
        self._process = subprocess.Popen(
            [*passerelle_command(), *self.args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in a terminal reaches the orchestrator only
        )

    def wait_ready(self, *, timeout: float = 90.0) -> None:
        """Wait until the server answers; :class:`StepFailed` if it exits or stays silent."""
        deadline = time.monotonic() + timeout
        while True:
            process = self._process
            if process is None or process.poll() is not None:
                code = None if process is None else process.returncode
                raise StepFailed(self.name, f"exited ({code}) before answering: {self.log_tail()}")
            if self.ready():
                return
            if time.monotonic() > deadline:
                raise StepFailed(self.name, f"did not answer within {timeout:g} s")
            time.sleep(0.1)

    def terminate(self) -> None:
        """Ask the process to stop (SIGTERM; SIGCONT first if paused), without waiting."""
        if self.running:
            assert self._process is not None
            self.resume()
            self._process.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """End the process at once (SIGKILL), as a crash would, and reap it."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait(STOP_GRACE_S)
        self.paused = False
        if self._output is not None:
            self._output.close()
            self._output = None

    def pause(self) -> None:
        """Freeze the process (SIGSTOP): its kernel still accepts connections, it never
        answers (a hung node)."""
        if self.running and not self.paused:
            assert self._process is not None
            self._process.send_signal(signal.SIGSTOP)
            self.paused = True

    def resume(self) -> None:
        """Let a paused process run again (SIGCONT)."""
        if self.running and self.paused:
            assert self._process is not None
            self._process.send_signal(signal.SIGCONT)
        self.paused = False

    def cpu_seconds(self) -> float | None:
        """CPU time the process has used so far (user and system), None if it does not run."""
        pid = self.pid if self.running else None
        return None if pid is None else cpu_seconds(pid)

    def rss_bytes(self) -> int | None:
        """The process's resident memory now (``VmRSS``), None if it does not run."""
        pid = self.pid if self.running else None
        return None if pid is None else resident_bytes(pid)

    def stop(self, *, grace: float = STOP_GRACE_S) -> int | None:
        """SIGTERM (unless :meth:`terminate` was called), wait up to ``grace`` seconds, then
        SIGKILL; the exit status (None if it was never started)."""
        process, self._process = self._process, None
        if process is None:
            return None
        try:
            if process.poll() is None:
                if self.paused:
                    process.send_signal(signal.SIGCONT)
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(grace)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(grace)
            return process.returncode
        finally:
            self.paused = False
            if self._output is not None:
                self._output.close()
                self._output = None

    def log_tail(self, chars: int = 2000) -> str:
        """The end of the server's output (for a failure message)."""
        try:
            return self.log.read_text("utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no log)"


NODE_SETTINGS = {
    "PASSERELLE_FEDERATION": "on",
    "PASSERELLE_FEDERATION_DEADLINE_MS": "5000",  # three nodes sharing a laptop's cores
    "PASSERELLE_LOAD_PARALLEL": "off",
}
"""What every demo node runs with: federation on, a generous deadline, loads in one process."""


class DemoNode:
    """One node of the demo: its home, its two ports and its two server processes
    (``settings``: the node's ``PASSERELLE_*`` settings, :data:`NODE_SETTINGS` by default)."""

    def __init__(
        self,
        state: str,
        home: Path,
        *,
        deliver_interval: float,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        self.state = state
        self.home = home
        self.api_port = free_port()
        self.federation_port = free_port()
        self.env = node_environment(home, state, NODE_SETTINGS if settings is None else settings)
        self.public_key = ""
        logs = home / "logs"
        self.api = ServedProcess(
            f"{state} passerelle serve",
            ["serve", "--host", "127.0.0.1", "--port", str(self.api_port)],
            self.env,
            logs / "serve.log",
            lambda: answers_http(self.api_port),
        )
        self.federation = ServedProcess(
            f"{state} passerelle federation serve",
            [
                "federation",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.federation_port),
                "--deliver-interval",
                f"{deliver_interval:g}",
            ],
            self.env,
            logs / "federation.log",
            lambda: answers_tls(self.federation_port, client_ssl_context(self.tls)),
        )

    @property
    def name(self) -> str:
        return state_name(self.state) or self.state

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def federation_url(self) -> str:
        return f"https://127.0.0.1:{self.federation_port}"

    @property
    def tls(self) -> TlsFiles:
        return TlsFiles.for_home(self.home)

    @property
    def running(self) -> bool:
        return self.api.running and self.federation.running

    def identity(self) -> NodeIdentity:
        """The node's signing identity, from its home (``HOME/keys``)."""
        return load_identity(self.home / "keys")


def resident_bytes(pid: int) -> int | None:
    """A process's resident set size (``VmRSS`` of ``/proc/PID/status``), None if unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text("ascii", errors="replace")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


def cpu_seconds(pid: int) -> float | None:
    """A process's CPU time (``utime + stime`` of ``/proc/PID/stat``), None if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def answers_http(port: int) -> bool:
    """Whether an HTTP server on the loopback ``port`` answers ``GET /openapi.json``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return connection.recv(12).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def answers_tls(port: int, context: ssl.SSLContext) -> bool:
    """Whether a TLS server on the loopback ``port`` completes a handshake with ``context``."""
    try:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=1) as connection,
            context.wrap_socket(connection, server_hostname="127.0.0.1"),
        ):
            return True
    except (OSError, ssl.SSLError):
        return False
