"""The `govspider` command: crawl, report, demo, profiles."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from cli import exitcodes
from cli.commands import COMMAND_MODULES
from cli.crawling import crawl_summary, run_crawl
from govspider.clock import parse_day, round_of
from govspider.logmask import install_password_mask
from govspider.sitelist import SiteListError, load_sites, select_sites
from pipelines.dburl import mask_passwords
from pipelines.migrate import SchemaOutOfDate


def scrapy_settings(args: argparse.Namespace):  # noqa: ANN202 - scrapy Settings
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "govspider.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if getattr(args, "db", None):
        settings.set("GOVSPIDER_DATABASE_URL", args.db, priority="cmdline")
    if getattr(args, "now", None):
        settings.set("GOVSPIDER_NOW", args.now, priority="cmdline")
    settings.set("LOG_LEVEL", args.log_level, priority="cmdline")
    settings.set("GOVSPIDER_PROGRESS_INTERVAL", 10, priority="cmdline")
    for pair in getattr(args, "set", None) or []:
        key, _, value = pair.partition("=")
        settings.set(key, value, priority="cmdline")
    return settings


def crawl_round(settings, round_arg: str | None) -> str:  # noqa: ANN001
    """The round a crawl with these settings writes to (as the spider decides it)."""
    from govspider.clock import crawl_now

    return (
        round_arg
        or settings.get("GOVSPIDER_ROUND")
        or round_of(crawl_now(settings.get("GOVSPIDER_NOW")))
    )


def unfinished_sites(db_url: str | None, round_name: str, sites: list) -> list:  # noqa: ANN001
    """The sites with no stored snapshot in the round (an interrupted crawl's rest)."""
    from sqlalchemy import select

    from pipelines.db import make_engine
    from pipelines.models import SiteSnapshotRow

    engine = make_engine(db_url)
    with engine.connect() as conn:
        done = set(
            conn.scalars(select(SiteSnapshotRow.site_id).where(SiteSnapshotRow.round == round_name))
        )
    engine.dispose()
    return [s for s in sites if s.id not in done]


def cmd_crawl(args: argparse.Namespace) -> int:
    sites = select_sites(load_sites(args.sites), args.site)  # fails before any request
    settings = scrapy_settings(args)
    db_url = settings.get("GOVSPIDER_DATABASE_URL")
    started = dt.datetime.now()
    round_name = crawl_round(settings, args.round)
    site_filter = args.site
    if getattr(args, "resume", False):
        sites = unfinished_sites(db_url, round_name, sites)
        print(f"续抓({round_name}): 未完成的站点{len(sites)}个")
        if not sites:
            return exitcodes.OK
        site_filter = ",".join(s.id for s in sites)
    outcome = run_crawl(args.sites, site_filter, settings, args.round)
    summary = crawl_summary(db_url, round_name, {s.id: s.name for s in sites}, started, outcome)
    print(summary.text)
    return summary.exit_code


def scoring_summary(report) -> str:  # noqa: ANN001 - analysis.report.Report
    """One line: how many sites were scored and how many are 监测失败, with their reasons."""
    missed = report.not_scored()
    head = f"评分完成: 站点{len(report.sites)}个, 已评分{len(report.sites) - len(missed)}个"
    if missed.empty:
        return head
    lines = [f"{head}, 无法评分(监测失败){len(missed)}个(见“重新监测”表):"]
    commands = {item.site_id: item.command for item in report.rerun}
    for row in missed.itertuples():
        command = (
            commands.get(row.site_id) or f"govspider crawl --sites 名单文件 --site {row.site_id}"
        )
        lines.append(f"  {row.site_name}: {row.rerun_reason} 重新抓取: {command}")
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace) -> int:
    from analysis.report import build_report
    from exports.workbook import write_workbook
    from pipelines.db import snapshot_engine

    as_of = parse_day(args.as_of) if args.as_of else dt.date.today()
    engine = snapshot_engine(args.db)  # refuses an empty database, creating nothing
    try:
        report = build_report(engine, as_of, profile=args.profile, round=args.round)
    finally:
        engine.dispose()
    if args.unit:
        from cli.reporting import write_unit

        return write_unit(report, args)
    path = write_workbook(report, args.out, warn_days=args.warn_days)
    from cli.reporting import after_report, summary_lines

    print("\n".join(summary_lines(report)))
    print(f"监测报告已写入: {path}(监测时间点 {as_of.isoformat()}, 评分规则 {report.profile_name})")
    if report.no_snapshot_by_as_of:
        print(
            f"注意: {len(report.no_snapshot_by_as_of)}个站点在监测时间点 {as_of.isoformat()} "
            f"及以前没有快照, 本报告中为 未监测: {'、'.join(report.no_snapshot_by_as_of)}"
        )
    print(scoring_summary(report))
    after_report(report, args)
    if args.csv:
        from exports.tables import write_csv

        print(f"CSV 已写入: {', '.join(str(p) for p in write_csv(report, args.csv))}")
    if args.json:
        from exports.tables import write_json

        print(f"JSON 已写入: {write_json(report, args.json)}")
    return exitcodes.INCOMPLETE if len(report.not_scored()) else exitcodes.OK


