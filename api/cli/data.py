"""`qfgraph init | demo | load | query | export | stats`: the store and its data."""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import click

from qfgraph import graph
from qfgraph.api.cli.common import Failure, opened, progress_bar, store_option
from qfgraph.api.cli.imports import export_elm_to
from qfgraph.graph.changes import Rejected, load_bulk, load_gated, parse_file
from qfgraph.graph.errors import LoadError, QuerySyntaxError
from qfgraph.graph.formats import FORMAT_NAMES, rdf_format
from qfgraph.graph.sparql import UnsafeTermError
from qfgraph.graph.stores import VersionConflict, check_parses
from qfgraph.ontology.namespaces import PREFIXES, shorten, sparql_prefixes

@click.command()
@store_option
def init(store_spec):
    """Load the ontology and the reference frameworks (idempotent)."""
    with opened(store_spec) as store:
        counts = graph.install_reference(store)
    for g, n in counts.items():
        click.echo(f"{g}\t{n} triples")


@click.command()
@store_option
def demo(store_spec):
    """Init plus the illustrative demo graph (Croatia, the Netherlands, Denmark)."""
    with opened(store_spec) as store:
        counts = graph.install_demo(store)
    for g, n in counts.items():
        click.echo(f"{g}\t{n} triples")


@click.command()
@store_option
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--graph", "graph_iri", help="Named graph to load triples into.")
@click.option("--format", "fmt", help="RDF format (default: from the extension).")
@click.option("--agent", envvar="USER", default="unknown", show_default="$USER",
              help="Who makes the change (recorded in the history).")
@click.option("--message", "-m", help="Why (recorded in the history).")
@click.option("--bulk", is_flag=True, help="Trusted bulk load: skip the rule checks (recorded as "
              "such, with counts, not revertible), at the engine's bulk-load speed.")
def load(store_spec, files, graph_iri, fmt, agent, message, bulk):
    """Load RDF files into a named graph, one changeset per file and graph, through the rules:
    a file that fails to parse, or breaks a rule, writes nothing."""
    try:
        formats = [(f, rdf_format(fmt, f)) for f in files]
        for f, info in formats:
            if not Path(f).is_file():
                raise Failure(f"{f}: no such file")
            if not info.has_graphs and not graph_iri:
                raise Failure(f"{f}: {info.name} holds triples: name the target with --graph IRI")
        # Every file is checked before any is written: one bad file loads nothing.
        if bulk and len(formats) > 1:
            for f, info in formats:
                check_parses(f, info, progress=progress_bar)
        parsed = {} if bulk else {f: parse_file(f, info, graph_iri) for f, info in formats}
        with opened(store_spec) as store:
            for f, info in formats:
                started = time.perf_counter()
                try:
                    results = (load_bulk(store, f, info, graph_iri, agent, message, progress=progress_bar)
                               if bulk else load_gated(store, parsed.pop(f), agent, message or f"load {f}"))
                except Rejected as e:
                    click.echo(e.report.to_text(), err=True)
                    raise Failure(f"{f}: refused by the rules ({len(e.report.violations)} violation"
                                  f"{'s' if len(e.report.violations) != 1 else ''}): nothing written") from None
                except VersionConflict as e:
                    raise Failure(f"{f}: {e}") from None
                secs = time.perf_counter() - started
                n = sum(r.added for r in results)
                click.echo(f"{f}: {n} triples in {secs:.2f} s ({n / max(secs, 1e-9):,.0f}/s)")
                for r in results:
                    warnings = len(r.warnings.warnings) if r.warnings is not None else 0
                    checked = "rules not checked (bulk)" if r.skipped_rules else f"{warnings} warning(s)"
                    click.echo(f"  {r.graph} version {r.version}: +{r.added} -{r.removed}, {checked}, "
                               f"changeset {r.changeset or '(nothing new)'}")
                    if warnings:
                        click.echo(r.warnings.to_text(), err=True)
    except (LoadError, UnsafeTermError) as e:
        raise Failure(str(e)) from None


QUERY_FORMATS = {name: FORMAT_NAMES[name] for name in ("json", "xml", "csv", "tsv", "turtle", "ntriples")}


def read_query(text: str) -> str:
    if text == "-":
        return sys.stdin.read()
    if text.startswith("@"):
        path = Path(text[1:])
        if not path.is_file():
            raise Failure(f"{path}: no such query file")
        return path.read_text(encoding="utf-8")
    return text


@click.command()
@store_option
@click.argument("query_text", metavar="QUERY | @FILE | -")
@click.option("--format", "fmt", type=click.Choice(["table", *QUERY_FORMATS]), default="table",
              show_default=True)
