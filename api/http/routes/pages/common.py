"""What the pages share: a domain error as a readable message on the page."""
from __future__ import annotations

from qfgraph.api.http import context
from qfgraph.api.http.errors import problem_for


def page_error(e: Exception) -> tuple[int, str]:
    """The status and the words of the problem document the JSON API gives for `e` (one
    place decides both: api/http/errors.py); raises again what is not a domain error."""
    problem = problem_for(e, context.settings())
    if problem is None:
        raise e
    return problem.status, problem.detail
