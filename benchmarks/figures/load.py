"""`qfgraph load --bulk` vs raw `pyoxigraph.Store.bulk_load` of the same N-Quads file.

Both run as fresh processes into fresh store directories, alternating, so they see the same
disk and page cache. `qfgraph load --bulk` parses the file once more before writing (so that a
malformed file writes nothing) and records a changeset with the counts per graph; the
baseline is the engine's fastest path with no checks. (The default, gated `qfgraph load`
checks the rules graph by graph: the `gate` figure measures that road.)
The ratio of throughputs is the baseline's time over ours: 0.80x means 80 % of bulk_load.
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Row, Stats, run_command

NAME = "load"
DESCRIPTION = "`qfgraph load --bulk` (CLI process) vs raw pyoxigraph Store.bulk_load (process), fresh store each run"

BULK_LOAD = ("import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
             "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); s.flush()")


def qfgraph_command(store_dir: str, data_file: str) -> list[str]:
    # the console script's entry point, with this interpreter (works without PATH set up)
    return [sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())",
            "--store", store_dir, "load", "--bulk", data_file]


def bulk_load_command(store_dir: str, data_file: str) -> list[str]:
    return [sys.executable, "-c", BULK_LOAD, store_dir, data_file]


def timed_run(command, data_file: str, scratch: Path, label: str):
    store_dir = tempfile.mkdtemp(prefix=f"{label}-", dir=scratch)
    try:
        result = run_command(command(store_dir, data_file))
        if result.returncode != 0:
            raise RuntimeError(f"{label} failed ({result.returncode}): {result.stderr.strip()[-500:]}")
        return result
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)


def run(ctx) -> list[Row]:
    data = str(ctx.data_file)
    triples = ctx.manifest["triples"]
    ours, base = [], []
    with tempfile.TemporaryDirectory(prefix="qfgraph-bench-load-") as tmp:
        scratch = Path(tmp)
        timed_run(bulk_load_command, data, scratch, "warmup")     # page cache, not measured
        for _ in range(max(1, ctx.repeat)):
            ours.append(timed_run(qfgraph_command, data, scratch, "qfgraph"))
            base.append(timed_run(bulk_load_command, data, scratch, "bulk"))
    mine = Stats.of([r.seconds * 1000 for r in ours])
    theirs = Stats.of([r.seconds * 1000 for r in base])
    row = Row(f"load {triples:,} quads", mine, theirs, "pyoxigraph bulk_load",
              extra={"triples/s": round(triples / (mine.median / 1000)),
                     "baseline triples/s": round(triples / (theirs.median / 1000)),
                     "throughput vs bulk_load": f"{theirs.median / mine.median:.0%}",
                     # each pair ran back to back: robust to a shared machine's drifting load
                     "same, median of pairs": f"{statistics.median(b.seconds / o.seconds for o, b in zip(ours, base)):.0%}",
                     "peak RSS MB": round(max(r.peak_rss_mb for r in ours)),
                     "baseline peak RSS MB": round(max(r.peak_rss_mb for r in base))})
    return [row]
