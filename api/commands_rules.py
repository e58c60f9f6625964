"""`qfgraph validate`: the quality rules (SHACL shapes) applied to files or to the store."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rdflib import Dataset, URIRef

import shapes
from api.cli import Failure, opened, store_option
from graph import LoadError, UnsafeTermError, check_iri, rdf_format
from graph.store import RDF_FORMATS
from ontology import FRAMEWORKS_FILE
from ontology.namespaces import FRAMEWORKS_GRAPH, HISTORY_GRAPH, ONTOLOGY_GRAPH

# rdflib's names for the formats qfgraph reads
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                  "rdfxml": "xml", "jsonld": "json-ld"}
# Graphs that hold no entries: the vocabulary and the history are never validated (the shapes
# do not reason over the vocabulary).
NOT_VALIDATED = {str(ONTOLOGY_GRAPH), str(HISTORY_GRAPH)}


def read_files(files) -> Dataset:
    """The files, each in a graph of its own, plus the reference frameworks."""
    data = Dataset(default_union=True)
    data.graph(FRAMEWORKS_GRAPH).parse(FRAMEWORKS_FILE, format="turtle")
    for f in files:
        path = Path(f)
        if not path.is_file():
            raise Failure(f"{f}: no such file")
        fmt = RDFLIB_FORMATS[rdf_format(None, path).name]
        target = data if fmt in ("nquads", "trig") else data.graph(URIRef(path.resolve().as_uri()))
        try:
            target.parse(path, format=fmt)
        except Exception as e:  # rdflib's parsers raise many kinds; all mean "not valid RDF"
            raise Failure(f"{f}: not valid {rdf_format(None, path).name}: {one_line(e)}") from None
    return data


def read_store(store, graph_iri: str | None) -> Dataset:
    """The store's entries (one graph and the frameworks, or every graph of entries)."""
    sizes = store.graph_sizes()
    if graph_iri:
        check_iri(graph_iri)
        if graph_iri not in sizes:
            raise Failure(f"no named graph {graph_iri} in the store")
        names = [graph_iri, str(FRAMEWORKS_GRAPH)]
    else:
        names = [g for g in sizes if g not in NOT_VALIDATED]
    data = Dataset(default_union=True)
    for name in dict.fromkeys(names):
        if name in sizes:
            data.graph(URIRef(name)).parse(data=store.export(RDF_FORMATS["ntriples"], name), format="nt")
    return data


def one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:300]


def register(cli):
    @cli.command("validate")
    @store_option
    @click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
    @click.option("--graph", "graph_iri", help="Validate only this named graph of the store (with the frameworks).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
                  show_default=True)
    def validate(store_spec, files, graph_iri, fmt):
        """Check files, or the store, against the quality rules.

        With FILES: those files together with the reference frameworks. Without: the entries
        in the store (every graph but the vocabulary and the history, or --graph IRI). Exits 0
        when nothing violates a rule (warnings allowed), 1 when something does.
        """
        try:
            if files:
                if graph_iri:
                    raise Failure("--graph selects a graph of the store; leave it out when validating files")
                data, what = read_files(files), ", ".join(files)
            else:
                with opened(store_spec) as store:
                    data = read_store(store, graph_iri)
                what = graph_iri or "the store"
        except (LoadError, UnsafeTermError) as e:
            raise Failure(str(e)) from None
        report = shapes.validate(data)
        if fmt == "json":
            click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        elif fmt == "turtle":
            click.echo(report.to_turtle(), nl=False)
        else:
            click.echo(report.to_text(), nl=False)
        click.echo(f"qfgraph: validate {what}: {report.summary()}", err=True)
        if not report.conforms:
            sys.exit(1)
