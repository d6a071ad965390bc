"""Exception types raised by spatialinno.

Every error a user can trigger with bad input derives from :class:`SpatialinnoError`, so a
notebook can catch all of them at once, and from the built-in class it refines (``ValueError``,
``KeyError`` ...), so code written against plain pandas keeps working.
"""

from __future__ import annotations


class SpatialinnoError(Exception):
    """Base class of every error spatialinno raises on purpose."""


class InputError(SpatialinnoError, ValueError):
    """The input cannot be used as given; the message names the column, row or region and the fix."""


class ColumnError(InputError, KeyError):
    """A column the call needs is missing; the message lists the columns that exist."""

    def __str__(self) -> str:  # KeyError would otherwise wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class JoinError(SpatialinnoError, ValueError):
    """Table rows could not be matched to boundary units; carries the join report."""

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class WeightsError(InputError):
    """Spatial weights do not fit the data (size, order or islands)."""


class ExportError(SpatialinnoError, ValueError):
    """A layer cannot be written as asked (format, existing file, field names)."""


class OptionalDependencyError(SpatialinnoError, ImportError):
    """A feature needs a package that is not installed; the message names the extra to install.

    Processing records with dask (and reading Parquet files) needs the ``dask`` extra:
    ``pip install "spatialinno[dask]"``.
    """


class DataWarning(UserWarning):
    """Rows were left out of a computation (missing values, no group); the message lists them."""


class OfflineAssetError(SpatialinnoError, RuntimeError):
    """A map would need the network to open: it links a script or stylesheet that is not vendored."""


class ExportWarning(UserWarning):
    """An export had to change values the target format cannot hold; the message names the columns."""


class FontWarning(UserWarning):
    """A figure holds characters the bundled font lacks; the message lists them."""
