"""The researcher query set: questions a researcher asks of the graph, over the union of all
named graphs. Selective lookups, aggregations over levels and countries, property paths over
requirement structures and prerequisites. Values from the manifest enter only through
`graph.bind`.
"""
from __future__ import annotations

from qfgraph.graph.sparql import bind

# (name, kind, query with $placeholders filled from the manifest's "selective" samples)
QUERIES: list[tuple[str, str, str]] = [
    ("mc-description", "selective lookup",
     "SELECT ?p ?o WHERE { $micro_credential ?p ?o }"),
    ("outcome-holders", "selective lookup",
     "SELECT ?x ?type WHERE { ?x elm:learningOutcome $outcome ; a ?type }"),
    ("provider-offer", "selective lookup",
     """SELECT ?m ?title ?points WHERE { ?m elm:awardingBody $provider ; a qf:MicroCredential ;
        dcterms:title ?title ; elm:creditPoint/elm:point ?points }"""),
    ("mc-by-country-eqf", "aggregation",
     """SELECT ?country ?eqf (COUNT(?m) AS ?n) WHERE {
        ?m a qf:MicroCredential ; qf:country ?country ; elm:EQFLevel ?eqf }
        GROUP BY ?country ?eqf ORDER BY ?country ?eqf"""),
    ("ects-by-eqf", "aggregation",
     """SELECT ?eqf (COUNT(?m) AS ?n) (AVG(xsd:decimal(?points)) AS ?mean_ects) WHERE {
        ?m a qf:MicroCredential ; elm:EQFLevel ?eqf ; elm:creditPoint/elm:point ?points }
        GROUP BY ?eqf ORDER BY ?eqf"""),
    ("framework-referencing", "aggregation",
     """SELECT ?framework (COUNT(?level) AS ?levels) (SUM(IF(BOUND(?eqf), 0, 1)) AS ?without_eqf) WHERE {
        ?level qf:levelFramework ?framework . OPTIONAL { ?level qf:referencedTo ?eqf } }
        GROUP BY ?framework ORDER BY ?framework"""),
    ("qualifications-by-referenced-eqf", "aggregation",
     """SELECT ?country ?eqf (COUNT(?q) AS ?n) WHERE {
        ?q a elm:Qualification ; qf:country ?country ; elm:NQFLevel ?level .
        ?level qf:referencedTo ?eqf } GROUP BY ?country ?eqf"""),
    ("qa-share-by-country", "aggregation",
     """SELECT ?country (COUNT(?m) AS ?n) (SUM(IF(?qa = qf:ExternalQualityAssurance, 1, 0)) AS ?external) WHERE {
        ?m a qf:MicroCredential ; qf:country ?country ; qf:qualityAssurance ?qa } GROUP BY ?country"""),
    ("required-outcomes", "property path",
     """SELECT DISTINCT ?outcome WHERE {
        $qualification qf:requirement/qf:component+ ?unit . ?unit elm:learningOutcome ?outcome }"""),
    ("candidate-mcs", "property path",
     """SELECT ?m (COUNT(DISTINCT ?outcome) AS ?covered) WHERE {
        $big_qualification qf:requirement/qf:component+/elm:learningOutcome ?outcome .
        ?m a qf:MicroCredential ; elm:learningOutcome ?outcome }
        GROUP BY ?m ORDER BY DESC(?covered) ?m"""),
    ("units-per-requirement", "property path",
     """SELECT ?q (COUNT(DISTINCT ?unit) AS ?units) WHERE {
        ?q qf:requirement/qf:component+ ?unit . ?unit a qf:Unit } GROUP BY ?q"""),
    ("prerequisite-chains", "property path",
     """SELECT ?m (COUNT(DISTINCT ?before) AS ?depth) WHERE {
        ?m a qf:MicroCredential ; qf:prerequisite+ ?before } GROUP BY ?m"""),
    ("recognised-units", "join",
     """SELECT ?country (COUNT(DISTINCT ?agreement) AS ?n) WHERE {
        ?agreement a qf:RecognitionAgreement ; qf:recognisedCredential ?m ; qf:recognisedAs ?unit .
        ?m qf:country ?country . ?unit elm:isPartOf ?q } GROUP BY ?country"""),
    ("equivalent-outcomes", "join",
     """SELECT ?a ?b WHERE { ?a qf:equivalentOutcome|^qf:equivalentOutcome ?b }"""),
    ("high-demand-offer", "join",
     """SELECT ?need (COUNT(?m) AS ?offers) WHERE {
        ?m qf:addressesNeed ?need . ?need qf:demand "high" ; qf:region ?region } GROUP BY ?need"""),
    ("title-search", "text filter",
     """SELECT ?m ?title WHERE { ?m a qf:MicroCredential ; dcterms:title ?title .
        FILTER(CONTAINS(LCASE(STR(?title)), "welding")) }"""),
]


def researcher_queries(manifest: dict) -> list[tuple[str, str, str]]:
    """(name, kind, SPARQL text) with the standard prefixes and the manifest's samples bound."""
    values = dict(manifest["selective"])
    values["big_qualification"] = manifest["big_qualifications"][0]
    out = []
    for name, kind, text in QUERIES:
        needed = {k: v for k, v in values.items() if "$" + k in text}
        out.append((name, kind, bind(text, needed)))
    return out
