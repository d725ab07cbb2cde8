"""Schema migrations with Alembic: `govspider db upgrade`, and the check at start-up."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect


class SchemaOutOfDate(RuntimeError):
    """The database was made by an older govspider; it needs `govspider db upgrade`."""


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "pipelines:migrations")
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (default: the newest), keeping every row."""
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def prepare_schema(engine: Engine, metadata) -> None:  # noqa: ANN001
    """Create a new database at the newest schema, or refuse an out-of-date one."""
    tables = set(inspect(engine).get_table_names())
    if not tables - {"alembic_version"}:
        metadata.create_all(engine)
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.stamp(config, "head")
        return
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"数据库结构版本为 {current or '(无版本)'}, 程序需要 {head}: "
            f"请先运行 govspider db upgrade --db {engine.url.render_as_string(hide_password=True)}"
        )
