"""``passerelle ARGS`` run through the command line in this process: no interpreter start-up.

A federation of twenty-two members is set up with some 550 commands (462 of
them ``peer add``); started as processes they cost about 1.5 s of CPU each,
nearly all of it Python's and the command line's imports. :func:`run_in_process`
runs the same command line (``passerelle.cli.build_app``) with the same
arguments and the node's ``PASSERELLE_*`` settings, one command at a time
(the settings are this process's environment while it runs). It is a
``federation_demo.processes.CommandRunner``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence

from passerelle.federation_demo.processes import StepFailed

__all__ = ["run_in_process"]

_ONE_AT_A_TIME = threading.Lock()


def run_in_process(args: Sequence[str], env: Mapping[str, str], *, stdin: str | None = None) -> str:
    """``passerelle ARGS`` as the node ``env`` names; its standard output, or
    :class:`StepFailed` with the end of its output when it exits with another status than 0."""
    from typer.testing import CliRunner

    from passerelle.cli import build_app

    settings: dict[str, str | None] = {k: None for k in os.environ if k.startswith("PASSERELLE_")}
    settings |= {k: v for k, v in env.items() if k.startswith("PASSERELLE_")}
    try:
        app = build_app([args[0]])
    except KeyError as exc:  # what the console script answers: no such command, exit 2
        raise StepFailed("passerelle " + " ".join(args), f"exit 2: no such command {exc}") from exc
    with _ONE_AT_A_TIME:
        result = CliRunner().invoke(app, list(args), input=stdin, env=settings)
    if result.exit_code != 0:
        said = (result.output or repr(result.exception))[-1500:]
        raise StepFailed("passerelle " + " ".join(args), f"exit {result.exit_code}: {said}")
    return result.stdout
