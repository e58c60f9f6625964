"""HTTP and command line: the Flask app factory, its routes, and the `qfgraph` CLI."""


def create_app(config=None):
    from qfgraph.api.app import create_app as factory
    return factory(config)
