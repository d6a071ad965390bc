"""A small progress bar for the command line, on a terminal only.

The ``spatialinno`` command runs permutation tests on several columns (and, in the demo, on 14
years of a panel), which takes a few seconds. On a terminal the user sees a one-line bar on stderr;
in CI logs, when stderr is redirected to a file or pipe, or with ``--quiet`` it prints nothing, so
logs stay readable (a bar redrawn with ``\\r`` turns into hundreds of lines in a log file). No
dependency: tqdm would be the obvious choice but is not needed for a bar this simple.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress", "StepLog", "progress_enabled"]

# redraw at most every 0.1 s: a terminal that receives thousands of redraws per second slows the
# work it is reporting on
_MIN_INTERVAL = 0.1
_BAR_WIDTH = 24


def progress_enabled(stream: TextIO | None = None, quiet: bool = False) -> bool:
    """Whether a progress bar should be drawn on ``stream`` (stderr by default).

    False with ``quiet``, when the ``CI`` environment variable is set to anything but an empty
    string, ``0`` or ``false`` (GitHub Actions, GitLab CI and most CI services set ``CI=true``), or
    when the stream is not a terminal (redirected to a file or a pipe).

    >>> import io
    >>> progress_enabled(io.StringIO())   # not a terminal
    False
    >>> progress_enabled(quiet=True)
    False
    """
    if quiet:
        return False
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false"):
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or file-like objects without isatty
        return False


class Progress:
    """One-line progress bar: ``analyze [#########.......]  5/12  Moran's I: patents``.

    Parameters
    ----------
    total : int
        Number of steps.
    desc : str
        Label printed before the bar.
    enabled : bool, optional
        Force drawing on or off; by default :func:`progress_enabled` decides (terminal only).
    stream : file-like, optional
        Where to draw (stderr by default).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with Progress(3, "demo", enabled=True, stream=out) as bar:
    ...     for step in ("a", "b", "c"):
    ...         bar.advance(step)
    >>> out.getvalue().rstrip().splitlines()[-1].split("\\r")[-1]
    'demo [########################] 3/3 done'
    """

    def __init__(
        self,
        total: int,
        desc: str = "",
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
    ) -> None:
        self.total = max(int(total), 1)
        self.desc = desc
        self.stream = sys.stderr if stream is None else stream
        self.enabled = progress_enabled(self.stream) if enabled is None else bool(enabled)
        self.done = 0
        self._last_draw = 0.0
        self._width = 0

    def _draw(self, note: str, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < _MIN_INTERVAL:
            return
        self._last_draw = now
        filled = round(_BAR_WIDTH * min(self.done, self.total) / self.total)
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        text = f"{self.desc} [{bar}] {self.done}/{self.total} {note}".rstrip()
        # pad with spaces so that a shorter line fully overwrites the previous one
        pad = max(self._width - len(text), 0)
        self._width = len(text)
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()

    def start(self, note: str = "") -> None:
        """Show what is about to run (the bar does not move)."""
        self._draw(note, force=True)

    def advance(self, note: str = "", steps: int = 1) -> None:
        """Mark ``steps`` steps done; ``note`` says what was just finished or runs next."""
        self.done += steps
        self._draw(note, force=self.done >= self.total)

    def close(self) -> None:
        """Finish the line (only when something was drawn)."""
        if self.enabled and self._width:
            self.done = max(self.done, self.total)
            self._last_draw = 0.0
            self._draw("done", force=True)
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class StepLog:
    """A stand-in for :class:`Progress` that only records the steps, for work done in another
    process (or out of order): the run's own bar shows them when the results arrive.

    >>> log = StepLog()
    >>> log.advance("LISA: patents")
    >>> log.steps
    ['LISA: patents']
    """

    def __init__(self) -> None:
        self.steps: list[str] = []

    def advance(self, label: str = "") -> None:
        """Record one finished step."""
        self.steps.append(label)
