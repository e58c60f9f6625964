"""Publishing the graph: ELM (Europass QDR) export."""
from graph.exports.elm import ElmExport, export_elm, serialize_elm  # noqa: F401
