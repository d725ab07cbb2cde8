"""`govspider review import FILE`: read analysts' 复核 decisions (xlsx 复核 sheet or CSV)."""

from __future__ import annotations

import argparse
import datetime as dt


def cmd_review(args: argparse.Namespace) -> int:
    from analysis.review import FALSE_ALARM, read_review_file, store_decisions
    from pipelines.db import make_engine

    decisions = read_review_file(args.file)  # the whole file is checked before storing
    now = dt.datetime.fromisoformat(args.now) if args.now else dt.datetime.now()
    engine = make_engine(args.db)
    try:
        stored = store_decisions(engine, decisions, now)
    finally:
        engine.dispose()
    overruled = sum(d.verdict == FALSE_ALARM for d in decisions)
    print(
        f"复核结论已导入: {stored}条(误报{overruled}条,属实{stored - overruled}条),"
        f"来自 {args.file};下次生成报告时生效。"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("review", help="导入复核结论 (工作簿“复核”表或 CSV)")
    parser.add_argument("action", choices=["import"])
    parser.add_argument("file", help="填写了复核结论的 .xlsx 或 .csv")
    parser.add_argument("--db", help="数据库 URL")
    parser.add_argument("--now", help="冻结复核时间 (ISO 日期时间), 用于测试与复现")
    parser.set_defaults(func=cmd_review)
