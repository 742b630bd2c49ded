"""How validation reads the data around a result: which protocol entry a finding belongs to, what a shape's targets
select (a shape that selects nothing is an error), and the same entry named on every run."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Namespace

from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import Sources
from iotkg.pipeline.validate import focus_nodes, shapes_graph, targeted_shapes, validate

EX = Namespace("https://example.org/")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


@pytest.mark.slow
def test_findings_name_the_entry_of_what_a_node_concerns_on_both_engines(shipped: Sources, shapes: Graph) -> None:
    """Broken data: the inconsistencies lose their notes and the roles they concern lose their protocol entry, so
    an inconsistency's entry is that of the first thing it concerns that still has one; the entries lose their
    short names, so they are named by their labels."""
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
    reference = validate(broken, shapes, "pyshacl")
    assert fast.findings == reference.findings
    assert fast.untargeted_shapes == reference.untargeted_shapes

    graph = broken.asserted

    def entry_of(inconsistency: object) -> str:
        """The label of the entry: a protocol's (rdfs:label), or, for a later edition's node, its edition's mention
        of the protocol, which has no label of its own (its short name is dropped here): its prefixed name."""
        for node in sorted(graph.objects(inconsistency, IOTKG.concerns), key=str):
            if (node, RDF.type, IOTKG.ProtocolMention) in graph:
                return names.namespace_manager.normalizeUri(node)
            is_entry = (node, RDF.type, IOTKG.Protocol) in graph
            protocol = node if is_entry else graph.value(node, IOTKG.ofProtocol)
            if protocol is not None:
                edition = graph.value(node, IOTKG.edition)
                mentions = [m for m in graph.subjects(IOTKG.mentions, protocol) if (m, IOTKG.edition, edition) in graph]
                mentions = [m for m in mentions if (m, RDF.type, IOTKG.ProtocolMention) in graph]
                if mentions and not is_entry:
                    return names.namespace_manager.normalizeUri(min(mentions, key=str))
                return str(graph.value(protocol, RDFS.label))
            if found := entry_of(node):  # what it concerns concerns a protocol (a -07 consequence names its protocols)
                return found
        return ""

    notes = [f for f in fast.findings if f.shape == "shapes:Inconsistency-note"]
    assert len(notes) == len(set(graph.subjects(RDF.type, IOTKG.DraftInconsistency))) > 0
    names = Graph(bind_namespaces="none")
    for prefix, namespace in fast.namespaces.items():
        names.bind(prefix, namespace)
    nodes = {names.namespace_manager.normalizeUri(n): n for n in graph.subjects(RDF.type, IOTKG.DraftInconsistency)}
    assert [f.protocol for f in notes] == [entry_of(nodes[f.focus]) for f in notes]
    assert any(f.protocol == "" for f in notes) and any(f.protocol for f in notes)


TARGETS = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:ByClass a sh:NodeShape ; sh:targetClass ex:Animal .
ex:BySubject a sh:NodeShape ; sh:targetSubjectsOf ex:eats .
ex:ByObject a sh:NodeShape ; sh:targetObjectsOf ex:eats .
ex:ByNode a sh:NodeShape ; sh:targetNode ex:rex .
"""


@pytest.mark.parametrize(
    ("statements", "selected"),
    [
        ([], {}),
        (
            [(EX.rex, RDF.type, EX.Dog), (EX.Dog, RDFS.subClassOf, EX.Mammal), (EX.Mammal, RDFS.subClassOf, EX.Animal)],
            {EX.ByClass: {EX.rex}, EX.ByNode: {EX.rex}},
        ),
        ([(EX.Dog, RDFS.subClassOf, EX.Animal)], {}),
        ([(EX.tom, EX.eats, EX.jerry)], {EX.BySubject: {EX.tom}, EX.ByObject: {EX.jerry}}),
        ([(EX.tom, EX.likes, EX.rex)], {EX.ByNode: {EX.rex}}),
    ],
    ids=["empty", "instance of a subclass", "class without instance", "subject and object", "node mentioned"],
)
def test_each_kind_of_target_selects_its_nodes(statements: list, selected: dict) -> None:
    target_shapes = Graph().parse(data=TARGETS, format="turtle")
    data = Graph()
    for triple in statements:
        data.add(triple)
    assert targeted_shapes(target_shapes) == [EX.ByClass, EX.ByNode, EX.ByObject, EX.BySubject]
    for shape in targeted_shapes(target_shapes):
        assert set(focus_nodes(target_shapes, data, shape)) == selected.get(shape, set()), shape


ENTRY = """\
@prefix iotkg: <https://w3id.org/iotkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix two: <https://w3id.org/iotkg/id/two-names/> .
two:protocol a iotkg:Protocol ; rdfs:label "Two names" ; iotkg:shortName "Zulu", "Alpha", "Mike" .
"""


@pytest.mark.slow
def test_an_entry_with_two_short_names_is_named_the_same_on_every_run(tmp_path: Path, cli) -> None:
    entry = tmp_path / "two.ttl"
    entry.write_text(ENTRY)
    outputs = []
    for seed in ("1", "2", "3", "4", "5"):
        result = cli("validate", str(entry), cwd=tmp_path, env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 1, result.stderr
        lines = [line for line in result.stdout.splitlines() if "(two.ttl:4)" in line]
        assert lines and all(line.startswith("Alpha (two.ttl:4): ") for line in lines), lines
        assert any("shape shapes:Protocol-shortName)" in line for line in lines)
        outputs.append(result.stdout)
    assert len(set(outputs)) == 1
