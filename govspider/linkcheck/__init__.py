"""Link checking: every link and image of the crawled pages, checked exactly, with evidence."""

from govspider.linkcheck.checker import CheckConfig, LinkChecker, UrlResult, check_urls

__all__ = ["CheckConfig", "LinkChecker", "UrlResult", "check_urls"]
