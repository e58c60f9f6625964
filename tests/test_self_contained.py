"""A clone anywhere passes its tests: nothing in the tests, the packages or CI names a path
outside the repository, and a copy of the repository with nothing beside it runs the tests
that read the reference data."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("tests", "ontology", "shapes", "graph", "api", ".ci", "benchmarks")
SKIPPED = {"node_modules", "__pycache__", "data"}   # tests/data: documents as published
TEXT = {".py", ".sh", ".ttl", ".json", ".jsonld", ".md", ".toml", ".cfg", ".mjs", ".js", ".html", ".csv", ""}
# a path that climbs out of the file's folder, a sibling folder of the checkout, a machine path
OUTSIDE = re.compile(r"\.\./\.\.|(?<![\w.])\.\./(?:shared|reference)\b|/work/|\bshared/reference\b")
PARENTS = re.compile(r"\.parents\[(\d+)\]")


def files():
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", *CHECKED],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in listed:
        path = ROOT / name
        if path.suffix in TEXT and not SKIPPED & set(path.relative_to(ROOT).parts[:-1]) and path.is_file():
            yield path


def outside_paths(path: Path, root: Path = ROOT) -> list[str]:
    """The lines of a file that name a path outside `root`."""
    depth = len(path.relative_to(root).parts) - 1   # parents[depth] is the repository
    return [f"{path.relative_to(root)}:{number}: {line.strip()}"
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
            if OUTSIDE.search(line) or any(int(n) > depth for n in PARENTS.findall(line))]


def test_no_file_names_a_path_outside_the_repository():
    found = [line for path in files() if path != Path(__file__).resolve() for line in outside_paths(path)]
    assert not found, "paths outside the repository:\n" + "\n".join(found)


def test_the_guard_finds_each_kind_of_path_outside(tmp_path):
    (tmp_path / "tests").mkdir()
    probe = tmp_path / "tests" / "probe.py"
    probe.write_text("ROOT = Path(__file__).resolve().parents[1]\n"          # the repository: fine
                     "A = Path(__file__).resolve().parents[2] / 'shared'\n"  # beside it
                     "B = open('../shared/reference/facts.md')\n"
                     "C = '/work/somewhere/else'\n", encoding="utf-8")
    assert [line.split(":")[1] for line in outside_paths(probe, tmp_path)] == ["2", "3", "4"]


@pytest.mark.skipif(not shutil.which("git"), reason="needs git to list the repository's files")
def test_a_copy_with_nothing_beside_it_runs_the_reference_tests(tmp_path):
    """The repository's files alone (as a clone has them), copied to an empty folder: the
    tests that read the reference data pass there, on the copy's own code (its wheel)."""
    copy = tmp_path / "clone" / "qfgraph"
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    for name in listed:
        if (ROOT / name).is_file() and "node_modules" not in name:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(copy)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    tests = ["tests/test_frameworks.py", "tests/test_demo.py", "tests/test_import_elm.py", "tests/test_ontology.py"]
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=copy,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    where = subprocess.run([sys.executable, "-c", "import qfgraph.graph as g; print(g.__file__)"], cwd=copy,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site))   # the copy's code, not the checkout's


def test_a_missing_server_is_skipped_naming_what_to_install_and_fails_under_ci(monkeypatch, tmp_path_factory):
    import conftest
    import servers
    monkeypatch.setattr(servers.SERVERS["virtuoso"], "available", staticmethod(lambda: False))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install virtuoso-opensource"):
        next(conftest._server("virtuoso", tmp_path_factory))
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="apt-get install virtuoso-opensource"):
        next(conftest._server("virtuoso", tmp_path_factory))
