"""Every export re-parses to the graph it holds, loads in a second engine that answers every view alike, and says
what it is (manifest, context, catalog)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from rdflib import DCTERMS, OWL, RDF, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from iotkg import editions, paths, views
from iotkg.export import FORMATS, export
from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from iotkg.pipeline.load import Sources, parse_turtle
from iotkg.pipeline.reason import Reasoned
from iotkg.terms import to_rdflib
from iotkg.version import __version__

RDFLIB_FORMAT = {".ttl": "turtle", ".nt": "nt", ".owl": "xml", ".jsonld": "json-ld"}
OXIGRAPH_FORMAT = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
}


def with_header(graph: Graph) -> Graph:
    """The graph with the export's owl:Ontology header (importing the ontology) and owl:NamedIndividual declarations
    of its individuals (issue 21 §4)."""

    headed = Graph() + graph
    data = URIRef("https://w3id.org/iotkg/data")
    headed.add((data, RDF.type, OWL.Ontology))
    headed.add((data, OWL.imports, URIRef("https://w3id.org/iotkg/ontology")))
    # the release: its version IRI and number, and the editions of the draft it holds (issue 20 §6)
    headed.add((data, OWL.versionIRI, URIRef(f"https://w3id.org/iotkg/data/{__version__}")))
    headed.add((data, OWL.versionInfo, Literal(__version__)))
    modelled = set(graph.subjects(URIRef("https://w3id.org/iotkg/ontology#modelled"), Literal(True)))
    headed += [(data, DCTERMS.source, edition) for edition in modelled]
    vocabularies = (str(RDF), "http://www.w3.org/2000/01/rdf-schema#", str(OWL), "http://www.w3.org/2001/XMLSchema#")
    typed = {s for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef)}
    typed -= {s for s, o in graph.subject_objects(RDF.type) if str(o).startswith(vocabularies)}
    headed += [(s, RDF.type, OWL.NamedIndividual) for s in typed]
    return headed


def expected_graphs(reasoned: Reasoned, shipped: Sources) -> dict[str, Graph]:
    shapes = parse_turtle(paths.ontology_dir() / "shapes.ttl")
    individuals = with_header(reasoned.asserted) - reasoned.asserted  # declared from the asserted types
    return {
        "ontology.ttl": shipped.ontology,
        "ontology.owl": shipped.ontology,
        "instances.ttl": shipped.instances + individuals,
        "iotkg.ttl": reasoned.asserted,
        "iotkg.nt": reasoned.asserted,
        "inferred.ttl": reasoned.inferred,
        "inferred.nt": reasoned.inferred,
        "merged.ttl": reasoned.combined + individuals,
        "merged.jsonld": reasoned.combined + individuals,
        "shapes.ttl": shapes,
    }


GRAPH_FILES = [
    "ontology.ttl",
    "ontology.owl",
    "instances.ttl",
    "iotkg.ttl",
    "iotkg.nt",
    "inferred.ttl",
    "inferred.nt",
    "merged.ttl",
    "merged.jsonld",
    "shapes.ttl",
]
SLOW_GRAPH_FILES = {"instances.ttl", "iotkg.ttl", "iotkg.nt", "inferred.ttl", "merged.ttl"}
"""The files whose re-parse the full suite only checks: the edit loop keeps a representative of each serializer
(Turtle: ontology.ttl and shapes.ttl, N-Triples: inferred.nt, RDF/XML: ontology.owl, JSON-LD: merged.jsonld)."""


@pytest.fixture(scope="module")
def expected(reasoned: Reasoned, shipped: Sources) -> dict[str, Graph]:
    """What each graph file holds, built once for the module (the tests only read it)."""
    return expected_graphs(reasoned, shipped)


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=[pytest.mark.slow] if n in SLOW_GRAPH_FILES else []) for n in GRAPH_FILES]
)
def test_each_graph_file_reparses_isomorphic(exported: Path, expected: dict[str, Graph], name: str) -> None:
    expected = expected[name]
    parsed = Graph().parse(exported / name, format=RDFLIB_FORMAT[Path(name).suffix])
    assert len(parsed) == len(expected) > 0
    assert isomorphic(parsed, expected)


@pytest.mark.parametrize(  # N-Quads' twin of the TriG case: the full suite only
    "name", ["iotkg.trig", pytest.param("iotkg.nq", marks=pytest.mark.slow)]
)
def test_dataset_files_keep_asserted_and_inferred_apart(exported: Path, reasoned: Reasoned, name: str) -> None:
    dataset = Dataset()
    dataset.parse(exported / name, format="trig" if name.endswith(".trig") else "nquads")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {ASSERTED_GRAPH, INFERRED_GRAPH}
    assert isomorphic(dataset.graph(URIRef(ASSERTED_GRAPH)), reasoned.asserted)
    assert isomorphic(dataset.graph(URIRef(INFERRED_GRAPH)), reasoned.inferred)


def _text(view: views.View, edition: str) -> str:
    """The view's query reading one edition (``?edition`` stands for it, as ``iotkg query --edition`` does)."""
    return editions.bind(view.text, editions.EDITION_IRI + edition) if editions.reads_edition(view.text) else view.text


