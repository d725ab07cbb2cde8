"""Scrapy settings for govspider; every GOVSPIDER_* setting can be given with -s."""

BOT_NAME = "govspider"
SPIDER_MODULES = ["govspider.spiders"]
NEWSPIDER_MODULE = "govspider.spiders"

# Monitoring reads what a visitor sees; robots.txt on government sites often blocks all
# crawlers, which would make every site look empty. The load is kept low instead.
ROBOTSTXT_OBEY = False
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0 Safari/537.36 govspider/0.1"
)
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0
# keeps CONCURRENT_REQUESTS_PER_DOMAIN, which Scrapy 2.19's own downloader overruns
DOWNLOADER = "govspider.downloader.PoliteDownloader"
# The national rule: a page that has not opened after 15 s has failed.
DOWNLOAD_TIMEOUT = 15
RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
# One item per site: Scrapy starts this many workers for every callback's output, so a
# large value only costs time (measured: 100 → 4 cuts the crawl's CPU time by a quarter).
CONCURRENT_ITEMS = 4
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# hostile pages (govspider.guard): binary files, login walls, traps, budget, charsets;
# below HttpCompression (590) so it sees decompressed bodies
DOWNLOADER_MIDDLEWARES = {"govspider.guard.PageGuard": 560}
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024  # a page larger than this is 页面过大, not read
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
METAREFRESH_MAXDELAY = 30  # a meta refresh this quick is a redirect (the guard checks the site)
GOVSPIDER_MAX_PAGES = 2000  # per site and crawl; beyond it requests are 超出每站页面上限
GOVSPIDER_MAX_QUERY_VARIANTS = 30  # one path with more query variants is a trap (calendars)

ITEM_PIPELINES = {
    "pipelines.validate.SnapshotValidationPipeline": 100,
    "pipelines.normalise.SnapshotNormalisePipeline": 200,
    "pipelines.store.SnapshotStorePipeline": 300,
}

# govspider's own settings
GOVSPIDER_SITES = None  # site list file (YAML / CSV / XLSX); -a sites=FILE overrides
GOVSPIDER_DATABASE_URL = None  # SQLAlchemy URL; None: $GOVSPIDER_DATABASE_URL or var/govspider.db
GOVSPIDER_NOW = None  # freeze the crawl's "now" (ISO date-time) for tests and re-scoring
GOVSPIDER_ROUND = None  # monitoring round; default: the quarter of the crawl, e.g. 2026Q4
GOVSPIDER_MAX_DEPTH = 3  # column levels followed below the home page
# sites one crawler process has in progress at once; the next starts when one is stored,
# so memory does not grow with the site list. None: 2 × CONCURRENT_REQUESTS; 0: no bound
GOVSPIDER_SITES_IN_PROGRESS = None
GOVSPIDER_REDIS_URL = None  # set to share one round among several crawler processes
GOVSPIDER_RUN_ID = None  # names the shared run in Redis; the same for every process of it

ADDONS = {"govspider.distributed.DistributedCrawl": 0, "govspider.rendering.Rendering": 0}

EXTENSIONS = {"govspider.logmask.PasswordMaskExtension": 0, "govspider.progress.CrawlProgress": 500}
GOVSPIDER_PROGRESS_INTERVAL = 0  # seconds between progress lines; the CLI sets 10
GOVSPIDER_DETAIL_PAGES = 3  # detail pages opened for a list that shows no dates
GOVSPIDER_LIST_PAGES = 3  # extra list requests per column: frame, data endpoint, last page
GOVSPIDER_GUIDE_PAGES = 5  # guides opened per 办事指南 column (elements read, forms downloaded)
# JavaScript rendering (scrapy-playwright + Chromium) for lists only a browser can show
GOVSPIDER_RENDER = True  # False: such a column is reported 监测失败, never blank
GOVSPIDER_CHROMIUM = None  # browser binary; None: /usr/bin/chromium if present, else Playwright's
GOVSPIDER_RENDER_CONTEXTS = 1  # browser contexts at a time
GOVSPIDER_RENDER_PAGES = 4  # pages open at a time per context; each is closed after reading
