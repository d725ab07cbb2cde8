"""govspider: quarterly monitoring of government websites (政府网站抽查监测)."""

from setuptools import find_packages, setup

setup(
    name="govspider",
    version="0.1.0",
    description="Crawl government websites, score them against the national indicators, "
    "and write the monitoring workbook",
    python_requires=">=3.11",
    packages=find_packages(include=["govspider*", "pipelines*", "analysis*", "exports*"]),
    # scrapyd eggs only carry package data declared here
    package_data={
        "govspider": ["demo/*.yaml", "demo/*.json", "demo/**/*", "data/*"],
        "analysis": ["profiles/*.yaml", "data/*.yaml"],
        "pipelines": ["migrations/*", "migrations/**/*", "alembic.ini"],
    },
    include_package_data=True,
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
    ],
    extras_require={
        "postgres": ["psycopg2-binary>=2.9"],
        "distributed": ["scrapy-redis>=0.9", "redis>=5"],
        "dev": ["pytest>=8", "ruff>=0.5", "scrapyd>=1.4", "scrapyd-client>=1.2", "requests"],
        "bench": ["linkchecker>=10"],  # the peer the link checker is measured against
    },
    entry_points={
        "scrapy": ["settings = govspider.settings"],
        "console_scripts": ["govspider = govspider.cli:main"],
    },
)
