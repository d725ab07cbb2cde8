"""A bulk sheet's rows written by a forked process while this one writes the other sheets.

At 10,000 sites the 栏目明细 sheet alone (about 630,000 rows) is a third of writing the
workbook. Its rows depend on the report only, so a child process made by fork (which
shares the report with this one, copy-on-write, at no cost) writes them into the sheet's
spool file (exports.bulk) while the parent writes the rest; `join` then takes back what
the sheet needs to be finished and saved (Sheet.tally: its row count, column widths and
hyperlinks).

The child must not register a style the parent does not have (the cell XML names styles
by their index in the workbook): every style a data cell of the sheet can have is
registered before the fork, and a child that would still add one gives up. Whenever the
child cannot be used (no fork on this system, threads running in this process, a small
sheet, the child failing), the rows are written here instead, with the same result.
"""

from __future__ import annotations

import os
import pickle
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from itertools import product

from openpyxl.cell.cell import Cell

from exports.sheet import Sheet

PARALLEL_ROWS = 50_000  # fewer rows than this: written here (a fork costs ~50 ms)
# threads besides this one (in a test run, servers of earlier tests) may hold a lock the
# child would wait on for ever; the report command has none. Tests may allow them.
FORK_BESIDE_THREADS = False
JOIN_SECONDS = 600.0  # far above a sheet's seconds (10,000 sites: ~8 s)


def _register_styles(sheet: Sheet) -> None:
    """Every style a data cell of the sheet can take, registered now (see the module)."""
    keys = set()
    for col in range(1, len(sheet.headers) + 1):
        links = (False, True) if col in sheet._links else (False,)
        for fill, quoted, date, link in product((False, True), (False, True), (False, True),
                                                links):  # fmt: skip
            keys.add((False, fill, quoted, date, col in sheet._wrap, link))
    for key in sorted(keys):
        if key not in sheet._style_ids:
            cell = Cell(sheet.ws, value=None)
            sheet._style(cell, *key)
            sheet._style_ids[key] = cell.style_id


class ForkedRows:
    """fill(sheet) run in a forked child when worth it; join() before the sheet is
    finished. `rows`: how many data rows fill will write (to judge whether to fork)."""

    def __init__(self, sheet: Sheet, fill: Callable[[Sheet], None], rows: int) -> None:
        self.sheet, self.fill = sheet, fill
        self.pid: int | None = None
        self.forked = False  # the rows came from the child (for tests and the bench)
        self._state = None
        if sheet._bulk is None:
            raise ValueError(f"{sheet.ws.title}: only a bulk sheet can be written by a child")
        _register_styles(sheet)  # forked or not: the same styles in the same order
        threads = threading.active_count() > 1 and not FORK_BESIDE_THREADS
        if rows < PARALLEL_ROWS or not hasattr(os, "fork") or threads:
            return
        sheet._bulk.flush()  # nothing of the parent's left in a buffer the child inherits
        sheet._bulk.file.flush()
        self._state = tempfile.NamedTemporaryFile(prefix="govspider-sheet-", delete=False)  # noqa: SIM115
        self._state.close()
        self.pid = os.fork()
        if self.pid == 0:
            self._in_child()  # never returns

    def _in_child(self) -> None:
        code = 1
        try:
            styles = len(self.sheet.ws.parent._cell_styles)
            self.fill(self.sheet)
            if len(self.sheet.ws.parent._cell_styles) != styles:
                raise RuntimeError("a style not registered before the fork")
            self.sheet._bulk.flush()
            self.sheet._bulk.file.flush()
            state = self.sheet.tally()
            code = 0
        except BaseException:  # noqa: BLE001 - told to the parent, which writes the rows
            state = {"error": traceback.format_exc()}
        try:
            with open(self._state.name, "wb") as out:
                pickle.dump(state, out)
        finally:
            os._exit(code)  # no atexit handlers, no flushing the parent's buffers twice

    def _wait(self) -> int:
        """The child's wait status; a child not done within JOIN_SECONDS is killed (its
        rows are then written here: a stuck child never holds the report up for good)."""
        deadline = time.monotonic() + JOIN_SECONDS
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                return os.waitpid(self.pid, 0)[1]
            time.sleep(0.02)

    def join(self) -> None:
        """The rows in the sheet: taken from the child, or written here."""
        if self.pid is None:
            self.fill(self.sheet)
            return
        status = self._wait()
        self.pid = None
        try:
            with open(self._state.name, "rb") as data:
                state = pickle.load(data)
        except (OSError, EOFError, pickle.UnpicklingError):
            state = {"error": f"no result (wait status {status})"}
        finally:
            os.unlink(self._state.name)
        if os.waitstatus_to_exitcode(status) != 0 or "error" in state:
            bulk = self.sheet._bulk  # start the spool again, as if the child never ran
            bulk.file.seek(0)
            bulk.file.truncate()
            self.fill(self.sheet)
            return
        self.sheet._bulk.file.seek(0, os.SEEK_END)  # the child wrote through the same file
        self.sheet.resume(state)
        self.forked = True

    def finish(self) -> None:
        """join(), then the sheet's widths, filter and print set-up (Sheet.finish)."""
        self.join()
        self.sheet.finish()
