"""`qfgraph validate`: the quality rules (SHACL shapes) applied to files or to the store."""
from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path

import click
from rdflib import Dataset, URIRef

from qfgraph.api.cli.common import Failure, opened, store_option
from qfgraph.api.cli.imports import item_progress
from qfgraph import graph
from qfgraph import shapes
from qfgraph.graph import EmbeddedStore, LoadError, UnsafeTermError, check_iri, rdf_format
from qfgraph.graph.changes.gate import validate_store
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.ontology.namespaces import HISTORY_GRAPH

# The history holds no entries. The vocabulary is read along (its class hierarchy lets
# sh:class accept subclasses: a qf:Provider is an elm:Organisation), as the write gate does.
NOT_VALIDATED = {str(HISTORY_GRAPH)}


def read_files(files):
    """The files, each in a graph of its own, with the reference data (frameworks and
    vocabulary), in a throw-away store: parsed as `qfgraph load` parses them."""
    store = EmbeddedStore(None)
    graph.install_reference(store)
    for f in files:
        path = Path(f)
        if not path.is_file():
            raise Failure(f"{f}: no such file")
        info = rdf_format(None, path)
        store.load(path, info, None if info.has_graphs else path.resolve().as_uri())
    return store


def read_store(store, graph_iri: str | None) -> tuple[Dataset, set | None]:
    """Every graph of the store but the history; with `graph_iri`, also the entries of that
    graph (the subjects in it), which alone are reported on: their references to entries of
    other graphs (an equivalent outcome in another framework) resolve as in the gate."""
    sizes = store.graph_sizes()
    if graph_iri:
        check_iri(graph_iri)
        if graph_iri not in sizes:
            raise Failure(f"no named graph {graph_iri} in the store")
    data = Dataset(default_union=True)
    for name in sizes:
        if name not in NOT_VALIDATED:
            data.graph(URIRef(name)).parse(data=store.export(RDF_FORMATS["ntriples"], name), format="nt")
    if not graph_iri:
        return data, None
    return data, {s for s in data.graph(URIRef(graph_iri)).subjects() if isinstance(s, URIRef)}


def store_report(store, graph_iri: str | None):
    """The store's entries (or one graph's) validated in batches, as the write gate does,
    in worker processes and with a progress bar on a terminal; None for a store holding
    blank-node subjects, which is validated at once."""
    if graph_iri:
        check_iri(graph_iri)
        if graph_iri not in store.graph_sizes():
            raise Failure(f"no named graph {graph_iri} in the store")
    return validate_store(store, graph_iri, progress=partial(item_progress, unit="entry"))


def register(cli):
    @cli.command("validate")
    @store_option
    @click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
    @click.option("--graph", "graph_iri", help="Report only on the entries of this named graph of the store.")
    @click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
                  show_default=True)
    def validate(store_spec, files, graph_iri, fmt):
        """Check files, or the store, against the quality rules.

        With FILES: those files together with the reference frameworks and vocabulary.
        Without: the store (every graph but the history); with --graph IRI, only the entries
        of that graph, their references resolved in the whole store. Exits 0
        when nothing violates a rule (warnings allowed), 1 when something does.
        """
        try:
            if files and graph_iri:
                raise Failure("--graph selects a graph of the store; leave it out when validating files")
            with (read_files(files) if files else opened(store_spec)) as store:
                report = None if files else store_report(store, graph_iri)
                if report is None:
                    data, focus = read_store(store, graph_iri)
            what = ", ".join(files) if files else graph_iri or "the store"
        except (LoadError, UnsafeTermError) as e:
            raise Failure(str(e)) from None
        if report is None:   # files, or a store with blank nodes: the union at once
            report = shapes.validate(data, focus)
        if fmt == "json":
            click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        elif fmt == "turtle":
            click.echo(report.to_turtle(), nl=False)
        else:
            click.echo(report.to_text(), nl=False)
        click.echo(f"qfgraph: validate {what}: {report.summary()}", err=True)
        if not report.conforms:
            sys.exit(1)
