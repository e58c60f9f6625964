"""Measurement helpers shared by every benchmark figure.

A figure is a module `benchmarks/figures/<name>.py` with `NAME`, `DESCRIPTION` and
`run(ctx) -> list[Row]`; it is found automatically. Each row compares one measurement of
ours with its baseline measured in the same run, so the ratio means something on a shared,
noisy machine even when the absolute times do not.
"""
from __future__ import annotations

import json
import math
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
OUT_DIR = HERE / "out"
SCALES = ("XS", "S", "M", "L")


# ---------------------------------------------------------------------------------------
# timing

@dataclass(frozen=True)
class Stats:
    """Wall-clock times of repeated runs, in milliseconds."""

    median: float
    p95: float
    min: float
    max: float
    n: int

    @classmethod
    def of(cls, times_ms: Sequence[float]) -> "Stats":
        if not times_ms:
            raise ValueError("no measurements")
        ordered = sorted(times_ms)
        # nearest-rank p95: with few runs it is the slowest, which is the honest answer
        rank = max(1, math.ceil(0.95 * len(ordered)))
        return cls(statistics.median(ordered), ordered[rank - 1], ordered[0], ordered[-1], len(ordered))


def measure(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> Stats:
    """Call `fn` `warmup` times unmeasured, then `repeat` times; wall-clock stats in ms."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000.0)
    return Stats.of(times)


def geometric_mean(values: Sequence[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


# ---------------------------------------------------------------------------------------
# memory

def _maxrss_mb(ru_maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def peak_rss_mb() -> float:
    """Peak resident memory of the current process so far, in MB."""
    return _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def process_rss_mb(pid: int, children: bool = True) -> float:
    """Current resident memory of a live process (and its children), in MB: for servers and
    other processes that are sampled while they run rather than measured at exit."""
    return tree_sum(pid, lambda p: p.memory_info().rss, children) / (1024 * 1024)


def tree_sum(pid: int, per_process: Callable, children: bool = True) -> float:
    """`per_process` summed over a live process and (with `children`) its descendants; a child
    that ended in between counts nothing."""
    import psutil
    proc = psutil.Process(pid)
    total = 0
    for p in [proc] + (proc.children(recursive=True) if children else []):
        try:
            total += per_process(p)
        except psutil.NoSuchProcess:
            pass
    return total


def wait_until_idle(pids: Sequence[int], busy_share: float = 0.05, window: float = 1.0,
                    limit: float = 120.0) -> float:
    """Wait until the processes (and their children) use less than `busy_share` of one core
    over `window` seconds, at most `limit` seconds; the seconds waited. A store opened after a
    bulk load compacts in the background for a while: latency measured meanwhile is the
    compaction's, not the server's."""
    import psutil

    def cpu(p) -> float:
        times = p.cpu_times()
        return times.user + times.system

    def cpu_seconds() -> float:
        total = 0.0
        for pid in pids:
            try:
                total += tree_sum(pid, cpu)
            except psutil.NoSuchProcess:
                pass
        return total

    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        before = cpu_seconds()
        time.sleep(window)
        if cpu_seconds() - before < busy_share * window:
            break
    return time.perf_counter() - started


@dataclass(frozen=True)
class CommandRun:
    returncode: int
    seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str


def run_command(args: Sequence[str], env: dict | None = None, cwd: str | None = None) -> CommandRun:
    """Run a child process; its wall time and its own peak RSS (from wait4's rusage)."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=cwd, text=True)
    # Reading both pipes in threads would be needed for huge output; ours is a few lines.
    out, err = _drain(proc)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return CommandRun(proc.returncode, seconds, _maxrss_mb(usage.ru_maxrss), out, err)


def _drain(proc: subprocess.Popen) -> tuple[str, str]:
    import threading
    chunks = {"out": "", "err": ""}

    def read(name, stream):
        chunks[name] = stream.read()
    readers = [threading.Thread(target=read, args=("out", proc.stdout)),
               threading.Thread(target=read, args=("err", proc.stderr))]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    return chunks["out"], chunks["err"]


def _isolated_entry(fn, args, queue):
    try:
        result = fn(*args)
        queue.put(("ok", result, peak_rss_mb()))
    except BaseException as e:  # reported to the parent, which raises it
        queue.put(("error", f"{type(e).__name__}: {e}", peak_rss_mb()))


def run_isolated(fn: Callable, *args):
    """Run `fn(*args)` in a fresh interpreter (spawn); returns (result, child's peak RSS MB).

    A fresh process measures one engine's memory without the other's in the same heap.
    `fn` must be a module-level function; its result must pickle.
    """
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_isolated_entry, args=(fn, args, queue))
    proc.start()
    status, result, rss = queue.get()
    proc.join()
    if status != "ok":
        raise RuntimeError(f"isolated run of {fn.__name__} failed: {result}")
    return result, rss


# ---------------------------------------------------------------------------------------
# rows, tables, JSON

@dataclass
class Row:
    """One measurement of ours beside its baseline (measured in the same run).

    `speedup` = baseline median / our median: above 1 we are faster.
    `extra` holds figure-specific numbers (throughput, RSS, result counts) for the JSON and
    the notes column.
    """

    name: str
    stats: Stats
    baseline: Stats | None = None
    baseline_name: str = ""
    extra: dict = field(default_factory=dict)
    note: str = ""

    @property
    def speedup(self) -> float | None:
        if self.baseline is None or self.stats.median <= 0:
            return None
        return self.baseline.median / self.stats.median

    def ratio_text(self) -> str:
        s = self.speedup
        if s is None:
            return "-"
        return f"{s:.2f}x faster" if s >= 1 else f"{1 / s:.2f}x slower"

    def to_json(self) -> dict:
        d = {"name": self.name, "stats_ms": asdict(self.stats),
             "baseline_name": self.baseline_name or None,
             "baseline_ms": asdict(self.baseline) if self.baseline else None,
             "speedup": self.speedup, "extra": self.extra, "note": self.note}
        return d


def _ms(v: float) -> str:
    return f"{v:.3f}" if v < 10 else (f"{v:,.1f}" if v < 1000 else f"{v:,.0f}")


TABLE_HEADER = ("measurement", "median ms", "p95 ms", "min ms", "max ms", "baseline", "base median ms",
                "ours vs baseline", "notes")


def table_lines(rows: Sequence[Row]) -> list[str]:
    """Rows as a Markdown table (readable in a terminal, pasteable into BENCHMARKS.md)."""
    body = []
    for r in rows:
        notes = r.note or ", ".join(f"{k} {_fmt(v)}" for k, v in r.extra.items())
        body.append((r.name, _ms(r.stats.median), _ms(r.stats.p95), _ms(r.stats.min), _ms(r.stats.max),
                     r.baseline_name or "-", _ms(r.baseline.median) if r.baseline else "-",
                     r.ratio_text(), notes))
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h)
              for i, h in enumerate(TABLE_HEADER)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    return [line(TABLE_HEADER), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(b) for b in body]


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def print_table(title: str, rows: Sequence[Row], file=None) -> None:
    file = file or sys.stdout
    print(f"\n### {title}\n", file=file)
    for line in table_lines(rows):
        print(line, file=file)
    file.flush()


