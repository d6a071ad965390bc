"""Build ``spatialinno/_data/county_code_history.csv``: county-level names that ceased 2010-2024.

Run when the boundary layers or the source change (not needed at run time)::

    git clone https://github.com/yescallop/areacodes /tmp/areacodes   # CC0 1.0
    git -C /tmp/areacodes checkout eed219a0678d36bacaa717f62443b10e869f0291
    python tests/reference/build_county_history.py /tmp/areacodes/result.csv

Source: ``result.csv`` of yescallop/areacodes (CC0 1.0): every county-level and higher GB/T 2260
code since 1981 with its name, years in use and successor codes, compiled from the Ministry of
Civil Affairs code lists and change notices. A record is kept when it is a county-level unit whose
code or name stopped being used in 2010-2024 (the window of :func:`spatialinno.code_history`) and
whose name is not the name of one of its successors (a code change, or a unit that gave up part
of its territory but kept its name, needs no entry: the current unit of that name finds it). Successor codes are followed until they reach a unit of the bundled county layer; codes in
use today but not (yet) in the Tianditu layer are mapped to the layer unit with the same name in
the same province (米林市 540481 -> 540422) or, for units newer than the layer (和康县, 2024), to
their prefecture only. Territory transfers dated before 2010 (``code[year]`` in the source) are
ignored: an address written with the old name after 2010 lies in what was left.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

import spatialinno as si

OUT = Path(__file__).resolve().parents[2] / "spatialinno" / "_data" / "county_code_history.csv"
FIRST, LAST = 2010, 2024
_ITEM = re.compile(r"^(\d{6})(?:\[(\d{4})\])?$")


def _layer() -> tuple[pd.DataFrame, set[str]]:
    county = pd.DataFrame(si.load_boundaries("county").drop(columns="geometry"))
    prefecture_codes = set(si.load_boundaries("prefecture")["code"])
    return county.set_index("code", drop=False), prefecture_codes


def _successors(new: object) -> list[str]:
    out = []
    for item in str(new).split(";") if isinstance(new, str) else []:
        m = _ITEM.match(item.strip())
        if m and (m.group(2) is None or int(m.group(2)) >= FIRST):
            out.append(m.group(1))
    return out


def _chase(code: str, source: pd.DataFrame, county: pd.DataFrame, prefs: set[str], depth: int = 0):
    """Layer targets of a code: set of (county_code or '', prefecture_code)."""
    if code in county.index:
        row = county.loc[code]
        return {(code, row["prefecture_code"])}
    rows = source[source["code"] == code]
    live = rows[rows["status"] == "在用"]
    if len(live):
        name, province = live["name"].iloc[0], code[:2]
        same = county[(county["name"] == name) & (county["province_code"].str[:2] == province)]
        if len(same) == 1:
            return {(same.index[0], same["prefecture_code"].iloc[0])}
        pref = code[:4] + "00"
        return {("", pref)} if pref in prefs else set()
    if depth > 5 or rows.empty:
        return set()
    last = rows.sort_values("end").iloc[-1]
    out = set()
    for nxt in _successors(last["new"]):
        if nxt != code:
            out |= _chase(nxt, source, county, prefs, depth + 1)
    return out


def build(result_csv: str) -> pd.DataFrame:
    source = pd.read_csv(result_csv, dtype=str, encoding="utf-8-sig")
    source.columns = ["code", "l1", "l2", "name", "level", "status", "start", "end", "new"]
    county, prefs = _layer()
    ended = source[
        (source["level"] == "县级")
        & (source["status"] != "在用")
        & pd.to_numeric(source["end"]).between(FIRST, LAST)
    ]
    rows = []
    for rec in ended.itertuples(index=False):
        targets = set()
        for nxt in _successors(rec.new):
            targets |= (
                _chase(nxt, source, county, prefs, 1)
                if nxt != rec.code
                else _chase_same(rec, source, county, prefs)
            )
        if not targets:
            print(f"no layer successor for {rec.code} {rec.name} ({rec.new})", file=sys.stderr)
            continue
        names = sorted({county.loc[c, "name"] for c, _ in targets if c})
        if rec.name in names:
            # the name lives on (a code change, or 和县 losing one town to 鸠江区 in 2011): the
            # current unit of that name already finds it, and a second reading would only make
            # every mention of it look ambiguous
            continue
        codes = sorted(targets)
        rows.append(
            {
                "year_ceased": int(rec.end),
                "old_code": rec.code,
                "old_name": rec.name,
                "old_prefecture": rec.l2,
                "province_code": rec.code[:2] + "0000",
                "new_codes": ";".join(c for c, _ in codes if c),
                "new_prefecture_codes": ";".join(sorted({p for _, p in codes})),
                "new_names": ";".join(names),
            }
        )
    out = pd.DataFrame(rows).sort_values(["year_ceased", "old_code"]).reset_index(drop=True)
    return out


def _chase_same(rec, source, county, prefs):
    """The record keeps its code (a rename): the layer unit with that code, or its namesake."""
    if rec.code in county.index:
        return {(rec.code, county.loc[rec.code, "prefecture_code"])}
    return _chase(rec.code, source[source["status"] == "在用"], county, prefs, 1)


def main() -> None:
    table = build(sys.argv[1])
    table.to_csv(OUT, index=False, lineterminator="\n")
    print(f"{len(table)} rows -> {OUT}")


if __name__ == "__main__":
    main()
