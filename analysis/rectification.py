"""整改情况: each problem of a site's previous round, and whether it is still there now.

The previous round's snapshot is scored with the same profile at its own time point (the
day it was crawled), so a problem compares like with like. A problem is 未整改 when the
same indicator still finds it now (for column rules: one of the same columns), 已整改
when it no longer does; a site not measured now cannot be judged.

Scoring the previous round is as much work as scoring this one, and needs nothing from
it: for a large round it runs in a second process (PreviousProblems) while this process
scores the current round, so that the report uses both cores.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from analysis.engine import run
from analysis.facts import FactSet, load_snapshot_facts
from analysis.profiles import Profile

RECTIFIED, NOT_RECTIFIED, UNKNOWN = "已整改", "未整改", "本轮监测失败,无法判断"
RECTIFICATION_COLUMNS = ["site_id", "site_name", "previous_round", "problem", "status"]
PROBLEM_COLUMNS = ["site_id", "rule_id", "text", "evidence"]
PROBLEM_STATUSES = ("veto", "deduction")
# previous snapshots from which a second process pays for its start (about a second)
PARALLEL_FROM = 500
CHILD_SECONDS = 1800.0  # far above its work (10,000 sites: ~15 s); then it is killed


def _urls(evidence: str) -> set[str]:
    return {
        word for word in str(evidence or "").split() if word.startswith(("http://", "https://"))
    }


def previous_problems(
    engine: Engine, profile: Profile, prev: pd.DataFrame, drop: Callable | None = None
) -> pd.DataFrame:
    """The problems (veto, deduction) of each previous snapshot in `prev`
    (previous_snapshots()), scored at its own crawl day: site_id, rule_id, text, evidence.
    `drop` leaves out overruled findings: a 误报 was never a problem, so it cannot be 已整改."""
    if prev.empty:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    facts = load_snapshot_facts(engine, [int(i) for i in prev["prev_id"]])
    # scored once per crawl day (not once per site): the problems of a site do not depend
    # on the other sites scored with it
    days = [pd.Timestamp(v).date() for v in prev["prev_crawled_at"]]
    problems = []
    for day in sorted(set(days)):
        ids = set(prev.loc[[d == day for d in days], "site_id"])
        facts_day = FactSet(
            facts.sites[facts.sites["site_id"].isin(ids)],
            facts.columns[facts.columns["site_id"].isin(ids)],
            facts.home[facts.home["site_id"].isin(ids)],
        )
        found = run(profile, facts_day, day, drop).findings
        problems.append(found.loc[found["status"].isin(PROBLEM_STATUSES), PROBLEM_COLUMNS])
    return pd.concat(problems, ignore_index=True)


class PreviousProblems:
    """previous_problems() of a report's previous snapshots, started when made and
    collected by result(): in a second process when there are many and the database is
    one another process can open, else in this process when asked for.

    The second process is `python -m analysis.previous_round` (not multiprocessing, which
    would import the caller's main module again), handed its input and output as pickle
    files in a temporary folder."""

    def __init__(self, engine: Engine, profile: Profile, prev: pd.DataFrame,
                 decisions: dict) -> None:  # fmt: skip
        self.engine, self.profile, self.prev, self.decisions = engine, profile, prev, decisions
        self._child: subprocess.Popen | None = None
        self._folder: tempfile.TemporaryDirectory | None = None
        if len(prev) >= PARALLEL_FROM and _shareable(engine):
            self._start()

    def _start(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="govspider-previous-")
        folder = Path(self._folder.name)
        url = self.engine.url.render_as_string(hide_password=False)
        with open(folder / "in.pickle", "wb") as out:
            pickle.dump((url, self.profile, self.prev, self.decisions), out)
        root = str(Path(__file__).resolve().parents[1])  # where this package is imported from
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH", "")) if p
        )}  # fmt: skip
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "analysis.previous_round", str(folder)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:  # cannot start one here: the round is scored in this process
            print(f"上轮评分的第二进程无法启动({exc}),改在本进程评分", file=sys.stderr)
            self._folder.cleanup()
            self._folder = None

    @property
    def parallel(self) -> bool:
        return self._child is not None

    def __enter__(self) -> PreviousProblems:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._child is not None and self._child.poll() is None:
            self._child.kill()  # a report that failed does not wait for it
            self._child.wait()
        if self._folder is not None:
            self._folder.cleanup()

    def result(self) -> pd.DataFrame:
        from analysis.review import Overrules

        if self._child is None:
            return previous_problems(
                self.engine, self.profile, self.prev, Overrules(self.decisions)
            )
        try:
            _, err = self._child.communicate(timeout=CHILD_SECONDS)
        except subprocess.TimeoutExpired:  # stuck: killed, and the round scored here
            self._child.kill()
            _, err = self._child.communicate()
        out = Path(self._folder.name) / "out.pickle"
        if self._child.returncode == 0 and out.exists():
            with open(out, "rb") as data:
                return pickle.load(data)
        # the second process failed (killed, out of memory, cannot start): score it here
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["无输出"]
        print(f"上轮评分的第二进程失败(退出码{self._child.returncode}: {tail[0][:200]}),"
              "改在本进程评分", file=sys.stderr)  # fmt: skip
        return previous_problems(self.engine, self.profile, self.prev, Overrules(self.decisions))


def problems_in_this_process(folder: Path) -> None:
    """The second process's work: read folder/in.pickle, write folder/out.pickle."""
    from analysis.review import Overrules
    from pipelines.db import snapshot_engine

    with open(folder / "in.pickle", "rb") as data:
        url, profile, prev, decisions = pickle.load(data)
    engine = snapshot_engine(url)
    try:
        found = previous_problems(engine, profile, prev, Overrules(decisions))
    finally:
        engine.dispose()
    part = folder / "out.part"
    with open(part, "wb") as out:
        pickle.dump(found, out)
    part.rename(folder / "out.pickle")  # whole or absent


def _shareable(engine: Engine) -> bool:
    """A database a second process reaches by the same URL (not SQLite in memory)."""
    url = engine.url
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def compare_rounds(
    sites: pd.DataFrame, findings: pd.DataFrame, prev: pd.DataFrame, before: pd.DataFrame
) -> pd.DataFrame:
    """Rows of (site, previous round, previous problem, 已整改/未整改) for the report's sites;
    `prev` is previous_snapshots() of those sites and `before` their previous_problems()."""
    prev = prev[prev["site_id"].isin(sites["site_id"])]
    if prev.empty:
        return pd.DataFrame(columns=RECTIFICATION_COLUMNS)
    rows = []
    names = sites.set_index("site_id")["site_name"].to_dict()
    results = sites.set_index("site_id")["result"].to_dict()
    # each site's problems as plain (rule, text, evidence) tuples: no frame per problem
    before_of: dict[str, list[tuple]] = {}
    for sid, rule, text, evidence in zip(
        before["site_id"].astype(str), before["rule_id"], before["text"], before["evidence"],
        strict=True,
    ):  # fmt: skip
        before_of.setdefault(sid, []).append((rule, text, evidence))
    now_of: dict[str, dict[str, list]] = {}
    found = findings[findings["status"].isin(PROBLEM_STATUSES)]
    for sid, rule, evidence in zip(
        found["site_id"].astype(str), found["rule_id"], found["evidence"], strict=True
    ):
        now_of.setdefault(sid, {}).setdefault(rule, []).append(evidence)
    for p in prev.itertuples():
        now = now_of.get(str(p.site_id), {})
        for rule, text, evidence in before_of.get(str(p.site_id), []):
            if results.get(p.site_id) == "监测失败":
                status = UNKNOWN
            else:
                same = now.get(rule, [])
                old_urls = _urls(evidence)
                still = bool(same) and (not old_urls or any(old_urls & _urls(e) for e in same))
                status = NOT_RECTIFIED if still else RECTIFIED
            rows.append(
                {
                    "site_id": p.site_id,
                    "site_name": names.get(p.site_id, p.site_id),
                    "previous_round": p.prev_round,
                    "problem": text,
                    "status": status,
                }
            )
    return pd.DataFrame(rows, columns=RECTIFICATION_COLUMNS)
