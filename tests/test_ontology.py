"""The ontology is documented and every term the project uses in its own namespace is declared."""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from iotkg import paths
from iotkg.namespaces import ID, IOTKG, ONTOLOGY_IRI
from iotkg.pipeline.load import Sources, parse_turtle

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_turtle(paths.ontology_dir() / "iotkg.ttl")


def declared_terms(ontology: Graph) -> set[URIRef]:
    """iotkg: IRIs declared as a class, a property, or an individual of an iotkg class in the ontology."""
    declared = set()
    for subject in ontology.subjects(RDF.type, None):
        if isinstance(subject, URIRef) and str(subject).startswith(str(IOTKG)):
            declared.add(subject)
    return declared


def test_ontology_header(ontology: Graph) -> None:
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    for prop in ("versionIRI", "versionInfo"):
        assert ontology.value(header, OWL[prop]) is not None, prop
    dcterms = "http://purl.org/dc/terms/"
    for prop in ("title", "description", "license", "created"):
        assert ontology.value(header, URIRef(dcterms + prop)) is not None, prop
    assert str(ontology.value(header, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"))) == "iotkg"


def test_every_class_and_property_has_label_and_definition(ontology: Graph) -> None:
    terms = [
        s
        for t in DECLARATION_TYPES
        for s in ontology.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(str(IOTKG))
    ]
    assert len(terms) > 40, "the ontology should declare its classes and properties"
    missing = [
        str(t) for t in terms if ontology.value(t, RDFS.label) is None or ontology.value(t, SKOS.definition) is None
    ]
    assert missing == []


def test_every_iotkg_term_used_anywhere_is_declared(ontology: Graph, shipped: Sources) -> None:
    declared = declared_terms(ontology)
    used = {
        node
        for triple in shipped.instances
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(IOTKG))
    }
    assert used, "the instances use iotkg: terms"
    assert sorted(str(u) for u in used - declared) == []


def test_every_iotkg_term_in_shapes_and_queries_is_declared(ontology: Graph) -> None:
    declared = {str(t) for t in declared_terms(ontology)}
    texts = [p.read_text() for p in sorted(paths.queries_dir().glob("*.rq"))]
    shapes = paths.ontology_dir() / "shapes.ttl"
    graph = parse_turtle(shapes)
    used = {str(n) for t in graph for n in t if isinstance(n, URIRef) and str(n).startswith(str(IOTKG))}
    for text in texts:
        used |= {str(IOTKG) + local for local in re.findall(r"\biotkg:([A-Za-z][A-Za-z0-9]*)", text)}
    assert used
    assert sorted(used - declared) == []


def test_every_instance_iri_referred_to_is_defined(shipped: Sources) -> None:
    """A typo in a reference (e.g. brski:role-pleg) names a node that nothing describes."""
    data = shipped.instances
    defined = {s for s in data.subjects(RDF.type, None) if isinstance(s, URIRef)}
    referred = {o for o in data.objects() if isinstance(o, URIRef) and str(o).startswith(ID)}
    assert referred
    assert sorted(str(r) for r in referred - defined) == []


def test_a_typo_in_an_instance_file_is_caught(ontology: Graph, tmp_path) -> None:
    """The declared-terms check itself fails on a misspelt iotkg: property."""
    bad = tmp_path / "typo.ttl"
    bad.write_text(
        "@prefix iotkg: <https://w3id.org/iotkg/ontology#> .\n"
        '<https://w3id.org/iotkg/id/x/protocol> a iotkg:Protocol ; iotkg:shortNmae "X" .\n'
    )
    used = {n for t in parse_turtle(bad) for n in t if isinstance(n, URIRef) and str(n).startswith(str(IOTKG))}
    assert used - declared_terms(ontology) == {IOTKG.shortNmae}
