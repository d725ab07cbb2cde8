"""Schema migrations with Alembic: `govspider db upgrade`, and the check at start-up."""

from __future__ import annotations

import functools
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect


class SchemaOutOfDate(RuntimeError):
    """The database was made by an older govspider; it needs `govspider db upgrade`."""


def _copy_tree(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for child in source.iterdir():
        if child.is_dir():
            if child.name != "__pycache__":
                _copy_tree(child, target / child.name)
        else:
            (target / child.name).write_bytes(child.read_bytes())


@functools.cache
def migrations_dir() -> str:
    """The migration scripts as a real directory, even inside a zipped scrapyd egg."""
    source = resources.files("pipelines") / "migrations"
    if isinstance(source, Path) and source.is_dir():
        return str(source)
    # alembic needs files on disk; an egg is a zip, so unpack the scripts once per process
    target = Path(tempfile.mkdtemp(prefix="govspider-migrations-"))
    _copy_tree(source, target)
    return str(target)


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", migrations_dir())
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


def _lock_schema(conn: Connection) -> None:
    """Hold the database's write lock for this transaction: two processes opening one new
    database create its schema one after the other, and neither sees it half-made."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits out the busy timeout
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7474)")


def _empty(bind: Engine | Connection) -> bool:
    return not set(inspect(bind).get_table_names()) - {"alembic_version"}


def prepare_schema(engine: Engine, metadata) -> None:  # noqa: ANN001
    """Create a new database at the newest schema, or refuse an out-of-date one."""
    if _empty(engine):
        with engine.begin() as conn:
            _lock_schema(conn)
            if _empty(conn):  # another process may have made it while we waited
                metadata.create_all(conn)
                config = alembic_config()
                config.attributes["connection"] = conn
                command.stamp(config, "head")
                return
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"数据库结构版本为 {current or '(无版本)'}, 程序需要 {head}: "
            f"请先运行 govspider db upgrade --db {engine.url.render_as_string(hide_password=True)}"
        )
