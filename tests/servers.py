"""Real SPARQL servers for the tests: an Oxigraph server and Virtuoso, on free loopback ports.

Each server lives in its own temporary directory, starts in the background, and is ready
when its SPARQL endpoint answers. `kill()` stops it abruptly (the fault tests) and `start()`
brings it back on the same port with the same data.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def stop_group(process: subprocess.Popen, grace: float = 20) -> None:
    """End a process started in its own group: SIGTERM, then SIGKILL after `grace` seconds."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

from qfgraph.graph.stores.remote.config import RemoteConfig
from qfgraph.graph.stores.remote.store import RemoteStore

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """A server process on loopback; subclasses say how to start it and where it answers."""

    name = "server"
    startup_seconds = 60.0

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    @property
    def query_url(self) -> str:
        raise NotImplementedError

    @property
    def spec(self) -> str:
        """The `--store` value that reaches this server."""
        return self.query_url

    def store(self) -> RemoteStore:
        return RemoteStore(RemoteConfig.parse(self.spec, environ={}))

    def start(self) -> "Server":
        log = open(self.directory / "server.log", "ab")
        self.process = subprocess.Popen(self.command(), cwd=self.directory, stdout=log, stderr=log,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_seconds
        probe = self.query_url + "?query=" + urllib.request.quote("ASK {}")
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start ({self.process.returncode}); "
                                   f"see {self.directory / 'server.log'}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on {self.query_url} within {self.startup_seconds:g} s")

    def kill(self) -> None:
        """Stop at once, as a crash would (SIGKILL)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


class OxigraphServer(Server):
    """`oxigraph serve` from the oxigraph package (the union default graph is asked for per
    query by the remote store, not set on the server, as on a server someone else runs)."""

    name = "oxigraph"
    install = "python3 -m pip install -e '.[test]' (the oxigraph package brings the server)"
    startup_seconds = 30.0

    @staticmethod
    def available() -> bool:
        return shutil.which("oxigraph") is not None

    def command(self):
        return ["oxigraph", "serve", "--location", str(self.directory / "data"), "--bind", f"{HOST}:{self.port}"]

    @property
    def query_url(self):
        return f"http://{HOST}:{self.port}/query"


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2
MaxQueryMem = 512M
[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {d}
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
; the default of 10000 rows would cut results (and exports) short without an error
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


class VirtuosoServer(Server):
    """Debian's virtuoso-opensource (`virtuoso-t`), with a generated virtuoso.ini.

    A new database has the `dba` account with password `dba`; the remote store writes through
    /sparql-auth and /sparql-graph-crud-auth with digest authentication as that account.
    The anonymous /sparql may only read (no SPARQL_UPDATE role), which a test pins.
    """

    name = "virtuoso"
    user, password = "dba", "dba"
    install = "apt-get install virtuoso-opensource"

    def __init__(self, directory: Path):
        super().__init__(directory)
        self.sql_port = free_port()

    @staticmethod
    def available() -> bool:
        return shutil.which("virtuoso-t") is not None

    def command(self):
        ini = self.directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(d=self.directory, host=HOST, sql_port=self.sql_port,
                                           http_port=self.port))
        return ["virtuoso-t", "-f", "-c", str(ini)]

    @property
    def query_url(self):
        return f"http://{HOST}:{self.port}/sparql"

    @property
    def spec(self):
        return f"query={self.query_url},user={self.user},password={self.password},auth=digest"


SERVERS = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}


def wipe(store) -> None:
    """Drop every graph of ours (never an engine's own graphs), in one update: those holding
    triples and the version claims."""
    from qfgraph.graph.stores.claims import CLAIMS_GRAPH
    drops = [f"DROP SILENT GRAPH <{g}>" for g in [*store.graph_sizes(), CLAIMS_GRAPH]]
    if store.engine.name == "oxigraph":
        drops = ["DROP ALL"]  # no system graphs there; its default graph is a graph of its own
    store.update(" ;\n".join(drops))


class Gateway:
    """A real HTTP gateway on loopback in front of a SPARQL server, as deployments put one:
    it can demand an Authorization header, answer 503 a number of times (an overloaded or
    restarting server), answer that it rolled the request back as a deadlock victim a number
    of times (as Virtuoso does), or be slow; it counts the requests that reach it."""

    def __init__(self, upstream: str, authorization: str | None = None):
        import http.server
        import threading
        self.upstream, self.authorization = upstream.rstrip("/"), authorization
        self.unavailable, self.rolled_back, self.delay, self.requests = 0, 0, 0.0, []
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def version_string(self):  # the server it stands for, as a proxy shows it
                return getattr(self, "upstream_server", None) or "gateway"

            def do_GET(self):
                gateway.handle(self)

            do_POST = do_PUT = do_GET

        self.server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def handle(self, h) -> None:
        self.requests.append((h.command, h.path))
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        if self.delay:
            time.sleep(self.delay)
        if self.authorization and h.headers.get("Authorization") != self.authorization:
            return self._reply(h, 401, b"unauthorized", {"WWW-Authenticate": 'Basic realm="sparql"'})
        if self.unavailable > 0:
            self.unavailable -= 1
            return self._reply(h, 503, b"busy", {})
        if self.rolled_back > 0:
            self.rolled_back -= 1
            return self._reply(h, 500, b"Virtuoso 40001 Error SR172: Transaction deadlocked", {})
        headers = {k: v for k, v in h.headers.items() if k.lower() in ("content-type", "accept")}
        request = urllib.request.Request(self.upstream + h.path, data=body or None, method=h.command,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                status, data, out = r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            status, data, out = e.code, e.read(), dict(e.headers)
        h.upstream_server = next((v for k, v in out.items() if k.lower() == "server"), None)
        self._reply(h, status, data, {k: v for k, v in out.items() if k.lower() == "content-type"})

    @staticmethod
    def _reply(h, status, data, headers) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
