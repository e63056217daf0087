"""A hub and its members set up with ``passerelle`` commands; the hub runs as its own process.

UNO's hub (``passerelle hub serve``, a separate process) relays MAR's document query
to BEL, which holds a stolen MAR passport (``test_federated_inspection.load_bel``).
Every registration is made by the commands an operator types.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from passerelle.federation import new_federation_ca
from passerelle.federation.hub.asking import HubFanOut
from passerelle.federation.protocol.sealing import load_sealing_key
from passerelle.federation.queries.asking import ExchangeAsker, document_question
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation_demo.processes import StepFailed
from passerelle.server.ports import free_port
from tests.federation.nodes import (
    FederatedNode,
    home_env,
    listening,
    make_home_node,
    run_in_process,
    serve_partner,
)
from tests.federation.test_federated_inspection import STOLEN_AT_BEL, load_bel

PROGRAM = str(Path(sys.executable).with_name("passerelle"))


def passerelle(node: FederatedNode, *args: str) -> str:
    return run_in_process(args, home_env(node))


def shown(node: FederatedNode) -> dict[str, str]:
    shown: dict[str, str] = json.loads(passerelle(node, "node", "show", "--json"))
    return shown


def _wait_for(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"hub serve exited: {process.communicate()[0]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("hub serve did not listen within 30 s")


def test_a_hub_set_up_by_commands_relays_a_query_as_its_own_process(tmp_path: Path) -> None:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    hub = make_home_node(tmp_path / "uno", ca, "UNO")
    mar = make_home_node(tmp_path / "mar", ca, "MAR")
    bel = make_home_node(tmp_path / "bel", ca, "BEL")
    services = load_bel(bel, tmp_path / "bel")
    hub_port = free_port()
    uno_key, mar_show, bel_show = shown(hub)["public_key"], shown(mar), shown(bel)
    assert mar_show["sealing_key"].startswith("x25519 MAR ")
    try:
        with listening(serve_partner(bel, services), bel.tls) as bel_port:
            for member, show, port in (("MAR", mar_show, 1), ("BEL", bel_show, bel_port)):
                passerelle(
                    hub, "hub", "member", "add", member,
                    "--url", f"https://localhost:{port}", "--key", show["public_key"],
                )  # fmt: skip
            passerelle(hub, "hub", "allow", "MAR", "BEL", "--kinds", "query.document")
            assert json.loads(passerelle(hub, "hub", "matrix", "--json")) == {
                "agreements": [{"from": "MAR", "to": "BEL", "kinds": ["query.document"]}]
            }
            for on in (mar, bel):
                passerelle(
                    on, "peer", "add", "UNO", "--url", f"https://localhost:{hub_port}",
                    "--key", uno_key, "--hub",
                )  # fmt: skip
            with pytest.raises(StepFailed, match="--via needs the partner's --sealing-key"):
                passerelle(
                    mar, "peer", "add", "BEL", "--url", f"https://localhost:{bel_port}",
                    "--key", bel_show["public_key"], "--via", "UNO",
                )  # fmt: skip
            for on, partner, show, port, terms in (
                (mar, "BEL", bel_show, bel_port, ("--outbound", "document", "--via", "UNO")),
                (bel, "MAR", mar_show, 1, ("--inbound", "document")),
            ):
                passerelle(
                    on, "peer", "add", partner, "--url", f"https://localhost:{port}",
                    "--key", show["public_key"], "--sealing-key", show["sealing_key"], *terms,
                )  # fmt: skip
            assert json.loads(passerelle(mar, "peer", "show", "BEL", "--json"))["route"] == (
                "hub:UNO"
            )
            with pytest.raises(StepFailed, match="ESP is not a registered partner"):
                passerelle(mar, "peer", "route", "BEL", "--via", "ESP")
            assert "direct" in passerelle(mar, "peer", "route", "BEL", "--direct")
            assert "through the hub UNO" in passerelle(mar, "peer", "route", "BEL", "--via", "UNO")

            env = {**os.environ, **home_env(hub)}
            process = subprocess.Popen(
                [PROGRAM, "hub", "serve", "--port", str(hub_port)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            client = BlockingExchangeClient(mar.identity, mar.tls)
            try:
                _wait_for(hub_port, process)
                sealing = load_sealing_key(mar.node.settings.keys_dir, "MAR")
                asker = ExchangeAsker(
                    client,
                    mar.directory,
                    node=mar.node,
                    hub=HubFanOut(client, mar.identity, [sealing]),
                )
                question = document_question("MAR", STOLEN_AT_BEL, purpose="border control")
                (answer,) = asker.ask([question], deadline=3.0)
                rotated = passerelle(bel, "node", "rotate-sealing-key").split("\n")[0]
                (with_the_old_line,) = asker.ask([question], deadline=3.0)
                new_line = rotated.removeprefix("sealing key: ")
                passerelle(mar, "peer", "sealing-key", "BEL", new_line)
                (with_the_new_line,) = asker.ask([question], deadline=3.0)
            finally:
                client.close()
                process.terminate()
                output, _ = process.communicate(timeout=20)
        relayed = hub.audit_records("hub.relay")
    finally:
        for made in (hub, mar, bel):
            made.close()
    assert (answer.peer, answer.status, answer.via) == ("BEL", "hit", "UNO")
    assert new_line != bel_show["sealing_key"]
    assert (with_the_old_line.status, with_the_new_line.status) == ("hit", "hit")
    assert f"UNO hub on https://127.0.0.1:{hub_port}" in output
    assert STOLEN_AT_BEL not in output
    assert [[(p["to"], p["outcome"]) for p in r["parts"]] for r in relayed] == [
        [("BEL", "answered")]
    ] * 3
