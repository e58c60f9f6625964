"""A full disk while writing: the command ends with an error saying the disk is full and
that nothing was written, the store holds nothing of the change, and once space is freed it
is usable and the same command writes the whole changeset.

Two variants: a real small filesystem (a size-limited tmpfs, mounted for the test: root on
Linux; skipped, saying why, where mounting is not permitted) filled up but for a little
room, and a simulation that runs on any machine: the command's process gets RLIMIT_FSIZE,
so growing a store file past it fails (EFBIG) as on a full disk (tests/fault_child.py)."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from qfgraph import graph
from qfgraph.graph import EmbeddedStore

from tests.faults import graph_state, run_qfgraph, small_register

pytestmark = pytest.mark.server

GRAPH = "https://w3id.org/qfgraph/graph/faults"
ROOM = 400_000          # bytes left free on the filled filesystem
# RLIMIT_FSIZE of the simulation: above the store's files, below what the change writes to one
# (the log of a transaction; the bulk loader's files, one per index)
FILE_LIMIT = {"load": 1_500_000, "load --bulk": 100_000, "import csv": 100_000}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    work = tmp_path_factory.mktemp("disk-inputs")
    lines = [f'<https://w3id.org/qfgraph/id/faults/s{i}> <http://purl.org/dc/terms/description> '
             f'"entry {i} of a register written while the disk fills up" .\n' for i in range(8000)]
    (work / "entries.nt").write_text("".join(lines), encoding="utf-8")
    return {"file": work / "entries.nt", "register": small_register(work / "register", 600, 300)}


COMMANDS = {
    "load": (lambda store, i: ["load", i["file"], "--store", store, "--graph", GRAPH], {}),
    "load --bulk": (lambda store, i: ["load", "--bulk", i["file"], "--store", store, "--graph", GRAPH],
                    {"QFGRAPH_TEST_BULK_BYTES": "1"}),   # the engine's bulk loader
    "import csv": (lambda store, i: ["import", "csv", i["register"], "--store", store, "--graph", GRAPH], {}),
}


def new_store(directory) -> None:
    store = EmbeddedStore(directory)
    graph.install_reference(store)
    store.close()


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MiB tmpfs mounted for the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    tried = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                           capture_output=True, text=True)
    if tried.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here ({tried.stderr.strip() or tried.returncode}); "
                    "the RLIMIT_FSIZE simulation below covers a full disk")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_full_disk_writes_nothing_and_the_store_is_usable_once_space_is_freed(small_disk, inputs, command):
    make_args, env = COMMANDS[command]
    store = small_disk / "store"
    new_store(store)
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    with open(filler, "wb") as f:
        f.truncate(0)
        f.write(b"\0" * (free - ROOM))

    failed = run_qfgraph(make_args(store, inputs), env)
    assert failed.returncode == 1
    assert "is full" in failed.stderr and "No space left on device" in failed.stderr, failed.stderr
    assert "nothing was written" in failed.stderr

    filler.unlink()
    assert graph_state(store, GRAPH).empty
    assert not [f for f in os.listdir(store) if f.startswith("bulk-")]  # no half-written load left
    done = run_qfgraph(make_args(store, inputs), env)
    assert done.returncode == 0, done.stderr
    whole = graph_state(store, GRAPH)
    assert (whole.version, whole.changesets) == (1, 1) and whole.triples > 0


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_file_size_limit_as_a_full_disk_writes_nothing_and_then_the_store_is_usable(tmp_path, inputs, command):
    """The simulation: the store's files may not grow past FILE_LIMIT in the command's process."""
    make_args, env = COMMANDS[command]
    store = tmp_path / "store"
    new_store(store)
    failed = run_qfgraph(make_args(store, inputs), {**env, "QFGRAPH_TEST_FSIZE": str(FILE_LIMIT[command])})
    assert failed.returncode == 1
    assert "is full" in failed.stderr and "File too large" in failed.stderr, failed.stderr
    assert "nothing was written" in failed.stderr
    assert graph_state(store, GRAPH).empty
    done = run_qfgraph(make_args(store, inputs), env)
    assert done.returncode == 0, done.stderr
    whole = graph_state(store, GRAPH)
    assert (whole.version, whole.changesets) == (1, 1) and whole.triples > 0
