"""page findings: wording errors, forbidden content, masked personal data, site marks;
letters' reply date and status

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("column_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=32), server_default="", nullable=False)
        )
    op.create_table(
        "page_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("page_url", sa.Text(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("correct", sa.String(length=200), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["site_snapshot.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("page_finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_page_finding_snapshot_id"), ["snapshot_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("page_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_finding_snapshot_id"))
    op.drop_table("page_finding")
    with op.batch_alter_table("column_entry", schema=None) as batch_op:
        batch_op.drop_column("status")
        batch_op.drop_column("reply_date")
