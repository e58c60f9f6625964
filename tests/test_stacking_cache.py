"""The situation cache: repeat lookups reuse the situation; a write through the gate is seen."""
from __future__ import annotations

from rdflib import Literal, URIRef

from qfgraph.graph import Changeset, commit
from qfgraph.graph.stacking import Learner, SituationCache, find_paths
from qfgraph.ontology.namespaces import DCTERMS, GRAPH
from test_stacking_demo import CROATIAN, HR

TIG = HR + "mc/tig-welding"


def summary(answer):
    return [(p.stages, p.validated, p.total_ects) for p in answer.paths]


def title(answer, m):
    return answer.situation.candidates[m].title


def test_repeat_lookups_reuse_the_problem_until_a_gate_write(demo_store):
    cache = SituationCache()
    first = find_paths(demo_store, *CROATIAN, cache=cache)
    again = find_paths(demo_store, *CROATIAN, cache=cache)
    assert (cache.misses, cache.hits) == (1, 1) and again.situation is first.situation
    assert summary(again) == summary(first) == summary(find_paths(demo_store, *CROATIAN))
    # another learner is another situation
    find_paths(demo_store, CROATIAN[0], Learner(held=CROATIAN[1].held), cache=cache)
    assert (cache.misses, cache.hits) == (2, 1)
    old = title(first, TIG)
    commit(demo_store, Changeset(str(GRAPH["demo/hr"]),
                                 [(URIRef(TIG), DCTERMS.title, Literal("TIG welding, renewed", lang="en"))],
                                 [(URIRef(TIG), DCTERMS.title, Literal(old, lang="en"))],
                                 "alice", "new title", expected_version=0))
    after = find_paths(demo_store, *CROATIAN, cache=cache)
    assert (cache.misses, cache.hits) == (3, 1)
    assert title(after, TIG) == "TIG welding, renewed" and summary(after) == summary(first)


def test_the_cache_keeps_at_most_its_size_per_store(demo_store):
    cache = SituationCache(size=1)
    for _ in range(2):
        find_paths(demo_store, *CROATIAN, cache=cache)
        find_paths(demo_store, CROATIAN[0], Learner(), cache=cache)
    assert (cache.misses, cache.hits) == (4, 0)
