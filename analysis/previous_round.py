"""The second process of a report: scores the previous round (see analysis.rectification)."""

import sys
from pathlib import Path

from analysis.rectification import problems_in_this_process

if __name__ == "__main__":
    problems_in_this_process(Path(sys.argv[1]))
