"""The benchmark suite: the generator is deterministic and realistic, its data loads with
`qfgraph load`, passes the shapes and answers the researcher queries, and
`python -m benchmarks run` produces a table and JSON (the smoke run CI makes at scale S)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import networkx as nx
import pyoxigraph as ox
import pytest

from qfgraph import graph
from benchmarks.common import (
    Context, Row, Stats, measure, peak_rss_mb, process_rss_mb, run_command, run_isolated, table_lines, write_json,
)
from benchmarks.figures import discover
from benchmarks.generate import BIG_CANDIDATES, generate
from benchmarks.queries import researcher_queries
from qfgraph.graph import RDF_FORMATS, EmbeddedStore
from qfgraph.ontology.namespaces import sparql_prefixes


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def scale_s(tmp_path_factory):
    """Scale S generated once, and an in-memory store with the reference data plus it."""
    out = tmp_path_factory.mktemp("bench-s")
    result = generate("S", out_dir=out)
    store = EmbeddedStore(None)
    graph.install_reference(store)
    store.load(result.data_file, RDF_FORMATS["nquads"], None)
    yield result, store
    store.close()


def values(store, query: str) -> list:
    return [r[0] for r in store.oxigraph.query(sparql_prefixes() + query, use_default_graph_as_union=True)]


def number(term) -> Decimal:
    return Decimal(term.value)


# -- determinism ---------------------------------------------------------------------------

def test_same_seed_gives_byte_identical_graph_and_manifest(tmp_path):
    a = generate("XS", seed=5, out_dir=tmp_path / "a")
    # another interpreter with another string-hash seed: no set or dict order leaks in
    subprocess.run([sys.executable, "-m", "benchmarks", "generate", "--scale", "XS", "--seed", "5",
                    "--out", str(tmp_path / "b")], check=True, capture_output=True,
                   env={**os.environ, "PYTHONHASHSEED": "123"})
    b_data, b_manifest = tmp_path / "b" / a.data_file.name, tmp_path / "b" / a.manifest_file.name
    assert digest(a.data_file) == digest(b_data)
    assert digest(a.manifest_file) == digest(b_manifest)


def test_different_seed_gives_a_different_graph(tmp_path):
    a = generate("XS", seed=5, out_dir=tmp_path / "a")
    b = generate("XS", seed=6, out_dir=tmp_path / "b")
    assert digest(a.data_file) != digest(b.data_file)


def test_turtle_output_holds_the_same_triples(tmp_path):
    nq = generate("XS", seed=5, out_dir=tmp_path, fmt="nq")
    ttl = generate("XS", seed=5, out_dir=tmp_path, fmt="ttl")
    triples = lambda path, fmt: sum(1 for _ in ox.parse(path=str(path), format=fmt))
    assert triples(ttl.data_file, ox.RdfFormat.TURTLE) == triples(nq.data_file, ox.RdfFormat.N_QUADS) == nq.triples


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown scale 'XXL'"):
        generate("XXL", out_dir=tmp_path)
    assert not any(tmp_path.iterdir())


# -- counts and distributions at scale S ---------------------------------------------------

def test_scale_s_is_about_100k_triples_in_one_graph_per_authority(scale_s):
    result, store = scale_s
    assert 80_000 <= result.triples <= 120_000
    graphs = store.graph_sizes()
    bench = {g for g in graphs if g.startswith("https://w3id.org/qfgraph/graph/bench/")}
    assert bench == set(result.manifest["graphs"])
    assert len(bench) == 31                    # 30 country authorities and the frameworks
    assert sum(graphs[g] for g in bench) == result.triples


def test_about_30_national_frameworks_referenced_to_the_eqf_some_levels_without(scale_s):
    _, store = scale_s
    frameworks = values(store, """SELECT DISTINCT ?fw WHERE { ?level qf:levelFramework ?fw ; qf:referencedTo ?eqf .
                                                              ?entry elm:NQFLevel ?level }""")
    assert len(frameworks) == 30               # the five curated ones and 25 synthetic ones
    no_eqf = values(store, "SELECT ?level WHERE { ?level qf:noEQFLevel true }")
    assert len(no_eqf) >= 5
    assert not values(store, "SELECT ?level WHERE { ?level qf:noEQFLevel true ; qf:referencedTo ?eqf }")
    sublevels = values(store, """SELECT ?level WHERE { ?level qf:levelFramework ?fw ; skos:notation ?n
                                 FILTER(CONTAINS(?n, ".")) }""")
    assert sublevels
    # synthetic frameworks are minted under the project's bench namespace, never the EU's
    real = [fw for fw in frameworks if fw.value.startswith("http://data.europa.eu/snb/qdr/")]
    assert len(real) == 5 and all(fw.value.startswith("https://w3id.org/qfgraph/id/bench/")
                                  for fw in frameworks if fw not in real)


def test_micro_credentials_have_1_to_10_ects_and_eqf_2_to_7(scale_s):
    _, store = scale_s
    points = values(store, "SELECT ?p WHERE { ?m a qf:MicroCredential ; elm:creditPoint/elm:point ?p }")
    levels = values(store, "SELECT ?o WHERE { ?m a qf:MicroCredential ; elm:EQFLevel/qf:order ?o }")
    assert len(points) == len(levels) > 1000
    assert {number(p) for p in points} == set(map(Decimal, range(1, 11)))
    assert {number(o) for o in levels} == set(map(Decimal, range(2, 8)))


def test_every_micro_credential_carries_the_mandatory_elements(scale_s):
    _, store = scale_s
    missing = values(store, """SELECT ?m WHERE { ?m a qf:MicroCredential .
        FILTER NOT EXISTS { ?m dcterms:title ?t ; elm:awardingBody ?b ; qf:country ?c ; elm:learningOutcome ?lo ;
                             elm:creditPoint ?cp ; elm:EQFLevel ?eqf ; elm:NQFLevel ?nqf ;
                             qf:assessmentType ?a ; elm:mode ?mode ; qf:qualityAssurance ?qa } }""")
    assert missing == []
    # the national level is referenced to the same EQF level
    assert not values(store, """SELECT ?m WHERE { ?m a qf:MicroCredential ; elm:EQFLevel ?eqf ; elm:NQFLevel ?nqf .
                                FILTER NOT EXISTS { ?nqf qf:referencedTo ?eqf } }""")
    # external quality assurance comes with an accreditation
    assert not values(store, """SELECT ?m WHERE { ?m qf:qualityAssurance qf:ExternalQualityAssurance .
                                FILTER NOT EXISTS { ?m elm:accreditation ?acc } }""")


def test_choice_groups_ask_k_of_n_with_k_at_most_n_and_some_nest(scale_s):
    _, store = scale_s
    rows = list(store.oxigraph.query(sparql_prefixes() + """
        SELECT ?g ?k (COUNT(?c) AS ?n) WHERE { ?g a qf:ChoiceOf ; qf:requiredCount ?k ; qf:component ?c }
        GROUP BY ?g ?k""", use_default_graph_as_union=True))
    assert len(rows) > 100
    assert all(1 <= int(r["k"].value) <= int(r["n"].value) for r in rows)
    assert values(store, "SELECT ?t WHERE { ?g a qf:ChoiceOf ; qf:component ?t . ?t a qf:AllOf }")
    assert values(store, "SELECT ?c WHERE { ?c a qf:MinimumCredits ; qf:minimumCredits ?x }")


def test_prerequisite_graph_is_acyclic_and_has_chains(scale_s):
    _, store = scale_s
    edges = [(r[0].value, r[1].value) for r in store.oxigraph.query(
        sparql_prefixes() + "SELECT ?m ?p WHERE { ?m qf:prerequisite ?p }", use_default_graph_as_union=True)]
    g = nx.DiGraph(edges)
    assert len(edges) > 100
    assert nx.is_directed_acyclic_graph(g)
    assert nx.dag_longest_path_length(g) >= 3


def test_micro_credential_outcomes_overlap_units_like_real_ones(scale_s):
    result, store = scale_s
    units_of = {}
    for r in store.oxigraph.query(sparql_prefixes() + """
            SELECT ?m (COUNT(DISTINCT ?u) AS ?units) WHERE { ?m a qf:MicroCredential .
              OPTIONAL { ?m elm:learningOutcome ?lo . ?u a qf:Unit ; elm:learningOutcome ?lo } } GROUP BY ?m""",
            use_default_graph_as_union=True):
        units_of[r[0].value] = int(r[1].value)
    spread = Counter(min(n, 2) for n in units_of.values())
    total = len(units_of)
    assert spread[1] / total > 0.5                 # most map to one unit
    assert 0.1 < spread[2] / total < 0.4           # some span two
    assert 0.02 < spread[0] / total < 0.15         # a few stand alone
    # near-duplicates: different providers, the same or nearly the same outcomes
    outcomes, provider = {}, {}
    for r in store.oxigraph.query(sparql_prefixes() + """
            SELECT ?m ?p ?lo WHERE { ?m a qf:MicroCredential ; elm:awardingBody ?p ; elm:learningOutcome ?lo }""",
            use_default_graph_as_union=True):
        outcomes.setdefault(r[0].value, set()).add(r[2].value)
        provider[r[0].value] = r[1].value
    by_set = Counter(frozenset(s) for s in outcomes.values())
    competing = sum(1 for m, s in outcomes.items() if by_set[frozenset(s)] > 1
                    and len({provider[o] for o, t in outcomes.items() if t == s}) > 1)
    assert competing / total > 0.05
    assert result.manifest["distributions"]["near-duplicate micro-credentials"] / total > 0.1


def test_big_qualifications_have_20_to_60_required_outcomes_and_many_candidates(scale_s):
    result, store = scale_s
    assert result.manifest["stacking"]
    for entry in result.manifest["stacking"]:
        q = entry["qualification"]
        required = store.select(graph.bind("""SELECT DISTINCT ?lo WHERE {
            $q qf:requirement/qf:component ?u . ?u a qf:Unit ; elm:learningOutcome ?lo }""", {"q": q}))
        candidates = store.select(graph.bind("""SELECT DISTINCT ?m WHERE {
            $q qf:requirement/qf:component/elm:learningOutcome ?lo . ?m a qf:MicroCredential ; elm:learningOutcome ?lo }""",
                                             {"q": q}))
        assert 20 <= len(required) <= 60 and len(required) == entry["required_outcomes"]
        assert len(candidates) == entry["candidates"] >= BIG_CANDIDATES["S"] * 0.8
        held = {str(r["m"]) for r in candidates}
        assert set(entry["held"]) <= held
    assert BIG_CANDIDATES["M"] >= 100


def test_recognition_validation_signals_and_actors_are_present(scale_s):
    result, _ = scale_s
    classes = result.manifest["classes"]
    qf = "https://w3id.org/qfgraph#"
    for name, least in [("RecognitionAgreement", 100), ("ValidationStandard", 50), ("SkillsNeed", 30),
                        ("Provider", 60), ("Employer", 60), ("SectorBody", 30), ("PublicEmploymentService", 30),
                        ("QualityAssuranceAuthority", 30), ("ValidationAuthority", 30), ("FrameworkAuthority", 30)]:
        assert classes[qf + name] >= least, name


# -- loading and querying ------------------------------------------------------------------

def qfgraph(store_dir, *args) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "qfgraph.api.cli", "--store", str(store_dir), *args],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_generated_graph_loads_through_the_qfgraph_load_gate_and_answers_the_researcher_queries(tmp_path):
    """`qfgraph load` commits every graph through the gate (the rules checked against store +
    change), in file order: each graph's references resolve to graphs loaded before it. The
    scale S smoke run below loads S with `qfgraph load --bulk`."""
    result = generate("XS", out_dir=tmp_path)
    qfgraph(tmp_path / "store", "init")
    done = qfgraph(tmp_path / "store", "load", str(result.data_file))
    assert f"{result.triples} triples" in done.stdout
    assert done.stdout.count(", 0 warning(s), changeset") == len(result.manifest["graphs"])
    with graph.open_store(str(tmp_path / "store")) as store:
        for name, _, query in researcher_queries(result.manifest):
            assert store.select(query), f"query {name} gave no rows"


# -- measurement helpers and the runner ----------------------------------------------------

def test_stats_and_ratio_direction():
    s = Stats.of([4.0, 1.0, 3.0, 2.0, 5.0])
    assert (s.median, s.min, s.max, s.p95, s.n) == (3.0, 1.0, 5.0, 5.0, 5)
    calls = []
    assert measure(lambda: calls.append(1), repeat=3, warmup=2).n == 3 and len(calls) == 5
    faster = Row("ours", Stats.of([1.0]), Stats.of([12.5]), "base")
    slower = Row("ours", Stats.of([2.0]), Stats.of([1.0]), "base")
    assert faster.ratio_text() == "12.50x faster" and slower.ratio_text() == "2.00x slower"
    assert "12.50x faster" in table_lines([faster])[2]


def allocate(mb: int) -> int:
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def test_child_process_peak_memory_is_its_own():
    run = run_command([sys.executable, "-c", "x = bytearray(150 * 1024 * 1024); print(len(x))"])
    assert run.returncode == 0 and run.stdout.strip() == str(150 * 1024 * 1024)
    assert run.peak_rss_mb >= 150
    result, rss = run_isolated(allocate, 120)
    assert result == 120 * 1024 * 1024 and rss >= 120
    assert process_rss_mb(os.getpid()) > 0 and peak_rss_mb() > 0


def test_write_json_names_the_file_after_figure_and_scale(tmp_path):
    path = write_json("demo-figure", "XS", [Row("x", Stats.of([1.0]))], {"repeat": 1}, out_dir=tmp_path)
    assert path == tmp_path / "demo-figure-XS.json"
    doc = json.loads(path.read_text())
    assert doc["rows"][0]["name"] == "x" and doc["machine"]["nproc"] >= 1


def test_figures_are_discovered_with_name_description_and_run():
    figures = discover()
    assert {"load", "query"} <= set(figures)
    assert all(callable(m.run) and m.DESCRIPTION for m in figures.values())


def test_run_without_generated_data_says_how_to_generate(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m benchmarks generate --scale S"):
        Context("S", data_dir=tmp_path)


def test_smoke_run_at_scale_s_prints_tables_and_writes_json(scale_s, tmp_path):
    """What CI runs once: the figures of the issue at scale S, one repetition, no timing assertions."""
    result, _ = scale_s
    done = subprocess.run([sys.executable, "-m", "benchmarks", "run", "--scale", "S", "--repeat", "1",
                           "--figure", "query", "--figure", "load", "--data", str(result.data_file.parent),
                           "--out", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "| geometric mean over the query set" in done.stdout
    assert "| load " in done.stdout and "pyoxigraph bulk_load" in done.stdout
    query = json.loads((tmp_path / "query-S.json").read_text())
    assert all(r["extra"].get("rows", 1) > 0 for r in query["rows"])
    assert json.loads((tmp_path / "load-S.json").read_text())["rows"][0]["speedup"] > 0


@pytest.mark.server
def test_http_figure_runs_end_to_end_at_scale_xs(tmp_path):
    """The HTTP figure against real servers (qfgraph serve, oxigraph serve), briefly: every
    row measured, both servers gave the same rows, and no request failed under load."""
    result = generate("XS", out_dir=tmp_path / "data")
    done = subprocess.run([sys.executable, "-m", "benchmarks", "run", "--scale", "XS", "--repeat", "1",
                           "--figure", "http", "--data", str(result.data_file.parent), "--out", str(tmp_path)],
                          capture_output=True, text=True, env={**os.environ, "QFGRAPH_BENCH_HTTP_SECONDS": "2"})
    assert done.returncode == 0, done.stderr
    rows = {r["name"]: r for r in json.loads((tmp_path / "http-XS.json").read_text())["rows"]}
    lookup = rows["/sparql mc-description (selective lookup)"]
    assert lookup["extra"]["rows"] > 0 and lookup["extra"]["latency ratio"] > 0
    assert "app ms" in lookup["extra"]  # the server's own Server-Timing was read
    assert any(name.startswith("/sparql mc-description, another credential") for name in rows)
    concurrent = next(r for name, r in rows.items() if name.startswith("16 clients"))
    assert concurrent["extra"]["requests"] > 0 and concurrent["extra"]["errors"] == 0


@pytest.mark.server
def test_whole_suite_at_scale_xs_goes_on_without_the_servers_it_cannot_find(tmp_path):
    """`python -m benchmarks run` with no Oxigraph server nor Virtuoso on PATH (a virtual
    environment not activated): every figure runs, and each measurement that needs a missing
    server is a row saying so instead of a crash."""
    result = generate("XS", out_dir=tmp_path / "data")
    empty = tmp_path / "empty-path"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "benchmarks", "run", "--scale", "XS", "--repeat", "1",
                           "--data", str(result.data_file.parent), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True,
                          env={**os.environ, "PATH": str(empty), "QFGRAPH_BENCH_HTTP_SECONDS": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert written == {f"{name}-XS.json" for name in discover()}
    notes = {r["name"]: r["note"] for name in discover()
             for r in json.loads((tmp_path / "out" / f"{name}-XS.json").read_text())["rows"]}
    assert "oxigraph server not installed" in notes["/sparql mc-description, another credential each turn "
                                                    "(first-time texts)"]
    assert notes["oxigraph: not installed"] == notes["virtuoso: not installed"] == "skipped: server not installed"
    assert notes["qfgraph serve --demo: cold start"] == "oxigraph server not installed"