def _rdflib_rows(view: views.View, graph: Graph, edition: str) -> list[tuple[str, ...]]:
    """A view's rows as rdflib answers it on a graph: each value's N-Triples text ("" unbound), sorted."""
    result = graph.query(_text(view, edition))
    names = [str(v) for v in result.vars or []]
    return sorted(tuple(row[v].n3() if v in row.labels and row[v] is not None else "" for v in names) for row in result)


def _oxigraph_rows(view: views.View, store: ox.Store, edition: str) -> list[tuple[str, ...]]:
    """The same rows as pyoxigraph answers the view on a store."""
    solutions = store.query(_text(view, edition), use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return sorted(tuple("" if s[v] is None else to_rdflib(s[v]).n3() for v in names) for s in solutions)


@pytest.fixture(scope="module")
def reference_rows(reasoned: Reasoned) -> dict[str, list[tuple[str, ...]]]:
    """Every view run by rdflib on the built graph, reading the latest edition (-07; rdflib takes minutes for both,
    and the views' -02 rows are checked against their golden files)."""
    combined = reasoned.combined
    return {(view.name, "07"): _rdflib_rows(view, combined, "07") for view in views.list_views()}


@pytest.mark.parametrize(
    "files", [["merged.ttl"], ["merged.jsonld"], ["iotkg.trig"], ["iotkg.nq"], ["iotkg.nt", "inferred.nt"]]
)
@pytest.mark.slow
def test_oxigraph_answers_every_view_like_rdflib(exported: Path, reference_rows: dict, files: list[str]) -> None:
    store = ox.Store()
    for name in files:
        store.load(path=str(exported / name), format=OXIGRAPH_FORMAT[Path(name).suffix])
    assert len(reference_rows) == len(views.list_views()) > 0
    assert sum(len(rows) for rows in reference_rows.values()) > 0
    for (name, edition), expected in reference_rows.items():
        assert _oxigraph_rows(views.find_view(name), store, edition) == expected, (name, edition)


def test_jsonld_carries_its_small_context_inline(exported: Path, shipped: Sources) -> None:
    document = json.loads((exported / "merged.jsonld").read_text(encoding="utf-8"))
    context = json.loads((exported / "context.jsonld").read_text(encoding="utf-8"))
    assert set(context) == {"@context"}
    assert document["@context"] == context["@context"]  # inline: nothing to fetch when the file is loaded
    declared: dict[str, str] = {}
    for path in [paths.ontology_dir() / "iotkg.ttl", *shipped.files]:
        declared.update({p: str(n) for p, n in Graph(bind_namespaces="none").parse(path).namespaces()})
    iris = {str(t) for triple in shipped.asserted for t in triple if isinstance(t, URIRef)}
    for prefix, namespace in context["@context"].items():
        assert declared.get(prefix) == namespace, prefix  # a prefix the input files declare ...
        assert any(iri.startswith(namespace) for iri in iris), prefix  # ... and the graph uses
    assert "brick" not in context["@context"] and "schema" not in context["@context"]


@pytest.mark.slow
def test_jsonld_reads_as_the_merged_graph_with_its_context_file_resolved_locally(
    exported: Path, reasoned: Reasoned, tmp_path: Path
) -> None:
    document = json.loads((exported / "merged.jsonld").read_text(encoding="utf-8"))
    (tmp_path / "context.jsonld").write_bytes((exported / "context.jsonld").read_bytes())
    (tmp_path / "merged.jsonld").write_text(json.dumps({**document, "@context": "context.jsonld"}), encoding="utf-8")
    parsed = Graph().parse(tmp_path / "merged.jsonld", format="json-ld")  # the context: a file beside it
    expected = reasoned.combined + (with_header(reasoned.asserted) - reasoned.asserted)
    assert len(parsed) == len(expected) > 0
    assert isomorphic(parsed, expected)


def test_catalog_maps_the_ontology_iris_to_the_owl_file(exported: Path, shipped: Sources) -> None:
    root = ElementTree.parse(exported / "catalog-v001.xml").getroot()
    assert root.tag == "{urn:oasis:names:tc:entity:xmlns:xml:catalog}catalog"
    mapping = {entry.get("name"): entry.get("uri") for entry in root}
    header = next(shipped.ontology.subjects(RDF.type, OWL.Ontology))
    version = shipped.ontology.value(header, OWL.versionIRI)
    assert mapping == {str(header): "ontology.owl", str(version): "ontology.owl"}
    owl = Graph().parse(exported / "ontology.owl", format="xml")
    assert (header, RDF.type, OWL.Ontology) in owl


@pytest.mark.slow
def test_manifest_lists_every_file_with_count_and_checksum(exported: Path) -> None:
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {p.name for p in exported.iterdir() if not p.name.startswith(".")} - {"manifest.json"}
    assert set(listed) == on_disk == {name for names in FORMATS.values() for name in names}
    for name, entry in listed.items():
        data = (exported / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert entry["bytes"] == len(data)
        suffix = Path(name).suffix
        if suffix in (".trig", ".nq"):
            assert entry["triples"] == sum(1 for _ in ox.parse(data, format=OXIGRAPH_FORMAT[suffix])), name
        elif name != "context.jsonld" and suffix in RDFLIB_FORMAT:
            assert entry["triples"] == len(Graph().parse(data=data, format=RDFLIB_FORMAT[suffix])), name
        else:
            assert entry["triples"] is None, name
    assert manifest["ontology"]["versionInfo"] and manifest["ontology"]["versionIRI"]


def test_manifest_and_header_name_the_release_and_the_editions_it_holds(exported: Path) -> None:
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data"]["versionInfo"] == __version__
    assert manifest["data"]["versionIRI"] == f"https://w3id.org/iotkg/data/{__version__}"
    held = [(edition["number"], edition["issued"]) for edition in manifest["editions"]]
    assert held == [("02", "2024-03-25"), ("07", "2026-07-06")]  # modelled editions only (not -01, -06), sorted
    ontology = Graph().parse(exported / "ontology.ttl")
    assert str(ontology.value(URIRef("https://w3id.org/iotkg/ontology"), OWL.versionInfo)).startswith(__version__)
    instances = Graph().parse(exported / "instances.ttl")
    sources = set(instances.objects(URIRef("https://w3id.org/iotkg/data"), DCTERMS.source))
    assert sources == {URIRef(edition["iri"]) for edition in manifest["editions"]}


@pytest.mark.slow
def test_export_command_writes_chosen_formats_and_refuses_a_users_folder(tmp_path: Path, cli) -> None:
    out = tmp_path / "graph"
    result = cli("export", "--to", str(out), "--format", "owl")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "catalog-v001.xml",
        "manifest.json",
        "ontology.owl",
    ]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.ttl").write_text("# my notes\n")
    refused = cli("export", "--to", str(mine))
    assert refused.returncode == 2
    assert "did not write" in refused.stderr and "Traceback" not in refused.stderr
    assert (mine / "notes.ttl").read_text() == "# my notes\n"
    assert sorted(p.name for p in mine.iterdir()) == ["notes.ttl"]
    bad = cli("export", "--to", str(out), "--format", "yaml")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_narrower_export_leaves_no_stale_files(
    tmp_path: Path, exported: Path, reasoned: Reasoned, shipped: Sources
) -> None:
    shutil.copytree(exported, tmp_path, dirs_exist_ok=True)  # every format's files, as export wrote them
    assert len([p for p in tmp_path.iterdir() if not p.name.startswith(".")]) > 2
    export(reasoned, tmp_path, shipped, ["nquads"])
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["iotkg.nq", "manifest.json"]


@pytest.mark.slow  # two loads, reasonings and exports of a copy of the data: the full suite only
def test_a_one_literal_change_is_a_one_line_diff(tmp_path: Path) -> None:
    import difflib

    from iotkg.pipeline.load import load
    from iotkg.pipeline.reason import reason

    instances = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), instances)
    outputs = []
    for run, label in enumerate(("Administrator", "Administrator (renamed)")):
        brski = instances / "brski.ttl"
        text = brski.read_text(encoding="utf-8")
        brski.write_text(text.replace('rdfs:label "Administrator"', f'rdfs:label "{label}"', 1), encoding="utf-8")
        sources = load(instances)
        export(reason(sources.asserted), tmp_path / f"out-{run}", sources, ["turtle", "ntriples"])
        outputs.append(tmp_path / f"out-{run}")
    for name in ("iotkg.ttl", "iotkg.nt", "instances.ttl", "merged.ttl"):
        before, after = ((out / name).read_text(encoding="utf-8").splitlines() for out in outputs)
        changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0) if line[:1] in "+-"]
        changed = [line for line in changed if not line.startswith(("+++", "---"))]
        assert len(changed) == 2, (name, changed)
        assert "Administrator (renamed)" in changed[1], (name, changed)


def test_export_without_the_sources_differs_only_in_the_instances(
    tmp_path: Path, exported: Path, reasoned: Reasoned, shipped: Sources
) -> None:
    """Without the sources the instances are the asserted statements minus the ontology file's (whose blank nodes,
    parsed anew, stay in): every other file is the same."""
    export(reasoned, tmp_path / "without")  # with the sources: the session's export (the build's, conftest.py)
    files = {
        name: {p.name: p.read_bytes() for p in folder.iterdir()}
        for name, folder in (("with", exported), ("without", tmp_path / "without"))
    }
    assert set(files["with"]) == set(files["without"])
    different = sorted(name for name in files["with"] if files["with"][name] != files["without"][name])
    assert different == ["instances.ttl", "manifest.json"]
    instances = Graph().parse(data=files["without"]["instances.ttl"].decode(), format="turtle")
    assert len(instances) >= len(shipped.instances)
