"""All of a run's outputs, or none: write into a temporary folder, move into place when complete.

``spatialinno analyze`` and ``demo`` write a report, maps, a GeoPackage and a summary. Written in
place, an interrupted run (Ctrl-C, ``kill``, a closed terminal) would leave a set that looks
complete -- maps and a valid GeoPackage with only some layers, no report -- and with
``--overwrite`` it would already have deleted the earlier complete results. :class:`Staging`
instead writes into a hidden folder beside the output folder (same file system, so every move
is a rename) and, only once the run is complete, replaces the earlier outputs in one step:

* a new output folder is the staging folder renamed (atomic);
* an existing one (empty, or holding an earlier run with ``--overwrite``, or files of the user's
  own that are never touched) gets the earlier run's files moved aside, the new files renamed in,
  and the old ones deleted; a failure half-way puts the old files back.

SIGINT, SIGTERM and SIGHUP are held back while files are moved (and while the staging folder is
removed after a failure), so an interruption finds either the earlier result or the new one.
:func:`terminate_as_interrupt` makes SIGTERM/SIGHUP raise like Ctrl-C, so that the same cleanup
runs when a run is killed (the CLI installs it; a notebook keeps its own handlers).
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, TracebackType

from .._errors import InputError
from .._notes import Note

__all__ = ["Interrupted", "Staging", "signals_held", "terminate_as_interrupt"]

STAGING_PREFIX = ".spatialinno-"  # + the output folder's name + a random suffix


class Interrupted(KeyboardInterrupt):
    """Raised by the SIGTERM/SIGHUP handler of :func:`terminate_as_interrupt`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _held_signals() -> set[signal.Signals]:
    return {getattr(signal, s) for s in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, s)}


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold back SIGINT/SIGTERM/SIGHUP inside the block; a held signal is delivered after it.

    Only the main thread receives Python signal handlers, and ``pthread_sigmask`` is POSIX; in
    any other case the block runs unprotected (the moves are still renames).
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _held_signals())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Inside the block SIGTERM and SIGHUP raise :class:`Interrupted` (a KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    names = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    previous = {name: signal.signal(getattr(signal, name), handler) for name in names}
    try:
        yield
    finally:
        for name, old in previous.items():
            signal.signal(getattr(signal, name), old)


class Staging:
    """A temporary folder beside ``out`` that becomes ``out`` (or its run's files) on commit.

    Parameters
    ----------
    out : path
        The output folder the user asked for.
    earlier : callable
        Given ``out``, the files of an earlier run to replace on commit (never other files).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> with Staging(root / "out", lambda out: []) as stage:
    ...     _ = (stage.path / "report.html").write_text("done")
    ...     stage.commit()
    >>> sorted(p.name for p in root.iterdir()), (root / "out" / "report.html").read_text()
    (['out'], 'done')
    """

    def __init__(self, out: str | Path, earlier: Callable[[Path], Sequence[Path]]) -> None:
        self.out = Path(out)
        self._earlier = earlier
        self._created: list[Path] = []  # parent folders this run made (removed on failure)
        self._committed = False
        self._staged: Path | None = None  # the staging folder, once made

    @property
    def path(self) -> Path:
        """The staging folder to write into (inside the ``with`` block)."""
        if self._staged is None:
            raise RuntimeError("Staging.path is only available inside the with block")
        return self._staged

    def __enter__(self) -> Staging:
        parent = self.out.absolute().parent
        missing = []
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        try:
            for folder in reversed(missing):
                folder.mkdir()
                self._created.append(folder)
            self._staged = Path(
                tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{self.out.name}-", dir=self.out.parent)
            )
        except OSError as exc:
            self.__exit__(None, None, None)
            text = (
                f"cannot write the output folder {self.out} ({exc.strerror}: {exc.filename}); "
                "choose a folder where you can write"
            )
            raise InputError(
                Note("out_not_writable", text, out=str(self.out), reason=exc.strerror,
                     path=str(exc.filename))
            ) from exc  # fmt: skip
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._committed:
            return
        with signals_held():  # a second Ctrl-C must not leave half a staging folder
            if self._staged is not None:  # never anything else: out is not ours to delete
                shutil.rmtree(self._staged, ignore_errors=True)
            for folder in reversed(self._created):
                try:
                    folder.rmdir()
                except OSError:
                    break

    def commit(self) -> None:
        """Move the complete outputs into ``out``, replacing the earlier run's files."""
        with signals_held():
            if not self.out.exists():
                os.rename(self.path, self.out)  # one atomic step
            else:
                self._replace_files()
            self._committed = True

    def _replace_files(self) -> None:
        backup = Path(
            tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{self.out.name}-old-", dir=self.out.parent)
        )
        moved_old: list[tuple[Path, Path]] = []
        moved_new: list[Path] = []
        try:
            for old in self._earlier(self.out):
                aside = backup / old.relative_to(self.out)
                aside.parent.mkdir(parents=True, exist_ok=True)
                os.replace(old, aside)
                moved_old.append((old, aside))
            for new in sorted(p for p in self.path.rglob("*") if p.is_file()):
                target = self.out / new.relative_to(self.path)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(new, target)
                moved_new.append(target)
        except BaseException as exc:
            try:
                for target in moved_new:  # put the earlier result back as it was
                    target.unlink(missing_ok=True)
                for old, aside in moved_old:
                    os.replace(aside, old)
            except OSError as again:
                # keep the backup: it holds the only copy of what could not be put back
                text = (
                    f"writing {self.out} failed ({exc}) and the earlier results could not all "
                    f"be put back ({again}); they are in {backup}"
                )
                raise InputError(
                    Note("restore_failed", text, out=str(self.out), error=str(exc),
                         again=str(again), backup=str(backup))
                ) from exc  # fmt: skip
            shutil.rmtree(backup, ignore_errors=True)
            raise
        for old, _ in moved_old:  # folders emptied by the move (shp/ of an earlier run)
            folder = old.parent
            if folder != self.out and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        shutil.rmtree(backup, ignore_errors=True)
        shutil.rmtree(self.path, ignore_errors=True)
