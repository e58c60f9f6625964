"""JSON Schemas of the /api/v1 bodies: the OpenAPI components, and what requests are
checked against."""
from __future__ import annotations

IRI = {"type": "string", "format": "iri", "minLength": 1}
TEXT = {"type": "object", "description": "text by language tag", "additionalProperties": {"type": "string"}}
REF = {"type": "object", "required": ["iri"], "properties": {
    "iri": IRI, "label": {"type": ["string", "null"]}}}

LEVEL = {"type": "object", "required": ["iri"], "properties": {
    "iri": IRI, "notation": {"type": ["string", "null"]}, "label": {"type": ["string", "null"]},
    "framework": {"type": ["string", "null"]},
    "referencedTo": {"type": ["string", "null"], "description": "the EQF level this level is referenced to"},
    "referencing": {"type": ["string", "null"], "enum": ["referenced", "below the EQF", "unconfirmed", None],
                    "description": "referenced to an EQF level, placed below the EQF, or not confirmed "
                                   "(no EQF link: unknown, not none); null for the EQF's own levels"},
}}

COMPONENTS: dict = {
    "Problem": {"type": "object", "required": ["title", "status", "detail"], "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "request_id": {"type": "string"},
        "report": {"type": "object"}}},
    "Ref": REF,
    "Level": LEVEL,
    "Summary": {"type": "object", "required": ["id", "iri", "title"], "properties": {
        "id": {"type": "string", "description": "the IRI relative to the service's base"},
        "iri": IRI, "title": {"type": "string"}, "eqfLevel": {"type": ["integer", "null"]},
        "country": {"type": ["string", "null"]}, "credits": {"type": ["number", "null"]}}},
    "Page": {"type": "object", "required": ["items", "next"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Summary"}},
        "next": {"type": ["string", "null"], "description": "cursor of the next page; null on the last"}}},
    "Entity": {"type": "object", "required": ["iri", "types", "title"], "properties": {
        "id": {"type": ["string", "null"]}, "iri": IRI,
        "types": {"type": "array", "items": {"type": "string"}},
        "title": TEXT, "description": TEXT,
        "eqfLevel": {"anyOf": [LEVEL, {"type": "null"}]},
        "nqfLevels": {"type": "array", "items": LEVEL},
        "credits": {"type": ["number", "null"]},
        "country": {"type": ["string", "null"]},
        "units": {"type": "array", "items": REF},
        "outcomes": {"type": "array", "items": REF},
        "related": {"type": "object", "additionalProperties": {"type": "array", "items": REF}},
        "links": {"type": "object", "additionalProperties": {"type": "string"}}}},
    "Framework": {"type": "object", "required": ["id", "iri", "label"], "properties": {
        "id": {"type": "string"}, "iri": IRI, "label": {"type": "string"},
        "notation": {"type": ["string", "null"]}, "country": {"type": ["string", "null"]},
        "levels": {"type": "array", "items": LEVEL}}},
    "FrameworkList": {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Framework"}}}},
    "RdfPayload": {"type": "object", "required": ["data"], "additionalProperties": False, "properties": {
        "data": {"type": "string", "description": "RDF text", "maxLength": 10_000_000},
        "format": {"type": "string", "enum": ["turtle", "ntriples", "jsonld", "rdfxml"], "default": "turtle"},
        "focus": {"type": "array", "items": IRI, "description": "focus nodes (default: every subject)"},
        "graph": {**IRI, "description": "check as additions to this graph, on the store plus the change"}}},
    "Report": {"type": "object", "required": ["conforms"], "properties": {"conforms": {"type": "boolean"}},
               "additionalProperties": True},
    "ChangesetRequest": {"type": "object", "required": ["graph"], "additionalProperties": False, "properties": {
        "graph": IRI,
        "add": {"type": "string", "description": "RDF text of the triples to add"},
        "remove": {"type": "string", "description": "RDF text of the triples to remove"},
        "format": {"type": "string", "enum": ["turtle", "ntriples", "jsonld", "rdfxml"], "default": "turtle"},
        "message": {"type": "string", "maxLength": 2000},
        "expectedVersion": {"type": "integer", "minimum": 0, "description": "alternative to If-Match"}}},
    "ChangesetResult": {"type": "object", "additionalProperties": True},
    "History": {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"type": "object", "additionalProperties": True}}}},
    "GraphVersion": {"type": "object", "required": ["graph", "version"], "properties": {
        "graph": IRI, "version": {"type": "integer"}}},
    "PathwaysRequest": {"type": "object", "required": ["target"], "additionalProperties": False, "properties": {
        "target": {"type": "string", "minLength": 1, "description": "qualification IRI or id"},
        "held": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": []},
        "claims": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [],
                   "description": "outcomes or units claimed through prior learning (to validate)"},
        "constraints": {"type": "object", "additionalProperties": False, "default": {}, "properties": {
            "max_ects": {"type": "number", "minimum": 0},
            "languages": {"type": "array", "items": {"type": "string"}},
            "modes": {"type": "array", "items": IRI}, "countries": {"type": "array", "items": IRI},
            "providers": {"type": "array", "items": IRI}, "external_qa_only": {"type": "boolean"}}},
        "objective": {"type": "string", "enum": ["ects", "count"], "default": "ects"},
        "alternatives": {"type": "integer", "minimum": 0, "maximum": 10, "default": 2}}},
    "PathwaysAnswer": {"type": "object", "additionalProperties": True},
    "IndicatorGroup": {"type": "object", "required": ["label", "numerator", "denominator", "value"], "properties": {
        "group": {"type": ["string", "null"], "description": "IRI or code of the group; null: all, or none"},
        "label": {"type": "string"}, "numerator": {"type": "integer"}, "denominator": {"type": "integer"},
        "value": {"type": ["number", "null"], "description": "numerator / denominator; null: no data"}}},
    "Indicators": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {
        "type": "object", "required": ["id", "area", "title", "numerator", "denominator", "query", "total", "groups"],
        "properties": {
            "id": {"type": "string"}, "area": {"type": "string"}, "title": {"type": "string"},
            "numerator": {"type": "string", "description": "the numerator, in words"},
            "denominator": {"type": "string", "description": "the denominator, in words"},
            "reading": {"type": "string"}, "query": {"type": "string", "description": "the published query"},
            "by": {"type": ["string", "null"]}, "asOf": {"type": "string"},
            "total": {"$ref": "#/components/schemas/IndicatorGroup"},
            "groups": {"type": "array", "items": {"$ref": "#/components/schemas/IndicatorGroup"}}}}}}},
    "IndicatorItems": {"type": "object", "required": ["indicator", "items"], "properties": {
        "indicator": {"type": "string"}, "items": {"type": "array", "items": {
            "type": "object", "required": ["item", "hit"], "additionalProperties": True, "properties": {
                "item": {"type": "string"}, "part": {"type": "string"}, "hit": {"type": "boolean"}}}}}},
    "Closest": {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"type": "object", "additionalProperties": True}}}},
}
