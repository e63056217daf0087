"""What every refusal a fuzzed parser gives must say: a field, plainly, and a reason."""

from __future__ import annotations

__all__ = ["assert_names_a_field"]

LONGEST_FIELD = 100
"""A field's name in a refusal: a path like ``subject.names[3]`` or a quoted unknown key."""


def assert_names_a_field(field: str, reason: str, *, within: str = "") -> None:
    """``field`` names the input plainly (printable, bounded, starting with ``within``) and
    ``reason`` says why."""
    assert field, f"a refusal names no field: {reason!r}"
    assert field.startswith(within), f"{field} is not within {within}"
    assert len(field) <= LONGEST_FIELD, f"the field named is {len(field)} characters long"
    assert field.isprintable(), f"the field named carries invisible characters: {field!r}"
    assert reason.strip(), f"a refusal of {field} gives no reason"
    assert "Traceback" not in reason
