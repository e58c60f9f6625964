"""The `qfgraph` command line, end to end in a temporary directory (real processes)."""
import json
import os
import subprocess
import sys
import time

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

EX = "https://example.org/test/"


def qfgraph(*args, store=None, input=None, check=True):
    env = dict(os.environ, QFGRAPH_STORE=str(store)) if store else dict(os.environ)
    proc = subprocess.run([sys.executable, "-m", "qfgraph.api.cli", *map(str, args)], capture_output=True,
                          input=input, env=env, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"qfgraph {args} failed ({proc.returncode}): {proc.stderr.decode()}")
    return proc


def dump(store_dir):
    """The whole store as sorted N-Quads lines: equal dumps mean equal stores."""
    return sorted(qfgraph("export", "--format", "nquads", store=store_dir).stdout.splitlines())


@pytest.fixture
def initialised(tmp_path):
    store = tmp_path / "store"
    qfgraph("init", store=store)
    return store


def test_init_twice_changes_nothing(initialised):
    before = dump(initialised)
    qfgraph("init", store=initialised)
    assert dump(initialised) == before
    assert len(before) > 700


def test_store_option_before_and_after_the_command(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    qfgraph("--store", a, "init")
    qfgraph("init", "--store", b)
    assert dump(a) and dump(a) == dump(b)


def test_demo_loads_reference_and_demo_graphs(tmp_path):
    store = tmp_path / "s"
    out = qfgraph("demo", store=store).stdout.decode()
    assert "graph/frameworks" in out and "graph/demo/hr" in out
    stats = json.loads(qfgraph("stats", "--json", store=store).stdout)
    assert stats["classes"]["micro-credentials"] >= 24
    assert stats["classes"]["qualifications"] >= 3


@pytest.fixture
def loaded(initialised, tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(f"@prefix ex: <{EX}> . ex:a ex:p ex:b ; ex:label \"A\"@en . ex:b ex:p ex:c .\n")
    out = qfgraph("load", data, "--graph", EX + "g", store=initialised).stdout.decode()
    assert "3 triples" in out
    return initialised


QUERY = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"


@pytest.mark.parametrize("fmt,expect", [
    ("table", b"(2 rows)"),
    ("json", b'"bindings"'),
    ("xml", b"<sparql"),
    ("csv", b"s,o"),
    ("tsv", b"?s\t?o"),
])
def test_query_in_every_result_format(loaded, fmt, expect):
    out = qfgraph("query", QUERY, "--format", fmt, store=loaded).stdout
    assert expect in out and (EX + "a").encode() in out


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_construct_in_graph_formats(loaded, fmt):
    out = qfgraph("query", f"CONSTRUCT {{ ?s <{EX}p> ?o }} WHERE {{ ?s <{EX}p> ?o }}",
                  "--format", fmt, store=loaded).stdout
    g = Graph().parse(data=out, format="turtle" if fmt == "turtle" else "nt")
    assert len(g) == 2


def test_query_from_file_and_stdin_and_ask(loaded, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text(QUERY)
    assert b"(2 rows)" in qfgraph("query", f"@{q}", store=loaded).stdout
    assert b"(2 rows)" in qfgraph("query", "-", store=loaded, input=QUERY.encode()).stdout
    assert qfgraph("query", f"ASK {{ <{EX}a> ?p ?o }}", store=loaded).stdout.strip() == b"true"


def test_standard_prefixes_are_known_to_the_cli(initialised):
    out = qfgraph("query", "SELECT (COUNT(*) AS ?n) WHERE { ?l qf:referencedTo eqf:4 }",
                  "--format", "csv", store=initialised).stdout.decode()
    # CROQF 4.1, 4.2; NLQF 4, 4+; DQF 4; NFQ 5; SCQF 6, and the 7 others confirmed (CyQF 4, RQF 3, ...)
    assert out.split()[-1] == "14"


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("ntriples", "nt"),
                                          ("nquads", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_export_then_reload_gives_the_same_graph(loaded, tmp_path, fmt, parse_as):
    exported = tmp_path / f"out.{ {'turtle': 'ttl', 'ntriples': 'nt', 'nquads': 'nq', 'trig': 'trig', 'jsonld': 'jsonld'}[fmt] }"
    qfgraph("export", "--graph", EX + "g", "--format", fmt, "-o", exported, store=loaded)
    original = Graph().parse(data=qfgraph("export", "--graph", EX + "g", "--format", "ntriples",
                                          store=loaded).stdout, format="nt")
    other = tmp_path / "other"
    qfgraph("load", exported, "--graph", EX + "g", store=other)
    reloaded = Graph().parse(data=qfgraph("export", "--graph", EX + "g", "--format", "ntriples",
                                          store=other).stdout, format="nt")
    assert len(original) == 3 and isomorphic(original, reloaded)


def test_export_of_the_whole_store_keeps_graph_names(loaded, tmp_path):
    ds = Dataset()
    ds.parse(data=b"\n".join(dump(loaded)), format="nquads")
    names = {str(c.identifier) for c in ds.graphs()}
    assert {EX + "g", "https://w3id.org/qfgraph/graph/frameworks"} <= names


def test_stats_counts_graphs_and_classes(loaded):
    out = qfgraph("stats", store=loaded).stdout.decode()
    assert "3  " + EX + "g" in out.replace("         ", "")
    assert "framework levels" in out
    stats = json.loads(qfgraph("stats", "--json", store=loaded).stdout)
    assert stats["graphs"][EX + "g"] == 3 and stats["classes"]["framework levels"] == 391   # EQF 8, code list 381, the test's 2


# -- bad input ------------------------------------------------------------------------

def test_malformed_turtle_names_file_and_line_and_changes_nothing(loaded, tmp_path):
    before = dump(loaded)
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"@prefix ex: <{EX}> .\nex:x ex:p ex:y .\nex:x ex:p \"unterminated .\n")
    proc = qfgraph("load", bad, "--graph", EX + "g", store=loaded, check=False)
    assert proc.returncode != 0
    err = proc.stderr.decode()
    assert f"{bad}:3:" in err and len(err.strip().splitlines()) == 1
    assert dump(loaded) == before


def test_second_file_failing_leaves_the_first_unloaded_too(loaded, tmp_path):
    """Every file is checked before any is written."""
    before = dump(loaded)
    good, bad = tmp_path / "good.nt", tmp_path / "bad.nt"
    good.write_text(f"<{EX}n> <{EX}p> <{EX}m> .\n")
    bad.write_text(f"<{EX}n> <{EX}p> .\n")
    proc = qfgraph("load", good, bad, "--graph", EX + "g", store=loaded, check=False)
    assert proc.returncode != 0 and f"{bad}:1" in proc.stderr.decode()
    assert dump(loaded) == before


@pytest.mark.parametrize("args,message", [
    (["load", "FILE.xyz", "--graph", EX + "g"], "cannot tell the RDF format from the extension '.xyz'"),
    (["load", "FILE.ttl", "--graph", EX + "g", "--format", "yaml"], "unknown RDF format 'yaml'"),
    (["load", "FILE.ttl"], "name the target with --graph IRI"),
    (["load", "FILE.ttl", "--graph", "not an iri"], "not a valid IRI"),
    (["export", "--format", "csv"], "unknown RDF format 'csv'"),
])
def test_unknown_format_or_extension_is_a_clear_error(initialised, tmp_path, args, message):
    for name in ("FILE.xyz", "FILE.ttl"):
        (tmp_path / name).write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n")
    args = [str(tmp_path / a) if a.startswith("FILE") else a for a in args]
    before = dump(initialised)
    proc = qfgraph(*args, store=initialised, check=False)
    assert proc.returncode != 0
    assert message in proc.stderr.decode()
    assert dump(initialised) == before


def test_sparql_syntax_error_is_a_clear_error(initialised):
    proc = qfgraph("query", "SELECT ?x WHERE { ?x ?p }", store=initialised, check=False)
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("qfgraph: error: SPARQL syntax error: error at line 1")


def test_locked_store_is_a_clear_error(initialised):
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(60)", str(initialised)],
                              stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"ready"
        proc = qfgraph("stats", store=initialised, check=False)
        assert proc.returncode == 1
        assert "is in use by another process" in proc.stderr.decode()
    finally:
        holder.kill()
        holder.wait()
