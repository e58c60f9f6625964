"""Writes on a SPARQL server: one request per changeset, a stale one changes nothing, and of
writers on the same version exactly one commits, on every server, with no lock in any process
(each writer has its own store, as separate API processes would): the version claims of
graph/stores/claims.py. Bulk loads take the same claims."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest
from rdflib import Literal, URIRef

from qfgraph.graph import RDF_FORMATS
from qfgraph.graph.stores import claims
from qfgraph.graph.changes.changeset import Changeset, effect_of
from qfgraph.graph.stores import VersionConflict, graph_version
from qfgraph.graph.changes.commit import commit, commit_update, new_changeset_iri, recorded
from qfgraph.graph.stores.claims import CLAIMS_GRAPH, Claim, GraphBusy, claim_versions
from qfgraph.graph.changes.loading import load_bulk
from qfgraph.ontology import HISTORY_GRAPH
from servers import wipe

G = "http://example.org/register"
P = URIRef("http://example.org/title")
QF = "https://w3id.org/qfgraph#"
# rounds of the stress test: Virtuoso answers an update in tens of milliseconds, Oxigraph in a few
ROUNDS = {"oxigraph": 60, "virtuoso": 20}
WRITERS = 3


@pytest.fixture(params=["oxigraph", "virtuoso"])
def writers(request):
    """Independent stores on one server, as separate API processes would hold."""
    server = request.getfixturevalue(f"{request.param}_server")
    stores = [server.store() for _ in range(WRITERS)]
    wipe(stores[0])
    yield stores
    wipe(stores[0])


def titles(store, subject):
    return {str(r["o"]) for r in store.select(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ <{subject}> <{P}> ?o }} }}")}


def history_of(store, graph=G) -> list[int]:
    """The version recorded by each changeset of the graph, sorted."""
    rows = store.select(f"SELECT ?v WHERE {{ GRAPH <{HISTORY_GRAPH}> {{ ?cs <{QF}targetGraph> <{graph}> ; "
                        f"<{QF}version> ?v }} }}")
    return sorted(int(r["v"]) for r in rows)


def claims_left(store) -> int:
    """The claims in the claims graph (and nothing else there: a claim is removed whole)."""
    rows = store.select(f"SELECT DISTINCT ?c ?p WHERE {{ GRAPH <{CLAIMS_GRAPH}> {{ ?c ?p ?o }} }}")
    assert len(rows) == 5 * len({r["c"] for r in rows}), rows
    return len({r["c"] for r in rows})


def race(*calls):
    """Run the calls at the same moment, each in its own thread; their results or errors."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i):
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as e:  # noqa: BLE001 - the outcome is what the test looks at
            results[i] = e
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_writers_on_the_same_stale_version_commit_exactly_once(writers):
    """The stress test: in every round all writers commit on the version they all read; one
    commits, the others get VersionConflict and write nothing."""
    rounds = ROUNDS[writers[0].engine.name]
    conflicts = 0
    for n in range(rounds):
        subject = URIRef(f"http://example.org/m{n}")
        changes = [Changeset(G, [(subject, P, Literal(f"w{i}"))], [], f"writer{i}", "race", n)
                   for i in range(len(writers))]
        outcomes = race(*[(lambda s=s, c=c: commit(s, c)) for s, c in zip(writers, changes)])
        wins = [o for o in outcomes if not isinstance(o, Exception)]
        assert len(wins) == 1, (n, outcomes)
        assert all(type(o) is VersionConflict for o in outcomes if isinstance(o, Exception)), outcomes
        assert wins[0].version == n + 1 == graph_version(writers[0], G)
        assert titles(writers[0], subject) == {f"w{outcomes.index(wins[0])}"}
        conflicts += len(outcomes) - 1
    a = writers[0]
    assert history_of(a) == list(range(1, rounds + 1))  # one changeset per version, no duplicate
    assert conflicts == rounds * (len(writers) - 1)
    assert claims_left(a) == 0


