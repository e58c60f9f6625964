"""The write gate: a rejected changeset writes nothing, versions refuse stale writers, the
history (PROV-O) is complete and reverts restore, and validating only the affected entries
decides exactly as validating the whole graph would."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import RDF, BNode, Graph, Literal, URIRef

from qfgraph import graph
from qfgraph import shapes
from qfgraph.graph import (
    Changeset, EmbeddedStore, Rejected, RevertError, VersionConflict, commit,
    graph_version, history, revert,
)
from qfgraph.graph.changes.changeset import effect_of, ntriples
from qfgraph.graph.changes.commit import commit_update, new_changeset_iri
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.graph.stores import quads_of
from qfgraph.ontology.namespaces import DCTERMS, ELM, GRAPH, HISTORY_GRAPH, QF

HR = str(GRAPH["demo/hr"])
ID = "https://w3id.org/qfgraph/id/hr/"
MC = URIRef(ID + "mc/welding-coordination")
WELDER = URIRef(ID + "qualification/welder")


def dump(store) -> list[bytes]:
    """The whole store, history graph included, as sorted N-Quads lines."""
    return sorted(store.export(RDF_FORMATS["nquads"]).splitlines())


def objects(store, s, p) -> list:
    return [r["o"] for r in store.select(graph.bind("SELECT ?o WHERE { $s $p ?o }", {"s": s, "p": p}))]


# -- a rejected changeset writes nothing ------------------------------------------------

def test_rejected_changeset_leaves_the_store_byte_for_byte_unchanged(demo_store):
    before = dump(demo_store)
    outcomes = [(MC, ELM.learningOutcome, o) for o in objects(demo_store, MC, ELM.learningOutcome)]
    title = (MC, DCTERMS.description, Literal("a change that comes with a violation", lang="en"))
    with pytest.raises(Rejected) as caught:
        commit(demo_store, Changeset(HR, [title], outcomes, "alice", "drop the outcomes"))
    violations = caught.value.report.violations
    assert [(v.focus, v.severity) for v in violations] == [(MC, "Violation")]
    assert "has no learning outcome" in violations[0].message
    assert "Basics of welding coordination" in violations[0].message
    assert dump(demo_store) == before
    assert graph_version(demo_store, HR) == 0 and history(demo_store) == []


def test_a_change_to_a_unit_is_checked_on_the_qualification_that_depends_on_it(demo_store):
    """Dependents: removing every outcome of every unit leaves the qualification without
    outcomes, a Violation about the qualification, not about the units."""
    units = objects(demo_store, WELDER, ELM.hasPart)
    removals = [(u, ELM.learningOutcome, o) for u in units for o in objects(demo_store, u, ELM.learningOutcome)]
    removals += [(WELDER, ELM.learningOutcome, o) for o in objects(demo_store, WELDER, ELM.learningOutcome)]
    before = dump(demo_store)
    with pytest.raises(Rejected) as caught:
        commit(demo_store, Changeset(HR, [], removals, "alice", "strip outcomes"))
    assert WELDER in {v.focus for v in caught.value.report.violations}
    assert dump(demo_store) == before


# -- accepted changesets: counts, provenance, versions ------------------------------------

def test_accepted_changeset_is_recorded_with_prov_and_bumps_the_version(demo_store):
    added = (MC, DCTERMS.description, Literal("Now with a longer description.", lang="en"))
    result = commit(demo_store, Changeset(HR, [added], [], "Alice Officer", "describe better"))
    assert (result.graph, result.version, result.added, result.removed) == (HR, 1, 1, 0)
    assert result.warnings.conforms and graph_version(demo_store, HR) == 1
    assert graph_version(demo_store, str(GRAPH["demo/nl"])) == 0
    [entry] = history(demo_store)
    assert entry["changeset"] == result.changeset and entry["agent_name"] == "Alice Officer"
    assert (entry["graph"], entry["version"], entry["added"], entry["removed"], entry["message"]) == \
        (HR, 1, 1, 0, "describe better")
    assert demo_store.ask(graph.bind("""ASK { GRAPH $h {
        $cs a qf:Changeset, prov:Activity ; prov:wasAssociatedWith ?a ; prov:endedAtTime ?t ;
            qf:targetGraph $g ; rdfs:comment "describe better" ; qf:addedCount 1 ; qf:removedCount 0 ;
            qf:version 1 ; qf:added ?diff .
        ?a a prov:Agent ; rdfs:label "Alice Officer" . $g qf:version 1 } }""",
        {"h": HISTORY_GRAPH, "cs": URIRef(result.changeset), "g": URIRef(HR)}))
    assert demo_store.ask(graph.bind("ASK { GRAPH $g { $s $p $o } }",
                                     {"g": URIRef(HR), "s": added[0], "p": added[1], "o": added[2]}))


def test_present_additions_and_absent_removals_are_not_counted(demo_store):
    present = (MC, ELM.EQFLevel, URIRef("http://data.europa.eu/snb/eqf/5"))
    absent = (MC, DCTERMS.description, Literal("never there"))
    new = (MC, DCTERMS.alternative, Literal("Welding coordination basics", lang="en"))
    result = commit(demo_store, Changeset(HR, [present, new, new], [absent], "alice", "counts"))
    assert (result.added, result.removed) == (1, 0)
    nothing = commit(demo_store, Changeset(HR, [present], [absent], "alice", "no effect"))
    assert nothing.changeset is None and nothing.version == 1 and len(history(demo_store)) == 1


def test_warnings_come_back_with_the_accepted_result(demo_store):
    # stackable toward a qualification it shares no outcome with: a Warning, not a Violation
    stray = URIRef(ID + "qualification/metal-structures-assembler")
    mc = URIRef(ID + "mc/weld-inspection")
    result = commit(demo_store, Changeset(HR, [(mc, QF.stackableToward, stray)], [], "alice", "stack"))
    assert result.version == 1
    assert [(w.focus, w.severity) for w in result.warnings.warnings] == [(mc, "Warning")]
    assert "shares no learning outcome" in result.warnings.warnings[0].message


def test_blank_nodes_in_additions_become_skolem_iris_of_the_graph(store):
    g = "https://example.org/test/g"
    b = BNode()
    ex = "https://example.org/test/"
    commit(store, Changeset(g, [(URIRef(ex + "a"), URIRef(ex + "p"), b), (b, URIRef(ex + "q"), Literal(1))],
                            [], "alice", "bnodes"))
    rows = store.select(graph.bind("SELECT ?s ?o WHERE { GRAPH $g { ?s ?p ?o } }", {"g": URIRef(g)}))
    nodes = {r["s"] for r in rows} | {r["o"] for r in rows}
    assert not any(isinstance(n, BNode) for n in nodes)
    [skolem] = [n for n in nodes if "/.well-known/genid/" in str(n)]
    assert str(skolem).startswith(g + "/.well-known/genid/")
    assert {(r["s"], r["o"]) for r in rows} == {(URIRef(ex + "a"), skolem), (skolem, Literal(1))}


@pytest.mark.parametrize("make,message", [
    (lambda: Changeset(HR, [(Literal("x"), DCTERMS.title, Literal("y"))], [], "a", "m"), "literal subject"),
    (lambda: Changeset(HR, [], [(BNode(), DCTERMS.title, Literal("y"))], "a", "m"), "blank node"),
    (lambda: Changeset(str(HISTORY_GRAPH), [(MC, DCTERMS.title, Literal("y"))], [], "a", "m"), "history"),
    (lambda: Changeset("not an iri", [], [], "a", "m"), "not a valid IRI"),
    (lambda: Changeset(HR, [(MC, DCTERMS.title, URIRef("bad iri"))], [], "a", "m"), "not a valid IRI"),
    (lambda: Changeset(HR, [(MC, DCTERMS.title, Literal("y"))], [(MC, DCTERMS.title, Literal("y"))], "a", "m"),
     "both add and remove"),
    (lambda: Changeset(HR, [(MC, DCTERMS.title, Literal("y"))], [], " ", "m"), "needs an agent"),
])
def test_malformed_changesets_are_refused_before_anything_is_read(demo_store, make, message):
    before = dump(demo_store)
    with pytest.raises(ValueError, match=message):
        commit(demo_store, make())
    assert dump(demo_store) == before


# -- versions -----------------------------------------------------------------------------

def change(n: int) -> Changeset:
    return Changeset(HR, [(MC, DCTERMS.alternative, Literal(f"name {n}", lang="en"))], [], "alice", f"change {n}",
                     expected_version=0)


def test_a_stale_expected_version_is_refused_and_writes_nothing(demo_store):
    commit(demo_store, change(1))
    before = dump(demo_store)
    with pytest.raises(VersionConflict) as caught:
        commit(demo_store, change(2))
    assert (caught.value.expected, caught.value.actual) == (0, 1)
    assert dump(demo_store) == before


def test_the_version_check_is_inside_the_update_request(demo_store):
    """A commit request built for version 0, sent after the graph moved to version 1,
    changes nothing: the check does not depend on a lock or a prior read."""
    stale = change(2)
    effect = effect_of(demo_store, stale)
    commit(demo_store, change(1))
    before = dump(demo_store)
    from datetime import datetime, timezone
    demo_store.update(commit_update(stale, effect, 0, new_changeset_iri(), datetime.now(timezone.utc)))
    assert dump(demo_store) == before


def test_two_writers_on_the_same_version_cannot_both_commit(tmp_path):
    with EmbeddedStore(tmp_path / "store") as s:
        graph.install_demo(s)
        outcomes = []

        def write(n):
            try:
                outcomes.append(commit(s, change(n)).version)
            except VersionConflict:
                outcomes.append("conflict")
        writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
        for w in writers:
            w.start()
        for w in writers:
            w.join()
        assert sorted(outcomes, key=str) == [1, "conflict", "conflict", "conflict"]
        assert graph_version(s, HR) == 1 and len(history(s)) == 1
        assert len(objects(s, MC, DCTERMS.alternative)) == 1


# -- revert -------------------------------------------------------------------------------

def graph_lines(store, g=HR) -> list[bytes]:
    return sorted(store.export(RDF_FORMATS["ntriples"], g).splitlines())


def test_revert_restores_the_graph(demo_store):
    original = graph_lines(demo_store)
    first = commit(demo_store, Changeset(HR, [(MC, DCTERMS.alternative, Literal("A", lang="en"))], [],
                                         "alice", "first"))
    after_first = graph_lines(demo_store)
    old_title = (MC, DCTERMS.title, Literal("Basics of welding coordination", lang="en"))
    second = commit(demo_store, Changeset(HR, [(MC, DCTERMS.title, Literal("Welding coordination", lang="en"))],
                                          [old_title], "bob", "retitle"))
    undo = revert(demo_store, second.changeset, "carol")
    assert (undo.added, undo.removed, undo.version) == (1, 1, 3)
    assert graph_lines(demo_store) == after_first
    assert history(demo_store)[0]["reverts"] == second.changeset
    revert(demo_store, first.changeset, "carol", "back to the start")
    assert graph_lines(demo_store) == original


def test_revert_is_refused_when_later_changesets_touched_the_same_triples(demo_store):
    name = (MC, DCTERMS.alternative, Literal("A", lang="en"))
    first = commit(demo_store, Changeset(HR, [name], [], "alice", "add"))
    second = commit(demo_store, Changeset(HR, [], [name], "bob", "remove"))
    before = dump(demo_store)
    with pytest.raises(RevertError, match=second.changeset):
        revert(demo_store, first.changeset, "carol")
    with pytest.raises(RevertError, match="no changeset"):
        revert(demo_store, "https://w3id.org/qfgraph/changeset/none", "carol")
    assert dump(demo_store) == before


def test_a_revert_goes_through_the_rules_too(demo_store):
    """Undoing the creation of an outcome that a later changeset made a micro-credential
    rely on is refused."""
    lo = URIRef(ID + "outcome/new-outcome")
    created = commit(demo_store, Changeset(HR, [(lo, RDF.type, ELM.LearningOutcome),
                                                (lo, DCTERMS.title, Literal("A new outcome", lang="en"))],
                                           [], "alice", "new outcome"))
    commit(demo_store, Changeset(HR, [(MC, ELM.learningOutcome, lo)], [], "bob", "use it"))
    before = dump(demo_store)
    with pytest.raises(Rejected) as caught:
        revert(demo_store, created.changeset, "carol")
    assert {v.focus for v in caught.value.report.violations} == {MC}
    assert dump(demo_store) == before


# -- incremental equals whole -------------------------------------------------------------

class Demo:
    """The demo store as N-Quads (copied for each example) and pools to draw changes from."""

    def __init__(self):
        s = EmbeddedStore(None)
        graph.install_demo(s)
        self.nquads = s.export(RDF_FORMATS["nquads"])
        self.graphs = [str(GRAPH[f"demo/{c}"]) for c in ("hr", "nl", "dk")]
        self.triples = {g: sorted(quads_of(s, g)) for g in self.graphs}
        every = [t for g in self.graphs for t in self.triples[g]]
        self.subjects = sorted({t[0] for t in every})
        self.predicates = sorted({t[1] for t in every})
        nodes = sorted({t[2] for t in every if isinstance(t[2], URIRef)} | set(self.subjects))
        self.objects = nodes + [Literal("x"), Literal(0), Literal("-3"), Literal("Plain title", lang="en")]
        s.close()

    def store(self) -> EmbeddedStore:
        s = EmbeddedStore(None)
        s.load(self.nquads, RDF_FORMATS["nquads"], None)
        return s


_demo: Demo | None = None


def demo() -> Demo:
    global _demo
    if _demo is None:
        _demo = Demo()
    return _demo


operation = st.one_of(
    st.tuples(st.just("remove"), st.integers(0, 10**6)),
    st.tuples(st.just("add"), st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("retarget"), st.integers(0, 10**6), st.integers(0, 10**6)),
)


def changes(d: Demo, g: str, ops) -> tuple[list, list]:
    additions, removals = [], []
    triples = d.triples[g]
    for op in ops:
        if op[0] == "remove":
            removals.append(triples[op[1] % len(triples)])
        elif op[0] == "add":
            additions.append((d.subjects[op[1] % len(d.subjects)], d.predicates[op[2] % len(d.predicates)],
                              d.objects[op[3] % len(d.objects)]))
        else:
            s, p, o = triples[op[1] % len(triples)]
            removals.append((s, p, o))
            same = [t[2] for t in triples if t[1] == p]
            additions.append((s, p, same[op[2] % len(same)]))
    return [t for t in additions if t not in removals], removals  # a changeset never does both


def whole_after(d: Demo, g: str, additions, removals) -> Graph:
    """The union of every graph after applying the change directly (no gate)."""
    s = d.store()
    effect = effect_of(s, Changeset(g, additions, removals, "x", "x"))
    s.update(graph.bind("DELETE DATA { GRAPH $g { ", {"g": URIRef(g)}) + ntriples(effect.removed)
             + " } } ; " + graph.bind("INSERT DATA { GRAPH $g { ", {"g": URIRef(g)}, prefixes=False)
             + ntriples(effect.added) + " } }")
    union = Graph()
    for r in s.select(graph.bind("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != $h) }",
                                 {"h": HISTORY_GRAPH})):
        union.add((r["s"], r["p"], r["o"]))
    s.close()
    return union


def key(results) -> set:
    return {(r.focus, r.severity, str(r.shape), r.path, r.value, r.message) for r in results}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2), st.lists(operation, min_size=1, max_size=4))
@example(which=0, ops=[("add", 81, 6665, 2068)])  # a message naming a value the rules never read
def test_incremental_equals_whole(which, ops):
    d = demo()
    g = d.graphs[which]
    additions, removals = changes(d, g, ops)
    whole = shapes.validate(whole_after(d, g, additions, removals))
    s = d.store()
    try:
        result = commit(s, Changeset(g, additions, removals, "prop", "random change"))
    except Rejected as e:
        assert key(e.report.violations) == key(whole.violations)
        assert whole.violations
    else:
        assert not whole.violations, whole.to_text()
        assert key(result.warnings.warnings) == key(whole.warnings)
    finally:
        s.close()


# -- qfgraph load, history, revert: the command line end to end -----------------------------

def qfgraph(*args, store, check=True):
    env = dict(os.environ, QFGRAPH_STORE=str(store), USER="registry-officer")
    proc = subprocess.run([sys.executable, "-m", "qfgraph.api.cli", *map(str, args)], capture_output=True,
                          env=env, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"qfgraph {args} failed ({proc.returncode}): {proc.stderr.decode()}")
    return proc


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "store"
    qfgraph("demo", store=path)
    return path


@pytest.fixture
def cli_store(demo_dir, tmp_path):
    """A store directory with the demo graph (a copy: each test writes its own)."""
    import shutil
    return shutil.copytree(demo_dir, tmp_path / "store")


def cli_dump(store) -> list[bytes]:
    return sorted(qfgraph("export", "--format", "nquads", store=store).stdout.splitlines())


GOOD_MC = """@prefix qf: <https://w3id.org/qfgraph#> . @prefix elm: <http://data.europa.eu/snb/model/elm/> .
@prefix dcterms: <http://purl.org/dc/terms/> . @base <https://w3id.org/qfgraph/id/hr/> .
<mc/new-one> a qf:MicroCredential ; dcterms:title "A new micro-credential"@en ;
  elm:awardingBody <org/metalform-training-centre> ;
  qf:country <http://publications.europa.eu/resource/authority/country/HRV> ;
  elm:learningOutcome <outcome/welding-coordination> ;
  elm:creditPoint <mc/new-one#ects> ;
  elm:EQFLevel <http://data.europa.eu/snb/eqf/5> ;
  qf:assessmentType <http://data.europa.eu/snb/assessment/6e6cb2cc78> ;
  elm:mode <http://data.europa.eu/snb/learning-assessment/e92d221e4d> ;
  qf:qualityAssurance qf:InternalQualityAssurance .
