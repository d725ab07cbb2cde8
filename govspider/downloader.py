"""Scrapy's downloader with the per-site concurrency limit actually kept.

Scrapy 2.19 (asyncio reactor) counts a request as transferring only when its download
coroutine starts to run, but schedules the coroutines in a loop that stops when the slot
has no free transfer places: the loop never sees the places fill, and empties the whole
slot queue at once. Measured by `make bench` (nginx's log): with
CONCURRENT_REQUESTS_PER_DOMAIN=1 one site had 6 requests in progress at once. Counting the
request when it is scheduled keeps the limit; Scrapy's own code removes it when the
download ends, as before.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from scrapy.core.downloader import Downloader, Slot
from scrapy.http import Request


class PoliteDownloader(Downloader):
    """DOWNLOADER: a request holds its slot's transfer place from the moment it is sent."""

    def _wait_for_download(  # type: ignore[override]
        self, slot: Slot, request: Request, queue_dfd: Any
    ) -> Coroutine[Any, Any, None]:
        slot.transferring.add(request)
        return super()._wait_for_download(slot, request, queue_dfd)
