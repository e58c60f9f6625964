"""Two processes writing one embedded store: the second is refused with a clear message
and the store is left as the first one made it."""
from __future__ import annotations

import shutil

import pytest

from qfgraph import graph
from qfgraph.graph import EmbeddedStore

from tests.faults import Served, graph_state, qfgraph_process, run_qfgraph, small_register

pytestmark = pytest.mark.server

GRAPH = "https://w3id.org/qfgraph/graph/faults"
IN_USE = "is in use by another process (stop it, or use another --store)"


@pytest.fixture
def store(tmp_path):
    directory = tmp_path / "store"
    s = EmbeddedStore(directory)
    graph.install_reference(s)
    s.close()
    return directory


def test_a_second_writer_beside_a_running_server_is_refused_and_changes_nothing(store, tmp_path):
    register = small_register(tmp_path / "register", 5, 5)
    with Served(store, "--query-workers", "1") as served:
        before = served.count(GRAPH)
        for args in (["import", "csv", register, "--graph", GRAPH], ["init"]):
            refused = run_qfgraph([*args, "--store", store])
            assert refused.returncode == 1
            assert f"qfgraph: error: the store directory {store} {IN_USE}" in refused.stderr
        assert served.count(GRAPH) == before == 0
    assert graph_state(store, GRAPH).empty
    assert run_qfgraph(["import", "csv", register, "--graph", GRAPH, "--store", store]).returncode == 0


def test_two_loads_at_once_one_writes_and_the_other_is_refused_or_follows(store, tmp_path):
    files = []
    for k in range(2):
        path = tmp_path / f"part{k}.nt"
        path.write_text("".join(f'<https://w3id.org/qfgraph/id/faults/p{k}-{i}> '
                                f'<http://purl.org/dc/terms/description> "part {k} entry {i}" .\n'
                                for i in range(500)), encoding="utf-8")
        files.append(path)
    procs = [qfgraph_process(["load", f, "--store", store, "--graph", GRAPH]) for f in files]
    results = [(p.wait(300), p.stderr.read().decode()) for p in procs]
    written = [code == 0 for code, _ in results]
    for code, err in results:
        assert code == 0 or IN_USE in err, err
    state = graph_state(store, GRAPH)
    assert state.version == state.changesets == sum(written) >= 1
    assert state.triples == 500 * sum(written)
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)   # a store that opens and answers as a whole
    with Served(copy, "--query-workers", "1") as served:
        assert served.count(GRAPH) == state.triples
