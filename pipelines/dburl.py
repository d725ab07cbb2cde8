"""Database URLs: the one to use, what is wrong with one, and how it may be printed."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DB_PATH = Path("var") / "govspider.db"
# scheme://user:PASSWORD@ in any text; a password in a URL has its '/' and '@' escaped
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)[^@\s/]+@")


class DatabaseUrlError(ValueError):
    """A database URL that cannot be used: one line with the URL (password masked) and why."""


class NoSnapshots(ValueError):
    """A database (or a SQLite file that does not exist) without any crawl to report on."""


def database_url(url: str | None = None) -> str:
    """The URL given, else GOVSPIDER_DATABASE_URL, else a SQLite file under var/."""
    return url or os.environ.get("GOVSPIDER_DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"


def mask_passwords(text: str) -> str:
    """The text with the password of every URL in it replaced by ***."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def masked(url: str) -> str:
    """The URL as it may be printed: any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return mask_passwords(url)


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _postgres_driver(url: URL) -> URL:
    """`postgresql://` as typed: SQLAlchemy 2.1 picks psycopg (3) for it; when only
    psycopg2 is installed (the `postgres` extra), use that instead of failing."""
    if url.drivername not in {"postgresql", "postgres"}:
        return url
    for module, driver in (("psycopg", "postgresql+psycopg"), ("psycopg2", "postgresql+psycopg2")):
        if _installed(module):
            return url.set(drivername=driver)
    raise DatabaseUrlError(
        f"数据库地址不可用: {url.render_as_string(hide_password=True)}: "
        "未安装 PostgreSQL 驱动(pip install psycopg2-binary)"
    )


def _sqlite_problem(path: Path) -> str:
    """Why a SQLite file cannot be created or written there, or empty when it can."""
    if path.is_dir():
        return f"{path} 是目录, 不是数据库文件"
    if path.exists():
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            return f"{path} 没有写权限"
        return ""
    ancestor = path.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"上级路径 {ancestor} 是文件, 不是目录"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"目录 {ancestor} 没有写权限"
    return ""


def parse_url(url: str | None = None) -> URL:
    """The database URL as SQLAlchemy takes it, or DatabaseUrlError naming what is wrong."""
    text = database_url(url)
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise DatabaseUrlError(
            f"数据库地址无效: {masked(text)}: 不是数据库 URL"
            f"(SQLite 文件写作 sqlite:///{text}, PostgreSQL 写作 postgresql://用户@主机/库名)"
        ) from None
    parsed = _postgres_driver(parsed)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        problem = _sqlite_problem(Path(parsed.database))
        if problem:
            raise DatabaseUrlError(f"数据库地址不可用: {masked(text)}: {problem}")
    return parsed
