"""Atomic writes on a SPARQL server: one request per changeset, a stale one changes nothing,
and of two writers on the same version exactly one commits (on the servers that isolate
concurrent updates enough: Virtuoso; Oxigraph server takes one writing process)."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from rdflib import Literal, URIRef

from graph import RDF_FORMATS, StoreError
from graph.changeset import (
    Changeset, VersionConflict, commit, commit_update, effect_of, graph_version, new_changeset_iri,
    recorded,
)
from graph.remote import ENGINES
from servers import SERVERS, wipe

G = "http://example.org/register"
P = URIRef("http://example.org/title")


def two_writers(request, kind):
    server = request.getfixturevalue(f"{kind}_server")
    stores = [server.store(), server.store()]  # two writers, as two API processes would be
    wipe(stores[0])
    yield stores
    wipe(stores[0])


# Oxigraph server isolates an update from others only as a snapshot: two requests both
# creating the same version claim can both succeed, so it takes one writing process (see
# README, Scaling out); the race tests run on the servers that serialize the claim.
@pytest.fixture(params=[name for name in SERVERS if ENGINES[name].isolated_writes])
def racing_writers(request):
    yield from two_writers(request, request.param)


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server_store(request):
    yield from two_writers(request, request.param)


def titles(store, subject):
    return {str(r["o"]) for r in store.select(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ <{subject}> <{P}> ?o }} }}")}


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


def test_two_commit_requests_on_the_same_version_apply_once(racing_writers):
    """Both requests are built for the same base version and sent together: the server
    applies one, and the other changes nothing (no data, no history record)."""
    a, b = racing_writers
    for n in range(12):
        subject = URIRef(f"http://example.org/q{n}")
        base = graph_version(a, G)
        requests = []
        for store, title in ((a, "first"), (b, "second")):
            cs = Changeset(G, [(subject, P, Literal(title))], [], "curator", "race", base)
            iri = new_changeset_iri()
            requests.append((store, iri, commit_update(cs, effect_of(store, cs), base, iri,
                                                       datetime.now(timezone.utc), claim=True)))
        outcomes = race(*[(lambda s=s, u=u: s.update(u)) for s, _, u in requests])
        won = [recorded(a, iri) for _, iri, _ in requests]
        assert sum(won) == 1, (n, outcomes)
        loser = outcomes[won.index(False)]
        assert loser is None or isinstance(loser, StoreError)
        assert titles(a, subject) == {"first" if won[0] else "second"}
        assert graph_version(a, G) == base + 1


def test_concurrent_changesets_on_a_stale_version_commit_once(racing_writers):
    a, b = racing_writers
    for n in range(6):
        subject = URIRef(f"http://example.org/m{n}")
        base = graph_version(a, G)
        changes = [Changeset(G, [(subject, P, Literal(f"w{i}"))], [], f"writer{i}", "race", base)
                   for i in range(2)]
        outcomes = race(lambda: commit(a, changes[0]), lambda: commit(b, changes[1]))
        wins = [o for o in outcomes if not isinstance(o, Exception)]
        assert len(wins) == 1, outcomes
        assert all(isinstance(o, VersionConflict) for o in outcomes if isinstance(o, Exception)), outcomes
        assert wins[0].version == base + 1 == graph_version(a, G)
        assert len(titles(a, subject)) == 1


def test_a_commit_built_for_an_old_version_changes_nothing(server_store):
    a, _ = server_store
    first = Changeset(G, [(URIRef("http://example.org/x"), P, Literal("one"))], [], "c", "one")
    stale = Changeset(G, [(URIRef("http://example.org/x"), P, Literal("two"))], [], "c", "two", 0)
    stale_update = commit_update(stale, effect_of(a, stale), 0, new_changeset_iri(),
                                 datetime.now(timezone.utc), claim=True)
    commit(a, first)
    before = a.export(RDF_FORMATS["nquads"])
    with pytest.raises(StoreError):
        a.update(stale_update)  # the claim on version 1 exists: the whole request fails
    assert a.export(RDF_FORMATS["nquads"]) == before
