"""The frameworks: each with its levels, and two or more compared side by side through the
EQF (as Europass's comparison does), their levels with no EQF level shown apart."""
from __future__ import annotations

from flask import request, url_for

from qfgraph.api.http import context
from qfgraph.api.http.routes.pages.layout import language, pages_blueprint, render_page
from qfgraph.graph.catalogue import framework_iri, frameworks, labels, levels
from qfgraph.graph.errors import InvalidInput, NotFound
from qfgraph.ontology.namespaces import EQF_SCHEME


def national(store) -> list[dict]:
    """The national frameworks (the EQF is the axis of every comparison), labels in the
    reader's language."""
    fws = [fw for fw in frameworks(store) if fw["iri"] != str(EQF_SCHEME)]
    names = labels(store, [fw["iri"] for fw in fws], language())
    return [dict(fw, label=names.get(fw["iri"], fw["label"])) for fw in fws]


def with_labels(store, items: list[dict]) -> list[dict]:
    names = labels(store, [lv["iri"] for lv in items], language())
    return [dict(lv, label=names.get(lv["iri"], lv["label"])) for lv in items]


@pages_blueprint.route("/frameworks")
def frameworks_page():
    store = context.store()
    fws = national(store)
    for fw in fws:
        fw["levels"] = with_labels(store, levels(store, fw["iri"]))
    return render_page("pages/frameworks.html", frameworks=fws, data=[fw["iri"] for fw in fws],
                       alternates=[("JSON", url_for("api_v1.list_frameworks"))])


@pages_blueprint.route("/frameworks/compare")
def compare():
    """?f=<id or IRI>&f=...: the levels of each, in rows of the EQF level they refer to."""
    store = context.store()
    available = national(store)
    chosen_ids = [f.strip() for f in request.args.getlist("f") if f.strip()]
    error, status, chosen = None, 200, []
    try:
        iris = list(dict.fromkeys(framework_iri(store, f) for f in chosen_ids))
        if len(iris) < 2:
            raise InvalidInput("pick two or more frameworks to compare")
        by_iri = {fw["iri"]: fw for fw in available}
        if str(EQF_SCHEME) in iris:
            raise InvalidInput("the EQF is the scale of the comparison; pick national frameworks")
        chosen = [dict(by_iri[i], levels=with_labels(store, levels(store, i))) for i in iris]
    except (InvalidInput, NotFound) as e:
        error, status = str(e), 404 if isinstance(e, NotFound) else 400
    eqf = with_labels(store, levels(store, str(EQF_SCHEME)))
    rows = [(lv, [[x for x in fw["levels"] if x["referencedTo"] == lv["iri"]] for fw in chosen]) for lv in eqf]
    apart = [[x for x in fw["levels"] if not x["referencedTo"]] for fw in chosen]
    return render_page("pages/compare.html", status=status, error=error, available=available, chosen=chosen,
                       picked={fw["iri"] for fw in chosen} | {f.lower() for f in chosen_ids},
                       rows=rows, apart=apart, data=[fw["iri"] for fw in chosen])
