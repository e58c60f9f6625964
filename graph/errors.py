"""What the graph package raises for its callers to act on, by kind.

Every error a caller can do something about is one of these kinds; the HTTP face turns each
kind into its problem document in one place (api/http/errors.py), the command line into a
one-line reason. The message says what is wrong and what to do.
"""
from __future__ import annotations


class GraphError(Exception):
    """An error of the graph package a caller can act on."""


class InvalidInput(GraphError, ValueError):
    """What was given cannot be used: a malformed IRI, file, query, parameter or document."""


class NotFound(GraphError, LookupError):
    """Something named that the graph does not hold: an entity, a graph, a framework."""


class Conflict(GraphError):
    """The request contradicts the state of the graph (a version moved on, a revert that later
    changes block, a prerequisite cycle): read it again, then decide."""


class Refused(GraphError):
    """The quality rules (or an import's own checks) refuse the data; nothing was written.
    `.report` says why, entry by entry."""

    def __init__(self, message: str, report):
        super().__init__(message)
        self.report = report


class Unavailable(GraphError):
    """The store cannot serve the request now (unreachable, busy, too slow): nothing was
    done; the same request may succeed shortly."""


class StoreError(Unavailable):
    """The store cannot be opened or used (locked, unreachable, failing)."""


class QuerySyntaxError(InvalidInput):
    """A SPARQL query or update that does not parse; the message is the parser's."""


class LoadError(InvalidInput):
    """An RDF file that cannot be loaded; names the file and, where known, the line."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        where = f"{source}:{line}: " if source and line else (f"{source}: " if source else "")
        super().__init__(where + message)
        self.source, self.line = source, line
