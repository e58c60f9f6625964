"""What an entity's pages show of the nodes next to it: the values of the nodes it links to
by some properties (its outcomes with their skills, its accreditation, the skills needs it
answers), and the recognition agreements naming a micro-credential, each in one query."""
from __future__ import annotations

from rdflib import URIRef

from qfgraph.graph.sparql import bind


def linked(store, iri: str, properties) -> dict[str, dict[str, dict[str, list]]]:
    """property -> linked node -> its property -> values (rdflib terms), for the nodes
    `iri` links to by `properties` (IRIs)."""
    rows = store.select(bind("SELECT ?via ?node ?p ?v WHERE { VALUES ?via { $via } $s ?via ?node . ?node ?p ?v }",
                             {"s": URIRef(iri), "via": [URIRef(str(p)) for p in properties]}))
    out: dict[str, dict[str, dict[str, list]]] = {str(p): {} for p in properties}
    for r in rows:
        node = out[str(r["via"])].setdefault(str(r["node"]), {})
        node.setdefault(str(r["p"]), []).append(r["v"])
    return out


def recognitions(store, credential: str) -> list[dict]:
    """The recognition agreements accepting `credential`: the agreement, the unit it counts
    as, that unit's qualification and who recognises it (IRIs; None when not said)."""
    rows = store.select(bind("""
      SELECT ?agreement ?unit ?qualification ?by WHERE {
        ?agreement qf:recognisedCredential $m ; qf:recognisedAs ?unit .
        OPTIONAL { { ?unit elm:isPartOf ?qualification } UNION { ?qualification elm:hasPart ?unit } }
        OPTIONAL { ?agreement qf:recognisedBy ?by }
      } ORDER BY ?agreement""", {"m": URIRef(credential)}))
    return [{k: (str(r[k]) if k in r else None) for k in ("agreement", "unit", "qualification", "by")} for r in rows]
