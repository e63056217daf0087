"""Turning what a reader or an officer typed into MRZ lines.

Lower case is raised, spaces and tabs inside a line are dropped and CR/LF line
ends are accepted: a reader's transport habits, not part of the document.
Characters the MRZ may not hold are *kept*, so the check can report them.
"""

from __future__ import annotations

import re
import string

__all__ = ["normalise_lines", "split_documents"]

_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
_CLEAN_MRZ = re.compile(r"[A-Z0-9<]+(?:\n[A-Z0-9<]+)*")
_JOINED_WIDTHS = {90: 30, 88: 44, 72: 36}
"""A whole MRZ pasted as one line: its length tells the line width."""


def normalise_lines(text: str) -> tuple[str, ...]:
    """The MRZ lines of one document, upper-cased, with blank lines and inner blanks dropped.

    >>> normalise_lines("p<uto eriksson<<anna \\r\\n L898902C36 UTO")
    ('P<UTOERIKSSON<<ANNA', 'L898902C36UTO')
    """
    if _CLEAN_MRZ.fullmatch(text):
        lines = tuple(text.split("\n"))
        if len(lines) > 1:
            return lines
    lines = tuple(
        joined for raw in text.splitlines() if (joined := "".join(raw.split()).translate(_UPPER))
    )
    if len(lines) == 1 and (width := _JOINED_WIDTHS.get(len(lines[0]))):
        only = lines[0]
        return tuple(only[i : i + width] for i in range(0, len(only), width))
    return lines


def split_documents(text: str) -> list[str]:
    """Split text holding several MRZs, separated by blank lines, into one text per document.

    >>> split_documents("A\\nB\\n\\n  \\nC\\nD\\n")
    ['A\\nB', 'C\\nD']
    """
    documents: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            documents.append("\n".join(current))
            current = []
    if current:
        documents.append("\n".join(current))
    return documents
