"""`govspider linkcheck`: check every link and image of the latest snapshots' pages."""

from __future__ import annotations

import argparse
import time


def cmd_linkcheck(args: argparse.Namespace) -> int:
    from cli.commands.probe import load_hosts
    from govspider.linkcheck.checker import CheckConfig
    from govspider.linkcheck.rounds import SiteOutcome, run_round
    from pipelines.db import make_engine

    config = CheckConfig(
        timeout=args.timeout,
        concurrency=args.concurrency,
        per_host=args.per_host,
        host_delay=args.host_delay,
        recheck_delay=args.recheck_delay,
        recheck=not args.no_recheck,
        hosts=load_hosts(args.hosts),
        ca_file=args.ca_file,
    )
    if args.user_agent:
        config.user_agent = args.user_agent
    engine = make_engine(args.db)
    started = time.monotonic()

    def report(o: SiteOutcome) -> None:
        home = sum(r.on_home for r in o.confirmed)
        line = (
            f"{o.site_name}: 链接{o.urls}个, 确认失效{len(o.confirmed)}个"
            f"(首页{home}个, 其他页面{len(o.confirmed) - home}个)"
        )
        if o.suspected:
            line += f", 疑似失效{len(o.suspected)}个(未复查)"
        if o.tls_only:
            line += f", 仅TLS问题{len(o.tls_only)}个"
        print(line)
        if args.verbose:
            for r in o.confirmed + o.suspected:
                where = "首页" if r.on_home else r.page_url
                print(f"    {r.status_text}\t{r.url}\t{r.text}\t{where}")

    outcomes = run_round(engine, config, round=args.round, site=args.site, on_site=report)
    engine.dispose()
    if not outcomes:
        raise ValueError("数据库中没有可检查的站点快照: 请先运行 govspider crawl")
    total = sum(o.urls for o in outcomes)
    took = time.monotonic() - started
    print(f"链接检查完成: 站点{len(outcomes)}个, 链接{total}个, 用时{took:.1f}秒")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("linkcheck", help="检查最新快照中首页和栏目页上的全部链接和图片")
    parser.add_argument("--db", help="数据库 URL")
    parser.add_argument("--site", help="只检查这个站点 (编号或单位名称)")
    parser.add_argument("--round", help="只检查这一轮的快照 (默认每个站点最新的快照)")
    parser.add_argument("--timeout", type=float, default=15.0, help="每个链接的超时秒数 (默认 15)")
    parser.add_argument("--concurrency", type=int, default=64, help="同时进行的请求数 (默认 64)")
    parser.add_argument("--per-host", type=int, default=8, help="每个主机同时进行的请求数 (默认 8)")
    parser.add_argument("--host-delay", type=float, default=0.0, help="同一主机两次请求的间隔秒数")
    parser.add_argument(
        "--recheck-delay", type=float, default=30.0, help="疑似失效链接复查前等待的秒数 (默认 30)"
    )
    parser.add_argument("--no-recheck", action="store_true", help="不复查 (疑似失效的不扣分)")
    parser.add_argument("--user-agent", help="User-Agent (默认为浏览器标识)")
    parser.add_argument("--hosts", help="域名到地址的映射文件 (YAML/JSON), 用于测试环境")
    parser.add_argument("--ca-file", help="额外信任的根证书 (PEM)")
    parser.add_argument("-v", "--verbose", action="store_true", help="列出失效链接")
    parser.set_defaults(func=cmd_linkcheck)