<mc/new-one#ects> a elm:CreditPoint ; elm:framework <http://data.europa.eu/snb/education-credit/6fcec5c5af> ;
  elm:point "2" .
"""


def test_cli_load_refuses_a_violating_file_with_the_report_and_writes_nothing(cli_store, tmp_path):
    store = cli_store
    before = cli_dump(store)
    bad = tmp_path / "bad.ttl"
    bad.write_text(GOOD_MC.replace('elm:learningOutcome <outcome/welding-coordination> ;', ""))
    proc = qfgraph("load", bad, "--graph", HR, store=store, check=False)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "“A new micro-credential” has no learning outcome" in err
    assert f"{bad}: refused by the rules (1 violation): nothing written" in err
    assert cli_dump(store) == before


def test_cli_load_history_and_revert(cli_store, tmp_path):
    store = cli_store
    before = cli_dump(store)
    good = tmp_path / "good.ttl"
    good.write_text(GOOD_MC)
    out = qfgraph("load", good, "--graph", HR, "-m", "register the new course", store=store).stdout.decode()
    assert f"{good}: 13 triples" in out and f"{HR} version 1: +13 -0" in out
    import json
    [entry] = json.loads(qfgraph("history", "--graph", HR, "--json", store=store).stdout)
    assert (entry["agent_name"], entry["message"], entry["added"]) == ("registry-officer", "register the new course", 13)
    text = qfgraph("history", store=store).stdout.decode()
    assert "registry-officer: register the new course" in text and entry["changeset"] in text
    out = qfgraph("revert", entry["changeset"], "--agent", "supervisor", store=store).stdout.decode()
    assert f"reverted {entry['changeset']}" in out and "+0 -13" in out
    data = lambda lines: [l for l in lines if str(HISTORY_GRAPH).encode() not in l]
    assert data(cli_dump(store)) == data(before)
    again = qfgraph("revert", entry["changeset"], store=store, check=False)
    assert again.returncode == 1 and b"revert them first" in again.stderr


def test_cli_bulk_load_records_a_changeset_that_skipped_the_rules(tmp_path):
    store = tmp_path / "store"
    qfgraph("init", store=store)
    bad = tmp_path / "bad.ttl"
    bad.write_text(GOOD_MC.replace('elm:learningOutcome <outcome/welding-coordination> ;', ""))
    out = qfgraph("load", bad, "--graph", HR, "--bulk", store=store).stdout.decode()
    assert "rules not checked (bulk)" in out and f"{HR} version 1: +12 -0" in out
    import json
    [entry] = json.loads(qfgraph("history", "--json", store=store).stdout)
    assert entry["rules_checked"] is False and entry["added"] == 12
    proc = qfgraph("revert", entry["changeset"], store=store, check=False)
    assert proc.returncode == 1 and b"bulk load" in proc.stderr


def test_a_big_change_is_validated_in_batches_with_the_same_report(demo_store, monkeypatch):
    from qfgraph import graph
    from qfgraph.graph.changes import gate
    mcs = [r["m"] for r in demo_store.select(graph.bind(
        "SELECT ?m WHERE { GRAPH $g { ?m a qf:MicroCredential } } ORDER BY ?m LIMIT 5", {"g": URIRef(HR)}))]
    removals = [(m, ELM.learningOutcome, o) for m in mcs for o in objects(demo_store, m, ELM.learningOutcome)]
    reports = []
    for size in (500, 2):
        monkeypatch.setattr(gate, "FOCUS_BATCH", size)
        with pytest.raises(Rejected) as caught:
            commit(demo_store, Changeset(HR, [], removals, "alice", "strip"))
        reports.append(key(caught.value.report.violations))
    assert reports[0] == reports[1] and set(mcs) <= {k[0] for k in reports[0]}


def test_a_whole_store_backup_is_restored_with_bulk_not_through_the_gate(demo_store, store, tmp_path):
    from qfgraph.graph import LoadError
    from qfgraph.graph.changes.loading import load_bulk, parse_file
    first = commit(demo_store, Changeset(HR, [(MC, DCTERMS.alternative, Literal("B", lang="en"))], [], "alice", "x"))
    backup = tmp_path / "backup.nq"
    backup.write_bytes(demo_store.export(RDF_FORMATS["nquads"]))
    with pytest.raises(LoadError, match="history graph"):
        parse_file(backup, RDF_FORMATS["nquads"], None)
    results = load_bulk(store, backup, RDF_FORMATS["nquads"], None, "admin", "restore")
    assert HR in {r.graph for r in results} and all(r.skipped_rules for r in results)
    assert graph_version(store, HR) == 2
    assert [e["changeset"] for e in history(store, HR)] == [r.changeset for r in results if r.graph == HR] + \
        [first.changeset]
