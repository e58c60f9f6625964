"""All the indicators for all countries: the published queries on the embedded store vs the
naive baseline, the same definitions walked in Python over an rdflib in-memory Dataset.

Each side runs in its own fresh process, loads the reference data plus the generated data,
then computes every indicator by country `repeat` times after a warm-up. Both must give the
same counts for every indicator and group.
"""
from __future__ import annotations

import time

from benchmarks.common import Row, measure, rdflib_dataset, run_isolated

NAME = "indicators"
DESCRIPTION = "all indicators by country: published SPARQL on the embedded store vs Python over rdflib"


def _counts_of(outcomes) -> dict:
    return {o.indicator.id: sorted((str(g.key), g.numerator, g.denominator) for g in o.groups) for o in outcomes}


def run_embedded(data_file: str, repeat: int, day: str) -> dict:
    from qfgraph import graph
    from qfgraph.graph import RDF_FORMATS, EmbeddedStore
    from qfgraph.graph.indicators import compute
    store = EmbeddedStore(None)
    graph.install_reference(store)
    store.load(data_file, RDF_FORMATS["nquads"], None)
    counts = _counts_of(compute(store, "country", as_of=day))
    return {"counts": counts, "stats": measure(lambda: compute(store, "country", as_of=day), repeat, warmup=0)}


def run_rdflib(data_file: str, repeat: int, day: str) -> dict:
    from benchmarks.indicators_baseline import Reference
    from qfgraph.graph.indicators import indicators
    dataset, _ = rdflib_dataset(data_file)

    def all_counts():
        ref = Reference(dataset, day)
        return {i.id: sorted((str(k), n, d) for k, (n, d) in ref.counts(i.id, "country")[0].items())
                for i in indicators()}
    counts = all_counts()
    return {"counts": counts, "stats": measure(all_counts, repeat, warmup=0)}


def run(ctx) -> list[Row]:
    day = time.strftime("%Y-%m-%d", time.gmtime())
    data = str(ctx.data_file)
    ours, ours_rss = run_isolated(run_embedded, data, ctx.repeat, day)
    base, base_rss = run_isolated(run_rdflib, data, ctx.repeat, day)
    # the baseline writes the group of things without one as "None"; ours as "None" too
    if ours["counts"] != base["counts"]:
        wrong = [k for k in ours["counts"] if ours["counts"][k] != base["counts"].get(k)]
        raise AssertionError(f"indicators disagree with the Python baseline: {', '.join(wrong)}")
    groups = sum(len(v) for v in ours["counts"].values())
    return [Row("all indicators by country", ours["stats"], base["stats"], "Python over rdflib Dataset",
                extra={"indicators": len(ours["counts"]), "groups": groups, "peak RSS MB": round(ours_rss),
                       "baseline peak RSS MB": round(base_rss)})]


