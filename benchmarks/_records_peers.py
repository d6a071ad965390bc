"""si.locate against cpca and jionlp on the labelled address set (prefecture level).

The peers are optional (``pip install cpca jionlp`` in the benchmark environment only; neither is
a dependency of spatialinno). Their answers are mapped to codes of the bundled prefecture layer:

* cpca returns an ``adcode`` (county or city) and the names 省/市/区; an address counts as located
  when 市 is filled, its prefecture is the municipality (first two digits + ``0000``), the adcode
  itself when it is a prefecture-layer unit (东莞, 仙桃 ...), else the first four digits + ``00``.
  A code that is not in today's layer (莱芜 371200) is a located, wrong answer.
* jionlp's ``parse_location(text, change2new=True)`` returns names; the prefecture is the unit of
  the layer with that name in that province (municipalities: the province).

Scores: ``accuracy`` = share of addresses answered as expected (the right prefecture, or no
answer for the ``ambiguous`` category); ``wrong`` = confident answers that are wrong.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

import spatialinno as si
from spatialinno.records.locate import HOW_LOCATED, Locator

MUNICIPAL_PREFIX = ("11", "12", "31", "50")


def _truth(path: Path) -> pd.DataFrame:
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    t["expect_located"] = t["expect_located"] == "True"
    return t


def _score(t: pd.DataFrame, got: pd.Series) -> pd.DataFrame:
    located = got.notna()
    right = (t["expect_located"] & located & (got == t["prefecture_code"])) | (
        ~t["expect_located"] & ~located
    )
    wrong = located & (~t["expect_located"] | (got != t["prefecture_code"]))
    return pd.DataFrame({"category": t["category"], "right": right, "wrong": wrong})


def _ours(addresses: list[str]) -> tuple[pd.Series, float]:
    loc = Locator()
    t0 = time.perf_counter()
    positions, results, _ = loc.locate_array(addresses, 1, notes=False)
    seconds = time.perf_counter() - t0
    codes = [results[p][1] if results[p][3] in HOW_LOCATED else None for p in positions]
    return pd.Series(codes, dtype=object), seconds


def _cpca(addresses: list[str]) -> tuple[pd.Series, float] | str:
    try:
        import cpca
    except ImportError:
        return "not installed"
    layer = set(si.load_boundaries("prefecture", simplified=True)["code"])
    cpca.transform(["广东省深圳市"])  # load its tables outside the timing
    t0 = time.perf_counter()
    out = cpca.transform(addresses)
    seconds = time.perf_counter() - t0
    codes = []
    for city, adcode in zip(out["市"], out["adcode"], strict=True):
        if not isinstance(city, str) or not isinstance(adcode, str) or len(adcode) != 6:
            codes.append(None)
        elif adcode[:2] in MUNICIPAL_PREFIX:
            codes.append(adcode[:2] + "0000")
        elif adcode in layer:
            codes.append(adcode)
        else:
            codes.append(adcode[:4] + "00")
    return pd.Series(codes, dtype=object), seconds


def _jionlp(addresses: list[str]) -> tuple[pd.Series, float] | str:
    try:
        import jionlp
    except ImportError:
        return "not installed"
    pref = pd.DataFrame(si.load_boundaries("prefecture", simplified=True).drop(columns="geometry"))
    by_name = {
        (p, n): c for p, n, c in zip(pref["province"], pref["name"], pref["code"], strict=True)
    }
    province_code = dict(zip(si.provinces()["name"], si.provinces()["code"], strict=True))
    jionlp.parse_location("广东省深圳市", change2new=True)  # load its dictionary outside the timing
    t0 = time.perf_counter()
    parsed = [jionlp.parse_location(a, change2new=True) for a in addresses]
    seconds = time.perf_counter() - t0
    codes = []
    for r in parsed:
        prov, city = r.get("province"), r.get("city")
        code = None
        if prov and province_code.get(prov, "")[:2] in MUNICIPAL_PREFIX:
            code = province_code[prov]
        elif prov and city:
            code = by_name.get((prov, city))
        codes.append(code)
    return pd.Series(codes, dtype=object), seconds


def compare(path: Path) -> dict:
    t = _truth(path)
    addresses = t["address"].tolist()
    tables, speed, status = {}, {}, {}
    for name, fn in (("spatialinno", _ours), ("cpca", _cpca), ("jionlp", _jionlp)):
        try:
            out = fn(addresses)
        except Exception as err:  # a peer failing offline is a finding, not a crash
            out = f"failed: {type(err).__name__}: {err}"[:200]
        if isinstance(out, str):
            status[name] = out
            continue
        codes, seconds = out
        speed[name] = seconds
        tables[name] = (
            _score(t, codes)
            .groupby("category")
            .agg(right=("right", "mean"), wrong=("wrong", "sum"))
        )
    rows = []
    for cat in tables["spatialinno"].index:
        row = [cat, str(int((t["category"] == cat).sum()))]
        for name in tables:
            r = tables[name].loc[cat]
            row.append(f"{100 * r['right']:.1f} % ({int(r['wrong'])} wrong)")
        rows.append(row)
    header = "| category | n | " + " | ".join(tables) + " |\n|" + "---|" * (2 + len(tables)) + "\n"
    table = header + "\n".join("| " + " | ".join(r) + " |" for r in rows)
    if status:
        table += "\n\n" + "; ".join(f"{k}: {v}" for k, v in status.items())
    return {"n": len(addresses), "table": table, "speed": speed, "status": status}
