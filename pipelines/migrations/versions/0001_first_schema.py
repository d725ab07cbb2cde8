"""first schema: runs, site snapshots, columns, entries, links

Revision ID: 0001
Revises:
Create Date: 2026-11-22 09:17:58.765479
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("sites_ok", sa.Integer(), nullable=False),
        sa.Column("sites_failed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crawl_run_round"), ["round"], unique=False)

    op.create_table(
        "site_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("round", sa.String(length=32), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("site_name", sa.String(length=200), nullable=False),
        sa.Column("group", sa.String(length=100), nullable=False),
        sa.Column("home_url", sa.Text(), nullable=False),
        sa.Column("crawled_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("home_status", sa.Integer(), nullable=True),
        sa.Column("pages_fetched", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("cms", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round", "site_id", name="uq_snapshot_round_site"),
    )
    with op.batch_alter_table("site_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_snapshot_round"), ["round"], unique=False)
        batch_op.create_index(batch_op.f("ix_site_snapshot_site_id"), ["site_id"], unique=False)

    op.create_table(
        "column_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("newest_date", sa.Date(), nullable=True),
        sa.Column("blank", sa.Boolean(), nullable=False),
        sa.Column("placeholder", sa.String(length=100), nullable=False),
        sa.Column("is_container", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("found_on", sa.Text(), nullable=False),
        sa.Column("cms", sa.String(length=32), nullable=False),
        sa.Column("rendered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["site_snapshot.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("column_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_column_snapshot_snapshot_id"), ["snapshot_id"], unique=False
        )

    op.create_table(
        "home_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_text", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["site_snapshot.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("home_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_home_entry_snapshot_id"), ["snapshot_id"], unique=False
        )

    op.create_table(
        "page_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("page_url", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("on_home", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["site_snapshot.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("page_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_page_link_snapshot_id"), ["snapshot_id"], unique=False)

    op.create_table(
        "column_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("column_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_text", sa.String(length=64), nullable=False),
        sa.Column("date_source", sa.String(length=16), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["column_id"], ["column_snapshot.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("column_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_column_entry_column_id"), ["column_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("column_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_column_entry_column_id"))

    op.drop_table("column_entry")
    with op.batch_alter_table("page_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_link_snapshot_id"))

    op.drop_table("page_link")
    with op.batch_alter_table("home_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_home_entry_snapshot_id"))

    op.drop_table("home_entry")
    with op.batch_alter_table("column_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_column_snapshot_snapshot_id"))

    op.drop_table("column_snapshot")
    with op.batch_alter_table("site_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_snapshot_site_id"))
        batch_op.drop_index(batch_op.f("ix_site_snapshot_round"))

    op.drop_table("site_snapshot")
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_run_round"))

    op.drop_table("crawl_run")
