"""`govspider probe`: request every site's home page once and store the result.

Light enough for cron every 30 minutes over hundreds of sites, e.g.
`*/30 * * * * govspider probe --sites sites.yaml --db URL`; or `--every 30` in one process.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from pathlib import Path


def load_hosts(path: str | None) -> dict[str, str]:
    """A JSON or YAML file mapping host names to addresses (tests, the demo farm)."""
    if not path:
        return {}
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: 主机映射应为 域名: 地址 的键值对")
    return {str(k): str(v) for k, v in data.items()}


def cmd_probe(args: argparse.Namespace) -> int:
    from govspider.clock import crawl_now
    from govspider.probe import describe, run_probes, targets_from_db, targets_from_sites
    from govspider.sitelist import load_sites, select_sites
    from pipelines.db import make_engine

    engine = make_engine(args.db)
    sites_file = args.sites or os.environ.get("GOVSPIDER_SITES")
    if sites_file:
        targets = targets_from_sites(select_sites(load_sites(sites_file), args.site))
    else:
        targets = targets_from_db(engine)
        if args.site:
            keys = {k.strip() for k in args.site.split(",")}
            targets = [t for t in targets if t.site_id in keys or t.site_name in keys]
    if not targets:
        raise ValueError("没有可探测的站点: 用 --sites 指定名单, 或先抓取站点")
    hosts = load_hosts(args.hosts)
    agent = {"user_agent": args.user_agent} if args.user_agent else {}
    while True:
        started = time.monotonic()
        now = crawl_now(args.now) if args.now else None
        rows = run_probes(
            engine, targets, now=now, timeout=args.timeout, concurrency=args.concurrency,
            hosts=hosts, ca_file=args.ca_file, **agent,
        )  # fmt: skip
        failed = [r for r in rows if not r.ok]
        kinds = Counter(r.error_kind for r in failed)
        print(
            f"可用性探测: 站点{len(rows)}个, 正常{len(rows) - len(failed)}个, 失败{len(failed)}个"
            + (f" ({', '.join(f'{k}{n}' for k, n in kinds.items())})" if failed else "")
            + f", 用时{time.monotonic() - started:.1f}秒"
        )
        for row in rows if args.verbose else failed:
            print(f"  {row.site_name} {row.url}: {describe(row)}")
        if args.json:
            print(json.dumps([_as_dict(r) for r in rows], ensure_ascii=False))
        if not args.every:
            break
        time.sleep(max(0.0, args.every * 60 - (time.monotonic() - started)))
    engine.dispose()
    return 0


def _as_dict(row) -> dict:  # noqa: ANN001
    keys = ("site_id", "url", "ok", "status", "latency_ms", "error_kind", "error", "tls_problem")
    return {k: getattr(row, k) for k in keys} | {"probed_at": row.probed_at.isoformat()}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("probe", help="可用性探测: 每个站点的首页请求一次并记录结果")
    parser.add_argument("--sites", help="站点名单 (默认 $GOVSPIDER_SITES, 或数据库中已抓取的站点)")
    parser.add_argument("--site", help="只探测这个站点 (编号或单位名称)")
    parser.add_argument("--db", help="数据库 URL")
    parser.add_argument("--timeout", type=float, default=15.0, help="超时秒数 (默认 15)")
    parser.add_argument("--concurrency", type=int, default=50, help="同时探测的站点数")
    parser.add_argument("--user-agent", help="User-Agent (默认为浏览器标识)")
    parser.add_argument("--hosts", help="域名到地址的映射文件 (YAML/JSON), 用于测试环境")
    parser.add_argument("--ca-file", help="额外信任的根证书 (PEM)")
    parser.add_argument("--now", help="记录的探测时间 (ISO 日期时间), 用于测试与补录")
    parser.add_argument("--every", type=float, help="每隔多少分钟重复探测 (默认只探测一次)")
    parser.add_argument("--json", action="store_true", help="另外输出 JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="列出每个站点的结果")
    parser.set_defaults(func=cmd_probe)
