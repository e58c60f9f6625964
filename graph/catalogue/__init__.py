"""The catalogue: what the graph holds, as the JSON API and the pages read it: listings with
filters and cursors, one entity with its levels, units and outcomes, the frameworks and
their levels. Raises NotFound and InvalidInput (graph.errors), never HTTP."""
from qfgraph.graph.catalogue.entities import Entity, describe, entity_json, level_details  # noqa: F401
from qfgraph.graph.catalogue.frameworks import framework_iri, frameworks, levels  # noqa: F401
from qfgraph.graph.catalogue.ids import id_of, iri_of  # noqa: F401
from qfgraph.graph.catalogue.listing import KINDS, SORTS, listing  # noqa: F401
from qfgraph.graph.catalogue.languages import labels, pick  # noqa: F401
from qfgraph.graph.catalogue.overview import choices, countries, counts, overview  # noqa: F401
from qfgraph.graph.catalogue.neighbours import linked, recognitions  # noqa: F401
