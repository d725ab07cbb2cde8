"""govspider: quarterly monitoring of government websites (政府网站抽查监测)."""

import sys

from setuptools import find_namespace_packages, setup

CRAWL = ["govspider*", "pipelines*"]
# a scrapyd job only crawls and stores: its egg carries the crawl and the pipelines, not
# the scoring, the workbook, the command line or the demo farm
EGG_BUILD = any(cmd.startswith("bdist_") and "egg" in cmd for cmd in sys.argv)
PACKAGES = CRAWL if EGG_BUILD else [*CRAWL, "analysis*", "exports*", "cli*", "farm*"]
# an egg builds in a folder of its own: a wheel or an editable install left build/lib with
# every package in it, and bdist_egg would pack those too
OPTIONS = {"build": {"build_base": "build/egg"}} if EGG_BUILD else {}

setup(
    name="govspider",
    version="0.1.0",
    description="Crawl government websites, score them against the national indicators, "
    "and write the monitoring workbook",
    python_requires=">=3.11",
    # namespace discovery: data folders (analysis/profiles, analysis/data) are packages too
    packages=find_namespace_packages(include=PACKAGES, exclude=["*.__pycache__"]),
    # eggs and wheels carry only package data declared here; each data folder is a
    # package of its own (analysis.data, analysis.profiles), declared under its own name so
    # setuptools does not warn that it is "absent from the packages configuration"
    package_data={
        "govspider": ["data/*"],
        "farm": ["*.yaml", "*.json"],
        "analysis.data": ["*.yaml"],
        "analysis.profiles": ["*.yaml"],
        "pipelines": ["migrations/*", "migrations/**/*", "alembic.ini"],
    },
    include_package_data=True,
    options=OPTIONS,
    install_requires=[
        "scrapy>=2.13",
        "scrapy-playwright>=0.0.40",
        "sqlalchemy>=2.0",
        "pandas>=2.0",
        "openpyxl>=3.1",
        "dateparser>=1.2",
        "pyyaml>=6",
        "alembic>=1.13",
        "aiohttp>=3.9",  # availability probes and the link checker
        "python-docx>=1.1",  # the draft 通报
        "htmldate>=1.9",  # a runner-up candidate of a detail page's date
    ],
    extras_require={
        "postgres": ["psycopg2-binary>=2.9"],
        "distributed": ["scrapy-redis>=0.9", "redis>=5"],
        "dev": [
            "pytest>=8",
            "ruff>=0.5",
            "scrapyd>=1.4",
            "scrapyd-client>=1.2",
            "requests",
            "hypothesis>=6",
            "wheel",  # tests/test_packaging.py builds a wheel offline (no build isolation)
        ],
        # the peers the link checker and the detail-page dates are measured against
        # (htmldate is a product dependency; GNE and gerapy-auto-extractor are peers
        # only: bench/real_dates.py); py-spy profiles
        "bench": ["linkchecker>=10", "gne>=0.3", "gerapy-auto-extractor>=0.2", "py-spy>=0.3"],
    },
    entry_points={
        "scrapy": ["settings = govspider.settings"],
        "console_scripts": ["govspider = cli.main:main"],
    },
)
