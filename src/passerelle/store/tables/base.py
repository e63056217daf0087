"""The declarative base every table derives from, and the column types the tables share.

``Base.metadata`` is what Alembic's migrations are compared against; importing
``passerelle.store.tables`` registers every table on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Integer
from sqlalchemy.orm import DeclarativeBase

from passerelle.store.types import UtcDateTime

__all__ = ["Base", "BigId"]

BigId = BigInteger().with_variant(Integer(), "sqlite")
"""A 64-bit id on PostgreSQL; SQLite's ``INTEGER`` (its row id, so it autoincrements)."""


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }
