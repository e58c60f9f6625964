"""The vocabulary of qfgraph: qf.ttl, the reference frameworks, the demo data, namespaces.

Imports nothing of ours.
"""
from pathlib import Path

from qfgraph.ontology.namespaces import (  # noqa: F401  (the package's public face)
    DEFAULT_BASE, ELM, EQF_LEVEL, EQF_SCHEME, FRAMEWORKS_GRAPH, GRAPH, HISTORY_GRAPH,
    ONTOLOGY_GRAPH, PREFIXES, QDR_LEVEL, QF, sparql_prefixes,
)

HERE = Path(__file__).parent
ONTOLOGY_FILE = HERE / "qf.ttl"
FRAMEWORKS_FILE = HERE / "frameworks.ttl"                  # the EQF and the five curated frameworks
NATIONAL_FRAMEWORKS_FILE = HERE / "national-frameworks.ttl"  # every other framework of the code list
DEMO_DIR = HERE / "demo"

# The reference data every store starts with: (named graph, file), a graph possibly in several files.
REFERENCE_GRAPHS = [(str(ONTOLOGY_GRAPH), ONTOLOGY_FILE), (str(FRAMEWORKS_GRAPH), FRAMEWORKS_FILE),
                    (str(FRAMEWORKS_GRAPH), NATIONAL_FRAMEWORKS_FILE)]


def demo_graphs() -> list[tuple[str, Path]]:
    """The illustrative demo data: one named graph per curating authority (country)."""
    return [(str(GRAPH["demo/" + f.stem]), f) for f in sorted(DEMO_DIR.glob("*.ttl"))
            if not f.stem.startswith("invalid")]
