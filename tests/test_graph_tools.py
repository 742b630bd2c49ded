"""The exported graph in other tools (issue 21, section 4): a VoID description, an owl:Ontology header importing the
ontology, and owl:NamedIndividual declarations that OWL 2 DL tools (owlready2) need."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef

from iotkg.export import DATA_IRI, export
from iotkg.namespaces import ONTOLOGY_IRI
from iotkg.pipeline.load import Sources
from iotkg.pipeline.reason import Reasoned

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
PLEDGE = URIRef("https://w3id.org/iotkg/id/brski/role-pledge")


@pytest.fixture(scope="module")
def graph_dir(exported: Path) -> Path:
    """The session's export of every format (conftest.py): the tests only read it."""
    return exported


@pytest.fixture(scope="module")
def merged(graph_dir: Path) -> Graph:
    """merged.ttl, parsed once for the module: the tests only read it."""
    return Graph().parse(graph_dir / "merged.ttl")


def test_void_describes_the_dataset_and_each_distribution(graph_dir: Path, merged: Graph) -> None:
    void = Graph().parse(graph_dir / "void.ttl", format="turtle", publicID=graph_dir.as_uri() + "/")
    dataset = URIRef(DATA_IRI)
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert void.value(dataset, VOID.triples) == Literal(len(merged))
    assert void.value(dataset, VOID.classes) == Literal(len(set(merged.objects(None, RDF.type))))
    assert void.value(dataset, VOID.properties) == Literal(len(set(merged.predicates())))
    manifest = json.loads((graph_dir / "manifest.json").read_text(encoding="utf-8"))
    described = {
        Path(str(void.value(d, DCAT.downloadURL))).name: str(void.value(d, DCAT.mediaType))
        for d in void.objects(dataset, DCAT.distribution)
    }
    listed = {e["path"]: e["media_type"] for e in manifest["files"] if e["path"] != "void.ttl"}
    assert described == listed and len(listed) > 5


@pytest.mark.parametrize("name", ["instances.ttl", "merged.ttl"])
def test_the_data_is_an_ontology_that_imports_the_ontology(graph_dir: Path, merged: Graph, name: str) -> None:
    data = merged if name == "merged.ttl" else Graph().parse(graph_dir / name)
    assert (URIRef(DATA_IRI), OWL.imports, URIRef(ONTOLOGY_IRI)) in data
    assert (PLEDGE, RDF.type, OWL.NamedIndividual) in data
    catalog = (graph_dir / "catalog-v001.xml").read_text(encoding="utf-8")
    assert f'name="{ONTOLOGY_IRI}" uri="ontology.owl"' in catalog  # the import resolves offline


def test_no_individual_is_also_a_class_or_property(merged: Graph) -> None:
    """OWL 2 DL (and RL's) typing: a named individual is never also declared a class or a property."""
    individuals = set(merged.subjects(RDF.type, OWL.NamedIndividual))
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology)
    schema = {s for kind in kinds for s in merged.subjects(RDF.type, kind)}
    assert len(individuals) > 100 and individuals & schema == set()


@pytest.mark.slow
def test_owlready2_finds_the_individuals(graph_dir: Path, tmp_path: Path) -> None:
    owlready2 = pytest.importorskip("owlready2")
    world = owlready2.World()
    world.get_ontology((graph_dir / "ontology.owl").as_uri()).load()
    Graph().parse(graph_dir / "instances.ttl").serialize(tmp_path / "instances.nt", format="nt")
    world.get_ontology((tmp_path / "instances.nt").as_uri()).load(format="ntriples")
    found = {individual.iri for individual in world.individuals()}
    assert str(PLEDGE) in found and len(found) > 100


def test_void_names_the_endpoint_when_given_and_a_dump_only_where_one_is_written(
    tmp_path: Path, reasoned: Reasoned, shipped: Sources
) -> None:
    endpoint = "http://127.0.0.1:7878/query"
    export(reasoned, tmp_path / "served", shipped, ["void", "ntriples"], endpoint=endpoint)
    served = Graph().parse(tmp_path / "served" / "void.ttl", format="turtle")
    assert served.value(URIRef(DATA_IRI), VOID.sparqlEndpoint) == URIRef(endpoint)
    assert served.value(URIRef(DATA_IRI), VOID.dataDump) is None  # no merged.ttl was written
    export(reasoned, tmp_path / "dump", shipped, ["void", "turtle"])
    dump = Graph().parse(tmp_path / "dump" / "void.ttl", format="turtle", publicID=(tmp_path / "dump").as_uri() + "/")
    assert dump.value(URIRef(DATA_IRI), VOID.dataDump) == URIRef((tmp_path / "dump" / "merged.ttl").as_uri())
    assert dump.value(URIRef(DATA_IRI), VOID.sparqlEndpoint) is None
