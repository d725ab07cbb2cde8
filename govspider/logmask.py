"""No password in a log: every log record is made with URL passwords masked.

Installed by an extension (and by the `govspider` command), so a crawl started by
`govspider crawl`, `scrapy crawl` or a scrapyd node masks ``scheme://user:PASSWORD@`` in
every message and traceback it logs (a database URL in an error, a setting echoed at
DEBUG...) as ``scheme://user:***@``. A log-record factory rather than a handler filter:
Scrapy replaces its root handler after extensions are built, and other handlers (a log
file, scrapyd's) would miss a filter.
"""

from __future__ import annotations

import logging

from pipelines.dburl import mask_passwords


def _written(record: logging.LogRecord) -> bool:
    """Whether any handler the record reaches takes its level (Logger.callHandlers' own
    test, lastResort included). A record no handler writes needs no mask: Scrapy's DEBUG
    "Scraped from" line formats a whole site snapshot for every site, and at LOG_LEVEL
    INFO nothing ever reads it."""
    if not isinstance(record.levelno, int) or not isinstance(record.name, str):
        return True  # an unusual record (logging.makeLogRecord): mask it as always
    logger: logging.Logger | None = logging.getLogger(record.name)
    handlers = 0
    while logger is not None:
        for handler in logger.handlers:
            handlers += 1
            if record.levelno >= handler.level:
                return True
        logger = logger.parent if logger.propagate else None
    last = logging.lastResort
    return handlers == 0 and last is not None and record.levelno >= last.level


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with any URL password in its message, traceback or stack masked."""
    if not _written(record):
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string is logging's to report
        return record
    clean = mask_passwords(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_passwords(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_passwords(record.stack_info)
    return record


def install_password_mask() -> None:
    """Make every later log record through mask_record (once per process)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_passwords", False):
        return

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return mask_record(previous(*args, **kwargs))

    factory.masks_passwords = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class PasswordMaskExtension:
    """Scrapy extension: installs the mask in the crawling process."""

    @classmethod
    def from_crawler(cls, crawler) -> PasswordMaskExtension:  # noqa: ANN001
        install_password_mask()
        return cls()
