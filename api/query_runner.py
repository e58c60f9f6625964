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

import math
import pickle
import queue
import select
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import OrderedDict

import pyoxigraph as ox

from qfgraph.graph.store import RDF_FORMATS, RESULT_MEDIA_TYPES
from qfgraph.api.sparql_text import CACHED_TEXT, analyse
from qfgraph.ontology.namespaces import PREFIXES


class QueryTimeout(Exception):
    pass


class ResultTooLarge(Exception):
    pass


class QueryFailed(Exception):
    """A query the engine refused (syntax) or could not evaluate; message is the engine's."""

    def __init__(self, message: str, syntax: bool):
        super().__init__(message)
        self.syntax = syntax


class _CappedWriter:
    """Collects serialized bytes; raises once past `limit` bytes or past `deadline`."""

    def __init__(self, limit: int, deadline: float | None):
        self.parts, self.size, self.limit, self.deadline = [], 0, limit, deadline

    def write(self, chunk) -> int:
        self.size += len(chunk)
        if self.size > self.limit:
            raise ResultTooLarge()
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryTimeout()
        self.parts.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        pass


def engine_options(query: str, default_graphs, named_graphs) -> dict:
    """What the engine is told besides the query text: the standard prefixes the query uses
    without declaring them (parsing a prefix map costs as much as a small lookup, so a query
    that declares its own is not handed one) and the dataset. Plain values: a worker gets
    them with the job and need not scan the text again."""
    text = analyse(query)
    options: dict = {}
    if undeclared := text.undeclared(PREFIXES):
        options["prefixes"] = undeclared
    if default_graphs:
        options["default_graph"] = list(default_graphs)
    elif not text.uses_from:  # the union of all graphs, unless the query names its dataset
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = list(named_graphs)
    return options


def run_serialized(store: ox.Store, query: str, media_type: str, options: dict,
                   limit: int, deadline: float | None) -> tuple[bytes, str, str]:
    """Evaluate and serialize with the engine; raises QueryFailed, QueryTimeout, ResultTooLarge.
    `options` come from engine_options."""
    kwargs = dict(options)
    for name in ("default_graph", "named_graphs"):
        if name in kwargs:
            kwargs[name] = [ox.NamedNode(g) for g in kwargs[name]]
    try:
        result = store.query(query, **kwargs)
    except SyntaxError as e:
        raise QueryFailed(str(e), syntax=True) from None
    except (OSError, ValueError) as e:
        raise QueryFailed(str(e), syntax=False) from None
    out = _CappedWriter(limit, deadline)
    try:
        if isinstance(result, ox.QueryTriples):
            info = next((f for f in RDF_FORMATS.values() if f.media_type == media_type), RDF_FORMATS["turtle"])
            ox.serialize(result, out, format=info.ox_format)
            return b"".join(out.parts), info.media_type, "graph"
        fmt = RESULT_MEDIA_TYPES.get(media_type, ox.QueryResultsFormat.JSON)
        result.serialize(out, format=fmt)
        return b"".join(out.parts), fmt.media_type, "boolean" if isinstance(result, ox.QueryBoolean) else "bindings"
    except (QueryTimeout, ResultTooLarge):
        raise
    except (OSError, ValueError, RuntimeError) as e:
        # the engine wraps an exception raised by our writer; look for ours underneath
        for cause in (e.__cause__, e.__context__):
            if isinstance(cause, (QueryTimeout, ResultTooLarge)):
                raise cause from None
        if out.size > limit:
            raise ResultTooLarge() from None
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeout() from None
        raise QueryFailed(str(e), syntax=False) from None


# ---------------------------------------------------------------------------------------
# worker processes (on-disk embedded store)
#
# One socket pair per worker, framed by hand: a job is a small pickled tuple; an answer is a
# fixed header (status, length of a short text, length of the body) followed by the raw
# result bytes, never pickled or copied into a message object. The parent waits for the
# header with poll() and the query's deadline.

_JOB = struct.Struct("!I")
_ANSWER = struct.Struct("!BIQ")
READY, OK, FAILED, SYNTAX, TOO_LARGE = range(5)


def _recv_exact(sock: socket.socket, n: int, have: bytes = b"") -> bytes:
    """`have` followed by what the socket gives, `n` bytes in all."""
    parts, missing = [have], n - len(have)
    while missing > 0:
        chunk = sock.recv(missing, socket.MSG_WAITALL) if missing <= 1 << 20 else sock.recv(1 << 20)
        if not chunk:
            raise EOFError("the other side closed the connection")
        parts.append(chunk)
        missing -= len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _send_answer(sock: socket.socket, status: int, text: str = "", body: bytes = b"") -> None:
    head = _ANSWER.pack(status, len(text.encode()), len(body)) + text.encode()
    if len(body) < 1 << 20:  # one write, so the parent wakes once
        sock.sendall(head + body)
    else:  # a large result is not copied
        sock.sendall(head)
        sock.sendall(body)


