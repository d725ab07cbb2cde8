"""Machine-readable copies of the report: CSV files and one JSON document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd

from analysis.report import Report
from exports.sheet import csv_frame


def write_csv(report: Report, directory: str | Path) -> list[Path]:
    """sites.csv, columns.csv, findings.csv, rerun.csv (UTF-8 with BOM so Excel reads it);
    text that a spreadsheet would take for a formula gets a leading '."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    frames = {
        "sites": report.sites,
        "columns": report.columns,
        "findings": report.findings,
        "rerun": pd.DataFrame(
            [dataclasses.asdict(r) for r in report.rerun],
            columns=["site_id", "site_name", "reason"],
        ),
    }
    paths = []
    for name, frame in frames.items():
        path = out / f"{name}.csv"
        csv_frame(frame).to_csv(path, index=False, encoding="utf-8-sig")
        paths.append(path)
    return paths


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def report_dict(report: Report) -> dict:
    """The report as plain JSON-ready data."""
    return {
        "as_of": report.as_of.isoformat(),
        "profile": report.profile_name,
        "round": report.round,
        "unmeasured": report.unmeasured,
        "sites": _records(report.sites),
        "columns": _records(report.columns),
        "findings": _records(report.findings),
        "rerun": [dataclasses.asdict(r) for r in report.rerun],
    }


def write_json(report: Report, path: str | Path) -> Path:
    """One JSON document with sites, columns, findings and the re-run list."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_dict(report), ensure_ascii=False, indent=2), "utf-8")
    return path