def cmd_demo(args: argparse.Namespace) -> int:
    from analysis.report import build_report
    from exports.workbook import write_workbook
    from farm.farm import load_farm
    from farm.server import FarmServer
    from pipelines.db import make_engine

    farm_date = parse_day(args.date) if args.date else dt.date.today()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db_file = out / "demo.db"
    if db_file.exists():
        db_file.unlink()
    args.db = f"sqlite:///{db_file}"
    args.now = f"{farm_date.isoformat()}T10:00:00"
    with FarmServer(load_farm(farm_date)) as farm:
        sites_file = farm.write_site_list(out / "sites.yaml")
        print(f"演示站点已在 127.0.0.1 启动: {len(farm.site_rows())}个站点, 名单 {sites_file}")
        started = dt.datetime.now()
        settings = scrapy_settings(args)
        outcome = run_crawl(sites_file, None, settings, round_of(farm_date))
        names = {row["id"]: row["name"] for row in farm.site_rows()}
        print(crawl_summary(args.db, round_of(farm_date), names, started, outcome).text)
        if outcome.interrupted:
            return exitcodes.INCOMPLETE
    engine = make_engine(args.db)
    report = build_report(engine, farm_date, profile=args.profile)
    engine.dispose()
    path = write_workbook(report, out / "govspider-demo.xlsx")
    print(f"监测报告已写入: {path.resolve()}")
    print(scoring_summary(report))
    return 0


def cmd_profiles(args: argparse.Namespace) -> int:
    from analysis.profiles import list_profiles

    for name, description in list_profiles():
        print(f"{name}\t{description}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govspider", description="政府网站抽查监测")
    parser.add_argument("--log-level", default="WARNING", help="Scrapy log level (默认 WARNING)")
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="抓取名单中的全部站点或其中一个")
    crawl.add_argument("--sites", required=True, help="站点名单 (YAML / CSV / XLSX)")
    crawl.add_argument("--site", help="只抓取这个站点 (编号或单位名称)")
    crawl.add_argument("--db", help="数据库 URL (默认 var/govspider.db)")
    crawl.add_argument("--round", help="监测轮次 (默认为抓取日期所在季度, 如 2026Q4)")
    crawl.add_argument(
        "--resume", action="store_true", help="只抓取本轮尚未完成的站点 (中断后续抓)"
    )
    crawl.add_argument("--now", help="冻结抓取时间 (ISO 日期时间), 用于测试与复现")
    crawl.add_argument("-s", "--set", action="append", help="Scrapy 设置 KEY=VALUE")
    crawl.set_defaults(func=cmd_crawl)

    report = sub.add_parser("report", help="按监测时间点评分并写出 Excel 监测报告")
    report.add_argument("--as-of", help="监测时间点 YYYY-MM-DD (默认今天)")
    report.add_argument("--profile", default="national-2019", help="评分规则名称或文件")
    report.add_argument("--db", help="数据库 URL")
    report.add_argument("--round", help="只用这一轮的快照")
    report.add_argument("--out", required=True, help="输出的 .xlsx 文件")
    report.add_argument("--csv", metavar="DIR", help="另写一份 CSV (站点、栏目、扣分、重新监测)")
    report.add_argument("--json", metavar="FILE", help="另写一份 JSON")
    from cli.reporting import add_report_options

    add_report_options(report)
    report.set_defaults(func=cmd_report)

    demo = sub.add_parser("demo", help="启动演示站点, 抓取, 评分, 写出报告")
    demo.add_argument("--date", help="演示站点的日期 (默认今天), 也是监测时间点")
    demo.add_argument("--out", default="var/demo", help="输出目录 (默认 var/demo)")
    demo.add_argument("--profile", default="national-2019")
    demo.set_defaults(func=cmd_demo, set=None)

    profiles = sub.add_parser("profiles", help="列出可用的评分规则")
    profiles.set_defaults(func=cmd_profiles)

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit codes are those of cli.exitcodes (see the README)."""
    args = build_parser().parse_args(argv)  # a usage error exits with 2 (exitcodes.USAGE)
    install_password_mask()
    try:
        return args.func(args)
    except (SiteListError, SchemaOutOfDate, ValueError, FileNotFoundError) as exc:
        print(f"错误: {mask_passwords(str(exc))}", file=sys.stderr)
        return exitcodes.USAGE
    except KeyboardInterrupt:  # Ctrl-C outside a crawl (a crawl stops by itself, gracefully)
        print("已中断", file=sys.stderr)
        return exitcodes.INCOMPLETE
    except SQLAlchemyError as exc:
        reason = mask_passwords(str(getattr(exc, "orig", None) or exc).splitlines()[0])
        print(f"错误: 数据库无法打开或写入({reason})", file=sys.stderr)
        return exitcodes.USAGE


if __name__ == "__main__":
    sys.exit(main())