# A read-only handle sees the store's files as they were when it was opened: reopened after
# a write through the service, and at least this often, so that it follows the writer's
# flushes and compactions (a stale one reads more files and keeps deleted ones on disk)
REOPEN_SECONDS = 10.0


def _worker_main(sock: socket.socket, path: str) -> None:
    store, generation, opened = None, None, 0.0
    _send_answer(sock, READY)
    while True:
        try:
            (size,) = _JOB.unpack(_recv_exact(sock, _JOB.size))
            query, media_type, options, limit, gen = pickle.loads(_recv_exact(sock, size))
        except (EOFError, ConnectionError, struct.error):
            return
        try:
            if gen != generation or time.monotonic() - opened > REOPEN_SECONDS:
                store = None
                store = ox.Store.read_only(path)
                generation, opened = gen, time.monotonic()
            started = time.perf_counter()
            body, media, form = run_serialized(store, query, media_type, options, limit, None)
            _send_answer(sock, OK, f"{media}\n{form}\n{time.perf_counter() - started}", body)
        except QueryFailed as e:
            _send_answer(sock, SYNTAX if e.syntax else FAILED, str(e))
        except ResultTooLarge:
            _send_answer(sock, TOO_LARGE)
        except Exception as e:  # report, never die silently: the parent would wait in vain
            _send_answer(sock, FAILED, f"{type(e).__name__}: {e}")


def worker_entry() -> None:
    """`python -c` entry of a worker process: argv = [socket fd, store directory]."""
    _worker_main(socket.socket(fileno=int(sys.argv[1])), sys.argv[2])


class _Worker:
    """A plain child process (not multiprocessing's spawn, which would re-run the embedding
    program's main module) talking over a socket pair."""

    def __init__(self, path: str):
        self.sock, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from qfgraph.api.query_runner import worker_entry; worker_entry()",
             str(theirs.fileno()), path], pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self._poll = select.poll()
        self._poll.register(self.sock, select.POLLIN)
        self.ready = False

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Process start-up is not counted against a query's time."""
        if not self.ready:
            if self.answer(timeout) is None:
                raise QueryFailed("a query worker did not start; see the server log", False)
            self.ready = True

    def send(self, job: tuple) -> None:
        data = pickle.dumps(job, pickle.HIGHEST_PROTOCOL)
        self.sock.sendall(_JOB.pack(len(data)) + data)

    def answer(self, timeout: float) -> tuple[int, str, bytes] | None:
        """(status, text, body), or None when nothing came within `timeout` seconds. The
        worker writes its whole answer at once, so only the first byte is awaited."""
        if not self._poll.poll(max(0, math.ceil(timeout * 1000))):
            return None
        first = _recv_exact(self.sock, _ANSWER.size, self.sock.recv(1 << 16))  # most answers in one read
        status, text_size, body_size = _ANSWER.unpack_from(first)
        head = _recv_exact(self.sock, _ANSWER.size + text_size, first[:_ANSWER.size + text_size])
        body = _recv_exact(self.sock, body_size, first[len(head):])
        return status, head[_ANSWER.size:].decode(), body

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.sock.close()


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
                    self._idle.put(_Worker(self.path))
                self._started = True

    def warm(self) -> None:
        """Start the workers now rather than on the first query."""
        self._start()

    def invalidate(self) -> None:
        """The store changed: every worker reopens before its next query."""
        self._generation += 1

    def run(self, query, media_type, default_graphs, named_graphs, limit, timeout):
        key = (query, media_type, tuple(default_graphs), tuple(named_graphs), limit)
        options = engine_options(query, default_graphs, named_graphs)
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
                worker = _Worker(self.path)
                raise QueryTimeout()
        except (EOFError, OSError, struct.error):
            worker.stop()
            worker = _Worker(self.path)
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

    def run(self, query, media_type, default_graphs, named_graphs, limit, timeout):
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            raise QueryTimeout()
        answer: queue.Queue = queue.Queue()

        def work():
            try:
                answer.put(_detached(self.store, query, media_type,
                                     engine_options(query, default_graphs, named_graphs),
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

    def run(self, query, media_type, default_graphs, named_graphs, limit, timeout):
        from qfgraph.graph import QuerySyntaxError
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
    """The runner that fits the store's kind."""
    if getattr(store, "kind", None) == "embedded":
        if getattr(store, "path", None):
            return ProcessRunner(store.path, workers, store.native)
        return ThreadRunner(store.native, workers)
    return StoreRunner(store)
