"""Run one benchmark crawl in this process and print its Scrapy stats as JSON."""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings


class BareSpider(scrapy.Spider):
    """Fetches a fixed list of URLs: no parsing, no items, no storage."""

    name = "bare"

    def __init__(self, urls_file: str, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.urls = Path(urls_file).read_text(encoding="utf-8").splitlines()

    async def start(self):  # noqa: ANN201
        for line in self.urls:
            # the farm logs a POST as "URL [k=v&k=v]": replay it as the same POST
            url, _, form = line.partition(" [")
            if form:
                data = dict(pair.split("=", 1) for pair in form.rstrip("]").split("&"))
                yield scrapy.FormRequest(url, formdata=data, callback=self.parse, dont_filter=True)
            else:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):  # noqa: ANN001, ANN201
        return None


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    mode, arg, db_url = sys.argv[1], sys.argv[2], sys.argv[3]
    extra = dict(pair.split("=", 1) for pair in sys.argv[4:])  # further settings, K=V
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "govspider.settings")
    settings = get_project_settings()
    settings.set("LOG_LEVEL", "ERROR")
    settings.set("GOVSPIDER_NOW", "2026-06-30T10:00:00")
    settings.set("RETRY_ENABLED", False)  # the same pages, once each, in both crawls
    settings.set("GOVSPIDER_RENDER", False)  # Chromium pages are not a fetch to compare
    if mode == "bare":
        settings.set("ITEM_PIPELINES", {})
        settings.set("HTTPERROR_ALLOW_ALL", True)
    else:
        settings.set("GOVSPIDER_DATABASE_URL", db_url)
    for key, value in extra.items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider if mode == "bare" else "site")
    kwargs = {"urls_file": arg} if mode == "bare" else {"sites": arg}
    before = _cpu_seconds()
    process.crawl(crawler, **kwargs)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int | float)}
    # user+sys of the crawl itself (imports before it left out): on a shared machine the
    # CPU per page is comparable between runs where pages/s is not
    stats["crawl_cpu"] = _cpu_seconds() - before
    # the process's high-water mark at its end: Scrapy's memusage/max is sampled at the
    # start and then once a minute, so a crawl shorter than that showed its start-up size
    stats["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