def test_concurrent_writers_lose_no_update(writers):
    """Writers without an expected version: a change is validated again on the version it
    reads when another got in first (a few times, then VersionConflict: the caller sends it
    again). Every change lands once, one version each."""
    per_writer, committed = 4, []

    def write(i):
        for j in range(per_writer):
            item = URIRef(f"http://example.org/w{i}-{j}")
            for _ in range(20):
                try:
                    committed.append(commit(writers[i], Changeset(G, [(item, P, Literal("x"))], [],
                                                                  f"writer{i}", "concurrent")))
                    break
                except VersionConflict:
                    continue
    assert race(*[(lambda i=i: write(i)) for i in range(len(writers))]) == [None] * len(writers)
    total = per_writer * len(writers)
    a = writers[0]
    assert len(committed) == total
    assert len(a.select(f"SELECT ?s WHERE {{ GRAPH <{G}> {{ ?s <{P}> ?o }} }}")) == total
    assert sorted(r.version for r in committed) == list(range(1, total + 1))
    assert graph_version(a, G) == total and history_of(a) == list(range(1, total + 1))


def test_a_stale_claim_expires_and_is_removed(writers):
    """A writer that died after claiming: its claim stops blocking once its lease is over,
    and the next writer removes it. Claims are not data: graph_sizes and export leave them out."""
    a, b = writers[:2]
    dead = claim_versions(a, {G: 0}, window=0.5, margin=1.0)  # a lease of 2.5 s, never committed
    assert dead is not None and claims_left(a) == 1
    assert CLAIMS_GRAPH not in a.graph_sizes() and str(CLAIMS_GRAPH).encode() not in a.export(RDF_FORMATS["nquads"])
    started = time.monotonic()
    result = commit(b, Changeset(G, [(URIRef("http://example.org/after"), P, Literal("after"))], [],
                                 "b", "after the dead writer", 0))
    assert result.version == 1 and time.monotonic() - started >= 1.0  # it waited for the lease
    assert claims_left(a) == 0  # the dead claim went with the commit


def test_a_live_claim_makes_others_wait_then_give_up_writing_nothing(writers, monkeypatch):
    a, b = writers[:2]
    monkeypatch.setattr(claims, "CLAIM_WAIT", 0.5)
    held = claim_versions(a, {G: 0})
    with pytest.raises(GraphBusy, match="being written"):
        commit(b, Changeset(G, [(URIRef("http://example.org/b"), P, Literal("b"))], [], "b", "blocked", 0))
    assert graph_version(a, G) == 0 and a.graph_sizes() == {} and claims_left(a) == 1
    held.release(a)
    assert commit(b, Changeset(G, [(URIRef("http://example.org/b"), P, Literal("b"))], [], "b", "free", 0)).version == 1


def test_a_commit_after_its_claims_deadline_changes_nothing(writers):
    """The deadline is checked inside the commit request, by the server's clock."""
    a = writers[0]
    cs = Changeset(G, [(URIRef("http://example.org/late"), P, Literal("late"))], [], "a", "late", 0)
    claim = claim_versions(a, {G: 0}, window=0.3, margin=5.0)
    time.sleep(1.0)
    iri = new_changeset_iri()
    a.update(commit_update(cs, effect_of(a, cs), 0, iri, datetime.now(timezone.utc), claim=claim))
    assert not recorded(a, iri) and graph_version(a, G) == 0 and a.graph_sizes() == {}
    assert claims_left(a) == 0  # the request removed its claim all the same


def test_a_commit_built_for_an_old_version_changes_nothing(writers):
    a = writers[0]
    first = Changeset(G, [(URIRef("http://example.org/x"), P, Literal("one"))], [], "c", "one")
    stale = Changeset(G, [(URIRef("http://example.org/x"), P, Literal("two"))], [], "c", "two", 0)
    stale_update = commit_update(stale, effect_of(a, stale), 0, new_changeset_iri(), datetime.now(timezone.utc))
    commit(a, first)
    before = a.export(RDF_FORMATS["nquads"])
    a.update(stale_update)  # the version check inside the request matches nothing
    assert a.export(RDF_FORMATS["nquads"]) == before


