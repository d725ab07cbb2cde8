"""Several crawler processes on one round: turned on by the setting GOVSPIDER_REDIS_URL.

An add-on, because it must see the final settings (including -s on the command line and
scrapyd's settings) before the engine picks its scheduler.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings


class DistributedCrawl:
    """Switch to scrapy-redis's scheduler and dupefilter when GOVSPIDER_REDIS_URL is set."""

    def update_settings(self, settings: BaseSettings) -> None:
        redis_url = settings.get("GOVSPIDER_REDIS_URL")
        if not redis_url:
            return
        settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        settings.set("REDIS_URL", redis_url, priority="addon")
        run_id = settings.get("GOVSPIDER_RUN_ID") or "default"
        # one queue per run, kept when one process stops so the others finish the work
        settings.set("SCHEDULER_QUEUE_KEY", f"govspider:{run_id}:requests", priority="addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", f"govspider:{run_id}:dupefilter", priority="addon")
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        # never block the reactor waiting on an empty queue; in-flight work keeps it open
        settings.set("SCHEDULER_IDLE_BEFORE_CLOSE", 0, priority="addon")
