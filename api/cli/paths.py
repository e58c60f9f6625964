"""`qfgraph paths` and `qfgraph closest`: stacking paths for a learner."""
from __future__ import annotations

import json

import click

from qfgraph.api.cli.common import Failure, opened, store_option
from qfgraph.graph import UnsafeTermError
from qfgraph.graph.stacking import (
    OBJECTIVES, Constraints, Learner, PrerequisiteCycle, UnknownEntity, closest, find_paths,
)

_learner_options = [
    click.option("--held", multiple=True, metavar="IRI",
                 help="A credential held: micro-credential, unit or qualification (repeatable)."),
    click.option("--claim", "claims", multiple=True, metavar="IRI",
                 help="Prior learning claimed for validation: a unit or outcome (repeatable)."),
]


def learner_options(f):
    for option in reversed(_learner_options):
        f = option(f)
    return f


def register(cli) -> None:

    def run(call):
        try:
            return call()
        except (UnknownEntity, UnsafeTermError, PrerequisiteCycle, ValueError) as e:
            raise Failure(str(e)) from None

    @cli.command()
    @store_option
    @click.option("--target", required=True, metavar="IRI", help="The qualification to reach.")
    @learner_options
    @click.option("--max-ects", type=float, help="Maximum total ECTS of the micro-credentials to take.")
    @click.option("--objective", type=click.Choice(OBJECTIVES), default="ects", show_default=True,
                  help="Least total ECTS, or fewest credentials.")
    @click.option("--alternatives", type=click.IntRange(0, 20), default=3, show_default=True,
                  help="Next-best distinct paths to show after the optimal one.")
    @click.option("--language", "languages", multiple=True, metavar="CODE",
                  help="Allowed language of instruction, e.g. hr (repeatable).")
    @click.option("--mode", "modes", multiple=True, metavar="IRI", help="Allowed form of participation (repeatable).")
    @click.option("--country", "countries", multiple=True, metavar="IRI", help="Allowed issuer country (repeatable).")
    @click.option("--provider", "providers", multiple=True, metavar="IRI", help="Allowed provider (repeatable).")
    @click.option("--external-qa-only", is_flag=True, help="Only externally quality-assured micro-credentials.")
    @click.option("--time-limit", type=float, default=10.0, show_default=True, help="Solver time limit, seconds.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def paths(store_spec, target, held, claims, max_ects, objective, alternatives, languages, modes,
              countries, providers, external_qa_only, time_limit, as_json):
        """The shortest routes to a qualification: what to take, in what order, what to validate."""
        def call():
            constraints = Constraints(max_ects=max_ects, languages=list(languages) or None,
                                      modes=list(modes) or None, countries=list(countries) or None,
                                      providers=list(providers) or None, external_qa_only=external_qa_only)
            learner = Learner(held=list(held), claims=list(claims))
            with opened(store_spec) as store:
                return find_paths(store, target, learner, constraints, objective, alternatives, time_limit)
        answer = run(call)
        click.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False) if as_json
                   else answer.to_text().rstrip("\n"))

    @cli.command("closest")
    @store_option
    @learner_options
    @click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True)
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def closest_command(store_spec, held, claims, top, as_json):
        """The qualifications a learner is closest to, by ECTS still to take."""
        def call():
            learner = Learner(held=list(held), claims=list(claims))
            with opened(store_spec) as store:
                return closest(store, learner, top)
        ranked = run(call)
        if as_json:
            click.echo(json.dumps([c.to_json() for c in ranked], indent=2, ensure_ascii=False))
            return
        if not ranked:
            click.echo("no qualification can be reached")
        for i, c in enumerate(ranked, 1):
            now = c.coverage_now
            click.echo(f"{i:>2}. {c.title}: {c.ects_needed:g} ECTS still to take "
                       f"({c.credential_count} micro-credential{'s' if c.credential_count != 1 else ''}, "
                       f"{c.validation_count} validation step{'s' if c.validation_count != 1 else ''}; "
                       f"now {now['units_achieved']}/{now['units_total']} units)\n    {c.iri}")