def write_json(figure: str, scale: str, rows: Sequence[Row], meta: dict | None = None,
               out_dir: Path | None = None) -> Path:
    """Write `<out_dir>/<figure>-<scale>.json` (default benchmarks/out/) and return its path."""
    out_dir = Path(out_dir or OUT_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{figure}-{scale}.json"
    doc = {"figure": figure, "scale": scale, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "machine": machine_info(), **(meta or {}), "rows": [r.to_json() for r in rows]}
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path


def machine_info() -> dict:
    """What the figures depend on: cores, CPU, RAM, Python and the engines' versions."""
    from importlib.metadata import version
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), cpu)
    except OSError:
        pass
    import psutil
    return {"nproc": os.cpu_count(), "cpu": cpu,
            "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "pyoxigraph": version("pyoxigraph"), "rdflib": version("rdflib")}


def rdflib_dataset(data_file: str):
    """The baseline most figures compare against: the reference graphs and the generated data
    in an rdflib in-memory Dataset (union default graph). Returns (dataset, load ms)."""
    from rdflib import Dataset, URIRef

    from qfgraph.ontology import REFERENCE_GRAPHS
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    for graph_iri, path in REFERENCE_GRAPHS:
        dataset.graph(URIRef(graph_iri)).parse(str(path), format="turtle")
    dataset.parse(data_file, format="nquads")
    return dataset, (time.perf_counter() - started) * 1000


# ---------------------------------------------------------------------------------------
# the context handed to figures

def data_paths(scale: str, data_dir: Path | None = None, fmt: str = "nq") -> tuple[Path, Path]:
    """(data file, manifest) of a generated scale."""
    data_dir = Path(data_dir or DATA_DIR)
    return data_dir / f"bench-{scale}.{fmt}", data_dir / f"bench-{scale}.manifest.json"


class Context:
    """What a figure gets: the scale, the generated data and its manifest, the repeat count,
    and an in-memory embedded store holding the reference data plus the generated data
    (loaded on first use, shared by all figures of the run)."""

    def __init__(self, scale: str, repeat: int = 5, data_dir: Path | None = None,
                 out_dir: Path | None = None, figures: Sequence[str] = ()):
        self.scale, self.repeat = scale, repeat
        self.data_file, self.manifest_file = data_paths(scale, data_dir)
        self.out_dir = Path(out_dir or OUT_DIR)
        self.figures = list(figures)
        if not self.data_file.is_file() or not self.manifest_file.is_file():
            raise FileNotFoundError(
                f"no generated data for scale {scale} in {self.data_file.parent}: "
                f"run `python -m benchmarks generate --scale {scale}` first")

    @cached_property
    def manifest(self) -> dict:
        return json.loads(self.manifest_file.read_text(encoding="utf-8"))

    @cached_property
    def store(self):
        """An in-memory EmbeddedStore with the ontology, the frameworks and the data."""
        from qfgraph import graph
        from qfgraph.graph import RDF_FORMATS, EmbeddedStore
        store = EmbeddedStore(None)
        graph.install_reference(store)
        store.load(self.data_file, RDF_FORMATS["nquads"], None)
        return store

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
