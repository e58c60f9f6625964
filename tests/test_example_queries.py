"""The researchers' example queries (docs/queries/*.rq): they run on the demo graph, return
rows, and docs/queries.md shows each of them with its real output."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from qfgraph.api.cli.data import render_table

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "docs" / "queries").glob("*.rq"))
PAGE = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")


def test_there_are_at_least_six_example_queries():
    assert len(QUERIES) >= 6


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_declares_its_prefixes_and_returns_rows(demo_store, path):
    text = path.read_text(encoding="utf-8")
    body = re.sub(r"<[^>\s]*>|#.*|\"[^\"]*\"", "", text)  # IRIs, comments and strings hold no prefixes
    used = set(re.findall(r"\b([A-Za-z][\w-]*):\w", body))
    declared = set(re.findall(r"^PREFIX\s+([\w-]*):", text, re.M))
    assert used and used <= declared, f"undeclared prefixes {used - declared}: clients must run it as is"
    rows = demo_store.select(text)  # no prefix line added: exactly what a client sends
    assert len(rows) >= 1


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_the_page_shows_the_query_and_its_real_output(demo_store, path):
    text = path.read_text(encoding="utf-8")
    assert text.rstrip("\n") in PAGE, f"docs/queries.md does not show {path.name} as it is"
    table = render_table(demo_store, text)
    assert table.rstrip("\n") in PAGE, f"docs/queries.md output of {path.name} differs from the real one"
