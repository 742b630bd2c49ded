"""How validation reads the data: the loaded statements go to the fast engine as pyshacl-turbo would send an rdflib
graph of them, no such graph is made, and the report's protocol entries, files and prefixes come out as from the
graph."""

from __future__ import annotations

import dataclasses

import pytest
from pyshacl_turbo.rdf import input_graph
from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, Namespace, URIRef

from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import Sources, load
from iotkg.pipeline.validate import (
    _Data,
    _Index,
    _turbo_input,
    focus_nodes,
    shapes_graph,
    targeted_shapes,
    validate,
    validate_graph,
)

EX = Namespace("https://example.org/")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def decoded(batch: tuple[list, list]) -> set[tuple]:
    """The statements of a pyshacl-turbo term batch, each term as its (kind, text, datatype, language) row."""
    rows, quads = batch
    return {(rows[s], rows[p], rows[o], g) for s, p, o, g in quads}


def test_the_statements_go_to_the_engine_as_pyshacl_turbo_sends_the_graph(shipped: Sources) -> None:
    ours = _turbo_input(_Data.of_sources(shipped))
    theirs = input_graph(shipped.asserted, direct=True)
    assert ours.format == theirs.format == "terms"
    assert decoded(ours.source) == decoded(theirs.source)
    assert ours.namespaces == theirs.namespaces


def test_every_kind_of_term_is_encoded_as_pyshacl_turbo_encodes_it() -> None:
    graph = Graph()
    node = BNode("b1")
    graph.add((EX.a, EX.p, Literal("plain")))
    graph.add((EX.a, EX.p, Literal("hallo", lang="de")))
    graph.add((EX.a, EX.p, Literal("7", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))))
    graph.add((EX.a, EX.q, node))
    graph.add((node, EX.p, EX.b))
    ours = _turbo_input(_Data.of_graph(graph))
    theirs = input_graph(graph, direct=True)
    assert decoded(ours.source) == decoded(theirs.source)
    assert ours.blank_nodes == theirs.blank_nodes == {"b1": node}


def test_an_equal_term_met_as_another_object_is_the_same_term_to_the_engine() -> None:
    statements = [(URIRef(EX.a), URIRef(EX.p), Literal("x")), (URIRef(EX.a), URIRef(EX.p), Literal("y"))]
    rows, quads = _turbo_input(_Data(statements, Graph(), Graph)).source
    assert len(rows) == 6, "each object has its own row"
    assert {rows[s] for s, _, _, _ in quads} == {(0, str(EX.a), None, None)}


def test_the_sources_bind_the_prefixes_of_their_asserted_graph(shipped: Sources) -> None:
    assert list(shipped.prefixes_graph().namespaces()) == list(shipped.asserted.namespaces())


def test_validating_loaded_sources_makes_no_graph_of_them(shapes: Graph) -> None:
    sources = load()
    validation = validate(sources, shapes)
    assert "asserted" not in vars(sources), "the fast engine reads the statements, not a graph of them"
    from_graph = validate_graph(sources.asserted, sources.subject_files, shapes)
    assert validation.findings == from_graph.findings
    assert validation.namespaces == from_graph.namespaces
    assert validation.protocols == from_graph.protocols > 0


