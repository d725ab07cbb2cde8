"""Packaging: a wheel carries every package and its data, an egg only the crawl; neither
build warns about data folders missing from the packages configuration."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.services import ROOT

pytestmark = pytest.mark.slow

DATA_FILES = [
    "analysis/data/categories.yaml",
    "analysis/profiles/national-2019.yaml",
    "analysis/profiles/xianning-2019.yaml",
    "pipelines/migrations/env.py",
    "pipelines/migrations/versions/0001_first_schema.py",
    "govspider/data/non_columns.yaml",
    "farm/farm.yaml",
]
SETUPTOOLS_WARNING = "absent from the `packages` configuration"


def test_wheel_carries_the_data_folders_without_warnings(tmp_path):
    # offline: the venv's setuptools and wheel, no build isolation (no registry needed)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path), str(ROOT)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert SETUPTOOLS_WARNING not in result.stdout + result.stderr
    (wheel,) = tmp_path.glob("govspider-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in DATA_FILES if f not in names]
    assert not missing, missing
    assert "cli/main.py" in names and "exports/workbook.py" in names


def test_egg_carries_only_the_crawl_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "setup.py", "bdist_egg", "-d", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert SETUPTOOLS_WARNING not in result.stdout + result.stderr
    (egg,) = tmp_path.glob("govspider-*.egg")
    names = zipfile.ZipFile(egg).namelist()
    tops = {n.split("/")[0] for n in names if "/" in n} - {"EGG-INFO"}
    assert tops == {"govspider", "pipelines"}
    assert "pipelines/migrations/versions/0004_crawl_run_outcome.py" in names
    assert "govspider/data/non_columns.yaml" in names
