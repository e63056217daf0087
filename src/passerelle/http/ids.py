"""The range of a database id wherever one comes in: path, query, form or JSON body.

The store's ids are signed 64-bit integers (SQLite's INTEGER, PostgreSQL's
BIGINT) counted from 1. An id outside ``1 .. 2**63 - 1`` cannot name a row; it
is refused at the boundary with 422 naming the field (as a non-integer id is),
rather than reaching the database driver, which overflows on it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query
from pydantic import Field

__all__ = ["DB_ID_MAX", "DbId", "FormId", "FormIds", "PathId", "QueryId"]

DB_ID_MAX = 2**63 - 1
"""The largest id the store holds (signed 64 bits)."""

DbId = Annotated[int, Field(ge=1, le=DB_ID_MAX)]
"""An id in a JSON body (and an item of a list of ids)."""
PathId = Annotated[int, Path(ge=1, le=DB_ID_MAX)]
"""An id in the URL path."""
QueryId = Annotated[int | None, Query(ge=1, le=DB_ID_MAX)]
"""An optional id in the query string."""
FormId = Annotated[int, Form(ge=1, le=DB_ID_MAX)]
"""An id posted by a page's form."""
FormIds = Annotated[list[DbId] | None, Form()]
"""Ids posted by a page's form (checkboxes of one name)."""