def test_findings_on_the_statements_match_the_reference_engine_on_the_graph(shipped: Sources, shapes: Graph) -> None:
    """Broken data, read both ways: the inconsistencies lose their notes and the roles they concern lose their
    protocol entry, so an inconsistency's entry is that of the first thing it concerns that still has one; the
    entries lose their short names, so they are named by their labels."""
    concerned = {o for _, p, o in shipped.instance_triples if p == IOTKG.concerns}
    roles = {s for s, p, o in shipped.instance_triples if p == RDF.type and o == IOTKG.Role}
    dropped = {IOTKG.note, IOTKG.shortName}
    kept = [
        (s, p, o)
        for s, p, o in shipped.instance_triples
        if p not in dropped and not (p == IOTKG.ofProtocol and s in concerned & roles)
    ]
    broken = dataclasses.replace(shipped, instance_triples=kept)
    fast = validate(broken, shapes, "fast")
    reference = validate_graph(broken.asserted, broken.subject_files, shapes, "pyshacl")
    assert fast.findings == reference.findings
    assert fast.untargeted_shapes == reference.untargeted_shapes

    graph = broken.asserted

    def entry_of(inconsistency: URIRef) -> str:
        for node in sorted(graph.objects(inconsistency, IOTKG.concerns), key=str):
            is_entry = (node, RDF.type, IOTKG.Protocol) in graph
            protocol = node if is_entry else graph.value(node, IOTKG.ofProtocol)
            if protocol is not None:
                return str(graph.value(protocol, RDFS.label))
        return ""

    notes = [f for f in fast.findings if f.shape == "shapes:Inconsistency-note"]
    assert len(notes) == len(set(graph.subjects(RDF.type, IOTKG.DraftInconsistency))) > 0
    namer = broken.prefixes_graph()
    nodes = {namer.namespace_manager.normalizeUri(n): n for n in graph.subjects(RDF.type, IOTKG.DraftInconsistency)}
    assert [f.protocol for f in notes] == [entry_of(nodes[f.focus]) for f in notes]
    assert any(f.protocol == "" for f in notes) and any(f.protocol for f in notes)


def test_the_first_value_a_node_states_is_the_one_the_graph_gives() -> None:
    graph = Graph()
    entries = [EX[f"protocol-{n}"] for n in range(20)]
    for entry in entries:
        graph.add((EX.role, IOTKG.ofProtocol, entry))
    graph.add((entries[1], RDFS.label, Literal("Second")))
    index = _Index(_Data.of_graph(graph).statements)
    assert index.value(EX.role, IOTKG.ofProtocol) == graph.value(EX.role, IOTKG.ofProtocol) == entries[0]
    assert index.value(entries[1], RDFS.label) == Literal("Second")
    assert index.value(entries[0], RDFS.label) is None


TARGETS = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:ByClass a sh:NodeShape ; sh:targetClass ex:Animal .
ex:BySubject a sh:NodeShape ; sh:targetSubjectsOf ex:eats .
ex:ByObject a sh:NodeShape ; sh:targetObjectsOf ex:eats .
ex:ByNode a sh:NodeShape ; sh:targetNode ex:rex .
"""


@pytest.mark.parametrize(
    "statements",
    [
        [],
        [(EX.rex, RDF.type, EX.Dog), (EX.Dog, RDFS.subClassOf, EX.Mammal), (EX.Mammal, RDFS.subClassOf, EX.Animal)],
        [(EX.Dog, RDFS.subClassOf, EX.Animal)],
        [(EX.tom, EX.eats, EX.jerry)],
        [(EX.tom, EX.likes, EX.rex)],
    ],
    ids=["empty", "instance of a subclass", "class without instance", "subject and object", "node mentioned"],
)
def test_a_shape_reaches_a_node_exactly_when_its_targets_select_one(statements: list) -> None:
    target_shapes = Graph().parse(data=TARGETS, format="turtle")
    data = Graph()
    for triple in statements:
        data.add(triple)
    index = _Index(data)
    for shape in targeted_shapes(target_shapes):
        assert index.reaches_a_node(target_shapes, shape) == bool(focus_nodes(target_shapes, data, shape)), shape


def test_the_shipped_shapes_target_what_the_index_says(shipped: Sources, shapes: Graph) -> None:
    data = shipped.asserted
    index = _Index(data)
    reached = [s for s in targeted_shapes(shapes) if index.reaches_a_node(shapes, s)]
    assert reached == [s for s in targeted_shapes(shapes) if focus_nodes(shapes, data, s)]
    assert any((s, SH.targetClass, None) in shapes for s in reached)
