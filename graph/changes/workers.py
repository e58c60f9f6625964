"""Validating the gate's batches in worker processes: pySHACL is Python, one core per process.

The parent reads each batch's extract from the store (graph.changes.gate) and sends it as
N-Quads with its entries; a worker loads it into an in-memory Oxigraph store, builds the
rdflib graph, validates and sends the results back, in the order of the batches. The parent
reads the next extracts while the workers validate. Workers are fresh interpreters (spawn:
the parent may hold an open store and its threads), each compiling the rules once.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph, URIRef

from qfgraph import shapes
from qfgraph.graph.stores import to_rdflib

WORTH_A_POOL = 6        # batches below which starting processes costs more than it saves
MAX_WORKERS = 4


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not Linux
        return os.cpu_count() or 1


def rdflib_graph(extract: ox.Store, terms: dict) -> Graph:
    """An extract as an rdflib graph for SHACL Core (shapes.extract_graph), each distinct
    term converted once (`terms`: Oxigraph term -> rdflib term, kept by the caller)."""
    def term(t):
        known = terms.get(t)
        if known is None:
            known = terms[t] = to_rdflib(t)
        return known
    return shapes.extract_graph((term(q.subject), term(q.predicate), term(q.object)) for q in extract)


def untitled(report, rdf: Graph) -> set:
    """Values a message names by title that the extract does not describe."""
    return {r.value for r in report.results if isinstance(r.value, URIRef) and (r.value, None, None) not in rdf}


def validate_extract(job: tuple[bytes, list[URIRef]]) -> tuple[list, set]:
    """In a worker: the results about a batch on its extract, and the values to describe."""
    nquads, batch = job
    data = ox.Store()
    data.load(nquads, format=ox.RdfFormat.N_QUADS)
    rdf = rdflib_graph(data, {})
    report = shapes.validate(rdf, set(batch), extracted=True, engine=data)
    found = untitled(report, rdf)
    rdf.close()
    return report.results, found


def _start() -> None:
    shapes.project_rules().compiled  # noqa: B018  (compiled once per worker, before its first batch)


def validate_extracts(jobs: Iterable[tuple[bytes, list[URIRef]]]) -> Iterator[tuple[list, set]]:
    """`validate_extract` of each job in worker processes, results in the order of the jobs;
    on one core, in this process."""
    n = min(MAX_WORKERS, cores())
    if n < 2:
        yield from map(validate_extract, jobs)
        return
    ahead = threading.Semaphore(2 * n)   # extracts read ahead of the results: memory stays bounded

    def throttled():
        for job in jobs:
            ahead.acquire()
            yield job
    with multiprocessing.get_context("spawn").Pool(n, initializer=_start) as pool:
        for result in pool.imap(validate_extract, throttled()):
            ahead.release()
            yield result
