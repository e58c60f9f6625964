"""What the graph holds, in figures: how many micro-credentials, qualifications, validation
standards and frameworks, and the countries they come from."""
from __future__ import annotations

from qfgraph.graph.catalogue.ids import country_code
from qfgraph.graph.sparql import bind

COUNTED = {"microCredentials": "qf:MicroCredential", "qualifications": "elm:Qualification",
           "validationStandards": "qf:ValidationStandard", "frameworks": "qf:QualificationsFramework",
           "recognitionAgreements": "qf:RecognitionAgreement"}


def overview(store) -> dict:
    """{"counts": {name: n}, "countries": [alpha-3 codes of the credentials' countries]}."""
    return {"counts": counts(store), "countries": countries(store)}


def counts(store) -> dict[str, int]:
    parts = " ".join(f"{{ SELECT (COUNT(DISTINCT ?x) AS ?{name}) WHERE {{ ?x a {cls} }} }}"
                     for name, cls in COUNTED.items())
    row = store.select(bind(f"SELECT * WHERE {{ {parts} }}"))[0]
    return {name: int(row[name].toPython()) for name in COUNTED}


def countries(store) -> list[str]:
    """The alpha-3 codes of the countries of the micro-credentials and qualifications."""
    rows = store.select(bind("""SELECT DISTINCT ?c WHERE {
        { ?x a qf:MicroCredential } UNION { ?x a elm:Qualification } ?x qf:country ?c } ORDER BY ?c"""))
    return [country_code(r["c"]) for r in rows]
