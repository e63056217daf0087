"""``passerelle audit``: proving the audit trail intact, and anchoring it outside the database.

``verify`` exits with

==  =======================================================================
0   the chain holds, its sealed head too, and no checkpoint found shows a cut
1   a record, the head, or a checkpoint shows tampering (the first named)
4   the audit key is missing, not the node's, or does not match the records
    (no key is made)
5   the chain holds but a checkpoint found does not verify (bad signature,
    unknown key, unreadable line): it is named, and not held against the chain
==  =======================================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from passerelle.cli.common import KEY_EXIT, fail, node_for_cli, print_json

__all__ = ["UNTRUSTED_CHECKPOINT_EXIT", "audit_app"]

UNTRUSTED_CHECKPOINT_EXIT = 5
"""Exit code of ``verify`` when only a checkpoint's signature (or form) is at fault."""

audit_app = typer.Typer(help="The node's tamper-evident audit trail.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


@audit_app.command("verify")
def verify(
    as_json: JsonOption = False,
    checkpoints: Annotated[
        list[Path] | None,
        typer.Option(
            "--checkpoints",
            help="A checkpoint file exported by a partner (audit partner-checkpoints); repeatable.",
        ),
    ] = None,
    partners: Annotated[
        bool,
        typer.Option("--partners", help="Also ask every enabled partner for its copies."),
    ] = False,
) -> None:
    """Walk the audit chain and hold it against every checkpoint found (the local file,
    --checkpoints files, --partners): exit 0 intact, 1 tampering named, 4 audit key missing
    or not matching (never creates a key), 5 a checkpoint that does not verify."""
    from passerelle.wiring.audit_verification import verify_chain

    with node_for_cli(writing=False) as node:
        check = verify_chain(node, files=checkpoints or (), partners=partners)
    verdict, anchors, gathered = check.verdict, check.anchors, check.gathered
    untrusted = list(check.untrusted)
    intact = check.intact
    code = (
        KEY_EXIT
        if verdict.key_mismatch
        else 1
        if not intact
        else UNTRUSTED_CHECKPOINT_EXIT
        if untrusted
        else 0
    )
    latest = anchors.latest
    if as_json:
        print_json(
            {
                "intact": intact,
                "records": verdict.records,
                "first_broken": verdict.first_broken,
                "reason": verdict.reason,
                "redacted_payloads": verdict.redacted_payloads,
                "key_mismatch": verdict.key_mismatch,
                "checkpoints": anchors.trusted,
                "latest_checkpoint": _latest(latest.checkpoint.as_dict(), latest.source)
                if latest
                else None,
                "checkpoint_findings": list(anchors.findings),
                "untrusted_checkpoints": untrusted,
                "sources": list(gathered.sources),
            }
        )
        raise typer.Exit(code)
    if verdict.key_mismatch:
        typer.echo(f"passerelle: {verdict.reason}", err=True)
    elif not verdict.intact:
        typer.echo(
            f"audit chain BROKEN at record {verdict.first_broken}: {verdict.reason}", err=True
        )
    for finding in anchors.findings:
        typer.echo(f"audit chain CUT: {finding}", err=True)
    for problem in untrusted:
        typer.echo(f"checkpoint NOT TRUSTED: {problem}", err=True)
    if intact:
        typer.echo(
            f"audit chain intact: {verdict.records} records"
            + (
                f" ({verdict.redacted_payloads} payloads removed by retention)"
                if verdict.redacted_payloads
                else ""
            )
        )
        if latest is not None:
            typer.echo(
                f"held against {anchors.trusted} checkpoint(s); latest: record "
                f"{latest.checkpoint.seq}, {latest.described}"
            )
            typer.echo("checkpoints read from: " + "; ".join(gathered.sources))
        else:
            typer.echo(
                "no checkpoint found (" + "; ".join(gathered.sources) + "): records removed "
                "from the end with an older sealed head put back would not show"
            )
    raise typer.Exit(code)


def _latest(checkpoint: dict[str, Any], source: str) -> dict[str, Any]:
    return {**checkpoint, "source": source}


@audit_app.command("checkpoint")
def checkpoint(as_json: JsonOption = False) -> None:
    """Verify the chain since the last checkpoint, then sign a checkpoint of its end, append
    it to the checkpoint file and queue it for every enabled partner (exit 1: the chain does
    not hold, nothing signed)."""
    from passerelle.wiring.audit_anchoring import Checkpointer, checkpoint_signer

    with node_for_cli() as node:
        checkpointer = Checkpointer(node, checkpoint_signer(node.settings))
        taken = checkpointer.take()
        where = checkpointer.file.path
    if taken.checkpoint is None:
        fail(f"no checkpoint taken: {taken.refused}", code=1)
    if as_json:
        print_json({**taken.checkpoint.as_dict(), "file": str(where), "partners": taken.partners})
        return
    typer.echo(
        f"checkpoint: record {taken.checkpoint.seq} (counter {taken.checkpoint.counter}), "
        f"signed by {taken.checkpoint.node} key {taken.checkpoint.key_id[:8]}; appended to "
        f"{where}; queued for {taken.partners} partner(s)"
    )


@audit_app.command("partner-checkpoints")
def partner_checkpoints(
    state: Annotated[str, typer.Argument(help="The partner whose checkpoints to export.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write them here (default: stdout).")
    ] = None,
) -> None:
    """Export the checkpoints a partner sent of its own audit chain, one JSON line each, for
    the partner's ``audit verify --checkpoints FILE``."""
    import json

    from passerelle.federation.anchors.checkpoints import held_checkpoints
    from passerelle.federation.protocol.identity import parse_state

    with node_for_cli() as node:
        code = parse_state(state, field="state")
        with node.database.read_only() as session:
            held = held_checkpoints(session, code, limit=1_000_000)
    text = "".join(json.dumps(c, sort_keys=True, separators=(",", ":")) + "\n" for c in held)
    if out is None:
        typer.echo(text, nl=False)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"--out: cannot write {out}: {exc}")
        typer.echo(f"{len(held)} checkpoint(s) of {code} written to {out}")
