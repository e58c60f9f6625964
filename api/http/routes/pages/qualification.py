"""A qualification's page: its title, levels and their referencing, units with their outcomes,
the requirement structure drawn as a tree (nested lists), what stacks toward it (recognition
agreements, declared stacking), its validation standards, and the way to a path toward it.
The structure, units, recognitions and standards are what the pathway lookups read
(graph.stacking.situation_of, through the app's situation cache)."""
from __future__ import annotations

from flask import url_for

from qfgraph.api.http import context
from qfgraph.api.http.routes.pages.entity import other_titles, read, title
from qfgraph.api.http.routes.pages.layout import language, pages_blueprint, render_page
from qfgraph.graph.catalogue import id_of, labels
from qfgraph.ontology.codelists import code_name
from qfgraph.ontology.namespaces import ELM, QF


@pages_blueprint.route("/qualifications/<path:id>")
def qualification(id):
    iri, entity, data = read("qualifications", id)
    return page(iri, entity, data)


def page(iri: str, entity, data: dict):
    # stacking (networkx, scipy) is imported on the first page that needs it, not at start-up
    from qfgraph.graph.stacking import situation_of
    store = context.store()
    situation = situation_of(store, iri, context.situation_cache())
    declared = [str(s) for s, _ in entity.incoming.get(str(QF.stackableToward), [])]
    recognised = {u: sorted(ms) for u, ms in situation.recognitions.items()}
    shown = ([iri, *situation.requirements, *situation.units, *situation.outcomes, *declared,
              *(m for ms in recognised.values() for m in ms), *(s.iri for s in situation.standards),
              *(s.authority for s in situation.standards if s.authority)])
    names = {**situation.titles, **labels(store, shown, language())}
    validable = {i for s in situation.standards for i in s.units | s.outcomes}
    base = context.settings().base
    mc_url = lambda m: url_for("pages.micro_credential", id=id_of(m, base))
    return render_page(
        "pages/qualification.html", iri=iri, e=data, label=title(data, iri), others=other_titles(data),
        tree=node(situation, situation.root, names), situation=situation, names=names, recognised=recognised,
        declared=sorted(declared, key=lambda m: names.get(m, m)), validable=validable,
        mc_url=mc_url, code_name=code_name, data=[iri], related=related(data),
        alternates=[("JSON", url_for("api_v1.qualification", id=id_of(iri, base))),
                    ("stacking paths (JSON)", url_for("api_v1_pathways.qualification_pathways",
                                                      id=id_of(iri, base)))])


def related(data: dict) -> dict:
    """The awarding bodies and fields of education, by name."""
    return {name: data["related"].get(str(p), []) for name, p in
            (("awarding", ELM.awardingBody), ("fields", ELM.ISCEDFCode))}


ORDER = {"unit": 0, "outcome": 0, "all-of": 1, "choice-of": 2, "minimum-credits": 3}


def node(situation, iri: str, names: dict, seen: frozenset = frozenset()) -> dict:
    """The requirement tree from `iri`: {iri, kind, count, credits, children} for a rule,
    {iri, kind: "unit" | "outcome"} for a leaf (a cycle in bad data stops at the repeat).
    Under a rule: its units and outcomes by title, then the rules nested in it."""
    rule = situation.requirements.get(iri)
    if rule is None or iri in seen:
        return {"iri": iri, "kind": "unit" if iri in situation.units else "outcome"}
    if rule.kind == "minimum-credits":
        return {"iri": iri, "kind": rule.kind, "credits": rule.credits, "children": []}
    children = [node(situation, c, names, seen | {iri}) for c in rule.components]
    children.sort(key=lambda n: (ORDER[n["kind"]], names.get(n["iri"], n["iri"])))
    return {"iri": iri, "kind": rule.kind, "count": rule.count, "n": len(rule.components), "children": children}
