"""`python tests/fault_child.py ARGS...`: the `qfgraph` command, which kills itself (SIGKILL,
a real signal, nothing flushed or closed) at a named phase of its work.

The phase comes from $QFGRAPH_TEST_KILL, read here only (never by qfgraph itself):
`METHOD[#N]:WHEN[+MS]` with METHOD one of the embedded store's `update`, `send_load`, `close`
(its Nth call on a store directory, the first by default) and WHEN `before` (at the call), `after` (once it
returned) or `during+MS` (MS milliseconds after the call began, from another thread, while
the engine works: pyoxigraph releases the GIL). Without it the command runs unharmed.

$QFGRAPH_TEST_BULK_BYTES lowers the size from which the embedded store loads a file with the
engine's bulk loader, so that a small file takes that road.

$QFGRAPH_TEST_FSIZE (bytes) sets RLIMIT_FSIZE first: a write past it fails with EFBIG, as
on a full disk (the simulation of the disk-full tests where no filesystem can be mounted).
"""
from __future__ import annotations

import functools
import os
import re
import resource
import signal
import sys
import threading
import time


def _die():
    os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(60)  # never reached


def _install(spec: str) -> None:
    from qfgraph.graph.stores.embedded import EmbeddedStore
    m = re.fullmatch(r"(update|send_load|close)(?:#(\d+))?:(before|after|during\+(\d+))", spec)
    if not m:
        raise SystemExit(f"QFGRAPH_TEST_KILL: cannot read {spec!r}")
    method, nth, when, ms = m.group(1), int(m.group(2) or 1), m.group(3), m.group(4)
    original = getattr(EmbeddedStore, method)
    calls = 0

    @functools.wraps(original)
    def wrapped(*args, **kwargs):
        nonlocal calls
        if args[0].path is None:  # an in-memory store of the command's own (the rule checks)
            return original(*args, **kwargs)
        calls += 1
        if calls == nth:
            if when == "before":
                _die()
            if ms is not None:
                threading.Timer(int(ms) / 1000, _die).start()
        result = original(*args, **kwargs)
        if calls == nth and when == "after":
            _die()
        return result

    setattr(EmbeddedStore, method, wrapped)


def main() -> int:
    if limit := os.environ.get("QFGRAPH_TEST_FSIZE"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
    if threshold := os.environ.get("QFGRAPH_TEST_BULK_BYTES"):  # small files by the bulk path
        from qfgraph.graph.stores import embedded
        embedded.BULK_THRESHOLD_BYTES = int(threshold)
    if spec := os.environ.get("QFGRAPH_TEST_KILL"):
        _install(spec)
    from qfgraph.api.cli import main as qfgraph
    return qfgraph(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
