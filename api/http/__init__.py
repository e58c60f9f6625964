"""The HTTP face: `/sparql` (the SPARQL 1.1 Protocol), `/api/v1` (JSON with OpenAPI), Linked
Data and the pages for people, served by `qfgraph serve` (serving.py). Routes are grouped by
area in `routes/`; what every request gets is in `middleware`; domain errors become problem
documents in `errors`."""


def create_app(config=None):
    from qfgraph.api.http.app import create_app as factory
    return factory(config)
