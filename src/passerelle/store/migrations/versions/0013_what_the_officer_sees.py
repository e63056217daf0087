"""What the officer and the analysts see: face reference photos, and one review per sighting.

- ``face_references``: the reference photo of each identity of a face gallery
  (downscaled JPEG, sealed with the node's biometric key as templates are) and
  the name shown with it; removed with the identity's templates.
- ``hit_reviews`` gains ``traveller_key`` (the document, else the name and birth
  date, the review stands for), ``sightings`` (how many inspections met the hit),
  ``last_seen_at`` and ``last_inspection_id``: a rescan of the same traveller
  whose hit matches a pending review attaches to it instead of queueing another.
  Existing rows: one sighting, last seen when created, at their own inspection;
  their traveller key is the inspection's document when it was read.
- ``hit_sightings``: each inspection that met a review's hit, and when.
  Existing reviews get their first sighting.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "face_references",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("gallery", sa.String(length=32), nullable=False),
        sa.Column("identity", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("sealed_image", sa.LargeBinary(), nullable=True),
        sa.Column("image_sha256", sa.String(length=64), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enrolled_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_face_references_identity", "face_references", ["gallery", "identity"], unique=True
    )
    op.add_column("hit_reviews", sa.Column("traveller_key", sa.String(length=200), nullable=True))
    op.add_column(
        "hit_reviews",
        sa.Column("sightings", sa.Integer(), nullable=False, server_default=sa.text("1")),
    )
    op.add_column(
        "hit_reviews", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "hit_reviews", sa.Column("last_inspection_id", sa.String(length=32), nullable=True)
    )
    op.create_index(
        "ix_hit_reviews_traveller", "hit_reviews", ["traveller_key", "source", "reference"]
    )
    op.create_table(
        "hit_sightings",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("review_id", BIG_ID, nullable=False),
        sa.Column("inspection_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["hit_reviews.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_hit_sightings_review", "hit_sightings", ["review_id", "at"])
    op.create_index("ix_hit_sightings_inspection", "hit_sightings", ["inspection_id"])
    op.execute(
        "UPDATE hit_reviews SET last_seen_at = created_at, last_inspection_id = inspection_id"
    )
    op.execute(
        "UPDATE hit_reviews SET traveller_key = ("
        " SELECT 'doc:' || inspections.issuing_state || ':' || inspections.document_number"
        " FROM inspections WHERE inspections.id = hit_reviews.inspection_id"
        " AND inspections.issuing_state IS NOT NULL AND inspections.document_number IS NOT NULL)"
    )
    op.execute(
        "INSERT INTO hit_sightings (review_id, inspection_id, at)"
        " SELECT id, inspection_id, created_at FROM hit_reviews"
    )


def downgrade() -> None:
    op.drop_index("ix_hit_sightings_inspection", table_name="hit_sightings")
    op.drop_index("ix_hit_sightings_review", table_name="hit_sightings")
    op.drop_table("hit_sightings")
    op.drop_index("ix_hit_reviews_traveller", table_name="hit_reviews")
    for column in ("last_inspection_id", "last_seen_at", "sightings", "traveller_key"):
        op.drop_column("hit_reviews", column)
    op.drop_index("ix_face_references_identity", table_name="face_references")
    op.drop_table("face_references")
