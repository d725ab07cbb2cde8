"""`govspider schedule`: push one job per site (or shard) to scrapyd nodes."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import exitcodes
from govspider.sitelist import load_sites, select_sites
from pipelines.dburl import mask_passwords


def cmd_schedule(args: argparse.Namespace) -> int:
    from cli.scheduling import schedule

    sites = select_sites(load_sites(args.sites), args.site)
    settings = {}
    if args.db:
        if mask_passwords(args.db) != args.db:
            # scrapyd keeps a job's settings in its queue, job list and logs
            raise ValueError(
                f"数据库地址含密码, 不能随任务推送给 scrapyd(会写入其任务列表和日志): "
                f"{mask_passwords(args.db)}。请在各节点的环境变量 GOVSPIDER_DATABASE_URL "
                "中设置完整地址(或用 ~/.pgpass), 推送时 --db 不写密码或省略"
            )
        settings["GOVSPIDER_DATABASE_URL"] = args.db
    if args.round:
        settings["GOVSPIDER_ROUND"] = args.round
    spider_args = {"sites": str(Path(args.sites).resolve())}
    result = schedule(
        args.scrapyd,
        [s.id for s in sites],
        project=args.project,
        spider="probe" if args.probe else "site",
        kind="probe" if args.probe else "crawl",
        shard_size=args.shard_size,
        max_pending=args.max_pending,
        spider_args=spider_args,
        settings=settings,
        wait=not args.no_wait,
    )
    for job_id, node in result.pushed.items():
        print(f"已推送 {job_id} → {node}")
    for shard in result.skipped:
        print(f"跳过 {shard}: 已在排队或运行中")
    for shard in result.left:
        print(f"未推送 {shard}: 各节点队列已满")
    print(
        f"共推送{len(result.pushed)}个任务, 跳过{len(result.skipped)}个, 未推送{len(result.left)}个"
    )
    return exitcodes.OK if not result.left else exitcodes.QUEUE_FULL


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("schedule", help="向 scrapyd 节点推送抓取或可用性监测任务")
    parser.add_argument("--scrapyd", nargs="+", required=True, metavar="URL", help="scrapyd 节点")
    parser.add_argument("--sites", required=True, help="站点名单 (节点上须能以同一路径读到)")
    parser.add_argument("--site", help="只推送这个站点 (编号或单位名称, 逗号分隔多个)")
    parser.add_argument("--probe", action="store_true", help="推送可用性监测任务而非全站抓取")
    parser.add_argument("--project", default="govspider")
    parser.add_argument("--db", help="任务写入的数据库 URL")
    parser.add_argument("--round", help="监测轮次")
    parser.add_argument("--shard-size", type=int, default=1, help="每个任务包含的站点数")
    parser.add_argument("--max-pending", type=int, default=20, help="每个节点最多排队的任务数")
    parser.add_argument("--no-wait", action="store_true", help="队列满时不等待, 直接退出")
    parser.set_defaults(func=cmd_schedule)
