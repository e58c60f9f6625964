"""The routes, one module per area: /sparql, the /api/v1 catalogue, rules and changesets,
pathways, indicators, imports and export, Linked Data, the documentation and the pages."""
from qfgraph.api.http.routes.catalogue import catalogue_blueprint
from qfgraph.api.http.routes.changesets import changesets_blueprint
from qfgraph.api.http.routes.docs import docs_blueprint
from qfgraph.api.http.routes.imports import imports_blueprint
from qfgraph.api.http.routes.indicators import indicators_blueprint
from qfgraph.api.http.routes.linked_data import linked_data_blueprint
from qfgraph.api.http.routes.pages import pages_blueprint
from qfgraph.api.http.routes.pathways import pathways_blueprint
from qfgraph.api.http.routes.sparql import sparql_blueprint

BLUEPRINTS = (sparql_blueprint, catalogue_blueprint, changesets_blueprint, pathways_blueprint,
              indicators_blueprint, imports_blueprint, linked_data_blueprint, docs_blueprint,
              pages_blueprint)
