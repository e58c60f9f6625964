"""The pages for people, one module per page area, all on one blueprint (layout.py) and one
layout (templates/base.html): home, search and the lists, the frameworks and their
comparison, a qualification, a micro-credential, the stacking-path explorer, the SPARQL page, the curator pages."""
from qfgraph.api.http.routes.pages import (  # noqa: F401
    curate, frameworks, home, lists, micro_credential, paths, qualification, query,
)
from qfgraph.api.http.routes.pages.layout import pages_blueprint  # noqa: F401
from qfgraph.graph.catalogue import entity_json
from qfgraph.ontology.namespaces import ELM, QF

PAGE_OF_KIND = {str(ELM.Qualification): qualification.page, str(QF.MicroCredential): micro_credential.page}


def page_of(store, iri: str, entity, base: str):
    """The page of its own for a qualification or micro-credential (the Linked Data HTML of
    its IRI), else None."""
    for t in entity.types:
        if t in PAGE_OF_KIND:
            return PAGE_OF_KIND[t](iri, entity, entity_json(store, entity, base))
    return None
