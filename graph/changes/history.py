"""The history of accepted changesets (PROV-O, in the history graph) and reverting one.

Revert rule: a changeset can be reverted while no later changeset of the same graph added
or removed any of the triples it changed. Otherwise the revert is refused, naming the later
changesets: revert those first (newest first). This keeps a revert exact: it restores just
what the changeset changed and never undoes someone else's later work by accident.
"""
from __future__ import annotations

from rdflib import Literal, URIRef

from qfgraph.graph.changes.changeset import Changeset, CommitResult, ntriple, parse_ntriples
from qfgraph.graph.changes.commit import commit
from qfgraph.graph.errors import Conflict, NotFound
from qfgraph.graph.sparql import bind, check_iri
from qfgraph.graph.stores import Store, graph_version
from qfgraph.ontology.namespaces import HISTORY_GRAPH


class UnknownChangeset(NotFound):
    """A changeset IRI the history does not hold."""


class RevertError(Conflict):
    """A changeset that cannot be reverted (unknown, recorded without its diff, or touched
    by later changesets); nothing was written."""


_HISTORY = """
SELECT ?cs ?graph ?version ?agent ?agentName ?ended ?message ?added ?removed ?reverts ?checked
WHERE { GRAPH $history {
  ?cs a qf:Changeset ; qf:targetGraph ?graph ; qf:version ?version ;
      prov:wasAssociatedWith ?agent ; prov:endedAtTime ?ended ;
      qf:addedCount ?added ; qf:removedCount ?removed .
  OPTIONAL { ?agent rdfs:label ?agentName }
  OPTIONAL { ?cs rdfs:comment ?message }
  OPTIONAL { ?cs qf:reverts ?reverts }
  OPTIONAL { ?cs qf:rulesChecked ?checked }
  FILTER_GRAPH
} }
ORDER BY DESC(?ended) DESC(?version)
"""


def history(store: Store, graph: str | None = None, limit: int | None = None) -> list[dict]:
    """Accepted changesets, newest first: changeset, graph, version, agent, agent_name, time,
    message, added, removed, reverts, rules_checked."""
    query = _HISTORY.replace("FILTER_GRAPH", "FILTER(?graph = $graph)" if graph else "")
    values = {"history": HISTORY_GRAPH}
    if graph:
        values["graph"] = URIRef(check_iri(graph))
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    return [{
        "changeset": str(r["cs"]), "graph": str(r["graph"]), "version": int(r["version"]),
        "agent": str(r["agent"]), "agent_name": str(r.get("agentName", r["agent"])),
        "time": str(r["ended"]), "message": str(r.get("message", "")),
        "added": int(r["added"]), "removed": int(r["removed"]),
        "reverts": str(r["reverts"]) if "reverts" in r else None,
        "rules_checked": r["checked"].toPython() if "checked" in r else True,
    } for r in store.select(bind(query, values))]


_DIFF = """
SELECT ?graph ?version ?added ?removed ?addedCount WHERE { GRAPH $history {
  $cs a qf:Changeset ; qf:targetGraph ?graph ; qf:version ?version ; qf:addedCount ?addedCount .
  OPTIONAL { $cs qf:added ?added } OPTIONAL { $cs qf:removed ?removed }
} }"""

_LATER = """
SELECT ?cs ?added ?removed WHERE { GRAPH $history {
  ?cs a qf:Changeset ; qf:targetGraph $graph ; qf:version ?v .
  OPTIONAL { ?cs qf:added ?added } OPTIONAL { ?cs qf:removed ?removed }
  FILTER(?v > $version)
} } ORDER BY DESC(?v)"""


def diff(store: Store, changeset_iri: str) -> dict:
    """What a changeset changed: graph, version, the triples added and removed (rdflib
    terms), and `recorded` (False for a bulk load kept without its triples). NotFound
    (RevertError's kin, a Conflict) when the history has no such changeset."""
    rows = store.select(bind(_DIFF, {"history": HISTORY_GRAPH, "cs": URIRef(check_iri(changeset_iri))}))
    if not rows:
        raise UnknownChangeset(f"no changeset {changeset_iri} in the history")
    row = rows[0]
    return {"graph": str(row["graph"]), "version": int(row["version"]),
            "recorded": "added" in row or int(row["addedCount"]) == 0,
            "added": parse_ntriples(str(row.get("added", ""))),
            "removed": parse_ntriples(str(row.get("removed", "")))}


def revert(store: Store, changeset_iri: str, agent: str, message: str | None = None) -> CommitResult:
    """Undo a changeset with a new changeset (through the same gate: the result must pass
    the rules too). Raises RevertError when the rule in this module's docstring forbids it."""
    try:
        change = diff(store, changeset_iri)
    except UnknownChangeset as e:
        raise RevertError(str(e)) from None
    if not change["recorded"]:
        raise RevertError(f"changeset {changeset_iri} was a bulk load recorded without its triples; "
                          "it cannot be reverted (drop and reload the graph instead)")
    graph, version = change["graph"], change["version"]
    added, removed = change["added"], change["removed"]
    mine = {ntriple(t) for t in added + removed}
    later = []
    for r in store.select(bind(_LATER, {"history": HISTORY_GRAPH, "graph": URIRef(graph), "version": version})):
        touched = {ntriple(t) for key in ("added", "removed") if key in r for t in parse_ntriples(str(r[key]))}
        if touched & mine or ("added" not in r and "removed" not in r):
            later.append(str(r["cs"]))
    if later:
        raise RevertError(f"cannot revert {changeset_iri}: later changesets of {graph} changed the same "
                          f"triples; revert them first (newest first): {', '.join(later)}")
    undo = Changeset(graph, additions=removed, removals=added, agent=agent,
                     message=message or f"revert {changeset_iri}",
                     expected_version=graph_version(store, graph))
    return commit(store, undo, reverts=changeset_iri)


_AFTER = """
SELECT ?cs ?graph ?ended ?added ?removed ?addedCount ?removedCount ?checked WHERE { GRAPH $history {
  ?cs a qf:Changeset ; qf:targetGraph ?graph ; qf:version ?version ; prov:endedAtTime ?ended ;
      qf:addedCount ?addedCount ; qf:removedCount ?removedCount .
  OPTIONAL { ?cs qf:added ?added } OPTIONAL { ?cs qf:removed ?removed }
  OPTIONAL { ?cs qf:rulesChecked ?checked }
  FILTER(SUBSTR(STR(?ended), 1, 10) > $day)
} } ORDER BY DESC(?ended) DESC(?version)"""


def changes_after(store: Store, day: str) -> list[dict]:
    """The changesets accepted after the end of `day` (YYYY-MM-DD, UTC), newest first, each
    with its diff (added, removed: lists of triples) so a reader can undo them in turn;
    `diff` False for a bulk load recorded with counts only."""
    rows = store.select(bind(_AFTER, {"history": HISTORY_GRAPH, "day": Literal(day)}))
    return [{
        "changeset": str(r["cs"]), "graph": str(r["graph"]), "time": str(r["ended"]),
        "added": parse_ntriples(str(r.get("added", ""))), "removed": parse_ntriples(str(r.get("removed", ""))),
        "diff": "added" in r or "removed" in r or (int(r["addedCount"]) == 0 and int(r["removedCount"]) == 0),
    } for r in rows]
