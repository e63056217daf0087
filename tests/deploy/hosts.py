"""A node's hosts as an operator runs them: the ``passerelle`` command, ``passerelle serve``
processes with their own HOME, HAProxy with the shipped ``deploy/haproxy/passerelle.cfg``.

Every process here is real: the CLI and the servers run from the same interpreter
as the tests (``PYTHONPATH`` carries the source tree), against a real PostgreSQL
database; HAProxy is Debian's binary. A helper never mocks a component.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner, Result

from passerelle.cli import app
from passerelle.server.ports import free_port

REPOSITORY = Path(__file__).resolve().parents[2]
HAPROXY_CONFIG = REPOSITORY / "deploy" / "haproxy" / "passerelle.cfg"
OFFICER = "officer.multi"
PASSWORD = "border crossing at dawn"
NODE_STATE = "MAR"


def haproxy_binary() -> str | None:
    """Debian's ``haproxy`` (``/usr/sbin`` is not always on a user's PATH)."""
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")


def host_environment(home: Path, database_url: str) -> dict[str, str]:
    """The environment of one host: its HOME, the node's database, nothing else of ours."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PASSERELLE_")}
    return env | {
        "PASSERELLE_HOME": str(home),
        "PASSERELLE_DATABASE_URL": database_url,
        "PASSERELLE_NODE": NODE_STATE,
        "PYTHONUNBUFFERED": "1",
    }


def passerelle(
    env: dict[str, str], *args: str, stdin: str | None = None, check: bool = True
) -> Result:
    """Run ``passerelle ARGS`` as an operator would, in ``env``: the real command, in this
    process (``CliRunner``: a command's start costs seconds of imports on a loaded
    machine; the servers are processes of their own)."""
    overrides: dict[str, str | None] = {k: None for k in os.environ if k.startswith("PASSERELLE_")}
    overrides |= {k: v for k, v in env.items() if k.startswith("PASSERELLE_")}
    done = CliRunner().invoke(app, list(args), input=stdin, env=overrides)
    if check and done.exit_code != 0:
        raise AssertionError(f"passerelle {' '.join(args)}: exit {done.exit_code}\n{done.output}")
    return done


def set_up_first_host(env: dict[str, str]) -> str:
    """The node's first host: its keys and schema, an officer and their bearer token."""
    passerelle(env, "node", "init", "--state", NODE_STATE)
    passerelle(env, "db", "upgrade")
    passerelle(env, "keys", "init")
    passerelle(env, "user", "add", OFFICER, "--role", "officer", stdin=PASSWORD + "\n")
    return passerelle(env, "token", "issue", OFFICER, "--days", "1").stdout.strip().splitlines()[-1]


def provision_keys(first_home: Path, other_home: Path) -> None:
    """Give another host the node's keys as an operator does: a copy of the first host's
    key folder (``HOME/keys``: audit and biometric keys, signing identity) in its HOME
    (a host that made its own would be refused: ``passerelle.keyring``)."""
    shutil.copytree(first_home / "keys", other_home / "keys")
    os.chmod(other_home, 0o700)


class ServeHost:
    """``passerelle serve`` on a loopback port: its own process group, its log in a file."""

    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.name, self.port, self.log = name, free_port(), log
        self._output = log.open("wb")
        command = [str(Path(sys.executable).with_name("passerelle")), "serve"]
        self.process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def wait_healthy(self, timeout_s: float = 120) -> None:
        """Until ``GET /healthz`` answers 200 (the app started, the database reached)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"http://{self.address}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} not healthy:\n{self.log.read_text()[-3000:]}")

    def freeze(self) -> None:
        """SIGSTOP: the host hangs, holding the requests it was given and any sent to it."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def kill(self) -> None:
        """SIGKILL, as a machine that dies: no request finished, no connection closed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._output.close()


@contextmanager
def serving(name: str, env: dict[str, str], folder: Path) -> Iterator[ServeHost]:
    host = ServeHost(name, env, folder / f"{name}.log")
    try:
        yield host
    finally:
        host.stop()


def self_signed_bundle(folder: Path) -> Path:
    """A certificate for 127.0.0.1 and its key in one PEM file, as HAProxy's ``crt`` takes."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "passerelle.test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    bundle = folder / "balancer.pem"
    bundle.write_bytes(
        certificate.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return bundle


class Balancer:
    """HAProxy on loopback: its HTTPS base URL and a TLS context that trusts it."""

    def __init__(self, url: str, certificate: Path) -> None:
        self.url = url
        self.tls = ssl.create_default_context(cafile=str(certificate))

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            verify=self.tls,
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        )


@contextmanager
def balancer(hosts: list[ServeHost], folder: Path) -> Iterator[Balancer]:
    """HAProxy with the shipped config in front of ``hosts`` (two).

    The shipped file holds the defaults, frontend and backend; Debian's ``haproxy.cfg``
    gives the ``global`` section, here a test's own (logs to stdout, no chroot)."""
    binary = haproxy_binary()
    assert binary is not None, "haproxy is not installed"
    port = free_port()
    certificate = self_signed_bundle(folder)
    glob = folder / "global.cfg"
    glob.write_text("global\n    log stdout format raw local0\n", "utf-8")
    env = dict(os.environ) | {
        "PASSERELLE_LB_BIND": f"127.0.0.1:{port}",
        "PASSERELLE_LB_CERT": str(certificate),
        "PASSERELLE_API1": hosts[0].address,
        "PASSERELLE_API2": hosts[1].address,
    }
    log = (folder / "haproxy.log").open("wb")
    process = subprocess.Popen(
        [binary, "-db", "-f", str(glob), "-f", str(HAPROXY_CONFIG)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    front = Balancer(f"https://127.0.0.1:{port}", certificate)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError((folder / "haproxy.log").read_text()[-3000:])
            try:
                answer = httpx.get(f"{front.url}/healthz", verify=front.tls, timeout=2)
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError((folder / "haproxy.log").read_text()[-3000:])
            time.sleep(0.2)
        yield front
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
        log.close()
