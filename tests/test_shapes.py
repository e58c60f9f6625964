"""The quality rules: for every rule a conforming and a violating example with the exact
result (focus node, severity, message); malformed data is reported, never a crash; validating
a few entries gives exactly the results of validating the whole graph; the demo conforms."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from qfgraph import graph
from qfgraph import shapes
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.ontology.namespaces import SH
from tests.shapes_cases import CASES, EX, register

SHAPES = "https://w3id.org/qfgraph/shapes#"
# rdflib warns about its own Dataset internals while the rules read the union of the graphs
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")


@pytest.fixture(scope="module")
def base_report():
    return shapes.validate(register())


def test_the_valid_register_conforms_with_no_result(base_report):
    assert base_report.conforms
    assert base_report.results == []


def test_every_rule_has_a_violating_case_and_meets_a_focus_node_in_the_valid_register():
    g = shapes.shapes_graph()
    rules = {str(s)[len(SHAPES):] for s in g.subjects(SH.message, None) if str(s).startswith(SHAPES)}
    assert rules == {c.shape for c in CASES}
    data = register()
    for shape in rules:   # the conforming example exercises every rule
        node = URIRef(SHAPES + shape)
        classes = set(g.objects(node, SH.targetClass))
        predicates = set(g.objects(node, SH.targetSubjectsOf))
        assert any(data.triples((None, RDF.type, c)) for c in classes) or \
            any(data.triples((None, p, None)) for p in predicates), shape


def test_every_annex_element_of_a_description_has_its_rule():
    """The elements of Annex I (ontology/reference/micro-credential-elements.csv) that belong
    to a micro-credential's description: each mandatory one has a rule requiring its property
    (alone or as one way of meeting it, as the level), each optional one a rule on its form."""
    import csv
    from pathlib import Path
    from rdflib.collection import Collection
    from qfgraph.ontology.namespaces import PREFIXES, QF
    g = shapes.shapes_graph()

    def property_shapes(node):
        yield node
        for alternatives in g.objects(node, SH["or"]):
            for member in Collection(g, alternatives):
                yield from property_shapes(member)
        for nested in g.objects(node, SH.property):
            yield from property_shapes(nested)

    def first_step(path):
        return path if isinstance(path, URIRef) else next(iter(Collection(g, path)), None)

    rules: dict[URIRef, set[bool]] = {}
    for shape in g.subjects(SH.targetClass, QF.MicroCredential):
        for ps in property_shapes(shape):
            for path in g.objects(ps, SH.path):
                required = any(int(n) >= 1 for counts in (SH.minCount, SH.qualifiedMinCount)
                               for n in g.objects(ps, counts))
                rules.setdefault(first_step(path), set()).add(required)
    for prop in g.objects(None, SH.targetSubjectsOf):   # rules on whoever states the property
        rules.setdefault(prop, set()).add(False)
    table = Path(__file__).resolve().parents[1] / "ontology" / "reference" / "micro-credential-elements.csv"
    with open(table, newline="", encoding="utf-8") as f:
        elements = [r for r in csv.DictReader(f) if r["belongs_to"] == "description" and r["property"]]
    assert len(elements) >= 12
    for element in elements:
        prefix, local = element["property"].split(":")
        prop = URIRef(PREFIXES[prefix] + local)
        if element["property"] == "dcterms:description":
            continue   # "further information": free text, nothing to check
        assert prop in rules, f"no rule reads {element['property']} ({element['element']})"
        if element["kind"] == "mandatory":
            assert True in rules[prop], f"no rule requires {element['property']} ({element['element']})"


def test_every_rule_has_a_name_a_message_and_a_severity():
    g = shapes.shapes_graph()
    for shape in g.subjects(SH.message, None):
        assert g.value(shape, SH.name) is not None, shape
        assert g.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.shape)
def test_each_rule_reports_its_violation(case):
    report = shapes.validate(register(case.update))
    found = [(str(r.focus), r.severity, r.message) for r in report.results if r.shape == URIRef(SHAPES + case.shape)]
    expected = [(EX + case.focus, case.severity, case.message)]
    expected += [(EX + focus, case.severity, message) for focus, message in case.also]
    assert sorted(found) == sorted(expected)
    assert report.conforms == (case.severity != "Violation" and not report.violations)


def test_results_carry_title_path_value_and_rule():
    report = shapes.validate(register(CASES[5].update))   # issuer country given as text
    (result,) = [r for r in report.results if r.shape == URIRef(SHAPES + "MicroCredential-countryForm")]
    assert result.title == "Basic MAG welding"
    assert result.path == "qf:country"
    assert result.value == Literal("Croatia")
    assert result.rule == "issuer country is a country of the EU authority table"


def test_expired_accreditation_is_only_a_warning():
    case = next(c for c in CASES if c.shape == "Quality-accreditationCurrent")
    report = shapes.validate(register(case.update))
    assert report.conforms and len(report.warnings) == 1 and not report.violations


# ---------------------------------------------------------------------------------------
# malformed data is reported, never a crash

MALFORMED = [
    # a literal where an IRI belongs, for every property the rules follow
    *[f'INSERT DATA {{ ex:{s} {p} "text" }}' for s, p in [
        ("mc", "elm:EQFLevel"), ("mc", "elm:NQFLevel"), ("mc", "qf:stackableToward"),
        ("mc", "elm:accreditation"), ("mc", "qf:prerequisite"), ("welder", "elm:hasPart"),
        ("welder", "qf:requirement"), ("agreement", "qf:recognisedAs"),
        ("agreement", "qf:recognisedCredential"), ("standard", "qf:validates"),
        ("standard", "qf:validatesUnit"), ("standard", "qf:validatesOutcome"),
        ("unit-mag", "elm:isPartOf"), ("pipes-nl", "qf:equivalentOutcome"),
        ("mc", "elm:learningOutcome"), ("accreditation", "elm:accreditingAgent")]],
    # wrong datatypes
    'INSERT DATA { <https://example.org/register/welder#electives> qf:requiredCount "two" }',
    'INSERT DATA { <https://example.org/register/welder#credits> qf:minimumCredits "many"^^xsd:decimal }',
    'INSERT DATA { ex:standard qf:maximumShare "half" }',
    'INSERT DATA { ex:accreditation elm:expiryDate "soon"^^xsd:dateTime }',
    'INSERT DATA { <https://example.org/register/mc#ects> elm:point "five" }',
    # missing types: references to entries nobody described
    'DELETE WHERE { ex:welder rdf:type ?t }',
    'DELETE WHERE { ex:unit-mag rdf:type ?t }',
    'DELETE WHERE { ex:mag rdf:type ?t }',
    'DELETE WHERE { ex:academy ?p ?o }',
    # a cycle through an entry with no type
    'INSERT DATA { ex:mc qf:prerequisite ex:ghost . ex:ghost qf:prerequisite ex:mc }',
]


@pytest.mark.parametrize("update", MALFORMED)
def test_malformed_data_is_reported_not_a_crash(update):
    report = shapes.validate(register(update))
    assert report.violations, update
    for r in report.violations:
        assert r.message and "{?" not in r.message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(
    st.sampled_from(["mc", "pipe-mc", "welder", "unit-mag", "agreement", "standard", "need", "accreditation",
                     "mag"]),
    st.sampled_from(["elm:EQFLevel", "elm:NQFLevel", "elm:learningOutcome", "elm:creditPoint", "qf:prerequisite",
                     "qf:stackableToward", "elm:hasPart", "elm:isPartOf", "qf:validatesUnit", "qf:maximumShare",
                     "dcterms:title", "rdf:type", "qf:component", "qf:requiredCount", "elm:expiryDate"]),
    st.one_of(st.sampled_from(["ex:mc", "ex:welder", "ex:mag", "ex:nowhere", "eqf:9", "qdr:c_b42dd23b"]),
              st.text(max_size=8).map(lambda t: json.dumps(t)),
              st.integers(-3, 3).map(str))), min_size=1, max_size=4))
def test_arbitrary_junk_never_crashes_the_validator(triples):
    update = "INSERT DATA { " + " ".join(f"ex:{s} {p} {o} ." for s, p, o in triples) + " }"
    report = shapes.validate(register(update))
    assert all(r.message and "{?" not in r.message for r in report.results)


# ---------------------------------------------------------------------------------------
# a few entries: same results as the whole graph

def _whole_by_focus(report, focus):
    return sorted((r for r in report.results if r.focus in focus), key=lambda r: (str(r.focus), str(r.shape), str(r.value)))


@pytest.mark.parametrize("case", CASES[::3], ids=lambda c: c.shape)
def test_validating_some_entries_equals_validating_the_whole_graph(case):
    data = register(case.update)
    focus = {URIRef(EX + case.focus), URIRef(EX + "mc"), URIRef(EX + "welder")}
    part = shapes.validate(data, focus)
    assert sorted(part.results, key=lambda r: (str(r.focus), str(r.shape), str(r.value))) == \
        _whole_by_focus(shapes.validate(data), focus)


def test_no_focus_node_means_no_result():
    assert shapes.validate(register(CASES[0].update), []).results == []


def test_the_neighbourhood_query_extracts_what_the_rdflib_neighbourhood_holds(store):
    case = next(c for c in CASES if c.shape == "Level-NQFReferencedToEQF")   # breaks ex:welder
    entries = register(case.update).graph(URIRef(EX + "graph"))
    store.load(entries.serialize(format="nt").encode(), RDF_FORMATS["ntriples"], EX + "graph")
    focus = [URIRef(EX + n) for n in ("mc", "pipe-mc", "welder", "agreement", "standard", "welder#electives")]
    extract = store.construct(graph.bind(shapes.neighbourhood_query(), {"focus": focus}))
    everything = Dataset(default_union=True)
    everything.parse(data=store.export(RDF_FORMATS["nquads"]), format="nquads")
    expected = shapes.neighbourhood(everything, focus)
    assert set(extract) == set(expected)
    # validating the extract as it is gives the whole graph's results for those entries
    key = lambda r: (str(r.focus), str(r.shape), str(r.value), r.message)
    part = shapes.validate(extract, focus, extracted=True)
    assert [r.message for r in part.violations] == [case.message]
    assert sorted(part.results, key=key) == \
        sorted((r for r in shapes.validate(everything).results if r.focus in focus), key=key)


def test_the_dependents_query_finds_exactly_the_entries_whose_neighbourhood_holds_the_node(store):
    entries = register().graph(URIRef(EX + "graph"))
    store.load(entries.serialize(format="nt").encode(), RDF_FORMATS["ntriples"], EX + "graph")
    everything = Dataset(default_union=True)
    everything.parse(data=store.export(RDF_FORMATS["nquads"]), format="nquads")
    nodes = sorted({s for s in everything.subjects() if isinstance(s, URIRef)})
    reach = {n: shapes.reached(everything, [n]) for n in nodes}
    for changed in ("pipes-nl", "unit-mag", "welder", "academy", "welder#electives", "accreditation", "mc"):
        node = URIRef(EX + changed)
        rows = store.select(graph.bind(shapes.dependents_query(), {"changed": [node]}))
        assert {r["focus"] for r in rows} == {n for n in nodes if node in reach[n]} | {node}, changed
    rows = store.select(graph.bind(shapes.dependents_query(), {"changed": [URIRef(EX + "unit-mag")]}))
    assert {URIRef(EX + n) for n in ("welder", "agreement", "standard", "mc", "pipe-mc")} <= {r["focus"] for r in rows}


def test_the_reached_query_reaches_what_rdflib_reaches_for_every_node():
    import pyoxigraph as ox
    data = register()
    nodes = sorted({s for s in data.subjects() if isinstance(s, URIRef)})
    engine = ox.Store()
    engine.load(data.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS)
    for node in nodes:   # one focus node at a time, then all at once
        rows = engine.query(graph.bind(shapes.reached_query(), {"focus": [node]}),
                            use_default_graph_as_union=True)
        assert {URIRef(r[0].value) for r in rows} == shapes.reached(data, [node]), node
    rows = engine.query(graph.bind(shapes.reached_query(), {"focus": nodes}), use_default_graph_as_union=True)
    assert {URIRef(r[0].value) for r in rows} == shapes.reached(data, nodes)


def test_the_extract_store_answers_every_pattern_as_rdflib_memory_does():
    triples = sorted({q[:3] for q in register()})   # the register's graphs as one
    lean, memory = shapes.extract_graph(triples + triples[:10]), Graph()   # a repeat counts once
    for t in triples:
        memory.add(t)
    assert len(lean) == len(memory) == len(set(triples))
    for s, p, o in triples[::7] + [(URIRef(EX + "nothing"), RDF.type, Literal("x"))]:
        for pattern in ((s, p, o), (s, p, None), (s, None, o), (None, p, o),
                        (s, None, None), (None, p, None), (None, None, o), (None, None, None)):
            assert sorted(lean.triples(pattern)) == sorted(memory.triples(pattern)), pattern
    # the report speaks of the extract as of any graph (same prefixes, same results)
    case = next(c for c in CASES if c.shape == "MicroCredential-participation")
    broken = {q[:3] for q in register(case.update)}
    focus = [URIRef(EX + "mc")]
    whole = Graph()
    for t in broken:
        whole.add(t)
    results = shapes.validate(shapes.extract_graph(broken), focus, extracted=True).results
    assert [r.message for r in results] == [case.message]
    assert results == shapes.validate(whole, focus, extracted=True).results
    with pytest.raises(TypeError):
        lean.remove((s, p, o))


def test_the_sparql_rules_find_what_plain_pyshacl_finds():
    """The validator answers the SPARQL rules from Oxigraph and prepares each rule's text
    once per run; plain pySHACL (rdflib's engine, the text prepared for every node) finds
    the same results, for every rule written in SPARQL."""
    from pyshacl import validate as pyshacl_validate
    rules = set(shapes.shapes_graph().subjects(SH.sparql, None))
    cases = [c for c in CASES if URIRef(SHAPES + c.shape) in rules]
    assert len(cases) >= 10
    for case in cases:
        data = register(case.update)
        ours = {(r.focus, r.shape, r.value) for r in shapes.validate(data).results if r.shape in rules}
        _, report, _ = pyshacl_validate(data, shacl_graph=shapes.shapes_graph(), inference="none")
        theirs = {(report.value(n, SH.focusNode), report.value(n, SH.sourceShape), report.value(n, SH.value))
                  for n in report.objects(None, SH.result) if report.value(n, SH.sourceShape) in rules}
        assert ours == theirs and ours, case.shape


def test_validations_in_concurrent_threads_each_get_their_own_report():
    """No lock orders the validations: four threads validating different data at once get,
    each, the report that data gets alone (SPARQL rules and SHACL Core alike)."""
    from concurrent.futures import ThreadPoolExecutor
    cases = [c for c in CASES if c.severity == "Violation"][:8]
    datas = [register(c.update) for c in cases]
    key = lambda report: sorted((str(r.focus), str(r.shape), str(r.value), r.message) for r in report.results)
    alone = [key(shapes.validate(d)) for d in datas]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda d: key(shapes.validate(d)), datas * 3))
    assert together == alone * 3 and all(alone)


def test_validation_leaves_plain_pyshacl_as_it_is():
    """What the validator changes of pySHACL holds inside its own calls: a rule's text is
    prepared once there, and before every focus node in plain pySHACL, as pySHACL does."""
    from pyshacl import validate as pyshacl_validate
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
    calls = []
    original = SPARQLQueryHelper.pre_bind_variables

    def counting(self, *args, **kwargs):
        calls.append(self.select_text)
        return original(self, *args, **kwargs)
    case = next(c for c in CASES if c.shape == "Stacking-stackableLevel")
    data = register(case.update)
    SPARQLQueryHelper.pre_bind_variables = counting
    try:
        shapes.validate(data)
        ours = list(calls)
        calls.clear()
        pyshacl_validate(data, shacl_graph=shapes.shapes_graph(), inference="none")
        theirs = list(calls)
    finally:
        SPARQLQueryHelper.pre_bind_variables = original
    assert len(ours) == len(set(ours)) and len(theirs) > len(set(theirs))


def test_other_shapes_are_validated_by_the_same_loop():
    """`rules=`: a shapes graph of the caller's, SHACL Core and SPARQL alike."""
    other = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
          sh:property [ sh:path ex:name ; sh:minCount 1 ] ;
          sh:sparql [ sh:select "SELECT $this WHERE { $this <https://example.org/twin> $this }" ] .
        """, format="turtle")
    data = Graph().parse(data="""
        @prefix ex: <https://example.org/> .
        ex:a a ex:Thing ; ex:name "a" . ex:b a ex:Thing . ex:c a ex:Thing ; ex:name "c" ; ex:twin ex:c .
        """, format="turtle")
    report = shapes.validate(data, rules=shapes.Rules(other))
    found = sorted((str(r.focus), str(r.component).rsplit("#", 1)[-1]) for r in report.results)
    assert found == [("https://example.org/b", "MinCountConstraintComponent"),
                     ("https://example.org/c", "SPARQLConstraintComponent")]


def test_change_seeds_are_subjects_and_objects_of_backward_read_properties():
    from qfgraph.ontology.namespaces import ELM, QF
    mc, q, u = URIRef(EX + "mc"), URIRef(EX + "welder"), URIRef(EX + "unit-x")
    assert shapes.change_seeds([(mc, QF.stackableToward, q)]) == {mc}
    assert shapes.change_seeds([(u, ELM.isPartOf, q)]) == {u, q}


# ---------------------------------------------------------------------------------------
# report formats

def test_report_formats(tmp_path):
    case = next(c for c in CASES if c.shape == "MicroCredential-participation")
    report = shapes.validate(register(case.update))
    text = report.to_text()
    assert text.startswith("Validation does not conform: 1 violation, 0 warnings.")
    assert case.message in text
    data = report.to_json()
    assert data["conforms"] is False and data["violations"] == 1
    assert data["results"][0]["focus"] == EX + "mc" and data["results"][0]["message"] == case.message
    turtle = Graph().parse(data=report.to_turtle(), format="turtle")
    (node,) = turtle.subjects(RDF.type, SH.ValidationReport)
    assert turtle.value(node, SH.conforms) == Literal(False)
    (result,) = turtle.objects(node, SH.result)
    assert turtle.value(result, SH.focusNode) == URIRef(EX + "mc")
    assert turtle.value(result, SH.resultSeverity) == SH.Violation
    assert str(turtle.value(result, SH.resultMessage)) == case.message
    assert turtle.value(result, SH.resultPath) == URIRef("http://data.europa.eu/snb/model/elm/mode")


def test_turtle_report_keeps_complex_result_paths():
    case = next(c for c in CASES if c.shape == "CreditPoints-positive")
    turtle = Graph().parse(data=shapes.validate(register(case.update)).to_turtle(), format="turtle")
    (result,) = turtle.subjects(SH.sourceShape, URIRef(SHAPES + "CreditPoints-positive"))
    path = turtle.value(result, SH.resultPath)
    from rdflib.collection import Collection
    assert [str(p) for p in Collection(turtle, path)] == [
        "http://data.europa.eu/snb/model/elm/creditPoint", "http://data.europa.eu/snb/model/elm/point"]


# ---------------------------------------------------------------------------------------
# the demo graph

def test_the_demo_graph_conforms(demo_store):
    data = Dataset(default_union=True)
    data.parse(data=demo_store.export(RDF_FORMATS["nquads"]), format="nquads")
    report = shapes.validate(data)
    assert report.violations == [], report.to_text()


def test_with_the_vocabulary_a_subclass_instance_satisfies_sh_class():
    from qfgraph.ontology import ONTOLOGY_FILE
    update = "DELETE DATA { ex:academy rdf:type elm:Organisation }"   # typed qf:Provider only
    without = shapes.validate(register(update))
    assert {r.value for r in without.violations} == {URIRef(EX + "academy")}
    data = register(update)
    data.graph(URIRef("https://w3id.org/qfgraph/graph/ontology")).parse(ONTOLOGY_FILE)
    assert shapes.validate(data).results == []
    assert shapes.validate(data, [URIRef(EX + "mc"), URIRef(EX + "welder")]).results == []


def test_each_entry_alone_gets_exactly_its_results_of_the_whole_graph():
    """The neighbourhood holds all the rules read: for every entry of the demo graph plus the
    invalid demo file, validating it alone equals its share of validating everything."""
    from qfgraph.ontology import DEMO_DIR, REFERENCE_GRAPHS, demo_graphs
    data = Dataset(default_union=True)
    for name, path in REFERENCE_GRAPHS + demo_graphs() + [(EX + "invalid", DEMO_DIR / "invalid.ttl")]:
        data.graph(URIRef(str(name))).parse(path, format="turtle")
    whole = shapes.validate(data)
    entries = sorted({s for s in data.subjects() if isinstance(s, URIRef) and shapes.is_target(data, s)})
    assert len(whole.violations) == 36 and len(entries) > 200
    key = lambda r: (str(r.focus), str(r.shape), str(r.value), r.message)
    for entry in entries:
        alone = shapes.validate(data, [entry])
        assert sorted(alone.results, key=key) == sorted((r for r in whole.results if r.focus == entry), key=key), entry


def test_an_equivalence_declared_on_the_qualifications_side_counts_too():
    flipped = ("DELETE DATA { ex:pipes-nl qf:equivalentOutcome ex:pipes } ; "
               "INSERT DATA { ex:pipes qf:equivalentOutcome ex:pipes-nl }")
    data = register(flipped)
    assert shapes.validate(data).results == []
    assert shapes.validate(data, [URIRef(EX + "pipe-mc")]).results == []
    unlinked = register("DELETE DATA { ex:pipes-nl qf:equivalentOutcome ex:pipes }")
    assert [r.shape for r in shapes.validate(unlinked, [URIRef(EX + "pipe-mc")]).results] == \
        [URIRef(SHAPES + "Stacking-stackableSharesOutcome")]


# ---------------------------------------------------------------------------------------
# shapes.quick: the nodes decided in Python before pySHACL change no result

def _json(report) -> list:
    return [r.to_json() for r in report.results]


@pytest.mark.parametrize("update", [None] + [c.update for c in CASES] + MALFORMED)
def test_deciding_conforming_nodes_first_gives_pyshacls_own_report(update):
    data = register(update)
    assert _json(shapes.validate(data)) == _json(shapes.validate(data, quick=False))


def test_most_shapes_are_decided_in_python_and_the_rest_by_pyshacl():
    rules = shapes.project_rules()
    named = [s.node for s in rules.compiled.shapes if isinstance(s.node, URIRef)]
    compiled = [n for n in named if rules.quick.check(n) is not None]
    assert len(compiled) > len(named) * 3 // 4
    # SHACL-SPARQL rules are pySHACL's (answered on Oxigraph), never decided here
    assert all(rules.quick.check(n) is None for n in rules.graph.subjects(SH.sparql, None))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(
    st.sampled_from(["mc", "pipe-mc", "welder", "unit-mag", "agreement", "standard", "need", "accreditation",
                     "academy", "ects"]),
    st.sampled_from(["elm:EQFLevel", "elm:NQFLevel", "elm:learningOutcome", "elm:creditPoint", "elm:awardingBody",
                     "qf:country", "elm:point", "elm:framework", "dcterms:title", "rdf:type", "qf:assessmentType",
                     "elm:mode", "dcterms:language", "elm:ISCEDFCode", "qf:qualityAssurance"]),
    st.one_of(st.sampled_from(["ex:mc", "ex:welder", "ex:academy", "eqf:5", "qdr:c_b42dd23b", "qf:Provider",
                               "elm:Organisation", "<http://data.europa.eu/snb/education-credit/6fcec5c5af>"]),
              st.text(max_size=6).map(lambda t: json.dumps(t)),
              st.sampled_from(['"hr"^^xsd:language', '"x"@en', '"2"^^xsd:decimal', '"2"^^xsd:integer']))),
    min_size=1, max_size=4))
def test_deciding_conforming_nodes_first_changes_nothing_whatever_the_data(triples):
    update = "INSERT DATA { " + " ".join(f"ex:{s} {p} {o} ." for s, p, o in triples) + " }"
    data = register(update)
    assert _json(shapes.validate(data)) == _json(shapes.validate(data, quick=False))
