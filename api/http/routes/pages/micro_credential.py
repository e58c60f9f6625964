"""A micro-credential's page: every element of the EU standard (ontology.elements, Annex I of
the Council Recommendation) in its order, its quality assurance and accreditation, what it
stacks toward (declared, and recognition agreements), the skills needs it answers, and its
ESCO skills linked to their ESCO IRIs."""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from qfgraph.api.http import context
from qfgraph.api.http.routes.pages.entity import other_titles, read, title
from qfgraph.api.http.routes.pages.layout import language, page_url, pages_blueprint, render_page
from qfgraph.graph.catalogue import id_of, labels, linked, pick, recognitions
from qfgraph.ontology.codelists import code_name
from qfgraph.ontology.elements import micro_credential_elements
from qfgraph.ontology.namespaces import ELM, QF

LINKED = (ELM.learningOutcome, ELM.accreditation, QF.addressesNeed, ELM.entryRequirement)
# other things a reader wants to know, after the elements of the standard
MORE = (("language of instruction", DCTERMS.language), ("learning setting", ELM.learningSetting),
        ("field of education", ELM.ISCEDFCode), ("co-designed with", QF.coDesignedBy),
        ("endorsed by", QF.endorsedBy), ("guidance from", QF.guidanceBy))


@pages_blueprint.route("/micro-credentials/<path:id>")
def micro_credential(id):
    iri, entity, data = read("micro-credentials", id)
    return page(iri, entity, data)


def page(iri: str, entity, data: dict):
    store = context.store()
    nodes = linked(store, iri, LINKED)
    agreements = recognitions(store, iri)
    iris = {str(o) for vals in entity.values.values() for o, _ in vals if isinstance(o, URIRef)}
    for by_node in nodes.values():
        for node, props in by_node.items():
            iris |= {node} | {str(v) for vs in props.values() for v in vs if isinstance(v, URIRef)}
    iris |= {v for a in agreements for v in a.values() if v}
    names = labels(store, iris, language())
    view = View(entity, nodes, names, language())
    return render_page(
        "pages/micro_credential.html", iri=iri, e=data, label=title(data, iri), others=other_titles(data),
        elements=[view.element(row, data) for row in micro_credential_elements()],
        more=[(name, view.refs(p)) for name, p in MORE if entity.objects(p)],
        outcomes=view.outcomes(), needs=view.needs(), accreditations=view.accreditations(),
        agreements=[{k: (view.ref(v) if v else None) for k, v in a.items()} for a in agreements],
        data=[iri], alternates=[("JSON", url_for("api_v1.micro_credential", id=id_of(iri, context.settings().base)))])


class View:
    """The values of one micro-credential as a page shows them: (text, href) pairs."""

    def __init__(self, entity, nodes, names, lang):
        self.entity, self.nodes, self.names, self.lang = entity, nodes, names, lang

    def name(self, iri: str) -> str:
        return self.names.get(iri) or code_name(iri) or iri.rstrip("/").rsplit("/", 1)[-1]

    def ref(self, iri: str) -> dict:
        """A link to what the graph holds about `iri`; ESCO's own IRIs link to ESCO; an entry
        of a code list the graph does not hold is named, not linked."""
        if iri.startswith("http://data.europa.eu/esco/"):
            return {"text": self.name(iri), "href": iri, "iri": iri}
        if iri not in self.names and code_name(iri):
            return {"text": code_name(iri), "iri": iri}
        return {"text": self.name(iri), "href": page_url(iri), "iri": iri}

    def refs(self, p) -> list[dict]:
        return [self.ref(str(o)) if isinstance(o, URIRef) else {"text": str(o)} for o in self.entity.objects(p)]

    def text(self, node_props: dict, p) -> str | None:
        values = [v for v in node_props.get(str(p), []) if isinstance(v, Literal)]
        return pick({(v.language or ""): str(v) for v in values}, self.lang)

    def element(self, row: dict, data: dict) -> dict:
        """One element of the standard: its values, or why there are none."""
        out = {**row, "vals": [], "issued": row["belongs_to"] == "issued credential"}
        p = row["property"]
        if p is None:
            return out
        if p == str(DCTERMS.title):
            out["vals"] = [{"text": title(data, data["iri"])}]
        elif p == str(DCTERMS.description):
            text = pick(data.get("description") or {}, self.lang)
            out["vals"] = [{"text": text}] if text else []
        elif p == str(QF.country):
            out["vals"] = [{"text": code_name(str(c)) or str(c)} for c in self.entity.objects(QF.country)]
        elif p == str(ELM.creditPoint):
            if data.get("credits") is not None:
                out["vals"] = [{"text": f"{data['credits']:g} ECTS"}]
            out["vals"] += [{"text": f"{_hours(h)} of learning"} for h in self.entity.objects(ELM.volumeOfLearning)]
        elif p == str(ELM.EQFLevel):
            out["levels"] = True
            out["vals"] = [{"text": "shown"}] if data.get("eqfLevel") or data.get("nqfLevels") else []
        elif p == str(ELM.learningOutcome):
            out["vals"] = [{"text": o["text"], "href": o["href"]} for o in self.outcomes()]
        elif p == str(QF.qualityAssurance):
            out["vals"] = self.refs(QF.qualityAssurance)
            out["accredited"] = bool(self.entity.objects(ELM.accreditation))
        else:
            out["vals"] = self.refs(URIRef(p))
        if p == str(QF.prerequisite):
            for note in self.nodes[str(ELM.entryRequirement)].values():
                text = self.text(note, ELM.noteLiteral)
                out["vals"] += [{"text": text}] if text else []
        return out

    def outcomes(self) -> list[dict]:
        out = []
        for o, props in sorted(self.nodes[str(ELM.learningOutcome)].items(), key=lambda kv: self.name(kv[0])):
            skills = [self.ref(str(s)) for s in props.get(str(ELM.relatedESCOSkill), [])]
            out.append({**self.ref(o), "skills": skills})
        return out

    def accreditations(self) -> list[dict]:
        out = []
        for a, props in sorted(self.nodes[str(ELM.accreditation)].items()):
            agents = [self.ref(str(x)) for x in props.get(str(ELM.accreditingAgent), [])]
            expiry = next((str(v)[:10] for v in props.get(str(ELM.expiryDate), [])), None)
            out.append({**self.ref(a), "agents": agents, "expiry": expiry})
        return out

    def needs(self) -> list[dict]:
        out = []
        for n, props in sorted(self.nodes[str(QF.addressesNeed)].items()):
            concerns = [self.ref(str(x)) for p in (QF.concernsSkill, QF.concernsOccupation, QF.concernsOutcome)
                        for x in props.get(str(p), [])]
            regions = [code_name(str(r)) or str(r) for r in props.get(str(QF.region), [])]
            out.append({**self.ref(n), "concerns": concerns, "regions": regions,
                        "demand": self.text(props, QF.demand), "horizon": self.text(props, QF.horizon),
                        "source": [self.ref(str(s)) for s in props.get(str(DCTERMS.source), [])]})
        return out


def _hours(duration) -> str:
    """An xsd:duration of learning in hours ('P4DT4H' -> '100 hours': days of 24 hours, as
    the value says); a value that is no duration is shown as given."""
    value = duration.toPython() if isinstance(duration, Literal) else duration
    if isinstance(value, timedelta):
        return f"{value.total_seconds() / 3600:g} hours"
    return str(duration)

