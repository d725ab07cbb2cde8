"""JavaScript rendering with scrapy-playwright and Chromium, for the few pages that need it.

An add-on, so that it sees the final settings (-s on the command line, scrapyd's) before
the engine builds its download handlers. Only requests whose meta says ``playwright``
go through the browser; every other request falls through to Scrapy's own HTTP handler.
"""

from __future__ import annotations

import os
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


NO_BROWSER = "未找到 Chromium"
INSTALL_HINT = "安装：sudo apt-get install -y chromium，或用 -s GOVSPIDER_CHROMIUM=路径 指定"
RENDER_FAILED = "浏览器渲染失败"


def playwright_chromium() -> str | None:
    """Playwright's own Chromium (`playwright install chromium`), when downloaded."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache/ms-playwright")
    found = sorted(Path(root).glob("chromium*/chrome-linux*/chrome")) if Path(root).is_dir() else []
    return str(found[-1]) if found else None


def browser_problem(executable: str | None) -> str:
    """'' when a browser can be launched from this path (None: the system's or
    Playwright's own); else the one line that says which is missing and how to install it."""
    if executable:
        if Path(executable).is_file() and os.access(executable, os.X_OK):
            return ""
        return f"{NO_BROWSER}：{executable} 不存在或不可执行（{INSTALL_HINT}）"
    if playwright_chromium():
        return ""
    return f"{NO_BROWSER}：/usr/bin/chromium 不存在，Playwright 也未下载浏览器（{INSTALL_HINT}）"


def render_failure(reason: str) -> str:
    """A failed browser fetch's column error: 浏览器渲染失败(…), never a bare 请求失败."""
    return f"{RENDER_FAILED}({reason})"


def skip_heavy(request) -> bool:  # noqa: ANN001 - a playwright Request
    """PLAYWRIGHT_ABORT_REQUEST: drop images, media, fonts and styles of rendered pages."""
    return request.resource_type in HEAVY_RESOURCES


class Rendering:
    """Install the Playwright download handler, configured from GOVSPIDER_* settings."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.getbool("GOVSPIDER_RENDER", True):
            return
        executable = settings.get("GOVSPIDER_CHROMIUM") or default_chromium()
        problem = browser_problem(executable)
        if problem:
            # no browser to launch: the spider says so once and fails the pages that need
            # one with that reason, instead of a launch error per page read as 请求失败
            settings.set("GOVSPIDER_BROWSER_PROBLEM", problem, priority="addon")
            return
        handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
        handlers.update({"http": HANDLER, "https": HANDLER})
        settings.set("DOWNLOAD_HANDLERS", handlers, priority="addon")
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
