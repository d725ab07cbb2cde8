"""A database password never appears in the crawl's log, the CLI's messages or the workbook.

A real PostgreSQL cluster (trust auth, so any password is accepted) and a real crawl of a
one-page site on 127.0.0.1, logged at DEBUG; the password is then looked for everywhere."""

from __future__ import annotations

import io
import logging
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cli import exitcodes
from govspider.logmask import install_password_mask
from pipelines.dburl import mask_passwords, masked
from tests.conftest import FROZEN_NOW
from tests.services import free_port, postgres_server, run_cli

SECRET = "Pw-7hunter2-zq"
PAGE = """<html><head><meta charset="utf-8"></head><body><div class="nav"><ul>
<li><a href="/tzgg/">通知公告</a></li></ul></div><ul class="list">
<li><a href="/tzgg/1.html">关于做好防汛工作的通知</a><span>2026-06-28</span></li>
</ul></body></html>""".encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _with_password(url: str) -> str:
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{SECRET}@{host}"


def workbook_text(path) -> str:  # noqa: ANN001
    with zipfile.ZipFile(path) as book:
        return "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())


@pytest.mark.slow
def test_the_password_is_in_no_log_message_or_workbook(site, tmp_path):
    sites = tmp_path / "sites.yaml"
    sites.write_text(f"- {{id: s, name: 江城市某局, url: '{site}'}}\n", encoding="utf-8")
    log = tmp_path / "crawl.log"
    with postgres_server() as plain:
        url = _with_password(plain)
        outputs = []
        upgrade = run_cli("db", "upgrade", "--db", url)
        assert upgrade.returncode == exitcodes.OK, upgrade.stderr[-2000:]
        outputs.append(upgrade.stdout + upgrade.stderr)
        crawl = run_cli(
            "--log-level", "DEBUG", "crawl", "--sites", str(sites), "--db", url,
            "--now", FROZEN_NOW, "-s", f"LOG_FILE={log}", "-s", "GOVSPIDER_RENDER=False",
            # Scrapy echoes its own settings it was given: the log mask must catch this one
            "-s", f"HTTPCACHE_DIR={url}",
        )  # fmt: skip
        outputs.append(crawl.stdout + crawl.stderr + log.read_text(encoding="utf-8"))
        assert crawl.returncode == exitcodes.OK, outputs[-1][-3000:]
        assert "关于做好防汛工作的通知" in outputs[-1]  # the DEBUG log really was written
        assert f"'HTTPCACHE_DIR': '{masked(url)}'" in outputs[-1]
        # the same URL given as a Scrapy setting and through the environment
        again = run_cli(
            "--log-level", "DEBUG", "crawl", "--sites", str(sites),
            "-s", f"GOVSPIDER_DATABASE_URL={url}", "--now", FROZEN_NOW,
        )  # fmt: skip
        outputs.append(again.stdout + again.stderr)
        book = tmp_path / "r.xlsx"
        report = run_cli(
            "--log-level", "DEBUG", "report", "--as-of", "2026-06-30", "--out", str(book),
            env={"GOVSPIDER_DATABASE_URL": url},
        )  # fmt: skip
        outputs.append(report.stdout + report.stderr)
        assert report.returncode in (exitcodes.OK, exitcodes.INCOMPLETE), report.stderr[-2000:]
        outputs.append(workbook_text(book))
        # errors: a wrong database name and a closed port, both naming the URL
        wrong = run_cli("report", "--db", url.rsplit("/", 1)[0] + "/nosuchdb", "--out", "x.xlsx")
        assert wrong.returncode == exitcodes.USAGE
        outputs.append(wrong.stdout + wrong.stderr)
    closed = _with_password(f"postgresql://gov@127.0.0.1:{free_port()}/g")
    for command in (
        ["report", "--out", "x.xlsx"],
        ["db", "upgrade"],
        ["crawl", "--sites", str(sites)],
    ):
        result = run_cli(*command, "--db", closed)
        assert result.returncode == exitcodes.USAGE
        assert "***" in result.stderr  # the URL is named, masked
        outputs.append(result.stdout + result.stderr)
    leaks = [i for i, text in enumerate(outputs) if SECRET in text]
    assert leaks == [], [outputs[i][outputs[i].find(SECRET) - 300 :][:600] for i in leaks]


def test_url_passwords_are_masked_and_nothing_else_changes():
    text = f"无法连接 postgresql+psycopg2://gov:{SECRET}@db.local:5432/g, 见 http://a.gov.cn:80/x?u=a@b"
    assert mask_passwords(text) == (
        "无法连接 postgresql+psycopg2://gov:***@db.local:5432/g, 见 http://a.gov.cn:80/x?u=a@b"
    )
    assert mask_passwords(mask_passwords(text)) == mask_passwords(text)


def test_a_logged_message_and_traceback_are_masked():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("govspider.test_secrets")
    logger.addHandler(handler)
    url = f"postgresql://gov:{SECRET}@127.0.0.1/g"
    try:
        install_password_mask()
        install_password_mask()  # twice: still one mask
        logger.error("cannot open %s", url)
        try:
            raise RuntimeError(f"connect failed: {url}")
        except RuntimeError:
            logger.exception("store failed")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert SECRET not in out
    assert out.count("postgresql://gov:***@127.0.0.1/g") == 2 and "Traceback" in out


def test_a_password_is_not_pushed_to_scrapyd(tmp_path):
    sites = tmp_path / "sites.yaml"
    sites.write_text("- {id: s, name: 江城市某局, url: 'http://127.0.0.1:9/'}\n", encoding="utf-8")
    node = f"http://127.0.0.1:{free_port()}"  # nothing listens: a push would fail loudly
    url = f"postgresql://gov:{SECRET}@127.0.0.1:5432/g"
    result = run_cli("schedule", "--scrapyd", node, "--sites", str(sites), "--db", url)
    assert result.returncode == exitcodes.USAGE
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "数据库地址含密码" in lines[0], result.stderr[-2000:]
    assert "postgresql://gov:***@127.0.0.1:5432/g" in lines[0]
    assert SECRET not in result.stdout + result.stderr


def test_a_record_no_handler_writes_is_not_formatted_and_one_written_is_masked():
    class Loud:
        formatted = 0

        def __repr__(self) -> str:
            Loud.formatted += 1
            return f"snapshot of postgresql://gov:{SECRET}@127.0.0.1/g"

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("govspider.test_secrets.levels")
    logger.addHandler(handler)
    logger.propagate = False  # only this handler, at INFO
    logger.setLevel(logging.DEBUG)
    try:
        install_password_mask()
        logger.debug("Scraped %r", Loud())  # below the handler's level: nobody reads it
        assert Loud.formatted == 0
        logger.info("Scraped %r", Loud())
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert Loud.formatted == 1
    assert SECRET not in stream.getvalue() and "gov:***@127.0.0.1" in stream.getvalue()