def test_concurrent_bulk_loads_to_one_graph_are_recorded_one_after_the_other(writers, tmp_path):
    """Two trusted bulk loads into one graph at once: the second waits for the first's claim,
    so each changeset counts exactly its own triples and takes its own version."""
    files = []
    for i in range(2):
        path = tmp_path / f"part{i}.nt"
        path.write_text("".join(f"<http://example.org/b{i}-{k}> <{P}> \"{k}\" .\n" for k in range(50 + i * 25)))
        files.append(path)
    outcomes = race(*[(lambda s=s, f=f: load_bulk(s, f, RDF_FORMATS["ntriples"], G, "loader"))
                      for s, f in zip(writers, files)])
    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes), outcomes
    assert sorted((o[0].version, o[0].added) for o in outcomes) in ([(1, 50), (2, 75)], [(1, 75), (2, 50)])
    a = writers[0]
    assert graph_version(a, G) == 2 and history_of(a) == [1, 2] and claims_left(a) == 0
    assert a.graph_sizes()[G] == 125


def test_a_bulk_load_blocked_by_a_live_claim_sends_nothing(writers, tmp_path, monkeypatch):
    a, b = writers[:2]
    monkeypatch.setattr(claims, "CLAIM_WAIT", 0.5)
    path = tmp_path / "blocked.nt"
    path.write_text(f"<http://example.org/s> <{P}> \"o\" .\n")
    held = claim_versions(a, {G: 0})
    with pytest.raises(GraphBusy):
        load_bulk(b, path, RDF_FORMATS["ntriples"], G, "loader")
    assert a.graph_sizes() == {} and graph_version(a, G) == 0
    held.release(a)
    assert load_bulk(b, path, RDF_FORMATS["ntriples"], G, "loader")[0].version == 1


def test_a_write_over_http_while_another_replica_holds_the_graph_is_503_with_retry_after(
        writers, monkeypatch, tmp_path):
    from http_support import bearer, demo_app, tokens
    a, b = writers[:2]
    monkeypatch.setattr(claims, "CLAIM_WAIT", 0.5)
    app = demo_app(tmp_path, store=b)
    auth = bearer(tokens(app).create("register", "curator", [G]))
    held = claim_versions(a, {G: 0})
    r = app.test_client().post("/api/v1/changesets", headers=auth, json={
        "graph": G, "add": f'<http://example.org/b> <{P}> "b" .', "expectedVersion": 0})
    assert r.status_code == 503 and r.headers["Retry-After"] == "5"
    assert "being written" in r.get_json()["detail"] and graph_version(a, G) == 0
    held.release(a)


def test_a_commit_request_reads_the_server_clock_once_and_applies_whole_or_not_at_all(writers):
    """Were each operation of a commit request to compare the server's clock with the claim's
    deadline, a deadline passing between the data and the version record would let the data
    in without its version. The first operation decides; the others follow its decision."""
    from rdflib.namespace import XSD
    a, item = writers[0], URIRef("http://example.org/late")
    base = graph_version(a, G)
    change = Changeset(G, [(item, P, Literal("x"))], [], "late writer", "late")
    effect = effect_of(a, change)
    claim = claim_versions(a, {G: base})
    text = commit_update(change, effect, base, new_changeset_iri(), datetime.now(timezone.utc), claim=claim)
    assert text.count("NOW()") == 1
    # the deadline passed before the request began: no data, no record, no version, no claim
    late = Claim(claim.nodes, Literal("2000-01-01T00:00:00Z", datatype=XSD.dateTime))
    a.update(commit_update(change, effect, base, new_changeset_iri(), datetime.now(timezone.utc), claim=late))
    assert titles(a, item) == set() and graph_version(a, G) == base and history_of(a) == []
    assert claims_left(a) == 0
    # in time, the same request applies whole
    claim = claim_versions(a, {G: base})
    iri = new_changeset_iri()
    a.update(commit_update(change, effect, base, iri, datetime.now(timezone.utc), claim=claim))
    assert titles(a, item) == {"x"} and graph_version(a, G) == base + 1 and recorded(a, iri)
    assert claims_left(a) == 0
