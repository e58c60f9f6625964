"""What the graph holds, in figures: how many micro-credentials, qualifications, validation
standards and frameworks, and the countries they come from; and the choices a search form
offers (frameworks, their levels, countries), kept a while (RecentCache)."""
from __future__ import annotations

from qfgraph.graph.catalogue.frameworks import frameworks, levels
from qfgraph.graph.catalogue.ids import country_code
from qfgraph.graph.catalogue.listing import RecentCache
from qfgraph.graph.sparql import bind
from qfgraph.ontology.namespaces import EQF_SCHEME

CHOICES = RecentCache()

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
    """The alpha-3 codes of the countries of the micro-credentials and qualifications: the
    few countries anything has (sorted here: ORDER BY makes the engine sort every row before
    DISTINCT), each asked whether a credential has it (one join of every credential with its
    country takes seconds on a million triples; these asks take milliseconds)."""
    rows = store.select(bind("SELECT DISTINCT ?c WHERE { ?x qf:country ?c }"))
    ask = "ASK { { ?x qf:country $c . ?x a qf:MicroCredential } UNION { ?x qf:country $c . ?x a elm:Qualification } }"
    return sorted(country_code(r["c"]) for r in rows if store.ask(bind(ask, {"c": r["c"]})))


def choices(store, generation: int = 0) -> dict:
    """{"overview", "frameworks", "levels": {framework IRI: its levels}} for the pages, kept
    while the generation stands, CACHE_SECONDS at most."""
    def compute():
        fws = frameworks(store)
        return {"overview": overview(store), "frameworks": fws,
                "levels": {fw["iri"]: levels(store, fw["iri"]) for fw in fws if fw["iri"] != str(EQF_SCHEME)}}
    return CHOICES.get((generation, id(store)), compute)
