"""The ports the demo, the tests and the benches start servers on: never one the kernel
can hand to an outgoing connection in the meantime (CI once lost a whole module of
three-node tests to "address already in use" on a port drawn from the ephemeral range)."""

from __future__ import annotations

import socket
from pathlib import Path

from passerelle.server.ports import LOWEST_PORT, ephemeral_low, free_port


def test_a_free_port_lies_below_the_range_outgoing_connections_draw_from() -> None:
    low = ephemeral_low()
    ports = {free_port() for _ in range(50)}
    assert all(LOWEST_PORT <= port < low for port in ports)
    assert len(ports) > 40  # drawn at random, so two processes rarely draw the same one


def test_a_free_port_is_one_a_server_can_listen_on() -> None:
    port = free_port()
    with socket.create_server(("127.0.0.1", port)) as server:
        assert server.getsockname()[1] == port


def test_the_ephemeral_range_is_read_from_the_system_or_defaults_to_iana(tmp_path: Path) -> None:
    stated = tmp_path / "range"
    stated.write_text("40000\t60999\n")
    assert ephemeral_low(stated) == 40_000
    assert ephemeral_low(tmp_path / "missing") == 49_152
    stated.write_text("garbage")
    assert ephemeral_low(stated) == 49_152
