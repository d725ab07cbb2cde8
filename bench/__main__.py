"""`make bench`: every benchmark, each printing its own figures."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["bench.crawl_speed", "bench.render_memory", "bench.detail_dates", "bench.links"]


def main() -> int:
    for name in BENCHES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        print(f"\n=== {name} ===", flush=True)
        module.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
