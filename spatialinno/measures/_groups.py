"""The NBS region of each row from its unit code, for measures whose groups default to ``region``.

A frame joined to a boundary layer has ``region``; a table straight from a file (e.g.
``si.load_dataset("zhao2025_table2")``) has only codes. Every province, prefecture and county
code starts with its province's two digits, and the NBS four regions are regions of provinces,
so ``region`` follows from the code (``code``, 6 digits; or ``gb``, 9 digits with the ``156``
country prefix). Hong Kong, Macao and Taiwan have no region (NaN), as in the boundary layers.

>>> import pandas as pd
>>> with_regions(pd.DataFrame({"code": ["440300", "110000", "810000"]}))["region"].tolist()
['east', 'east', nan]
"""

from __future__ import annotations

import pandas as pd

from .._errors import ColumnError
from ..boundaries.regions import provinces

__all__ = ["with_regions"]


def with_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a ``region`` column looked up from its unit codes (``code`` or ``gb``).

    Raises :class:`~spatialinno.ColumnError` when the frame has neither, saying what to do.
    """
    if "region" in frame.columns:
        return frame
    if "code" in frame.columns:
        codes = frame["code"].astype("string").str.zfill(6)
    elif "gb" in frame.columns:
        codes = frame["gb"].astype("string").str[-6:]
    else:
        raise ColumnError(
            "the groups default to the NBS four regions ('region'), but the table has neither a "
            "'region' column nor unit codes ('code' or 'gb'); join it to a boundary layer first "
            "(si.join_indicators(table, 'province')) or name the group column with groups="
        )
    region = provinces().assign(p=lambda d: d["code"].str[:2]).set_index("p")["region"]
    return frame.assign(region=codes.str[:2].map(region).to_numpy())
