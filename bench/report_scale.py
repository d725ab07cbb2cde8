"""`govspider report` over many stored site snapshots: seconds and peak memory against N.

Synthetic snapshots are written straight into a SQLite file (two rounds, so the report
also compares with the previous round for 整改情况): per site 60 columns of every rule
family (lists, pages, containers; fresh, stale, blank, failed), 10 home-page items, a
few non-column links, a 领导信箱 letter table (15 letters) and the page findings a crawl
stores (home page checked, marks, domain, two guides with a form each, an online system,
now and then a wording error).
Then the real command runs in a fresh process; its peak memory is the highest sum,
sampled every 50 ms, of the PSS of it and the processes it starts (the previous round's
scoring, two forked sheets), or its own peak RSS if that is higher.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pipelines.db import make_engine

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 6, 30)
ROUNDS = [("2026Q1", dt.datetime(2026, 3, 28, 10)), ("2026Q2", dt.datetime(2026, 6, 28, 10))]
COLUMNS_PER_SITE = 60
NAMES = ["工作动态", "通知公告", "政策解读", "政策文件", "人事信息", "规划计划", "领导信箱",
         "部门动态", "乡镇动态", "图片新闻", "办事指南", "表格下载", "意见征集", "在线访谈",
         "机构概况", "领导简介", "部门职责", "联系我们", "信息公开", "新闻中心"]  # fmt: skip
PAGES = {"机构概况", "领导简介", "部门职责", "联系我们"}
CONTAINERS = {"信息公开", "新闻中心"}
SECONDS_BUDGET, RSS_BUDGET_GB = 60.0, 2.0
LETTERS_AT = 6  # the column (领导信箱) that carries a letter table


def populate(db: Path, sites: int, seed: int = 15) -> None:
    """Write ``sites`` sites × 2 rounds of snapshots into the SQLite file ``db``."""
    make_engine(f"sqlite:///{db}").dispose()  # the schema
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    snap_id = col_id = 0
    snaps, cols, home, noncol, found, letters = [], [], [], [], [], []
    for rnd, crawled in ROUNDS:
        for n in range(sites):
            snap_id += 1
            sid = f"s{n:05d}"
            failed = rng.random() < 0.03
            base = f"http://127.0.0.1/{sid}/"
            snaps.append((snap_id, rnd, sid, f"测试县{n:05d}人民政府", f"组{n % 20}", base,
                          crawled, crawled, "failed" if failed else "ok",
                          "连接超时" if failed else "", None if failed else 200, 80, 0,
                          "generic"))  # fmt: skip
            if failed:
                continue
            for k in range(COLUMNS_PER_SITE):
                col_id += 1
                name = NAMES[k % len(NAMES)] + ("" if k < len(NAMES) else str(k // len(NAMES)))
                root_name = NAMES[k % len(NAMES)]
                kind = "page" if root_name in PAGES else "list"
                status = "failed" if rng.random() < 0.02 else "ok"
                blank = status == "ok" and rng.random() < 0.05
                age = rng.choice([3, 10, 30, 90, 200, 400])
                newest = None if blank or status == "failed" else crawled.date() - dt.timedelta(age)
                cols.append((col_id, snap_id, name, f"{base}c{k}/index.html",
                             f"{root_name} > {name}" if k >= 20 else name, 1 + (k >= 20),
                             status, "页面超时" if status == "failed" else "", 200,
                             0 if blank else 20, newest, blank, "暂无信息" if blank else "",
                             root_name in CONTAINERS, "", base, "generic", False, kind,
                             "暂无信息" if blank else ""))  # fmt: skip
                if k == LETTERS_AT and status == "ok" and not blank:
                    letters += letter_rows(col_id, base, crawled.date(), rng)
            for k in range(10):
                day = crawled.date() - dt.timedelta(days=rng.randint(0, 30))
                home.append((snap_id, f"首页新闻{k}", f"{base}news/{k}.html", day, str(day)))
            for k in range(3):
                noncol.append((snap_id, f"登录{k}", f"{base}login{k}.html", "登录注册", base))
            found += [(snap_id, *row) for row in page_findings(base, rng)]
    con.executemany(f"INSERT INTO site_snapshot (id, round, site_id, site_name, \"group\", "
                    f"home_url, crawled_at, finished_at, status, error, home_status, "
                    f"pages_fetched, errors, cms) VALUES ({','.join('?' * 14)})",
                    snaps)  # fmt: skip
    con.executemany(f"INSERT INTO column_snapshot (id, snapshot_id, name, url, path, depth, "
                    f"status, error, http_status, item_count, newest_date, blank, placeholder, "
                    f"is_container, category, found_on, cms, rendered, kind, blank_evidence) "
                    f"VALUES ({','.join('?' * 20)})", cols)  # fmt: skip
    con.executemany("INSERT INTO home_entry (snapshot_id, title, url, date, date_text) "
                    "VALUES (?,?,?,?,?)", home)  # fmt: skip
    con.executemany("INSERT INTO non_column (snapshot_id, name, url, reason, found_on) "
                    "VALUES (?,?,?,?,?)", noncol)  # fmt: skip
    con.executemany("INSERT INTO column_entry (column_id, title, url, date, date_text, "
                    "date_source, pinned, reply_date, status) VALUES (?,?,?,?,?,?,?,?,?)",
                    letters)  # fmt: skip
    con.executemany("INSERT INTO page_finding (snapshot_id, kind, page_url, text, correct, "
                    "context, note) VALUES (?,?,?,?,?,?,?)", found)  # fmt: skip
    con.commit()
    con.close()


def letter_rows(column_id: int, base: str, crawled: dt.date, rng: random.Random) -> list[tuple]:
    """A 领导信箱 column's letter table: 15 letters over the year, most answered."""
    rows = []
    for i in range(15):
        sent = crawled - dt.timedelta(days=rng.randint(1, 400))
        answered = rng.random() < 0.85
        reply = sent + dt.timedelta(days=rng.randint(1, 30)) if answered else None
        state = "已回复" if answered else "未回复"
        rows.append((column_id, f"关于第{i}件事的咨询", f"{base}xx/{column_id}-{i}.html", sent,
                     str(sent), "list", False, reply, state))  # fmt: skip
    return rows


