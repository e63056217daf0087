"""The rule every request body's text obeys: no control characters, and nothing invisible
in a name (:mod:`passerelle.records.text`), answered 422 naming the field."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from passerelle.exc import InvalidInput
from passerelle.records.text import plain_name, plain_text

__all__ = ["PlainTextBody"]


class PlainTextBody(BaseModel):
    """A request body whose every string (and string in a list) is checked: one line of
    visible text, but the fields of ``multiline_fields`` keep line breaks and tabs, and
    those of ``name_fields`` refuse direction and zero-width characters too. A field added
    later is checked without anyone thinking of it."""

    multiline_fields: ClassVar[frozenset[str]] = frozenset()
    name_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: object, info: ValidationInfo) -> object:
        field = info.field_name or "body"
        texts = value if isinstance(value, list | tuple) else (value,)
        try:
            for text in texts:
                if not isinstance(text, str):
                    continue
                if field in cls.name_fields:
                    plain_name(field, text)
                else:
                    plain_text(field, text, multiline=field in cls.multiline_fields)
        except InvalidInput as refused:
            reason = {"reason": refused.reason}
            raise PydanticCustomError("plain_text", "{reason}", reason) from None
        return value
