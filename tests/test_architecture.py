"""The shape of the house, kept by tools: the import contracts of pyproject.toml (api ->
graph -> shapes -> ontology, the command line apart from HTTP, no cycle between the modules
of any package), and the wheel, which installs the qfgraph namespace and nothing else."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept():
    # in a process of its own: import-linter configures logging for the whole process
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True))")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True)
    return next(out.glob("qfgraph-*.whl"))


def test_the_wheel_installs_only_the_qfgraph_namespace(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"qfgraph"}
    assert not any(n.startswith("qfgraph/__init__") for n in names)   # a namespace, as the layout says
    packages = {n.rsplit("/", 1)[0] for n in names if n.endswith("/__init__.py")}
    assert {"qfgraph/api", "qfgraph/graph", "qfgraph/shapes", "qfgraph/ontology"} <= packages


def test_every_package_of_the_tree_is_in_the_wheel_with_its_data(wheel):
    """A package folder missing from pyproject's list would be left out of an install."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for top in ("ontology", "shapes", "graph", "api"):
        for init in (ROOT / top).rglob("__init__.py"):
            assert f"qfgraph/{init.relative_to(ROOT).as_posix()}" in names, init
    for data in ("ontology/qf.ttl", "ontology/frameworks.ttl", "shapes/microcredential.ttl",
                 "graph/data/edc-ap-context.jsonld", "api/http/templates/base.html",
                 "graph/indicators/queries/qa-external.rq"):
        assert f"qfgraph/{data}" in names, data


def test_the_installed_wheel_runs_from_anywhere(wheel, tmp_path):
    """Installed from the wheel alone into a fresh target, away from the checkout, the
    command starts and loads the demo graph."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from qfgraph.api.cli import main; "
            "sys.exit(main(['--store', ':memory:', 'demo']))")
    done = subprocess.run([sys.executable, "-c", code, str(target)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "graph/demo/hr" in done.stdout
