"""Schema-driven fuzzing of /api/v1 from its own OpenAPI document: whatever the input, the
service answers with a documented status and never with a 5xx."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from tests.http_support import demo_app

_app = None


def app():
    global _app
    if _app is None:
        import tempfile
        from pathlib import Path
        _app = demo_app(Path(tempfile.mkdtemp(prefix="qfgraph-fuzz-")))
    return _app


schemathesis.experimental.OPEN_API_3_1.enable()
schema = schemathesis.from_wsgi("/api/v1/openapi.json", app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_with_5xx(case):
    response = case.call_wsgi()
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["detail"]