def query(store_spec, query_text, fmt):
    """Run a SPARQL query over the union of all graphs."""
    # The standard prefixes (qf:, elm:, dcterms:, skos:, ...) are known without declaring them.
    sparql = sparql_prefixes() + read_query(query_text)
    with opened(store_spec) as store:
        try:
            if fmt == "table":
                click.echo(render_table(store, sparql), nl=False)
                return
            body, _, form = store.query_serialized(sparql, QUERY_FORMATS[fmt])
        except QuerySyntaxError as e:
            raise Failure(f"SPARQL syntax error: {user_lines(str(e))}") from None
    if form == "graph" and fmt not in ("turtle", "ntriples"):
        raise Failure("a CONSTRUCT or DESCRIBE query gives a graph: use --format turtle or ntriples")
    if form != "graph" and fmt in ("turtle", "ntriples"):
        raise Failure(f"--format {fmt} is for CONSTRUCT and DESCRIBE; use table, json, xml, csv or tsv")
    sys.stdout.buffer.write(body)
    sys.stdout.flush()


def user_lines(message: str) -> str:
    """The parser's message with line numbers of the user's text (the prefix line removed)."""
    message = re.sub(r"at (\d+):", lambda m: f"at line {int(m.group(1)) - 1}, column ", message, count=1)
    return message if len(message) < 300 else message[:300] + " ..."


def render_table(store, sparql: str) -> str:
    """Rows as an aligned text table; an ASK as true/false; a graph as Turtle."""
    body, _, form = store.query_serialized(sparql, "application/sparql-results+json")
    if form == "graph":
        body, _, _ = store.query_serialized(sparql, "text/turtle")
        return body.decode()
    data = json.loads(body)
    if form == "boolean":
        return ("true" if data["boolean"] else "false") + "\n"
    names = data["head"]["vars"]
    rows = [[cell(b.get(n)) for n in names] for b in data["results"]["bindings"]]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def cell(binding) -> str:
    if binding is None:
        return ""
    if binding["type"] == "uri":
        return shorten(binding["value"])
    if binding.get("xml:lang"):
        return f'{binding["value"]}@{binding["xml:lang"]}'
    return binding["value"]


@click.command()
@store_option
@click.option("--graph", "graph_iri", help="Export only this named graph.")
@click.option("--format", "fmt", default="trig", show_default=True,
              help="turtle, ntriples, nquads, trig, jsonld, or elm (Europass QDR JSON-LD).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="File to write (default stdout).")
def export(store_spec, graph_iri, fmt, output):
    """Export one named graph, or all of them; --format elm: ELM JSON-LD for Europass."""
    if fmt.lower() == "elm":
        return export_elm_to(store_spec, graph_iri, output)
    try:
        info = rdf_format(fmt)
        with opened(store_spec) as store:
            if graph_iri and graph_iri not in store.graph_sizes():
                raise Failure(f"no named graph {graph_iri} in the store")
            if output:
                store.export(info, graph_iri, output=output)
            else:
                sys.stdout.buffer.write(store.export(info, graph_iri))
    except (LoadError, UnsafeTermError) as e:
        raise Failure(str(e)) from None


MAIN_CLASSES = [
    ("micro-credentials", "qf:MicroCredential"),
    ("qualifications", "elm:Qualification"),
    ("units", "qf:Unit"),
    ("learning outcomes", "elm:LearningOutcome"),
    ("recognition agreements", "qf:RecognitionAgreement"),
    ("validation standards", "qf:ValidationStandard"),
    ("skills-needs signals", "qf:SkillsNeed"),
    ("organisations", "elm:Organisation"),
    ("framework levels", "skos:Concept"),
]


def class_counts(store) -> dict[str, int]:
    values = " ".join(c for _, c in MAIN_CLASSES)
    rows = store.select(graph.bind(
        f"SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?x a ?c }} GROUP BY ?c"))
    found = {str(r["c"]): int(r["n"]) for r in rows}
    expand = lambda c: PREFIXES[c.split(":")[0]] + c.split(":")[1]
    return {label: found.get(expand(c), 0) for label, c in MAIN_CLASSES}


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(store_spec, as_json):
    """Triples per named graph and instances per main class."""
    with opened(store_spec) as store:
        sizes, counts = store.graph_sizes(), class_counts(store)
    if as_json:
        click.echo(json.dumps({"graphs": sizes, "classes": counts}, indent=2))
        return
    click.echo("triples per named graph:")
    for g, n in sizes.items():
        click.echo(f"  {n:>10}  {g}")
    click.echo("instances per class:")
    for label, n in counts.items():
        click.echo(f"  {n:>10}  {label}")


def register(cli) -> None:
    for command in (init, demo, load, query, export, stats):
        cli.add_command(command)
