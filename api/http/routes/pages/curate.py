"""`/curate`: the pages of registry officers. The token is entered once into a form and kept
in the session (Flask's signed, HttpOnly cookie; checked against the tokens file on every
request, so a revoked token stops working at once); never in a URL. Every form carries the
session's CSRF token.

Upload an RDF file, an ELM or Open Badges document, or CSV templates as a zip: first a dry
run (the import's own checks and the rules of the gate, nothing written), its report grouped
by rule with each entry's title and what to fix; then, when clean, the same upload written
through the gate. The history of a graph, a changeset's diff, and reverting one. Imports and
writes go through the code of the API routes (routes/imports.py, writes.py), not a copy.
"""
from __future__ import annotations

import hmac
import io
import secrets
import threading
import zipfile
from collections import OrderedDict
from pathlib import PurePosixPath

from flask import current_app, redirect, request, session, url_for
from rdflib import URIRef

from qfgraph.api.http import context
from qfgraph.api.http.auth import may_write
from qfgraph.api.http.problems import Problem
from qfgraph.api.http.routes.changesets import parse_rdf
from qfgraph.api.http.routes.imports import import_documents, json_kind
from qfgraph.api.http.routes.pages.common import page_error
from qfgraph.api.http.routes.pages.layout import pages_blueprint, render_page
from qfgraph.api.http.writes import as_json, commit_change
from qfgraph.graph.changes import Changeset, Rejected, check, diff, effect_of, history, revert
from qfgraph.graph.errors import GraphError, InvalidInput, NotFound
from qfgraph.graph.formats import rdf_format
from qfgraph.graph.imports import ImportFailed
from qfgraph.graph.sparql import caller_iri
from qfgraph.ontology.namespaces import shorten

KINDS = {"auto": "tell from the file", "rdf": "RDF (Turtle, N-Triples, JSON-LD, RDF/XML)",
         "elm": "ELM / Europass JSON-LD", "badge": "Open Badges 3.0 JSON", "csv": "CSV templates (a .zip, or one .csv)"}
PENDING_UPLOADS = 16        # dry-run uploads kept for their commit, per server
UNZIPPED_FACTOR = 20        # a zip may unpack to this many times the request limit, no more
HISTORY_ROWS = 50


# -- the session: token and CSRF ----------------------------------------------------------

def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    given = request.form.get("csrf", "")
    if not given or not hmac.compare_digest(given, session.get("csrf", "")):
        raise Problem(400, "Bad Request", "the form has expired or did not come from this site "
                      "(its CSRF token does not match the session); open the page again and resend")


def curator():
    """The principal of the session's token, None when signed out (or the token was revoked)."""
    token = session.get("token")
    if not token:
        return None
    principal = current_app.extensions["qfgraph.tokens"].verify(token)
    if principal is None:
        session.pop("token", None)
    return principal


def page(template_view: str, status: int = 200, **values):
    return render_page("curate.html", view=template_view, status=status, csrf=csrf_token(),
                       principal=values.pop("principal", curator()), kinds=KINDS, **values)


def signed_in():
    principal = curator()
    if principal is None:
        raise _SignIn()
    return principal


class _SignIn(Exception):
    """Raised where a page needs a curator: answered with the sign-in form (401)."""


@pages_blueprint.errorhandler(_SignIn)
def _sign_in_first(_):
    return page("sign-in", 401, error="sign in with your curator token first", principal=None)


def _guarded(handler):
    """Run a page's work: a domain error or a refusal becomes a message on the page."""
    try:
        return handler()
    except (GraphError, Problem) as e:
        status, message = page_error(e)
        return page("error", status, error=message)


# -- signing in and out --------------------------------------------------------------------

@pages_blueprint.route("/curate")
def curate():
    principal = curator()
    if principal is None:
        return page("sign-in", principal=None)
    return page("home", principal=principal, graphs=_graphs(principal))


@pages_blueprint.route("/curate/sign-in", methods=["POST"])
def curate_sign_in():
    def work():
        check_csrf()
        token = request.form.get("token", "").strip()
        principal = current_app.extensions["qfgraph.tokens"].verify(token) if token else None
        if principal is None:
            return page("sign-in", 401, principal=None,
                        error="that token is not valid or has been revoked; ask an administrator "
                              "for a new one (qfgraph token create)")
        session.clear()
        session["token"] = token
        return redirect(url_for("pages.curate"), 303)
    return _guarded(work)


