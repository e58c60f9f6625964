"""System-coordination indicators: how well micro-credentials connect to skills needs,
employers, guidance, quality assurance, frameworks and validation, per country, framework,
field and level.

Each indicator is a published SPARQL query (docs/queries/indicators/*.rq, shipped with the
package) whose header gives its definition in words; `compute` runs those same queries on the
published union of the store and counts their rows (`definitions`, `running`), now or as
the graph stood at a past date (`asof`, from the changeset history).
"""
from qfgraph.graph.indicators.definitions import DIMENSIONS, Indicator, indicator, indicators  # noqa: F401
from qfgraph.graph.indicators.running import Group, Outcome, compute, items  # noqa: F401
