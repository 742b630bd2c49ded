"""Mutation test over the shipped data: remove each required characteristic of a protocol entry from a copy, and
validation must fail and name that entry (its short name and file) and that characteristic (shape and message).

One copy per characteristic, with the characteristic removed from every entry at once: each entry must then be
named on its own, so this shows per entry what removing it from that entry alone would show (the protocol-level
shapes look at one protocol at a time), at a tenth of the validation runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import Sources
from iotkg.pipeline.validate import shapes_graph, validate_graph

pytestmark = pytest.mark.slow  # the full suite only (see pyproject.toml)


def drop_property(prop: URIRef) -> Callable[[Graph, URIRef], None]:
    def drop(graph: Graph, protocol: URIRef) -> None:
        assert (protocol, prop, None) in graph, f"{protocol} states no {prop}: nothing to remove"
        graph.remove((protocol, prop, None))

    return drop


def drop_nodes(cls: URIRef, *, player: bool = False) -> Callable[[Graph, URIRef], None]:
    """Remove every node of ``cls`` that belongs to the protocol (players only, if ``player``)."""

    def drop(graph: Graph, protocol: URIRef) -> None:
        nodes = {n for n in graph.subjects(IOTKG.ofProtocol, protocol) if (n, RDF.type, cls) in graph}
        if player:
            nodes = {n for n in nodes if (n, IOTKG.listedAsPlayer, Literal(True)) in graph}
        assert nodes, f"{protocol} has no {cls}: nothing to remove"
        for node in nodes:
            graph.remove((node, None, None))
            graph.remove((None, None, node))

    return drop


@dataclass(frozen=True)
class Characteristic:
    name: str
    remove: Callable[[Graph, URIRef], None]
    shape: str
    says: str  # what the message must tell the user to add


CHARACTERISTICS = [
    Characteristic("label", drop_property(RDFS.label), "shapes:Protocol-label", "add rdfs:label"),
    Characteristic(
        "short name", drop_property(IOTKG.shortName), "shapes:Protocol-shortName", "add one iotkg:shortName"
    ),
    Characteristic("title", drop_property(DCTERMS.title), "shapes:Protocol-title", "add dcterms:title"),
    Characteristic(
        "draft section", drop_property(IOTKG.draftSection), "shapes:Fact-provenance", "add iotkg:draftSection"
    ),
    Characteristic("term", drop_nodes(IOTKG.TermUse), "shapes:Protocol-term", "add an iotkg:TermUse"),
    Characteristic("player", drop_nodes(IOTKG.Role, player=True), "shapes:Protocol-player", "add an iotkg:Role"),
    Characteristic(
        "initial belief", drop_nodes(IOTKG.InitialBelief), "shapes:Protocol-initialBelief", "add an iotkg:InitialBelief"
    ),
    Characteristic("process", drop_nodes(IOTKG.Process), "shapes:Protocol-process", "add an iotkg:Process"),
    Characteristic(
        "imparted belief",
        drop_nodes(IOTKG.ImpartedBelief),
        "shapes:Protocol-impartedBelief",
        "add an iotkg:ImpartedBelief",
    ),
    Characteristic("specification", drop_property(IOTKG.standsOn), "shapes:Protocol-spec", "add iotkg:standsOn"),
]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


@pytest.mark.parametrize("characteristic", CHARACTERISTICS, ids=lambda c: c.name)
def test_removing_a_characteristic_names_each_entry_and_what_is_missing(
    characteristic: Characteristic, shipped: Sources, shapes: Graph
) -> None:
    original = shipped.asserted
    protocols = sorted(original.subjects(RDF.type, IOTKG.Protocol))
    assert len(protocols) >= 11, "the eleven protocol entries of the draft are shipped"
    names = {p: str(original.value(p, IOTKG.shortName)) for p in protocols}
    labels = {p: str(original.value(p, RDFS.label)) for p in protocols}

    mutated = Graph()
    for prefix, namespace in original.namespaces():
        mutated.bind(prefix, namespace)
    mutated += original
    for protocol in protocols:
        characteristic.remove(mutated, protocol)

    validation = validate_graph(mutated, shipped.subject_files, shapes)
    assert not validation.conforms
    # the fast engine (pyshacl-turbo) and the reference (pySHACL) find the same, finding for finding
    assert validation.findings == validate_graph(mutated, shipped.subject_files, shapes, "pyshacl").findings
    for protocol in protocols:
        focus = mutated.namespace_manager.normalizeUri(protocol)
        hits = [f for f in validation.findings if f.focus == focus and f.shape == characteristic.shape]
        assert len(hits) == 1, (focus, characteristic.name, [f.shape for f in validation.findings if f.focus == focus])
        finding = hits[0]
        assert finding.severity == "Violation"
        expected_name = labels[protocol] if characteristic.name == "short name" else names[protocol]
        assert finding.protocol == expected_name
        assert finding.file == str(shipped.subject_files[protocol])
        assert finding.line > 0
        assert characteristic.says in finding.message
