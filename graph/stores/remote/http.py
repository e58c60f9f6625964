"""Talking to a SPARQL server over HTTP: requests built by SPARQLWrapper, sent by an opener of
ours (per-store authentication, no global urllib state), retried where that is safe, and
every failure turned into an error that names the endpoint.

Reads are retried with backoff when the server is unreachable or overloaded; writes are not
(an update whose answer was lost may have been applied), unless the server answered that it
rolled the request back as a deadlock victim.
"""
from __future__ import annotations

import http.client
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass

from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

from qfgraph.graph.errors import QuerySyntaxError, StoreError
from qfgraph.graph.stores.remote.config import RemoteConfig

RETRYABLE_STATUS = {502, 503, 504}
# A transaction the server rolled back as a deadlock victim (SQLSTATE 40001; Virtuoso's SR172
# when concurrent writers take the version claims): nothing of it was applied, so even a write
# is sent again, a few times.
ROLLED_BACK = re.compile(r"[^:]{0,40}\b40001\b")
ROLLBACK_RETRIES = 5


class _Request(SPARQLWrapper):
    """SPARQLWrapper building the request; our opener sending it (the HTTP status kept for a
    precise error)."""

    def __init__(self, endpoint: str, opener: urllib.request.OpenerDirector, timeout: float):
        super().__init__(endpoint, updateEndpoint=endpoint)
        self._opener, self._timeout = opener, timeout

    def _query(self):
        return self._opener.open(self._createRequest(), timeout=self._timeout), self.returnFormat


@dataclass
class Answer:
    body: bytes
    media_type: str
    server: str | None


class Connection:
    """The HTTP side of a remote store. `config` is the store's (its endpoints are filled in
    once the engine is known)."""

    def __init__(self, config: RemoteConfig):
        self.config = config
        self._local = threading.local()

    def opener(self) -> urllib.request.OpenerDirector:
        # One opener per thread: urllib's digest handler keeps per-request counters.
        opener = getattr(self._local, "opener", None)
        if opener is None:
            opener = self._local.opener = self._build_opener()
        return opener

    def _build_opener(self) -> urllib.request.OpenerDirector:
        config, handlers = self.config, []
        if config.auth in ("basic", "digest"):
            passwords = urllib.request.HTTPPasswordMgrWithPriorAuth() if config.auth == "basic" \
                else urllib.request.HTTPPasswordMgrWithDefaultRealm()
            # the whole server: the update and GSP endpoints may be learned later
            for url in {_server_root(u) for u in (config.query, config.update, config.gsp) if u}:
                if config.auth == "basic":
                    passwords.add_password(None, url, config.user, config.password, is_authenticated=True)
                else:
                    passwords.add_password(None, url, config.user, config.password)
            handler = urllib.request.HTTPBasicAuthHandler if config.auth == "basic" \
                else urllib.request.HTTPDigestAuthHandler
            handlers.append(handler(passwords))
        opener = urllib.request.build_opener(*handlers)
        if config.auth == "bearer":
            opener.addheaders.append(("Authorization", f"Bearer {config.token}"))
        return opener

    def request(self, endpoint: str, text: str) -> _Request:
        """A SPARQLWrapper request of `text` to `endpoint`, sent as a URL-encoded POST."""
        wrapper = _Request(endpoint, self.opener(), self.config.timeout)
        wrapper.setMethod(POST)
        # URL-encoded forms: every server takes them (Virtuoso 7 hangs on a direct
        # application/sparql-query body)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format=json parameters: the Accept header decides
        set_query(wrapper, text)
        return wrapper

    def post(self, what: str, url: str, body: bytes, media_type: str, timeout: float) -> Answer:
        """POST a body (a Graph Store Protocol load); never retried, but for a rollback."""
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": media_type})
        return self.call(what, url, lambda: self.opener().open(request, timeout=timeout), retry=False,
                         timeout=timeout)

    def call(self, what: str, endpoint: str, send, retry: bool, timeout: float | None = None) -> Answer:
        """Send, retrying reads with backoff, and any request the server says it rolled back
        (nothing of it applied); turn every failure into an error naming the endpoint."""
        retries = max(self.config.retries, 0) if retry else 0
        attempt = rollbacks = 0
        while True:
            try:
                response = send()
                with response:
                    media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                    return Answer(response.read(), media, response.headers.get("Server"))
            except urllib.error.HTTPError as e:
                detail = _error_text(e)
                if e.code >= 500 and ROLLED_BACK.match(detail) and rollbacks < ROLLBACK_RETRIES:
                    rollbacks += 1
                    time.sleep(random.uniform(0.5, 1.5) * 0.02 * 2 ** rollbacks)
                    continue
                if e.code in RETRYABLE_STATUS and attempt < retries:
                    time.sleep(0.1 * 2 ** attempt)
                    attempt += 1
                    continue
                raise http_error(what, endpoint, e.code, detail) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
                reason = getattr(e, "reason", e)
                if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                    raise StoreError(f"the SPARQL store at {endpoint} did not answer the {what} within "
                                     f"{timeout or self.config.timeout:g} s") from None
                if attempt < retries:
                    time.sleep(0.1 * 2 ** attempt)
                    attempt += 1
                    continue
                raise StoreError(f"the SPARQL store at {endpoint} is unreachable ({what}): {reason}") from None


def http_error(what: str, endpoint: str, status: int, detail: str) -> Exception:
    if status == 400:
        return QuerySyntaxError(f"{detail} (from {endpoint})")
    if status in (401, 403):
        return StoreError(f"the SPARQL store at {endpoint} refused the {what} (HTTP {status}): "
                          f"check the credentials (user=, password=, auth=, token=). {detail}")
    if "SR186" in detail or "SPARQL_UPDATE" in detail or "No permission" in detail:
        # Virtuoso: the anonymous SPARQL user lacks the SPARQL_UPDATE role.
        return StoreError(f"the SPARQL store at {endpoint} refused the {what}: no permission to "
                          "write. On Virtuoso, use /sparql-auth with user= and password= "
                          f"(auth=digest), or grant SPARQL_UPDATE to the SPARQL user. {detail}")
    return StoreError(f"the SPARQL store at {endpoint} failed the {what} (HTTP {status}): {detail}")


def set_query(wrapper: SPARQLWrapper, text: str) -> None:
    # SPARQLWrapper warns when it cannot tell the query form; the server's answer says more
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        wrapper.setQuery(text)


def query_form(query: str) -> str:
    """bindings, boolean or graph, as SPARQLWrapper reads the query's form."""
    wrapper = SPARQLWrapper("http://unused.invalid/")
    set_query(wrapper, query)
    return {"ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}.get(wrapper.queryType, "bindings")


def _error_text(e: urllib.error.HTTPError) -> str:
    try:
        text = e.read().decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    text = " ".join(text.split())
    return (text[:500] + " ...") if len(text) > 500 else (text or e.reason or "")


def _server_root(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def query_separator(url: str) -> str:
    return "&" if "?" in url else "?"
