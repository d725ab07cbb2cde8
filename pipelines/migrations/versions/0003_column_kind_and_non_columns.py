"""column kind (list/page), blank evidence, and the non-column links of a snapshot

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("column_snapshot", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="list", nullable=False)
        )
        batch_op.add_column(
            sa.Column("blank_evidence", sa.Text(), server_default="", nullable=False)
        )
    op.create_table(
        "non_column",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("found_on", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["site_snapshot.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("non_column", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_non_column_snapshot_id"), ["snapshot_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("non_column", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_non_column_snapshot_id"))
    op.drop_table("non_column")
    with op.batch_alter_table("column_snapshot", schema=None) as batch_op:
        batch_op.drop_column("blank_evidence")
        batch_op.drop_column("kind")
