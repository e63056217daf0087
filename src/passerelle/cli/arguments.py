"""Every word typed on the command line is checked before any command runs: no control
characters (``records.text.plain_text``), and no direction or zero-width characters in a
person's or user's name (``--name``...), refused as a usage error (exit 2) naming the
option. What is stored from the command line is then as clean as what the API stores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from passerelle.exc import InvalidInput
from passerelle.records.text import plain_name, plain_text

__all__ = ["NAME_OPTIONS", "CheckedArguments", "check_arguments"]

NAME_OPTIONS = frozenset({"--name", "--names", "--surname", "--given-names"})
"""Options that take a name: no direction or zero-width characters either."""


def _field(args: Sequence[str], at: int) -> tuple[str, str]:
    """The option (or argument) ``args[at]`` gives, and its value."""
    word = args[at]
    if word.startswith("--") and "=" in word:
        option, _, value = word.partition("=")
        return option, value
    before = args[at - 1] if at > 0 else ""
    if before.startswith("-") and "=" not in before:
        return before, word
    return f"argument {at + 1}", word


def check_arguments(args: Sequence[str]) -> None:
    """Raise ``InvalidInput`` for the first word of ``args`` that breaks the text rules.

    >>> check_arguments(["user", "add", "--name", "ali\\x1b[8m"])
    Traceback (most recent call last):
    ...
    passerelle.exc.InvalidInput: --name: holds a control character (U+001B ESCAPE) at \
position 4; one line of visible text is expected
    """
    for at in range(len(args)):
        field, value = _field(args, at)
        if field in NAME_OPTIONS:
            plain_name(field, value)
        else:
            plain_text(field, value)


class CheckedArguments(TyperGroup):
    """The ``passerelle`` group: its arguments pass :func:`check_arguments` first."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            check_arguments(args)
        except InvalidInput as refused:  # a usage error: exit 2, the option named
            raise typer.BadParameter(refused.reason, ctx=ctx, param_hint=refused.field) from None
        result: list[str] = super().parse_args(ctx, args)
        return result
