"""What every command shares: the one-line failure, the store option and opening the store,
progress bars on a terminal."""
from __future__ import annotations

import sys

import click

from qfgraph.graph import finish_interrupted_loads
from qfgraph.graph.errors import StoreError
from qfgraph.graph.stores import open_store


class Failure(click.ClickException):
    """A one-line reason, printed as `qfgraph: error: ...` with exit code 1."""

    def show(self, file=None):
        click.echo(f"qfgraph: error: {self.format_message()}", err=True)


def progress_bar(label: str, total: int):
    """A tqdm bar for byte counts, shown only on a terminal and for big inputs."""
    if total < 5 * 1024 * 1024 or not sys.stderr.isatty():
        return lambda n: None
    from tqdm import tqdm
    bar = tqdm(total=total, unit="B", unit_scale=True, desc=label, file=sys.stderr, leave=False)

    def update(n):
        bar.close() if n is None else bar.update(n)
    return update


STORE_HELP = ("Store directory, :memory:, or a SPARQL server: its query URL or "
              "'query=URL,update=URL,auth=...' (README, Scaling out). Env QFGRAPH_STORE, else "
              "QFGRAPH_SPARQL_QUERY_URL; default ./qfgraph-data.")


def store_option(f):
    """`--store` after the command name; it overrides the one before it."""
    return click.option("--store", "store_spec", default=None, help=STORE_HELP)(f)


def chosen_store(store_spec):
    """The command's `--store`, else the one given before the command name."""
    return store_spec or (click.get_current_context().find_root().obj or {}).get("store")


def opened(store_spec):
    """The store, with the bulk loads a killed process left half way settled first."""
    try:
        store = open_store(chosen_store(store_spec))
        for line in finish_interrupted_loads(store):
            click.echo(f"qfgraph: {line}", err=True)
        return store
    except StoreError as e:
        raise Failure(str(e)) from None
