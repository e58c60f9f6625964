"""SHACL shapes (*.ttl) for the quality-assurance rules, and the validator that applies them.
Never opens a store: the caller passes the data (entries plus the frameworks graph).

    report = validate(graph)                       # the whole graph
    report = validate(graph, focus_nodes=[iri])    # only results about these entries
    report = validate(graph, rules=Rules(shapes))  # other shapes than the project's
    report.conforms, report.violations, report.to_text(), report.to_json(), report.to_turtle()

For a few entries of a big store: `neighbourhood_query()` extracts what the shapes read
(validate it with `validate(extract, entries, extracted=True)`), `change_seeds()` and
`dependents_query()` find the entries a change may concern (see shapes.neighbourhood);
`reached_query()` is `reached` in SPARQL, and `extract_graph(triples)` the lean read-only
rdflib graph an extract is validated on (shapes.extract).
`is_target`, `target_classes` and `target_predicates` say which nodes the shapes check.
"""
from qfgraph.shapes.extract import ExtractStore, extract_graph  # noqa: F401
from qfgraph.shapes.neighbourhood import (  # noqa: F401
    INVERSE_PREDICATES, PATHS, change_seeds, dependents_query, neighbourhood, neighbourhood_query,
    reached, reached_query,
)
from qfgraph.shapes.report import KINDS, Report, Result  # noqa: F401
from qfgraph.shapes.rules import (  # noqa: F401
    SHAPES_DIR, Rules, project_rules, shape_files, shapes_graph, target_classes, target_predicates,
)
from qfgraph.shapes.validator import is_target, validate  # noqa: F401
