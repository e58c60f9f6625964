"""The faces of qfgraph: HTTP (`api.http`: the Flask app, its routes, the server) and the
command line (`api.cli`). Both read the service settings (`config`) and the tokens file
(`tokens`)."""


def create_app(config=None):
    from qfgraph.api.http import create_app as factory
    return factory(config)
