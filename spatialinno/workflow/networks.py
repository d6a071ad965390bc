"""The demo's city network from raw records: the synthetic co-patent sample.

The co-patent network is built from the bundled *synthetic* co-applicant records
(``si.load_dataset("copatent_sample")``, see ``_data/datasets/SOURCES.md``) with
:func:`spatialinno.copatent_network`; its report (records read, patents kept, applicants located
and not located by reason, pairs per year) is what a user of raw CNIPA records checks first. For
both networks: size and density per year, the strongest cities with degree, strength,
betweenness and tier (core / key / auxiliary), and the flow map of the last year
(:func:`spatialinno.network_map`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .report import Report
from .section import RunContext

__all__ = ["AIR", "NETWORKS", "NetworkPart", "network_blocks", "network_part"]

#: name, dataset, how the network is built, and its source line
NETWORKS: tuple[tuple[str, str, str], ...] = (
    ("copatent", "copatent_sample", "synthetic co-applicant records, full counting"),
)
AIR = ("air", "air_routes_2014", "OpenFlights routes, June 2014 (ODbL 1.0)")
TOP = 15  # cities listed per network

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "heading": "5. 城市网络：由原始记录构建的合作专利网络（合成样本）",
        "intro": "合作专利网络由内置的合成合作申请记录（每件专利每个申请人一行；按真实地名与研究结构生成，"
        "并非真实专利）经 si.copatent_network 构建（完全计数，同城合作单列，不作为边）。",
        "records": "合作专利：记录处理报告",
        "per_year": "合作专利：逐年专利、保留、城市对",
        "applicants": "合作专利：申请人地址定位方式",
        "summary_copatent": "合作专利网络：逐年规模与密度",
        "summary_air": "航线网络：规模与密度",
        "top_copatent": "合作专利网络 {y}：加权度最高的 {n} 个城市",
        "top_air": "航线网络 {y}：加权度最高的 {n} 个城市",
        "map_copatent": "合作专利网络（合成样本），{y}",
        "map_air": "航线网络，{y}",
    },
    "en": {
        "heading": "5. City network from raw records: co-patents (synthetic sample)",
        "intro": "The co-patent network is built with si.copatent_network from the bundled "
        "synthetic co-applicant records (one row per patent and applicant, generated from real "
        "unit names with the study's structure; not real patents), full counting, same-city "
        "collaboration counted apart (not an edge).",
        "records": "Co-patents: what happened to the records",
        "per_year": "Co-patents: patents, kept, city pairs per year",
        "applicants": "Co-patents: how the applicants' addresses were located",
        "summary_copatent": "Co-patent network: size and density per year",
        "summary_air": "Air network: size and density",
        "top_copatent": "Co-patent network {y}: the {n} strongest cities",
        "top_air": "Air network {y}: the {n} strongest cities",
        "map_copatent": "Co-patent network (synthetic sample), {y}",
        "map_air": "Air network, {y}",
    },
}
_TOP_COLUMNS = ["name", "province", "degree", "weighted_degree", "betweenness", "tier"]


@dataclass
class NetworkPart:
    """The tables and maps of the network part, by name."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    maps: list[tuple[str, str]] = field(default_factory=list)
    last_years: dict[str, Any] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)


def _build(name: str, dataset: str, source: str) -> Any:
    from ..measures.network import city_network
    from ..records.copatent import copatent_network
    from ..tables.datasets import load_dataset

    table = load_dataset(dataset)
    if name == "copatent":
        return copatent_network(table, applicant="applicant", source_note=source)
    return city_network(
        table, "gb_o", "gb_d", weight="n_route_records", year="year", source_note=source
    )


def _records_tables(net: Any, part: NetworkPart, run: RunContext) -> None:
    rep = net.report
    part.tables["copatent_records"] = rep.to_frame().T.rename(columns={0: "value"})
    part.tables["copatent_per_year"] = rep.per_year.set_index("year")
    part.tables["copatent_applicants"] = rep.applicants.set_index("how")
    for k in ("n_records", "n_patents", "n_applicants", "n_located", "n_kept"):
        run.summary.add("networks", "copatent", k, getattr(rep, k))
    for r in rep.per_year.itertuples(index=False):
        for k in ("patents", "kept", "pairs", "edges"):
            run.summary.add("networks", "copatent", k, getattr(r, k), r.year)


def network_part(
    run: RunContext, networks: tuple[tuple[str, str, str], ...] = NETWORKS
) -> NetworkPart:
    """The ``networks``: tables, summary rows and the flow map of each network's last year."""
    from ..maps.network import network_map

    part = NetworkPart(names=[n for n, _, _ in networks])
    lang = run.options.lang
    for name, dataset, source in networks:
        run.bar.advance(f"network: {name}")
        net = _build(name, dataset, source)
        if name == "copatent":
            _records_tables(net, part, run)
        summary = net.summary()
        part.tables[f"{name}_summary"] = summary.set_index("year")
        for r in summary.itertuples(index=False):
            for k in ("nodes", "edges", "density", "total_weight"):
                run.summary.add("networks", name, k, getattr(r, k), r.year)
        last = net.years[-1]
        part.last_years[name] = last
        top = net.centrality(last).head(TOP)
        part.tables[f"{name}_top"] = top.set_index("code")[_TOP_COLUMNS]
        file = f"network_{name}_{last}.html"
        title = _WORDS[lang][f"map_{name}"].format(y=last)
        network_map(net, year=last, lang=lang, title=title).save(str(run.out / file))
        part.maps.append((file, title))
    return part


def network_blocks(rep: Report, part: NetworkPart, lang: str) -> None:
    """The network part of the demo's report."""
    w = _WORDS[lang]
    rep.heading(w["heading"])
    rep.paragraph(w["intro"])
    if "copatent_records" in part.tables:
        rep.table(part.tables["copatent_records"], w["records"])
        rep.table(part.tables["copatent_per_year"], w["per_year"])
        rep.table(part.tables["copatent_applicants"], w["applicants"])
    for name in part.names:
        y = part.last_years[name]
        rep.table(part.tables[f"{name}_summary"], w[f"summary_{name}"], digits=4)
        rep.table(part.tables[f"{name}_top"], w[f"top_{name}"].format(y=y, n=TOP), digits=4)
    for file, title in part.maps:
        rep.map(file, title)
