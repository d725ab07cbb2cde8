"""JavaScript rendering with scrapy-playwright and Chromium, for the few pages that need it.

An add-on, so that it sees the final settings (-s on the command line, scrapyd's) before
the engine builds its download handlers. Only requests whose meta says ``playwright``
go through the browser; every other request falls through to Scrapy's own HTTP handler.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from scrapy.settings import BaseSettings

HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# what a list never needs: skipped so that a rendered page costs little memory and time
HEAVY_RESOURCES = frozenset({"image", "media", "font", "stylesheet"})


def default_chromium() -> str | None:
    """The system's Chromium (Debian: /usr/bin/chromium), else None: Playwright's own."""
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


def skip_heavy(request) -> bool:  # noqa: ANN001 - a playwright Request
    """PLAYWRIGHT_ABORT_REQUEST: drop images, media, fonts and styles of rendered pages."""
    return request.resource_type in HEAVY_RESOURCES


class Rendering:
    """Install the Playwright download handler, configured from GOVSPIDER_* settings."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.getbool("GOVSPIDER_RENDER", True):
            return
        handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
        handlers.update({"http": HANDLER, "https": HANDLER})
        settings.set("DOWNLOAD_HANDLERS", handlers, priority="addon")
        executable = settings.get("GOVSPIDER_CHROMIUM") or default_chromium()
        options = {"headless": True, "args": list(CHROMIUM_ARGS)}
        if executable:
            options["executable_path"] = executable
        settings.set("PLAYWRIGHT_BROWSER_TYPE", "chromium", priority="addon")
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", options, priority="addon")
        timeout_ms = settings.getint("DOWNLOAD_TIMEOUT", 15) * 1000
        settings.set("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", timeout_ms, priority="addon")
        # one browser, few pages at a time: memory stays flat over a long crawl
        settings.set(
            "PLAYWRIGHT_MAX_CONTEXTS", settings.getint("GOVSPIDER_RENDER_CONTEXTS", 1), "addon"
        )
        settings.set(
            "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT",
            settings.getint("GOVSPIDER_RENDER_PAGES", 4),
            priority="addon",
        )
        settings.set("PLAYWRIGHT_ABORT_REQUEST", "govspider.rendering.skip_heavy", "addon")