@pages_blueprint.route("/curate/sign-out", methods=["POST"])
def curate_sign_out():
    def work():
        check_csrf()
        session.clear()
        return redirect(url_for("pages.curate"), 303)
    return _guarded(work)


def _graphs(principal) -> list[str]:
    """The graphs the principal may write that the store has, and those it names."""
    sizes = context.store().graph_sizes()
    mine = list(principal.graphs) if principal.role != "admin" else sorted(sizes)
    return list(dict.fromkeys(mine))


# -- uploads: dry run, then commit ---------------------------------------------------------

class _Pending:
    """Dry-run uploads awaiting their commit, by a random id, for the curator who sent them."""

    def __init__(self):
        self.items: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def keep(self, upload: dict) -> str:
        key = secrets.token_urlsafe(16)
        with self.lock:
            self.items[key] = upload
            while len(self.items) > PENDING_UPLOADS:
                self.items.popitem(last=False)
        return key

    def take(self, key: str, name: str) -> dict:
        with self.lock:
            upload = self.items.get(key)
            if upload is None or upload["curator"] != name:
                raise NotFound("this upload is no longer waiting (the server keeps the last "
                               f"{PENDING_UPLOADS}, until it restarts); send the file again")
            return self.items.pop(key)


def pending() -> _Pending:
    return current_app.extensions.setdefault("qfgraph.pending_uploads", _Pending())


@pages_blueprint.route("/curate/upload", methods=["POST"])
def curate_upload():
    def work():
        principal = signed_in()
        check_csrf()
        upload = _read_upload(principal)
        report = _run(principal, upload, dry_run=True)
        key = pending().keep(upload) if report["clean"] else None
        return page("report", 200 if report["clean"] else 422, report=report, upload=upload, key=key)
    return _guarded(work)


@pages_blueprint.route("/curate/commit", methods=["POST"])
def curate_commit():
    def work():
        principal = signed_in()
        check_csrf()
        upload = pending().take(request.form.get("upload", ""), principal.name)
        report = _run(principal, upload, dry_run=False)
        return page("report", 201 if report["written"] else 422, report=report, upload=upload)
    return _guarded(work)


