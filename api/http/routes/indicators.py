"""`/api/v1/indicators`: the system-coordination indicators (the same parameters as
`qfgraph indicators`), the concrete entries behind a value, and their SVG charts."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify

from qfgraph.api.http import context
from qfgraph.api.http.openapi import Param, operation
from qfgraph.api.http.routes.params import NOT_FOUND
from qfgraph.graph.indicators import DIMENSIONS, compute, indicator, items
from qfgraph.graph.indicators.running import countries_of
from qfgraph.graph.indicators.tables import csv_text, table

indicators_blueprint = Blueprint("api_v1_indicators", __name__)

COUNTRY = Param("country", {"type": "string", "pattern": "^[A-Za-z]{3}$"}, "ISO 3166 alpha-3 code, e.g. HRV",
                many=True)
BY = Param("by", {"type": "string", "enum": list(DIMENSIONS), "default": "country"}, "group by this dimension")
AS_OF = Param("as-of", {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
              "the graph as it stood at the end of this date (YYYY-MM-DD); default today")
INDICATOR_ID = Param("id", {"type": "string", "minLength": 1}, "indicator id, e.g. qa-external", where="path")


@operation(indicators_blueprint, "GET", "/indicators", "System-coordination indicators", "indicators",
           [COUNTRY, BY, AS_OF,
            Param("indicator", {"type": "string", "minLength": 1}, "only this indicator (id)", many=True),
            Param("format", {"type": "string", "enum": ["json", "csv", "table"], "default": "json"},
                  "JSON, CSV, or the command line's plain-text table")],
           responses={200: ("each indicator: definition, query, value and the counts behind it, per group",
                            "Indicators"), 404: NOT_FOUND})
def list_indicators(country, by, as_of, indicator, format):
    outcomes = compute(context.store(), by, countries_of(country), as_of, indicator or None)
    if format == "json":
        return jsonify({"items": [o.as_json() for o in outcomes]})
    if format == "csv":
        return Response(csv_text(outcomes), mimetype="text/csv")
    return Response(table(outcomes) + "\n", mimetype="text/plain")


@operation(indicators_blueprint, "GET", "/indicators/{id}/items", "The entries behind an indicator's value",
           "indicators",
           [INDICATOR_ID, COUNTRY, AS_OF,
            Param("hit", {"type": "string", "enum": ["true", "false"]},
                  "only the entries in the numerator (true) or not in it (false: e.g. the gap list)")],
           responses={200: ("the counted entries with their groups", "IndicatorItems"), 404: NOT_FOUND})
def indicator_items(id, country, as_of, hit):
    chosen = None if hit is None else hit == "true"
    found = items(context.store(), indicator(id).id, chosen, countries_of(country), as_of)
    return jsonify({"indicator": id, "items": found})


@operation(indicators_blueprint, "GET", "/indicators/{id}/chart.svg", "An indicator as an SVG bar chart",
           "indicators", [INDICATOR_ID, COUNTRY, BY, AS_OF],
           responses={200: ("image/svg+xml: one bar per group, its value and counts in the bar's title", None),
                      404: NOT_FOUND})
def indicator_chart(id, country, by, as_of):
    from qfgraph.graph.indicators.charts import bar_chart
    outcome = compute(context.store(), by, countries_of(country), as_of, [indicator(id).id])[0]
    return Response(bar_chart(outcome), mimetype="image/svg+xml")