def page_findings(base: str, rng: random.Random) -> list[tuple]:
    """What a crawl stores of a site's page text, guides and online systems (kind, page,
    text, correct, context, note): the home page checked, its marks and domain, two
    guides with a form each, an online system, now and then a wording error."""
    guides = f"{base}c10/index.html"  # the 办事指南 column
    rows = [("checked", base, "首页", "", "已检查页面文字和网站标识", "")]
    marks = {"id_code": "网站标识码", "icp": "ICP备案编号", "police": "公安机关备案号",
             "party_gov": "党政机关网站标识"}  # fmt: skip
    rows += [("mark", base, key, name, f"{name} 12345", "") for key, name in marks.items()
             if rng.random() < 0.9]  # fmt: skip
    rows.append(("domain", base, "www.test.gov.cn", "", f"首页地址 {base}", ""))
    for g in range(2):
        page = f"{base}c10/{g}.html"
        missing = "联系电话" if rng.random() < 0.3 else ""
        failed = "HTTP 500" if rng.random() < 0.03 else ""
        rows.append(("guide", page, f"测试事项{g}办事指南", missing, guides, failed))
        broken = rng.random() < 0.1
        rows.append(("form", page, "申请表下载", "HTTP 200 application/msword",
                     f"{base}files/{g}.doc", "HTTP 404" if broken else ""))  # fmt: skip
    rows.append(("online", f"{base}c10/0.html", "在线办理", "HTTP 200 text/html 登录页",
                 f"{base}hall/", "HTTP 502" if rng.random() < 0.05 else ""))  # fmt: skip
    if rng.random() < 0.05:
        rows.append(("wording", f"{base}c0/1.html", "中华人民共合国", "中华人民共和国",
                     "依据中华人民共合国有关法律", ""))  # fmt: skip
    return rows


def score_only(db: str) -> None:
    """The analysis stage alone (read, score, compare rounds), as the report runs it."""
    from analysis.report import build_report

    build_report(make_engine(db), AS_OF, round=ROUNDS[-1][0])


