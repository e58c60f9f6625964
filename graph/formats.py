"""The formats qfgraph reads and writes, in one table: RDF serializations and SPARQL result
formats, each with its name, media type, file extensions, the engine's and rdflib's names
for it and its W3C format IRI (for service descriptions)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from qfgraph.graph.errors import LoadError

FORMATS_NS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class RdfFormatInfo:
    name: str
    ox_format: ox.RdfFormat
    extensions: tuple[str, ...]
    media_type: str
    rdflib_name: str
    iri_name: str
    also_read_as: tuple[str, ...] = ()   # media types some servers answer with for this format

    @property
    def has_graphs(self) -> bool:
        return self.ox_format.supports_datasets

    @property
    def iri(self) -> str:
        return FORMATS_NS + self.iri_name


RDF_FORMATS: dict[str, RdfFormatInfo] = {
    f.name: f for f in (
        RdfFormatInfo("turtle", ox.RdfFormat.TURTLE, ("ttl", "turtle"), "text/turtle", "turtle", "Turtle",
                      ("application/x-turtle", "text/rdf+n3", "text/n3")),
        RdfFormatInfo("ntriples", ox.RdfFormat.N_TRIPLES, ("nt",), "application/n-triples", "nt", "N-Triples",
                      ("text/plain", "text/n-triples")),
        RdfFormatInfo("nquads", ox.RdfFormat.N_QUADS, ("nq",), "application/n-quads", "nquads", "N-Quads"),
        RdfFormatInfo("trig", ox.RdfFormat.TRIG, ("trig",), "application/trig", "trig", "TriG"),
        RdfFormatInfo("rdfxml", ox.RdfFormat.RDF_XML, ("rdf", "owl", "xml"), "application/rdf+xml", "xml",
                      "RDF_XML"),
        RdfFormatInfo("jsonld", ox.RdfFormat.JSON_LD, ("jsonld", "json"), "application/ld+json", "json-ld",
                      "JSON-LD"),
    )
}
_RDF_ALIASES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "xml": "rdfxml", "json": "jsonld"}
# the formats a CONSTRUCT or DESCRIBE answer is offered in, preferred first
GRAPH_RESULT_FORMATS = ("turtle", "ntriples", "rdfxml", "jsonld")


@dataclass(frozen=True)
class ResultsFormat:
    name: str
    media_type: str
    ox_format: ox.QueryResultsFormat
    iri_name: str

    @property
    def iri(self) -> str:
        return FORMATS_NS + self.iri_name


RESULTS_FORMATS: dict[str, ResultsFormat] = {
    f.name: f for f in (
        ResultsFormat("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON, "SPARQL_Results_JSON"),
        ResultsFormat("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML, "SPARQL_Results_XML"),
        ResultsFormat("csv", "text/csv", ox.QueryResultsFormat.CSV, "SPARQL_Results_CSV"),
        ResultsFormat("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV, "SPARQL_Results_TSV"),
    )
}
RESULT_MEDIA_TYPES = {f.media_type: f.ox_format for f in RESULTS_FORMATS.values()}
# plain JSON / XML, asked for by some clients: the SPARQL results formats
RESULT_ALIASES = {"application/json": "application/sparql-results+json",
                  "application/xml": "application/sparql-results+xml"}

# `?format=` / `--format` names for every media type above
FORMAT_NAMES: dict[str, str] = {
    **{f.name: f.media_type for f in RESULTS_FORMATS.values()},
    **{f.name: f.media_type for f in RDF_FORMATS.values() if f.name not in ("nquads", "trig")},
    "ttl": "text/turtle", "nt": "application/n-triples",
}


def rdf_format(name: str | None = None, path: str | os.PathLike | None = None) -> RdfFormatInfo:
    """The format named, or guessed from the file extension; a clear error otherwise."""
    if name:
        key = name.lower().replace("-", "").replace("_", "").replace("/", "")
        key = _RDF_ALIASES.get(key, key)
        if key not in RDF_FORMATS:
            raise LoadError(f"unknown RDF format {name!r}; use one of: {', '.join(RDF_FORMATS)}")
        return RDF_FORMATS[key]
    suffix = Path(path or "").suffix.lower().lstrip(".")
    for info in RDF_FORMATS.values():
        if suffix in info.extensions:
            return info
    raise LoadError(
        f"cannot tell the RDF format from the extension {('.' + suffix) if suffix else '(none)'!r}; "
        f"name it with --format ({', '.join(RDF_FORMATS)})", source=str(path) if path else None)


def rdf_format_of_media(media_type: str) -> RdfFormatInfo | None:
    """The RDF format of a media type, or of one a server uses for it; None if none."""
    for info in RDF_FORMATS.values():
        if media_type == info.media_type or media_type in info.also_read_as:
            return info
    return None


def graph_format_for(media_type: str) -> RdfFormatInfo:
    """The RDF format to write a graph answer in: the one asked for, else Turtle."""
    return next((f for f in RDF_FORMATS.values() if f.media_type == media_type), RDF_FORMATS["turtle"])
