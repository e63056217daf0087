"""Loopback ports for servers started as their own processes (demo nodes, tests, benches).

A port found by binding to port 0 comes from the kernel's *ephemeral* range, the
same range it draws from for every outgoing connection: between the probe and the
server's own ``bind`` a client connection elsewhere (to PostgreSQL, to a partner)
can take it, and the server dies with "address already in use". :func:`free_port`
draws instead from the ports just below that range, which the kernel never hands
to outgoing connections, and checks that nothing listens on the one it returns.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
"""Where Linux states its ephemeral port range (``low high``)."""

LISTENING_WINDOW = 12_000
"""How many ports below the ephemeral range :func:`free_port` draws from."""

LOWEST_PORT = 10_000
"""No port below this one is drawn (well-known and registered services live there)."""


def ephemeral_low(range_file: Path = EPHEMERAL_RANGE_FILE) -> int:
    """The lowest port the kernel gives to outgoing connections (IANA's 49152 where
    the system does not say)."""
    try:
        return int(range_file.read_text("ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 49_152


def free_port(host: str = "127.0.0.1", *, attempts: int = 200) -> int:
    """A TCP port on ``host`` nothing listens on now and no outgoing connection will take.

    Random within the window below the ephemeral range, so that two test processes
    starting servers at once rarely draw the same one; where that window is too
    small, any port the kernel offers.
    """
    high = ephemeral_low()
    low = max(LOWEST_PORT, high - LISTENING_WINDOW)
    for _ in range(attempts if high - low >= 100 else 0):
        port = random.randrange(low, high)
        if _can_listen(host, port):
            return port
    with socket.create_server((host, 0)) as probe:
        chosen: int = probe.getsockname()[1]
    return chosen


def _can_listen(host: str, port: int) -> bool:
    try:
        with socket.create_server((host, port)):
            return True
    except OSError:
        return False