def _read_upload(principal) -> dict:
    graph = caller_iri(request.form.get("graph", "").strip(), "graph")
    may_write(principal, graph)
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        raise InvalidInput("choose a file to upload")
    name, data = PurePosixPath(sent.filename).name, sent.read()
    if not data:
        raise InvalidInput(f"{name}: the file is empty")
    kind = request.form.get("kind", "auto")
    if kind not in KINDS:
        raise InvalidInput(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    if kind == "auto":
        kind = _kind_of(name, data)
    documents = _unzipped(name, data) if name.lower().endswith(".zip") else [(name, data)]
    if kind == "csv" and not any(n.endswith(".csv") for n, _ in documents):
        raise InvalidInput(f"{name}: no CSV template file in it (names ending in .csv)")
    return {"curator": principal.name, "graph": graph, "kind": kind, "name": name, "documents": documents,
            "message": request.form.get("message", "").strip()[:2000] or f"upload of {name}"}


def _kind_of(name: str, data: bytes) -> str:
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in (".zip", ".csv"):
        return "csv"
    if suffix == ".json" or (suffix == ".jsonld" and b"@context" in data[:20000] and b"elm" in data[:20000].lower()):
        return json_kind(data)
    return "rdf"


def _unzipped(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """The files of a zip (folders flattened); refused when malformed or too big unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [m for m in z.infolist() if not m.is_dir() and not PurePosixPath(m.filename).name.startswith(".")]
            limit = context.settings().max_request_bytes * UNZIPPED_FACTOR
            if sum(m.file_size for m in members) > limit:
                raise InvalidInput(f"{name}: unpacks to more than {limit} bytes; split it into smaller uploads")
            return [(PurePosixPath(m.filename).name, z.read(m)) for m in members]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as e:
        raise InvalidInput(f"{name}: not a readable zip file ({e})") from None


def _run(principal, upload: dict, dry_run: bool) -> dict:
    """The report of a dry run or a commit, as the page shows it."""
    if upload["kind"] == "rdf":
        return _run_rdf(principal, upload, dry_run)
    try:
        result = import_documents(principal, upload["graph"], upload["kind"], upload["documents"], dry_run=dry_run)
    except ImportFailed as e:
        result = e.report
    return _view(result.problems, result.shapes_json, result.counts, result.triples, result.written,
                 result.version, dry_run)


def _run_rdf(principal, upload: dict, dry_run: bool) -> dict:
    (name, data), = upload["documents"][:1] or [("", b"")]
    info = rdf_format(path=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InvalidInput(f"{name}: not UTF-8 text ({e})") from None
    triples = list(parse_rdf(text, info.name, name))
    if not triples:
        raise InvalidInput(f"{name}: holds no triples")
    if dry_run:
        change = Changeset(upload["graph"], triples, [], principal.name, upload["message"])
        rules = check(context.store(), upload["graph"], effect_of(context.store(), change))
        return _view([], rules.to_json() if rules.violations else None, {}, len(triples), False, None, True)
    try:
        result = commit_change(upload["graph"], triples, [], upload["message"], principal=principal)
    except Rejected as e:
        return _view([], e.report.to_json(), {}, len(triples), False, None, False)
    return _view([], None, {}, len(triples), True, result.get("version"), False)


def _view(problems, shapes_json, counts, triples, written, version, dry_run) -> dict:
    """Problems of the files, and the rules' results grouped by rule (violations first)."""
    groups: dict[str, dict] = {}
    for r in (shapes_json or {}).get("results", []):
        key = r["rule"] or shorten(r["shape"])
        group = groups.setdefault(key, {"rule": key, "severity": r["severity"], "results": []})
        group["results"].append(r)
        if r["severity"] == "Violation":
            group["severity"] = "Violation"
    ordered = sorted(groups.values(), key=lambda g: (g["severity"] != "Violation", g["rule"]))
    violations = sum(1 for g in ordered for r in g["results"] if r["severity"] == "Violation")
    return {"problems": [as_json(p) for p in problems], "groups": ordered, "violations": violations,
            "counts": {k: n for k, n in counts.items() if n}, "triples": triples, "written": written,
            "version": version, "dry_run": dry_run, "clean": not problems and not violations}


# -- history, diff, revert ------------------------------------------------------------------

@pages_blueprint.route("/curate/history")
def curate_history():
    def work():
        principal = signed_in()
        graph = caller_iri(request.args.get("graph", "").strip(), "graph")
        if graph not in context.store().graph_sizes():
            raise NotFound(f"no named graph <{graph}> in the store")
        return page("history", graph=graph, items=history(context.store(), graph, HISTORY_ROWS),
                    writable=principal.may_write(graph))
    return _guarded(work)


@pages_blueprint.route("/curate/changeset")
def curate_changeset():
    def work():
        principal = signed_in()
        iri = caller_iri(request.args.get("iri", "").strip(), "changeset")
        change = diff(context.store(), iri)
        entry = next((h for h in history(context.store(), change["graph"]) if h["changeset"] == iri), None)
        return page("diff", iri=iri, change=change, entry=entry, writable=principal.may_write(change["graph"]),
                    added=[_triple(t) for t in change["added"]], removed=[_triple(t) for t in change["removed"]])
    return _guarded(work)


@pages_blueprint.route("/curate/revert", methods=["POST"])
def curate_revert():
    def work():
        principal = signed_in()
        check_csrf()
        iri = caller_iri(request.form.get("changeset", "").strip(), "changeset")
        change = diff(context.store(), iri)
        may_write(principal, change["graph"])
        try:
            result = revert(context.store(), iri, principal.name)
        finally:
            context.store_changed()
        return page("reverted", 201, iri=iri, graph=change["graph"], result=as_json(result))
    return _guarded(work)


def _triple(t) -> list[str]:
    return [shorten(x) if isinstance(x, URIRef) else x.n3() for x in t]
