"""`govspider db upgrade|current`: the database schema, managed by Alembic."""

from __future__ import annotations

import argparse

from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError


def cmd_db(args: argparse.Namespace) -> int:
    from pipelines.db import unreachable, writable_url
    from pipelines.migrate import current_revision, head_revision, upgrade

    url = writable_url(args.db)
    engine = create_engine(url)
    try:
        if args.action == "upgrade":
            before = current_revision(engine)
            upgrade(engine, args.revision)
            after = current_revision(engine)
            print(f"数据库结构已升级: {before or '(空)'} → {after}")
        else:
            print(f"当前版本 {current_revision(engine) or '(空)'}, 最新版本 {head_revision()}")
    except DBAPIError as exc:
        raise unreachable(url, exc) from None
    finally:
        engine.dispose()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("db", help="数据库结构: upgrade 升级到最新, current 查看版本")
    parser.add_argument("action", choices=["upgrade", "current"])
    parser.add_argument("--db", help="数据库 URL")
    parser.add_argument("--revision", default="head", help="升级到的版本 (默认 head)")
    parser.set_defaults(func=cmd_db)
