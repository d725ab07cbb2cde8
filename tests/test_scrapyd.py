"""A real scrapyd on 127.0.0.1: deploy the egg, schedule sites, find their snapshots."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
import zipfile

import pytest
import requests

from tests.services import ROOT, VENV_BIN, run_cli, scrapyd_server
from tests.test_e2e_crawl import stored_columns


def listjobs(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/listjobs.json?project=govspider", timeout=10) as resp:
        return json.loads(resp.read())


def wait_finished(base: str, job_ids: set[str], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        finished = {j["id"] for j in listjobs(base)["finished"]}
        if job_ids <= finished:
            return
        time.sleep(0.5)
    raise TimeoutError(f"scrapyd jobs not finished: {job_ids}")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    work = tmp_path_factory.mktemp("scrapyd")
    egg = work / "govspider.egg"
    subprocess.run(
        [str(VENV_BIN / "scrapyd-deploy"), "--build-egg", str(egg)],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    names = zipfile.ZipFile(egg).namelist()
    # the crawl and the store need their package data inside the egg; the scoring, the
    # command line and the demo farm never run in a scrapyd job and stay out
    for data in ("govspider/settings.py", "pipelines/migrations/env.py",
                 "pipelines/migrations/versions/0001_first_schema.py"):  # fmt: skip
        assert data in names, data
    left_out = [n for n in names if n.split("/")[0] in ("farm", "cli", "analysis", "exports")]
    assert not left_out, left_out
    with scrapyd_server(work / "node") as base:
        with egg.open("rb") as fh:
            resp = requests.post(
                f"{base}/addversion.json",
                data={"project": "govspider", "version": "1"},
                files={"egg": fh},
                timeout=60,
            )
        assert resp.json()["status"] == "ok", resp.text
        yield base, work


def schedule(base, sites_file, db_url, *extra):
    return run_cli(
        "schedule", "--scrapyd", base, "--sites", str(sites_file), "--db", db_url,
        "--round", "2026Q2", *extra,
    )  # fmt: skip


def test_schedule_one_site_through_scrapyd(deployed, farm_server, tmp_path):
    base, _ = deployed
    sites_file = farm_server.write_site_list(tmp_path / "sites.yaml")
    db = tmp_path / "scrapyd.db"
    result = schedule(base, sites_file, f"sqlite:///{db}", "--site", "portal")
    assert result.returncode == 0, result.stderr
    jobs = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("已推送")}
    assert len(jobs) == 1 and next(iter(jobs)).startswith("crawl--portal--")
    wait_finished(base, jobs)
    truth = farm_server.truth()["portal"]
    assert set(stored_columns(db, "portal")) == {c["url"] for c in truth["columns"]}


def test_no_duplicate_jobs_and_a_bounded_queue(deployed, farm_server, tmp_path):
    base, _ = deployed
    sites_file = farm_server.write_site_list(tmp_path / "sites.yaml")
    db_url = f"sqlite:///{tmp_path / 'q.db'}"
    ids = ["edu", "civil", "audit"]
    first = schedule(base, sites_file, db_url, "--site", ",".join(ids), "--max-pending", "1",
                     "--no-wait")  # fmt: skip
    # one job fits the queue of one; the others wait for the next run
    assert first.returncode == 3, first.stdout + first.stderr
    lines = first.stdout.splitlines()
    assert sum(ln.startswith("已推送") for ln in lines) == 1
    assert sum(ln.startswith("未推送") for ln in lines) == 2
    again = schedule(base, sites_file, db_url, "--site", ",".join(ids), "--max-pending", "50")
    assert again.returncode == 0, again.stderr
    pushed_first = [ln.split()[1] for ln in first.stdout.splitlines() if ln.startswith("已推送")]
    site_of_first = pushed_first[0].split("--")[1]
    listed = listjobs(base)
    busy = {j["id"] for j in listed["pending"] + listed["running"]}
    if pushed_first[0] in busy:  # still queued or running: it must not be pushed twice
        assert f"跳过 {site_of_first}" in again.stdout
    pushed_again = {ln.split()[1] for ln in again.stdout.splitlines() if ln.startswith("已推送")}
    assert {p.split("--")[1] for p in pushed_again} >= set(ids) - {site_of_first}
    wait_finished(base, set(pushed_first) | pushed_again)


def test_probe_jobs_through_scrapyd(deployed, farm_server, tmp_path):
    import sqlite3

    base, _ = deployed
    sites_file = farm_server.write_site_list(tmp_path / "sites.yaml")
    db = tmp_path / "probe.db"
    result = schedule(base, sites_file, f"sqlite:///{db}", "--site", "portal,water", "--probe",
                      "--shard-size", "2")  # fmt: skip
    assert result.returncode == 0, result.stderr
    jobs = {ln.split()[1] for ln in result.stdout.splitlines() if ln.startswith("已推送")}
    assert len(jobs) == 1 and next(iter(jobs)).startswith("probe--portal+water--")
    wait_finished(base, jobs)
    rows = dict(sqlite3.connect(db).execute("SELECT site_id, status FROM probe_result"))
    assert rows == {"portal": 200, "water": 500}
