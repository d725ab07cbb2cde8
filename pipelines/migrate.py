"""Schema migrations with Alembic: `govspider db upgrade`, and the check at start-up."""

from __future__ import annotations

import functools
import tempfile
import time
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError


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


def _create_at_head(engine: Engine, metadata) -> None:  # noqa: ANN001
    metadata.create_all(engine)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.stamp(config, "head")


def prepare_schema(engine: Engine, metadata, wait: float = 5.0) -> None:  # noqa: ANN001
    """Create a new database at the newest schema, or refuse an out-of-date one.

    Two processes may open one new database at the same moment (two crawls, or scrapyd
    jobs): the one that loses the race to create the tables waits for the other to stamp
    them (up to `wait` seconds) instead of taking the unstamped tables for an old schema.
    """
    deadline = time.monotonic() + wait
    while True:
        tables = set(inspect(engine).get_table_names())
        if not tables - {"alembic_version"}:
            try:
                _create_at_head(engine, metadata)
                return
            except DBAPIError:  # another process created a table first: look again
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
                continue
        current, head = current_revision(engine), head_revision()
        if current == head:
            return
        if current is None and time.monotonic() < deadline:
            time.sleep(0.1)  # tables made, not yet stamped: the other process is at it
            continue
        raise SchemaOutOfDate(
            f"数据库结构版本为 {current or '(无版本)'}, 程序需要 {head}: "
            f"请先运行 govspider db upgrade --db {engine.url.render_as_string(hide_password=True)}"
        )
