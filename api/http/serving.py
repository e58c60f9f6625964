"""`qfgraph serve`: the app behind granian, a production HTTP server.

granian reads and writes HTTP in Rust and calls the WSGI app on a pool of Python threads;
on a small /sparql lookup it costs about a third less than a pure-Python server. Its
supervisor process binds the socket and starts one worker process, in which the store is
opened and the app built (`build_app`): the supervisor never opens the store, so the worker
starts clean and a store that cannot be opened ends the server with exit code 1. The
worker ends with the supervisor, even when the supervisor is killed.
"""
from __future__ import annotations

import ctypes
import gc
import logging
import signal
import sys
import threading
import time
from functools import partial
from multiprocessing import util

from qfgraph.api.config import Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
PR_SET_PDEATHSIG = 1


def serve(store_spec: str | None, host: str, port: int, threads: int, with_demo: bool,
          settings: dict) -> None:
    """Run the server until it is stopped (SIGINT, SIGTERM). Raises ValueError for a setting
    that cannot be used, before anything starts; SystemExit(1) when the worker cannot start."""
    from granian.constants import HTTPModes, Interfaces
    from granian.log import LogLevels
    from granian import Granian

    Settings.load({"store": store_spec, **settings})  # a wrong setting fails here, not in the worker
    server = Granian(
        "qfgraph", address=host, port=port, interface=Interfaces.WSGI, workers=1,
        blocking_threads=max(1, threads), http=HTTPModes.http1, websockets=False,
        log_level=LogLevels.error, respawn_failed_workers=True)  # a worker that crashes is replaced
    build = partial(build_app, store_spec, with_demo, settings, f"http://{host}:{port}/sparql",
                    time.perf_counter())
    server.serve(target_loader=build, wrap_loader=False)


def build_app(store_spec, with_demo: bool, settings: dict, url: str, started: float):
    """In the worker process: open the store, build the app, start what warms it up. (Imported
    here: the supervisor, which only binds the port, never loads the app or the store.)"""
    from qfgraph import graph
    from qfgraph.api.http.app import create_app
    from qfgraph.graph.stacking import warm_up

    _end_with_parent()
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        store = graph.open_store(store_spec)
        for line in graph.finish_interrupted_loads(store):
            logging.getLogger("qfgraph").warning(line)
    except graph.StoreError as e:
        _fail(str(e))
    try:
        if with_demo:
            graph.install_demo(store)
        app = create_app({"store": store, **settings})
    except (ValueError, graph.StoreError, graph.LoadError) as e:
        store.close()
        _fail(str(e))
    runner = app.extensions["qfgraph.runner"]
    getattr(runner, "warm", lambda: None)()
    # the solver's libraries take about a second to import: in the background, so the first
    # pathway request need not pay it and the first query is not held up
    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    # run when the worker process ends (multiprocessing's exit hooks; atexit is not run there)
    util.Finalize(app, partial(_close, runner, store), exitpriority=10)
    # what start-up built lives as long as the server: keep it out of every garbage collection
    # (a full one over the imported libraries takes tens of milliseconds, paid by some request)
    gc.freeze()
    print(f"qfgraph serving the {store!r} on {url} (ready in {time.perf_counter() - started:.2f} s)",
          file=sys.stderr, flush=True)
    return app


def _close(runner, store) -> None:
    runner.close()
    store.close()
    print("qfgraph stopped", file=sys.stderr, flush=True)


def _fail(message: str):
    print(f"qfgraph: error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def _end_with_parent() -> None:
    """Have the kernel stop this process when the supervisor ends, however it ends (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
