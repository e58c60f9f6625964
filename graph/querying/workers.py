"""Query worker processes over an on-disk store directory, each with a read-only handle:
a query past its deadline is stopped by ending its worker (pyoxigraph cannot cancel one).

One socket pair per worker, framed by hand: a job is a small pickled tuple; an answer is a
fixed header (status, length of a short text, length of the body) followed by the raw
result bytes, never pickled or copied into a message object. The parent waits for the
header with poll() and the query's deadline.
"""
from __future__ import annotations

import math
import pickle
import select
import socket
import struct
import subprocess
import sys
import time

import pyoxigraph as ox

from qfgraph.graph.querying.engine import QueryFailed, ResultTooLarge, run_serialized

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


LOST_FILE_RETRIES = 3


def _lost_a_file(error: Exception) -> bool:
    return "No such file" in str(error)


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
            for attempt in range(LOST_FILE_RETRIES + 1):
                if gen != generation or time.monotonic() - opened > REOPEN_SECONDS:
                    store = None
                    store = ox.Store.read_only(path)
                    generation, opened = gen, time.monotonic()
                started = time.perf_counter()
                try:
                    body, media, form = run_serialized(store, query, media_type, options, limit, None)
                    break
                except Exception as e:
                    # the writer compacted away a file this handle still read: reopen, ask again
                    if attempt == LOST_FILE_RETRIES or not _lost_a_file(e):
                        raise
                    generation = None
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


class Worker:
    """A plain child process (not multiprocessing's spawn, which would re-run the embedding
    program's main module) talking over a socket pair."""

    def __init__(self, path: str):
        self.sock, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from qfgraph.graph.querying.workers import worker_entry; worker_entry()",
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
