"""Writes: every write is a changeset, checked by the gate (the quality rules on the entries
it affects), committed atomically with its history record and version, or refused with
nothing written; the history of accepted changesets and reverting one; loading files.

    commit(store, Changeset(graph, additions, removals, agent, message)) -> CommitResult
    history(store, graph) ; diff(store, changeset_iri) ; revert(store, changeset_iri, agent)
"""
from qfgraph.graph.changes.changeset import Changeset, CommitResult, Effect, Rejected, effect_of  # noqa: F401
from qfgraph.graph.changes.commit import commit, commit_all  # noqa: F401
from qfgraph.graph.changes.gate import check  # noqa: F401
from qfgraph.graph.changes.history import RevertError, UnknownChangeset, diff, history, revert  # noqa: F401
from qfgraph.graph.changes.loading import load_bulk, load_gated, parse_file  # noqa: F401
