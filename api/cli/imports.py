"""`qfgraph template csv`, `qfgraph import csv | elm | badge`, and the ELM form of
`qfgraph export`: registers in and out, with progress bars on a terminal."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from qfgraph.api.cli.common import Failure, opened, store_option
from qfgraph.graph.imports import (
    DefaultsError, ImportFailed, import_badges, import_csv, import_elm, write_templates,
)
from qfgraph.ontology.namespaces import DEFAULT_BASE

PROGRESS_MIN_ITEMS = 2000       # rows (or documents) below which no bar is worth drawing


def item_progress(label: str, total: int, unit: str = "row"):
    """A tqdm bar over rows, documents or entries, on a terminal and for long runs only."""
    if total < PROGRESS_MIN_ITEMS or not sys.stderr.isatty():
        return lambda n: None
    from tqdm import tqdm
    bar = tqdm(total=total, unit=unit, desc=label, file=sys.stderr, leave=False)
    return lambda n: bar.close() if n is None else bar.update(n)


def _defaults(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not value.strip():
            raise Failure(f"--default {pair!r}: write it as NAME=VALUE, e.g. assessment_type=portfolio")
        out[name.strip()] = value.strip()
    return out


def _read_files(files) -> list[tuple[str, bytes]]:
    for f in files:
        if not Path(f).is_file():
            raise Failure(f"{f}: no such file")
    return [(str(f), Path(f).read_bytes()) for f in files]


def _run(call, as_json: bool) -> None:
    """Run an import; print its report; exit 1 (nothing written) when it failed."""
    started = time.perf_counter()
    try:
        report = call()
    except ImportFailed as e:
        click.echo(json.dumps(e.report.to_json(), indent=1) if as_json else e.report.to_text(), err=not as_json)
        raise SystemExit(1) from None
    except DefaultsError as e:
        raise Failure(str(e)) from None
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=1))
    else:
        first, *notes = report.to_text().split("\n")
        click.echo("\n".join([f"{first} in {time.perf_counter() - started:.2f} s", *notes]))


def export_elm_to(store_spec, graph_iri, output, fmt: str = "jsonld") -> None:
    """`qfgraph export --format elm`: the ELM JSON-LD of the qualifications and micro-credentials."""
    from qfgraph.graph.exports import export_elm, serialize_elm
    with opened(store_spec) as store:
        if graph_iri and graph_iri not in store.graph_sizes():
            raise Failure(f"no named graph {graph_iri} in the store")
        result = export_elm(store, graph_iri, progress=item_progress)
    body = serialize_elm(result, fmt)
    if output:
        Path(output).write_bytes(body)
    else:
        sys.stdout.buffer.write(body)
    for iri, reasons in result.skipped.items():
        click.echo(f"left out of the ELM export (the QDR profile needs it): {iri}: {', '.join(reasons)}",
                   err=True)


def register(cli) -> None:

    @cli.group()
    def template():
        """Write import templates."""

    @template.command("csv")
    @store_option
    @click.argument("directory", type=click.Path(file_okay=False))
    @click.option("--graph", "graph_iri", metavar="IRI",
                  help="Fill the templates with this graph's entities instead of an example row.")
    @click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the ids.")
    def template_csv(store_spec, directory, graph_iri, base):
        """Write the CSV templates into DIRECTORY: a header and one example row each, or the
        entities of a graph (to keep a register in a spreadsheet)."""
        if not graph_iri:
            for path in write_templates(directory):
                click.echo(str(path))
            return
        from qfgraph.graph.exports.csv_export import export_csv
        with opened(store_spec) as store:
            files = export_csv(store, graph_iri, base)
        Path(directory).mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (Path(directory) / name).write_bytes(data)
            rows = max(0, len(data.splitlines()) - 1)
            click.echo(f"{Path(directory) / name}\t{rows} rows")

    @cli.group("import")
    def import_group():
        """Import registers: CSV templates, ELM JSON-LD, Open Badges 3.0."""

    graph_option = click.option("--graph", "graph_iri", required=True, metavar="IRI",
                                help="Named graph to write to.")
    base_option = click.option("--base", default=DEFAULT_BASE, show_default=True,
                               help="Base IRI of new entities.")
    agent_option = click.option("--agent", default="import", show_default=True,
                                help="Who makes the change (recorded in the history).")
    json_option = click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
    default_option = click.option(
        "--default", "defaults", multiple=True, metavar="NAME=VALUE",
        help="Annex I element for micro-credentials that lack it: assessment_type, "
             "quality_assurance, mode, learning_setting, language (repeatable).")

    def document_options(f):
        """The options of the JSON-LD document imports (ELM, Open Badges)."""
        for option in reversed([store_option,
                                click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False)),
                                graph_option, base_option, agent_option, default_option]):
            f = option(f)
        return f

    @import_group.command("csv")
    @store_option
    @click.argument("directory", type=click.Path(exists=True, file_okay=False))
    @graph_option
    @base_option
    @agent_option
    @json_option
    def import_csv_command(store_spec, directory, graph_iri, base, agent, as_json):
        """Import a directory of CSV templates; nothing is written unless every row passes."""
        with opened(store_spec) as store:
            _run(lambda: import_csv(store, directory, graph_iri, base, agent, progress=item_progress), as_json)

    @import_group.command("elm")
    @document_options
    @click.option("--drop-unknown-levels", is_flag=True,
                  help="Leave out NQF levels no framework of the register holds (noted in the report).")
    @json_option
    def import_elm_command(store_spec, files, graph_iri, base, agent, defaults, drop_unknown_levels, as_json):
        """Import ELM v3 JSON-LD (credentials, QDR qualifications, learning opportunities)."""
        documents = _read_files(files)
        with opened(store_spec) as store:
            _run(lambda: import_elm(store, documents, graph_iri, base, agent, _defaults(defaults),
                                    progress=item_progress, drop_unknown_levels=drop_unknown_levels), as_json)

    @import_group.command("badge")
    @document_options
    @json_option
    def import_badge_command(store_spec, files, graph_iri, base, agent, defaults, as_json):
        """Import Open Badges 3.0 (OpenBadgeCredential or Achievement) as micro-credentials."""
        documents = _read_files(files)
        with opened(store_spec) as store:
            _run(lambda: import_badges(store, documents, graph_iri, base, agent, _defaults(defaults)), as_json)
