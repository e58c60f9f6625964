"""`kill -9` of `qfgraph import` and `qfgraph load` at moments spread over the run and at
named phases of the write (tests/fault_child.py): afterwards the store holds the whole
changeset (data, history entry, version) or nothing of it, and `qfgraph serve` starts on it
and answers /sparql."""
from __future__ import annotations

import shutil
import time
from collections import Counter

import pytest

from qfgraph import graph
from qfgraph.graph import EmbeddedStore

from tests.faults import Served, graph_state, killed_at, run_qfgraph, small_register

pytestmark = pytest.mark.server

GRAPH = "https://w3id.org/qfgraph/graph/faults"
TIMED_POINTS = 8   # kill moments spread evenly over an unharmed run of the same command
TRIPLES = 1000     # in the file of the load tests


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A store directory with the reference data, copied for each run."""
    directory = tmp_path_factory.mktemp("faults") / "base"
    store = EmbeddedStore(directory)
    graph.install_reference(store)
    store.close()
    return directory


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    work = tmp_path_factory.mktemp("inputs")
    register = small_register(work / "register")
    lines = [f'<https://w3id.org/qfgraph/id/faults/s{i}> <http://purl.org/dc/terms/description> '
             f'"entry {i} of a register loaded while the loader may be killed" .\n' for i in range(TRIPLES)]
    (work / "entries.nt").write_text("".join(lines), encoding="utf-8")
    return {"register": register, "file": work / "entries.nt"}


COMMANDS = {
    "import csv": (lambda store, inputs: ["import", "csv", inputs["register"], "--store", store, "--graph", GRAPH], {}),
    "load": (lambda store, inputs: ["load", inputs["file"], "--store", store, "--graph", GRAPH], {}),
    "load --bulk": (lambda store, inputs: ["load", "--bulk", inputs["file"], "--store", store, "--graph", GRAPH],
                    {"QFGRAPH_TEST_BULK_BYTES": "1"}),  # the engine's bulk loader, as for a big file
    # a small file: the data in one transaction, its changeset in the next request
    "load --bulk, small": (lambda store, inputs: ["load", "--bulk", inputs["file"], "--store", store,
                                                  "--graph", GRAPH], {}),
}
TIMED = {"load --bulk, small": 0}

# named phases: at the call, while the engine works, once it returned; `update` is the
# commit request (the bulk load's record, its second request), `send_load` the bulk loader
PHASES = {
    "import csv": ["update:before", "update:during+1", "update:during+5", "update:during+20",
                   "update:after", "close:before"],
    "load": ["update:before", "update:during+1", "update:during+5", "update:after", "close:before"],
    "load --bulk": ["send_load:before", "send_load:during+1", "send_load:during+5", "send_load:during+20",
                    "send_load:after", "update#2:before", "update#2:after", "close:before"],
    "load --bulk, small": ["send_load:before", "update#2:before", "send_load:during+5", "update#2:after"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_kill_leaves_the_whole_changeset_or_nothing(base, inputs, tmp_path, command):
    make_args, env = COMMANDS[command]

    def fresh(name):
        target = tmp_path / name
        shutil.copytree(base, target)
        return target

    # an unharmed run: what "whole" is, and how long the run takes
    store = fresh("unharmed")
    started = time.monotonic()
    done = run_qfgraph(make_args(store, inputs), env)
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    whole = graph_state(store, GRAPH)
    assert whole.version == 1 and whole.changesets == 1 and whole.triples > 0

    outcomes, stores = {}, {}
    timed = TIMED.get(command, TIMED_POINTS)
    points = [("at", round(duration * (i + 0.5) / timed, 3)) for i in range(timed)]
    points += [("phase", p) for p in PHASES[command]]
    for kind, point in points:
        store = fresh(f"{kind}-{point}".replace(":", "_").replace("+", "_"))
        if kind == "at":
            killed_at(make_args(store, inputs), point, env)
        else:
            run = run_qfgraph(make_args(store, inputs), {**env, "QFGRAPH_TEST_KILL": point})
            assert run.returncode == -9, f"{point}: the phase was never reached: {run.stderr}"
        state = graph_state(store, GRAPH)
        assert state in (whole, type(whole)(0, 0, 0)), f"kill {kind} {point}: half a changeset: {state}, whole {whole}"
        outcomes[(kind, point)] = "whole" if state == whole else "nothing"
        stores[(kind, point)] = store

    # a kill before the commit request leaves nothing; once the engine answered, the
    # changeset is durable (the store was never closed)
    before, after = ("send_load:before", "update#2:after") if "bulk" in command else ("update:before", "update:after")
    assert outcomes[("phase", before)] == "nothing" and outcomes[("phase", after)] == "whole"
    if command == "load --bulk, small":  # the data was in: its changeset is recorded on opening
        assert outcomes[("phase", "update#2:before")] == "whole"
    tally = Counter(outcomes.values())
    print(f"\n{command}: {len(points)} kill points ({duration:.1f} s run): {dict(tally)}; "
          + ", ".join(f"{p}={o}" for (_, p), o in outcomes.items()))

    # qfgraph serve starts on the store killed while the engine wrote, and answers /sparql
    # with what it holds
    key = ("phase", PHASES[command][2])
    with Served(stores[key], "--query-workers", "1") as served:
        assert served.count(GRAPH) == (whole.triples if outcomes[key] == "whole" else 0)

    # and the command, run again on a store it was killed in, writes the whole changeset
    key = ("phase", before)
    again = run_qfgraph(make_args(stores[key], inputs), env)
    assert again.returncode == 0, again.stderr
    assert graph_state(stores[key], GRAPH) == whole
