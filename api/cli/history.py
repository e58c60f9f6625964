"""`qfgraph history` and `qfgraph revert`: the changesets the gate accepted, and undoing one."""
from __future__ import annotations

import json
import os

import click

from qfgraph.api.cli.common import Failure, opened, store_option
from qfgraph.graph import Rejected, RevertError, VersionConflict, history, revert


def register(cli) -> None:

    @cli.command("history")
    @store_option
    @click.option("--graph", "graph_iri", help="Only the changesets of this named graph.")
    @click.option("--limit", type=int, help="At most this many, newest first.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def history_command(store_spec, graph_iri, limit, as_json):
        """The accepted changesets, newest first: who, when, which graph, what, why."""
        with opened(store_spec) as store:
            entries = history(store, graph_iri, limit)
        if as_json:
            click.echo(json.dumps(entries, indent=2))
            return
        if not entries:
            click.echo("no changesets" + (f" for {graph_iri}" if graph_iri else ""))
            return
        for e in entries:
            flags = "" if e["rules_checked"] else "  [bulk: rules not checked]"
            reverts = f"  (reverts {e['reverts']})" if e["reverts"] else ""
            click.echo(f"{e['time'][:19]}Z  {e['graph']}  v{e['version']}  +{e['added']} -{e['removed']}  "
                       f"{e['agent_name']}: {e['message']}{reverts}{flags}\n    {e['changeset']}")

    @cli.command("revert")
    @store_option
    @click.argument("changeset")
    @click.option("--agent", default=lambda: os.environ.get("USER", "unknown"), show_default="$USER",
                  help="Who reverts (recorded in the history).")
    @click.option("--message", "-m", help="Why (default: revert CHANGESET).")
    def revert_command(store_spec, changeset, agent, message):
        """Undo a changeset with a new one (checked by the rules like any write)."""
        with opened(store_spec) as store:
            try:
                result = revert(store, changeset, agent, message)
            except Rejected as e:
                click.echo(e.report.to_text(), err=True)
                raise Failure(f"the revert of {changeset} breaks the rules: nothing written") from None
            except (RevertError, VersionConflict) as e:
                raise Failure(str(e)) from None
        click.echo(f"reverted {changeset}: {result.graph} version {result.version}: "
                   f"+{result.added} -{result.removed}, changeset {result.changeset}")
