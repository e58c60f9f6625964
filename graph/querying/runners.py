"""Running /sparql queries with a timeout that really stops the work, and a size limit.

pyoxigraph has no way to cancel a running query, so:

- On an on-disk embedded store, queries run in a pool of worker processes, each holding a
  read-only handle on the store directory (RocksDB allows many readers beside the one
  writer). A query past its deadline is stopped by ending its worker process, which is
  replaced; other queries meanwhile run in the other workers. After a write through the
  service the workers reopen their handle, so every query sees committed changes.
  A query a worker answered quickly (PROVEN_SECONDS) is answered in the server process the
  next times it is asked, on the server's own handle, until the store changes: the same
  text on the same data does the same work, and the round trip to a worker cost as much as
  a small lookup itself. Clients send the same queries again and again (dashboards, YASGUI
  tabs, guidance tools); a query not yet proven, or proven on older data, goes to a worker.
- On an in-memory store (tests, demos) a worker process cannot see the data; queries run in
  threads (pyoxigraph releases the GIL while it evaluates). The answer is given at the
  deadline, and the result writer stops the work at its next chunk; a blocking operator
  (ORDER BY, GROUP BY) that has not produced its first row finishes in the background.
- A remote store is queried directly; its own server enforces its limits.

Results are serialized by the engine into a writer that counts bytes: past the result
limit the serialization is aborted, so a huge result is not built in memory either.
"""
from __future__ import annotations

import queue
import struct
import threading
import time
from collections import OrderedDict

import pyoxigraph as ox
from rdflib import URIRef

from qfgraph.graph.errors import QuerySyntaxError
from qfgraph.graph.querying.engine import QueryFailed, QueryTimeout, ResultTooLarge, engine_options, run_serialized
from qfgraph.graph.querying.text import CACHED_TEXT
from qfgraph.graph.sparql import term
from qfgraph.graph.querying.workers import OK, SYNTAX, TOO_LARGE, Worker


# A query a worker answered within this time (and within a tenth of the timeout) is proven
# cheap: far below any timeout, so answering it in the server process risks nothing
PROVEN_SECONDS = 0.05
PROVEN_KEPT = 1024  # queries remembered as proven, the most recently asked first


def _proof_bound(timeout: float) -> float:
    return min(PROVEN_SECONDS, timeout / 10)


class _Proven:
    """Queries proven cheap, each with the store generation it was proven on."""

    def __init__(self):
        self._seen: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def on(self, key, generation: int) -> bool:
        with self._lock:
            if self._seen.get(key) != generation:
                return False
            self._seen.move_to_end(key)
            return True

    def add(self, key, generation: int) -> None:
        with self._lock:
            self._seen[key] = generation
            self._seen.move_to_end(key)
            while len(self._seen) > PROVEN_KEPT:
                self._seen.popitem(last=False)

    def forget(self, key) -> None:
        with self._lock:
            self._seen.pop(key, None)


