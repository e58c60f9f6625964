"""CSV templates: the example rows and the demo graphs import; level codes of national
registers map to the official IRIs; every bad input gives its message (file, row, column)
and writes nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from qfgraph import graph
from qfgraph.api.cli import main
from qfgraph.graph.exports.csv_export import export_csv
from qfgraph.graph.imports import ImportFailed, import_csv, write_templates
from qfgraph.graph.imports.csv_templates import TEMPLATES
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.graph.stores import quads_of
from qfgraph.ontology.namespaces import DEFAULT_BASE, ELM, QF

G = "https://w3id.org/qfgraph/graph/imported"
QDR = "http://data.europa.eu/snb/qdr/"
EQF = "http://data.europa.eu/snb/eqf/"


def dump(store) -> bytes:
    return store.export(RDF_FORMATS["nquads"])


def example_files(tmp_path) -> dict[str, bytes]:
    write_templates(tmp_path)
    return {p.name: p.read_bytes() for p in tmp_path.glob("*.csv")}


def triples(store, graph_iri=G) -> set:
    return set(quads_of(store, graph_iri))


def test_every_template_with_its_example_row_imports(store, tmp_path):
    report = import_csv(store, example_files(tmp_path), G)
    assert report.written and report.ok
    assert set(report.counts) == {t.kind for t in TEMPLATES}
    assert all(n == 1 for n in report.counts.values())
    got = triples(store)
    mc, q = URIRef(DEFAULT_BASE + "mc/hr-mag-welding"), URIRef(DEFAULT_BASE + "qualification/hr-welder")
    assert (mc, RDF.type, QF.MicroCredential) in got
    assert (q, ELM.NQFLevel, URIRef(QDR + "c_486071a1")) in got        # CROQF 4.1
    assert (q, ELM.EQFLevel, URIRef(EQF + "4")) in got
    assert (q, ELM.hasPart, URIRef(DEFAULT_BASE + "unit/hr-welder-u1")) in got
    assert (URIRef(f"{q}#req"), RDF.type, QF.AllOf) in got
    volume = next(o for s, p, o in got if (s, p) == (mc, ELM.volumeOfLearning))
    assert volume.toPython() == timedelta(hours=125)        # "PT125H" (stores may write P5DT5H)
    assert (URIRef(f"{mc}#ects"), ELM.point, Literal("5")) in got


@pytest.mark.parametrize("country", ["hr", "nl", "dk"])
def test_the_demo_graphs_written_as_csv_import_to_the_same_triples(demo_store, store, country):
    """Every demo entity the templates cover comes back triple for triple (the skills-needs
    signals and the dataset record are not register templates)."""
    base = f"https://w3id.org/qfgraph/id/{country}/"
    for c in ("hr", "nl", "dk"):     # in order: later countries refer to earlier outcomes
        g = f"https://w3id.org/qfgraph/graph/demo/{c}"
        import_csv(store, export_csv(demo_store, g, f"https://w3id.org/qfgraph/id/{c}/"), g,
                   f"https://w3id.org/qfgraph/id/{c}/")
        if c == country:
            break
    g = f"https://w3id.org/qfgraph/graph/demo/{country}"
    demo, imported = triples(demo_store, g), triples(store, g)
    assert imported <= demo
    outside = {t for t in demo - imported if "/need/" in str(t[0]) or "/dataset" in str(t[0])
               or t[1] in (QF.addressesNeed, QF.maintainedBy)}
    assert demo - imported == outside
    assert any(str(s).startswith(base + "mc/") for s, _, _ in imported)


@pytest.mark.parametrize("framework, code, level, eqf", [
    ("CROQF", "4.2", "c_49672c5a", "4"),
    ("NLQF", "4+", "c_c2700f4e", "4"),
    ("NLQF", "Entry", "c_b42dd23b", None),
    ("SCQF", "7", "c_326c93a5", "5"),
    ("DQF", "5", "c_e130f5d2", "5"),
    ("NFQ", "6", "c_670e54c7", "5"),
])
def test_level_codes_as_national_registers_write_them(store, tmp_path, framework, code, level, eqf):
    from qfgraph.graph.catalogue.level_resolution import LevelRegister
    found = LevelRegister(store).find(framework, code)
    assert (str(found.iri), found.eqf and str(found.eqf)) == (QDR + level, eqf and EQF + eqf)
    if eqf is None:        # a level with no EQF level (NLQF Entry): nothing to import it with
        return
    files = example_files(tmp_path)
    files["qualifications.csv"] = files["qualifications.csv"].replace(b"CROQF,4.1,4,", f"{framework},{code},,".encode())
    import_csv(store, files, G)
    q = URIRef(DEFAULT_BASE + "qualification/hr-welder")
    got = triples(store)
    assert (q, ELM.NQFLevel, URIRef(QDR + level)) in got
    assert (q, ELM.EQFLevel, URIRef(EQF + eqf)) in got


def _bad(files, name, old: bytes, new: bytes):
    assert old in files[name], old
    files[name] = files[name].replace(old, new)
    return files


BAD_INPUTS = {
    "unknown level code": (lambda f: _bad(f, "qualifications.csv", b"CROQF,4.1", b"CROQF,4.3"),
                           "qualifications.csv", 2, "nqf_level", "unknown level code '4.3' in CROQF"),
    "unknown framework": (lambda f: _bad(f, "qualifications.csv", b"CROQF,4.1", b"HKO,4.1"),
                          "qualifications.csv", 2, "framework", "unknown framework 'HKO'"),
    "EQF level disagreeing": (lambda f: _bad(f, "qualifications.csv", b"CROQF,4.1,4,", b"CROQF,4.1,5,"),
                              "qualifications.csv", 2, "eqf_level", "disagrees with CROQF level 4.1"),
    "missing column": (lambda f: _bad(f, "units.csv", b"id,qualification,", b"id,"),
                       "units.csv", 1, "qualification", "missing column"),
    "unknown column": (lambda f: _bad(f, "units.csv", b"id,qualification,", b"id,qualification,colour,"),
                       "units.csv", 1, "colour", "unknown column"),
    "duplicate identifier": (lambda f: _bad(f, "learning_outcomes.csv", b"\n", b"\nhr-lo-mag-plates,Again,,,,\n", ),
                             "learning_outcomes.csv", 3, "id", "duplicate identifier 'hr-lo-mag-plates'"),
    "bad number": (lambda f: _bad(f, "micro_credentials.csv", b",5,125,", b",five,125,"),
                   "micro_credentials.csv", 2, "ects", "bad number 'five'"),
    "share above one": (lambda f: _bad(f, "validation_standards.csv", b",0.5,", b",1.5,"),
                        "validation_standards.csv", 2, "maximum_share", "between 0 and 1"),
    "wrong encoding": (lambda f: _bad(f, "learning_outcomes.csv", "čeličnih".encode(), "čeličnih".encode("cp1250")),
                       "learning_outcomes.csv", 2, None, "wrong encoding"),
    "wrong delimiter": (lambda f: {**f, "units.csv": f["units.csv"].replace(b",", b";")},
                        "units.csv", 1, None, "wrong delimiter"),
    "unknown reference": (lambda f: _bad(f, "units.csv", b",hr-welder,MAG", b",hr-plumber,MAG"),
                          "units.csv", 2, "qualification", "unknown reference: no qualification 'hr-plumber'"),
    "unknown code-list word": (lambda f: _bad(f, "micro_credentials.csv", b",blended,", b",hybrid,"),
                               "micro_credentials.csv", 2, "mode", "unknown value 'hybrid'"),
    "missing required value": (lambda f: _bad(f, "organisations.csv", b",HRV,", b",,"),
                               "organisations.csv", 2, "country", "missing value"),
    "not a template": (lambda f: {**f, "courses.csv": b"id\nx\n"}, "courses.csv", None, None,
                       "not a template file"),
    "row with too many fields": (lambda f: _bad(f, "units.csv", b"hr-welder-u1,", b"hr-welder-u1,extra,"),
                                 "units.csv", 2, None, "the row has 9 fields but the header has 8"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_names_file_row_column_and_writes_nothing(store, tmp_path, case):
    spoil, file, row, column, words = BAD_INPUTS[case]
    files = spoil(example_files(tmp_path))
    before = dump(store)
    with pytest.raises(ImportFailed) as failed:
        import_csv(store, files, G)
    assert dump(store) == before
    problems = failed.value.report.problems
    assert any(p.file == file and p.row == row and p.column == column and words in p.message
               for p in problems), [p.to_text() for p in problems]
    assert not failed.value.report.written


def test_an_identifier_the_store_already_holds_is_refused_with_its_row(store, tmp_path):
    files = example_files(tmp_path)
    import_csv(store, files, G)
    before = dump(store)
    with pytest.raises(ImportFailed) as failed:
        import_csv(store, files, G)
    assert dump(store) == before
    p = next(p for p in failed.value.report.problems if p.file == "micro_credentials.csv")
    assert (p.row, p.column) == (2, "id") and "already holds" in p.message


def test_what_the_shapes_refuse_is_reported_and_nothing_written(store, tmp_path):
    """External quality assurance without an accreditation passes our checks but not the rules."""
    files = _bad(example_files(tmp_path), "micro_credentials.csv", b",internal,,", b",external,,")
    before = dump(store)
    with pytest.raises(ImportFailed) as failed:
        import_csv(store, files, G)
    assert dump(store) == before
    assert failed.value.report.shapes_report and "accreditation" in failed.value.report.shapes_report


def test_cli_writes_templates_imports_them_and_fails_cleanly(tmp_path, capsys):
    spec, templates = str(tmp_path / "store"), tmp_path / "templates"
    assert main(["--store", spec, "init"]) == 0
    assert main(["template", "csv", str(templates)]) == 0
    assert sorted(p.name for p in templates.glob("*.csv")) == sorted(t.file for t in TEMPLATES)
    assert main(["--store", spec, "import", "csv", str(templates), "--graph", G]) == 0
    assert "1 micro-credentials" in capsys.readouterr().out
    (templates / "units.csv").write_bytes((templates / "units.csv").read_bytes().replace(b",10,", b",ten,"))
    with graph.open_store(spec) as s:
        before = dump(s)
    assert main(["--store", spec, "import", "csv", str(templates), "--graph", G + "2"]) == 1
    err = capsys.readouterr().err
    assert "units.csv, row 2, column 'ects': bad number 'ten'" in err
    with graph.open_store(spec) as s:
        assert dump(s) == before


def test_a_long_import_reports_its_progress(store, tmp_path):
    seen = []

    def progress(label, total):
        seen.append(("start", label, total))
        return lambda n: seen.append(("end",) if n is None else ("rows", n))
    import_csv(store, example_files(tmp_path), G, progress=progress)
    assert seen[0] == ("start", "checking rows", len(TEMPLATES))
    assert sum(n for kind, *rest in seen if kind == "rows" for n in rest) == len(TEMPLATES)
    assert seen[-1] == ("end",)


def test_the_documentation_shows_the_templates_as_they_are():
    from pathlib import Path

    from qfgraph.graph.imports import templates_markdown
    doc = (Path(__file__).resolve().parents[1] / "docs" / "csv-templates.md").read_text(encoding="utf-8")
    assert templates_markdown() in doc
