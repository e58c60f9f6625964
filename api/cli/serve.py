"""`qfgraph serve`: /sparql, /api/v1, the pages and Linked Data on granian."""
from __future__ import annotations

import click

from qfgraph.api.cli.common import Failure, chosen_store, store_option
from qfgraph.api.http.serving import serve as run_server


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", envvar="QFGRAPH_HOST", show_default=True)
@click.option("--port", default=8000, type=int, envvar="QFGRAPH_PORT", show_default=True)
@click.option("--threads", default=8, type=int, envvar="QFGRAPH_THREADS", show_default=True)
@click.option("--demo", "with_demo", is_flag=True, help="Load the demo graph first.")
@click.option("--base", help="Base IRI of the entities that dereference here. Env QFGRAPH_BASE.")
@click.option("--tokens", "tokens_file", help="Tokens file. Env QFGRAPH_TOKENS; default <store>/tokens.json.")
@click.option("--query-timeout", type=float, help="Seconds a /sparql query may run (30). Env QFGRAPH_QUERY_TIMEOUT.")
@click.option("--result-limit", type=int, help="Bytes a /sparql result may take. Env QFGRAPH_RESULT_LIMIT.")
@click.option("--cors-origins", help="Comma-separated origins allowed by CORS ('*'). Env QFGRAPH_CORS_ORIGINS.")
@click.option("--max-request-bytes", type=int, help="Largest request body. Env QFGRAPH_MAX_REQUEST_BYTES.")
@click.option("--query-workers", type=int, help="Query worker processes (4). Env QFGRAPH_QUERY_WORKERS.")
@click.option("--public-url", help="URL the service is reached at (for sd:endpoint). Env QFGRAPH_PUBLIC_URL.")
def serve(store_spec, host, port, threads, with_demo, **settings):
    """Serve /sparql, /api/v1 and the Linked Data pages with a production HTTP server (granian)."""
    try:
        run_server(chosen_store(store_spec), host, port, threads, with_demo,
                   {k: v for k, v in settings.items() if v is not None})
    except ValueError as e:
        raise Failure(str(e)) from None


def register(cli) -> None:
    cli.add_command(serve)