def _tree_pss_kib(root: int) -> int:
    """Proportional set size, in KiB, of the process `root` and all its descendants now.

    PSS, not RSS: a forked child shares the parent's pages until it writes them, and RSS
    would count every shared page once per process (Linux, /proc/<pid>/smaps_rollup)."""
    parent_of: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as fh:
                    # the ppid follows the parenthesised command name
                    parent_of[int(entry.name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # gone meanwhile
                continue
    total = 0
    for pid in parent_of:
        at = pid
        while at and at != root:
            at = parent_of.get(at, 0)
        if at != root:
            continue
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
        except OSError:
            continue
    return total


class TreeMemory:
    """The peak, over time, of the summed PSS of a process and its children (the report
    scores the previous round and writes two sheets in other processes: the budget is for
    all of them together)."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every, self.peak_kib = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, _tree_pss_kib(self.pid))
            self._stop.wait(self.every)

    def stop(self) -> float:
        """The peak in MiB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024


def run_report(db: Path, out: Path | None) -> tuple[float, float, float]:
    """(seconds, peak memory in MiB, CPU seconds) of `govspider report` on the latest
    round, or with no ``out`` of its analysis stage alone (no workbook). Memory: see the
    module; the CPU seconds are of all its processes. On a shared machine the CPU seconds
    (user + system) vary far less than the wall-clock seconds."""
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "cli", "report", "--db", f"sqlite:///{db}", "--as-of",
           AS_OF.isoformat(), "--round", ROUNDS[-1][0], "--out", str(out)]  # fmt: skip
    if out is None:
        cmd = [sys.executable, "-m", "bench.report_scale", "--score-only", f"sqlite:///{db}"]
    before = os.times()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = TreeMemory(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
    seconds = time.perf_counter() - t0
    tree_mib = memory.stop()
    after = os.times()  # children's CPU: the report and the process it started
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    # exit 1 (INCOMPLETE): the report was written, and says which sites were not scored
    # (the synthetic rounds have failed sites on purpose)
    written = out is not None and out.exists() and os.waitstatus_to_exitcode(status) == 1
    if status != 0 and not written:
        raise RuntimeError(f"govspider report 失败：{proc.stderr.read().decode()[-2000:]}")
    return seconds, max(tree_mib, usage.ru_maxrss / 1024), cpu


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--score-only", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--no-workbook", action="store_true", help="the analysis stage only")
    parser.add_argument("--workdir", help="keep the databases here and reuse them when present")
    args = parser.parse_args(argv)
    if args.score_only:
        score_only(args.score_only)
        return {}
    sizes = [int(s) for s in args.sizes.split(",")]
    figures = {}
    with tempfile.TemporaryDirectory(prefix="govspider-report-") as tmp:
        for n in sizes:
            db = Path(args.workdir or tmp) / f"report-{n}.db"
            t0 = time.perf_counter()
            if not db.exists():
                db.parent.mkdir(parents=True, exist_ok=True)
                part = db.with_suffix(".part")  # renamed once whole: never reuse half a file
                part.unlink(missing_ok=True)
                populate(part, n)
                part.rename(db)
            made = time.perf_counter() - t0
            s_score, rss_score, cpu_score = run_report(db, None)
            print(f"  analysis of {n:6d} sites × {COLUMNS_PER_SITE} columns × 2 rounds: "
                  f"{s_score:6.1f} s ({cpu_score:.1f} s CPU), peak memory {rss_score:5.0f} MiB "
                  f"(database written in {made:.0f} s)", flush=True)  # fmt: skip
            if args.no_workbook:
                continue
            seconds, rss, cpu = run_report(db, Path(tmp) / f"report-{n}.xlsx")
            figures[n] = (seconds, rss, cpu)
            print(f"  govspider report of {n:6d} sites (with the workbook): "
                  f"{seconds:6.1f} s ({cpu:.1f} s CPU), peak memory {rss:5.0f} MiB",
                  flush=True)  # fmt: skip
    if 10000 in figures:
        for line in budget_lines(*figures[10000]):
            print(line)
    return figures


def budget_lines(seconds: float, rss: float, cpu: float) -> list[str]:
    """The budget (10,000 sites ≤ 60 s and ≤ 2 GB on 2 cores), met or not, by wall-clock
    seconds; with the CPU seconds of both report processes and the load average, since on
    a shared machine the wall-clock seconds include waiting for other processes."""
    memory = rss <= RSS_BUDGET_GB * 1024
    met = seconds <= SECONDS_BUDGET and memory
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        f"  budget 10,000 sites ≤ {SECONDS_BUDGET:.0f} s and ≤ {RSS_BUDGET_GB:.0f} GB on "
        f"{os.cpu_count()} cores: {'met' if met else 'NOT met'} "
        f"({seconds:.1f} s wall-clock, peak memory {rss:.0f} MiB, PSS of all its processes)",
        f"  CPU seconds of the report's processes: {cpu:.1f} s; load average now {load}",
    ]


if __name__ == "__main__":
    main()
