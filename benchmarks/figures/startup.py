"""Cold start of `qfgraph serve --demo`: from process start to the first answered query.

Baseline: Oxigraph's own server (the `oxigraph` package) started on an empty store, to the
first answered query, in the same run. The difference is what qfgraph adds: Python start-up,
imports, and loading the ontology, frameworks and demo graph into a fresh store.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchmarks.common import Row, Stats

NAME = "startup"
DESCRIPTION = "qfgraph serve --demo cold start (fresh store) vs oxigraph serve cold start"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _time_to_first_answer(command: list[str], port: int, timeout: float = 120.0) -> float:
    """Seconds from spawning `command` to a 200 answer of ASK {} on its /query or /sparql."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        urls = [f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"]
        while time.perf_counter() - started < timeout:
            for url in urls:
                try:
                    with urllib.request.urlopen(url, timeout=2) as r:
                        if r.status == 200:
                            return time.perf_counter() - started
                except OSError:
                    pass
            if proc.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {proc.returncode} before answering")
            time.sleep(0.02)
        raise TimeoutError(f"{' '.join(command)} did not answer within {timeout} s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _cold_starts(make_command, repeat: int) -> Stats:
    times = []
    for _ in range(repeat):
        work = tempfile.mkdtemp(prefix="qfgraph-start-")
        try:
            port = _free_port()
            times.append(1000 * _time_to_first_answer(make_command(work, port), port))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return Stats.of(times)


def run(ctx) -> list[Row]:
    repeat = max(3, min(ctx.repeat, 7))
    ours = _cold_starts(lambda d, p: [sys.executable, "-m", "qfgraph.api.cli", "serve", "--demo", "--store", d,
                                      "--port", str(p)], repeat)
    oxigraph = shutil.which("oxigraph")
    if oxigraph is None:
        return [Row("qfgraph serve --demo: cold start", ours, note="oxigraph server not installed")]
    base = _cold_starts(lambda d, p: [oxigraph, "serve", "--location", d, "--bind", f"127.0.0.1:{p}"], repeat)
    return [Row("qfgraph serve --demo: cold start to first answer", ours, base,
                "oxigraph serve (empty store)", note="fresh store directory each run")]
