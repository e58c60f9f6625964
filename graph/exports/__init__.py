"""Publishing the graph: ELM (Europass QDR) JSON-LD, and the CSV templates filled back."""
from qfgraph.graph.exports.csv_export import export_csv  # noqa: F401
from qfgraph.graph.exports.elm import ElmExport, export_elm, serialize_elm  # noqa: F401
