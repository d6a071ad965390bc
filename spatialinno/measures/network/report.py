"""The small result objects of a network: what happened to the input rows, a partner share."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["NetworkReport", "PartnerShare"]


@dataclass(frozen=True, eq=False)
class NetworkReport:
    """What happened to the input rows while building a network.

    Attributes
    ----------
    n_rows : int
        Input rows (edge records or co-application records).
    n_self_loops : int
        Rows dropped because both ends resolve to the same unit (listed in ``self_loops``).
    n_zero_weight : int
        Rows dropped because their weight is 0.
    n_reciprocal : int
        Undirected networks: unordered pairs recorded in both directions (A→B and B→A) whose
        records were summed into one edge. 0 for directed networks.
    n_single_city : int
        :func:`network_from_records`: records naming fewer than two distinct cities (no tie).
    n_unmatched_rows : int
        Rows left out because a city did not resolve (``on_unmatched="drop"``).
    self_loops : pandas.DataFrame
        year, code, name, weight, n_rows of the dropped self-loops.
    unmatched : pandas.DataFrame
        value, how (the reason), n_rows, first_row of every city spelling that did not resolve.
    matches : pandas.DataFrame
        value, code, how for every distinct city spelling in the input.
    """

    n_rows: int
    n_self_loops: int
    n_zero_weight: int
    n_reciprocal: int
    n_single_city: int
    n_unmatched_rows: int
    self_loops: pd.DataFrame
    unmatched: pd.DataFrame
    matches: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"NetworkReport(n_rows={self.n_rows}, n_self_loops={self.n_self_loops}, "
            f"n_zero_weight={self.n_zero_weight}, n_reciprocal={self.n_reciprocal}, "
            f"n_single_city={self.n_single_city}, n_unmatched_rows={self.n_unmatched_rows}, "
            f"unmatched={self.unmatched['value'].tolist()!r})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The counts as a one-row DataFrame.

        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"o": ["北京市", "北京市"], "d": ["北京", "上海市"]})
        >>> si.city_network(e, "o", "d").report.to_frame()[["n_rows", "n_self_loops"]]
           n_rows  n_self_loops
        0       2             1
        """
        return pd.DataFrame(
            [
                {
                    "n_rows": self.n_rows,
                    "n_self_loops": self.n_self_loops,
                    "n_zero_weight": self.n_zero_weight,
                    "n_reciprocal": self.n_reciprocal,
                    "n_single_city": self.n_single_city,
                    "n_unmatched_rows": self.n_unmatched_rows,
                }
            ]
        )


@dataclass(frozen=True)
class PartnerShare:
    r"""Share of a city's tie weight that goes to a set of partner cities.

    .. math:: s_i(P) = \frac{\sum_{j \in P} w_{ij}}{\sum_{j} w_{ij}}

    where :math:`w_{ij}` is the weight of the tie between city *i* and city *j* (for directed
    networks out- plus in-weight). Used in the Yangtze River Delta literature, e.g. the share of
    Shanghai's regional ties that go to Nanjing, Hangzhou, Hefei and Suzhou.

    Attributes
    ----------
    code, name : str
        The focal city.
    year : object
        The year of the graph (None for a network without years).
    share : float
        :math:`s_i(P)` in [0, 1] (NaN when the city has no ties).
    weight_within : float
        :math:`\sum_{j \in P} w_{ij}`.
    weight_total : float
        :math:`\sum_j w_{ij}`, the city's weighted degree.
    partners : tuple of str
        The partner codes :math:`P` (resolved, focal city excluded).
    partners_with_ties : tuple of str
        The partners that actually have a tie with the city.
    """

    code: str
    name: str
    year: object
    share: float
    weight_within: float
    weight_total: float
    partners: tuple[str, ...]
    partners_with_ties: tuple[str, ...]

    def __repr__(self) -> str:
        return (
            f"PartnerShare({self.name} ({self.code}), year={self.year}: share={self.share:.4f} "
            f"= {self.weight_within:g} / {self.weight_total:g}, "
            f"{len(self.partners_with_ties)} of {len(self.partners)} partners tied)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the fields (partners joined with ``;``).

        >>> import pandas as pd, spatialinno as si
        >>> e = pd.DataFrame({"o": ["上海市", "上海市"], "d": ["南京市", "北京市"], "n": [1, 3]})
        >>> r = si.city_network(e, "o", "d", weight="n").partner_share("上海", ["南京"])
        >>> r.to_frame()[["code", "share", "weight_within", "weight_total"]]
             code  share  weight_within  weight_total
        0  310000   0.25            1.0           4.0
        """
        return pd.DataFrame(
            [
                {
                    "code": self.code,
                    "name": self.name,
                    "year": self.year,
                    "share": self.share,
                    "weight_within": self.weight_within,
                    "weight_total": self.weight_total,
                    "partners": ";".join(self.partners),
                    "partners_with_ties": ";".join(self.partners_with_ties),
                }
            ]
        )