class ProcessRunner:
    """A fixed pool of worker processes over an on-disk store directory; with `store`, the
    server's own handle on it, proven-cheap queries are answered in this process."""

    def __init__(self, path: str, workers: int, store: ox.Store | None = None):
        self.path, self.size, self.store = path, max(1, workers), store
        self._proven = _Proven()
        self.answered_here = 0  # queries answered in this process (for tests and operators)
        # most recently used first: a warm worker (caches, pages, scheduler) answers next
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._generation = 0
        self._started = False
        self._lock = threading.Lock()

    def _start(self) -> None:
        with self._lock:
            if not self._started:
                for _ in range(self.size):
                    self._idle.put(Worker(self.path))
                self._started = True

    def warm(self) -> None:
        """Start the workers now rather than on the first query."""
        self._start()

    def invalidate(self) -> None:
        """The store changed: every worker reopens before its next query."""
        self._generation += 1

    def run(self, query, media_type, default_graphs, named_graphs, limit, timeout, base_iri=None):
        key = (query, media_type, tuple(default_graphs), tuple(named_graphs), limit, base_iri)
        options = engine_options(query, default_graphs, named_graphs, base_iri)
        generation = self._generation
        if self.store is not None and self._proven.on(key, generation):
            return self._run_here(key, query, media_type, options, limit, timeout)
        body, media, form, seconds = self._run_in_worker((query, media_type, options, limit, generation), timeout)
        if (self.store is not None and len(query) <= CACHED_TEXT
                and seconds < _proof_bound(timeout)):
            self._proven.add(key, generation)
        return body, media, form

    def _run_here(self, key, query, media_type, options, limit, timeout):
        """A proven query on the server's handle; proven again each time, or forgotten."""
        started = time.monotonic()
        try:
            answer = run_serialized(self.store, query, media_type, options, limit, started + timeout)
        except BaseException:
            self._proven.forget(key)
            raise
        if time.monotonic() - started >= _proof_bound(timeout):
            self._proven.forget(key)
        self.answered_here += 1
        return answer

    def _run_in_worker(self, job: tuple, timeout: float) -> tuple[bytes, str, str, float]:
        if not self._started:
            self._start()
        worker = self._idle.get()
        try:
            worker.wait_ready()
            worker.send(job)
            answer = worker.answer(timeout)
            if answer is None:
                worker.stop()  # stops the work for real
                worker = Worker(self.path)
                raise QueryTimeout()
        except (EOFError, OSError, struct.error):
            worker.stop()
            worker = Worker(self.path)
            raise QueryFailed("the query worker ended unexpectedly; the query was not answered", False)
        finally:
            self._idle.put(worker)
        status, text, body = answer
        if status == OK:
            media, form, seconds = text.split("\n")
            return body, media, form, float(seconds)
        if status == TOO_LARGE:
            raise ResultTooLarge()
        raise QueryFailed(text, status == SYNTAX)

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get().stop()


def _detached(*args):
    """run_serialized in a pool thread, with errors returned as fresh exceptions: a traceback
    would carry the engine's result object to another thread, which pyoxigraph forbids."""
    try:
        return "ok", run_serialized(*args)
    except QueryFailed as e:
        error = QueryFailed(str(e), e.syntax)
    except (QueryTimeout, ResultTooLarge) as e:
        error = type(e)()
    return "error", error


class ThreadRunner:
    """Queries in threads over an in-memory pyoxigraph store (see the module comment).
    Daemon threads: a query still running past its deadline never holds up shutdown."""

    def __init__(self, store: ox.Store, workers: int):
        self.store = store
        self._slots = threading.BoundedSemaphore(max(2, workers))

    def invalidate(self) -> None:
        pass

    def run(self, query, media_type, default_graphs, named_graphs, limit, timeout, base_iri=None):
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            raise QueryTimeout()
        answer: queue.Queue = queue.Queue()

        def work():
            try:
                answer.put(_detached(self.store, query, media_type,
                                     engine_options(query, default_graphs, named_graphs, base_iri),
                                     limit, deadline))
            finally:
                self._slots.release()

        threading.Thread(target=work, daemon=True, name="qfgraph-query").start()
        try:
            status, value = answer.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout() from None
        if status == "ok":
            return value
        raise value

    def close(self) -> None:
        pass


class StoreRunner:
    """A remote store: its server runs the query and enforces its own limits."""

    def __init__(self, store):
        self.store = store

    def invalidate(self) -> None:
        pass

    def run(self, query, media_type, default_graphs, named_graphs, limit, timeout, base_iri=None):
        if base_iri:   # the server's own base is its business: ours goes in the text (on line 1)
            query = f"BASE {term(URIRef(base_iri))} {query}"
        try:
            body, used, form = self.store.query_serialized(query, media_type, default_graphs, named_graphs)
        except QuerySyntaxError as e:
            raise QueryFailed(str(e), syntax=True) from None
        if len(body) > limit:
            raise ResultTooLarge()
        return body, used, form

    def close(self) -> None:
        pass


def runner_for(store, workers: int):
    """The runner that fits the store: worker processes over its directory, threads over
    its engine in memory, or the store's own server."""
    if store.oxigraph is None:
        return StoreRunner(store)
    if store.path:
        return ProcessRunner(store.path, workers, store.oxigraph)
    return ThreadRunner(store.oxigraph, workers)
