"""The `qfgraph` command line.

Every command exits 0 on success and non-zero with a one-line reason on failure. The
commands live in one module per area (data, rules, history, imports, paths, tokens, indicators, serve),
each adding its commands to the group with `register`.
"""
from __future__ import annotations

import sys

import click

from qfgraph.api.cli import data, history, imports, indicators, paths, rules, serve, tokens
from qfgraph.api.cli.common import STORE_HELP
from qfgraph.graph.errors import GraphError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qfgraph")
@click.option("--store", "store_spec", envvar="QFGRAPH_STORE", default=None, help=STORE_HELP)
@click.pass_context
def cli(ctx, store_spec):
    """qfgraph: a qualifications-framework knowledge graph."""
    ctx.obj = {"store": store_spec}


for area in (data, imports, paths, tokens, history, rules, indicators, serve):
    area.register(cli)


def main(argv=None) -> int:
    try:
        cli.main(args=argv, prog_name="qfgraph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("qfgraph: aborted", err=True)
        return 1
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except GraphError as e:
        click.echo(f"qfgraph: error: {e}", err=True)
        return 1
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 0
    return 0

