"""`/paths`: the stacking-path explorer for counsellors, and its print view.

One plain form (GET or POST; no script needed): find the target by its title, tick what the
person holds and the prior learning they claim, set the constraints of the JSON pathway API,
then compute the paths (drawn as SVG made on the server) or the qualifications the person is
closest to. The answers are those of `/api/v1/pathways` and `/api/v1/closest`: the same
functions of graph.stacking, the same JSON (render.answer_json) behind the pictures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import request, url_for

from qfgraph.api.http import context
from qfgraph.api.http.routes.pages.common import page_error
from qfgraph.api.http.routes.pages.layout import language, pages_blueprint, render_page
from qfgraph.api.http.routes.params import base, iris
from qfgraph.graph.catalogue import id_of, iri_of, labels, listing
from qfgraph.graph.errors import GraphError, InvalidInput

MAX_ALTERNATIVES = 5
SEARCH_ROWS = 25


def _stacking():
    from qfgraph.graph import stacking   # imported by the first lookup, as the JSON routes do
    return stacking


@dataclass
class PathForm:
    """The form's fields as given (ids or IRIs), checked."""
    target: str = ""
    q: str = ""
    held: list[str] = field(default_factory=list)
    held_q: str = ""
    claims: list[str] = field(default_factory=list)
    max_ects: float | None = None
    languages: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    external_qa_only: bool = False
    objective: str = "ects"
    alternatives: int = 2
    action: str = ""

    @classmethod
    def read(cls, values) -> "PathForm":
        def words(name):
            return [v.strip() for v in values.getlist(name) if v.strip()]
        form = cls(target=values.get("target", "").strip(), q=values.get("q", "").strip()[:200],
                   held=list(dict.fromkeys(words("held"))), held_q=values.get("held_q", "").strip()[:200],
                   claims=list(dict.fromkeys(words("claims"))),
                   languages=[c.lower() for w in words("languages") for c in w.replace(",", " ").split()],
                   modes=words("modes"), countries=words("countries"),
                   external_qa_only=values.get("qa") in ("1", "on", "true"),
                   objective=values.get("objective", "ects"), action=values.get("do", ""))
        return form

    def check(self, values) -> None:
        """The numbers and choices, checked (InvalidInput names the field)."""
        form = self
        form.max_ects = _number(values.get("max_ects", ""), "maximum ECTS")
        alternatives = _number(values.get("alternatives", ""), "alternatives")
        if alternatives is not None:
            if alternatives != int(alternatives) or not 0 <= alternatives <= MAX_ALTERNATIVES:
                raise InvalidInput(f"alternatives: give a whole number from 0 to {MAX_ALTERNATIVES}")
            form.alternatives = int(alternatives)
        if form.objective not in ("ects", "count"):
            raise InvalidInput("objective: choose fewest ECTS or fewest micro-credentials")

    def learner(self):
        return _stacking().Learner(held=iris(self.held), claims=iris(self.claims))

    def constraints(self):
        return _stacking().Constraints(max_ects=self.max_ects, languages=self.languages or None,
                                       modes=self.modes or None, countries=self.countries or None,
                                       external_qa_only=self.external_qa_only)


def _number(text: str, what: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} is not a number") from None
    if value != value or value < 0:
        raise InvalidInput(f"{what}: give a number of 0 or more")
    return value


@pages_blueprint.route("/paths", methods=["GET", "POST"])
def paths_page():
    return _answer("paths.html")


@pages_blueprint.route("/paths/print", methods=["GET", "POST"])
def paths_print():
    return _answer("paths_print.html")


def _answer(template: str):
    page = {"form": PathForm(), "error": None}
    status = 200
    try:
        form = page["form"] = PathForm.read(request.values)
        form.check(request.values)
        page.update(_lookups(form, template == "paths_print.html"))
    except GraphError as e:
        status, page["error"] = page_error(e)
    # what the page shows however far the lookups got: the form keeps every tick
    page.setdefault("held_titles", _titles(page["form"].held))
    page["held_options"] = _held_options(page)
    page["print_args"] = {k: v for k, v in request.values.to_dict(flat=False).items() if k != "held_q"}
    target = page["answer"]["target"]["iri"] if page.get("answer") else None
    return render_page(template, data=[target] if target else [], status=status, **page,
                       default_modes=_default_modes(), today=date.today().isoformat())


def _default_modes() -> list[dict]:
    """The Europass forms of participation, offered before a target narrows them down."""
    from qfgraph.graph.stacking.render import MODE_LABELS
    return [{"iri": iri, "title": label} for iri, label in MODE_LABELS.items()]


def _held_options(page: dict) -> list[dict]:
    """The held list: what is ticked, then search results, then what counts toward the target."""
    ticked = page["held_titles"]
    options = [{"iri": i, "title": t, "note": "", "checked": True} for i, t in ticked.items()]
    more = [(m["iri"], m["title"], f"{m['credits']:g} ECTS" if m.get("credits") else "")
            for m in page.get("held_matches", [])]
    if page.get("choices"):
        more += [(c.iri, c.title, c.note) for c in page["choices"].micro_credentials]
    seen = set(ticked) | set(iris_or_none(ticked))
    for iri, title, note in more:
        if iri not in seen:
            seen.add(iri)
            options.append({"iri": iri, "title": title, "note": note, "checked": False})
    return options


def iris_or_none(ids) -> list[str]:
    try:
        return iris(ids)
    except GraphError:
        return []


def _lookups(form: PathForm, printing: bool) -> dict:
    """Search results, the choices for the target, then the answer asked for."""
    store, out = context.store(), {}
    out["held_titles"] = _titles(form.held)
    if form.q:
        out["matches"], _ = listing(store, "qualifications", q=form.q, limit=SEARCH_ROWS,
                                    generation=context.generation())
    if form.held_q:
        out["held_matches"], _ = listing(store, "micro-credentials", q=form.held_q, limit=SEARCH_ROWS,
                                         generation=context.generation())
    if form.target:
        target = iri_of(form.target, base())
        out["choices"] = _stacking().choices(store, target, context.situation_cache())
    if form.action == "closest" or (printing and not form.target):
        out["closest"] = _closest(form)
    elif form.target and (form.action == "paths" or printing):
        out.update(_paths(form, target))
    return out


def _paths(form: PathForm, target: str) -> dict:
    stacking = _stacking()
    answer = stacking.find_paths(context.store(), target, form.learner(), form.constraints(),
                                 form.objective, form.alternatives, cache=context.situation_cache())
    data = answer.to_json()
    drawn = [(p, stacking.path_svg(p, data["target"], f"path-{p['rank']}")) for p in data["paths"]]
    partial = data["closest_partial_path"]
    json_href = url_for("api_v1_pathways.qualification_pathways", id=id_of(target, base()),
                        held=form.held, claims=form.claims, objective=form.objective,
                        alternatives=form.alternatives)
    return {"answer": data, "drawn": drawn, "json_href": json_href,
            "partial": (partial, stacking.path_svg(partial, data["target"], "path-partial")) if partial else None}


def _closest(form: PathForm) -> list[dict]:
    stacking = _stacking()
    return [c.to_json() for c in stacking.closest(context.store(), form.learner(), top=10)]


def _titles(ids: list[str]) -> dict[str, str]:
    """Titles of the items held, to show them ticked whatever list they came from."""
    try:
        wanted = iris(ids)
    except GraphError:
        return {i: i for i in ids}
    found = labels(context.store(), wanted, language())
    return {i: found.get(w, i) for i, w in zip(ids, wanted)}
