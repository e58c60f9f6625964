"""`qfgraph token create | list | revoke`: bearer tokens for curators and administrators."""
from __future__ import annotations

import click

from qfgraph.api.cli.common import Failure
from qfgraph.api.config import tokens_path
from qfgraph.api.tokens import ROLES, Principal, TokenError, TokenFile


def _file(tokens_file: str | None) -> TokenFile:
    root = click.get_current_context().find_root().obj or {}
    return TokenFile(tokens_path(tokens_file, root.get("store")))


tokens_option = click.option("--tokens", "tokens_file", default=None,
                             help="Tokens file. Env QFGRAPH_TOKENS; default <store>/tokens.json.")


def register(cli) -> None:

    @cli.group()
    def token():
        """Bearer tokens: curators write to their own graphs, admins to any."""

    @token.command()
    @click.option("--name", required=True, help="Who holds the token; changesets record it as agent.")
    @click.option("--role", required=True, type=click.Choice(ROLES))
    @click.option("--graph", "graphs", multiple=True, help="A named graph the holder may write (repeatable).")
    @click.option("--default-graph", default=None, metavar="IRI",
                  help="Where SPARQL updates to the default graph write (default: the first --graph).")
    @tokens_option
    def create(name, role, graphs, default_graph, tokens_file):
        """Create a token and print it once (only its hash is kept)."""
        f = _file(tokens_file)
        try:
            secret = f.create(name, role, list(graphs), default_graph)
        except (TokenError, ValueError) as e:
            raise Failure(str(e)) from None
        click.echo(secret)
        click.echo(f"token {name!r} ({role}) stored in {f.path}; it is shown only now", err=True)

    @token.command("list")
    @tokens_option
    def list_(tokens_file):
        """List tokens (names, roles, graphs; never the secrets)."""
        for r in _file(tokens_file).records():
            state = f"revoked {r.revoked}" if r.revoked else "active"
            default = Principal(r.name, r.role, tuple(r.graphs), r.default_graph).default_graph or "-"
            click.echo(f"{r.name}\t{r.role}\t{state}\t{r.created}\t{' '.join(r.graphs) or '-'}\tdefault {default}")

    @token.command()
    @click.argument("name")
    @tokens_option
    def revoke(name, tokens_file):
        """Revoke a token by name; a running server refuses it from the next request."""
        try:
            _file(tokens_file).revoke(name)
        except TokenError as e:
            raise Failure(str(e)) from None
        click.echo(f"revoked {name}")
