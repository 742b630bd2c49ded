"""Mutation test: remove each required characteristic of a protocol entry from a copy, and validation must fail and
name that entry (its focus node, file and line; for an iotkg:Protocol its short name) and that characteristic (shape
and message).

An entry is an iotkg:Protocol (of the edition that recorded it first) or an iotkg:ProtocolMention (a later edition's
entry for it, e.g. -07's), and its facts are those of the entry's edition: removing the -07 facts of a protocol is
caught on its -07 entry and not on its -02 entry, and the reverse. Shown twice: on a small fixture with one entry of
each kind (tests/examples/base_PASS.ttl: -02's ex:protocol and -07's ex07:entry; edition07_PASS.ttl: a protocol new
in -07), fast; and on the shipped data, every entry of every edition (the slow suite).

One copy per characteristic, with the characteristic removed from every entry at once: each entry must then be
named on its own, so this shows per entry what removing it from that entry alone would show (the entry-level
shapes look at one entry at a time), at a tenth of the validation runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from iotkg import paths
from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import Sources, parse_turtle
from iotkg.pipeline.validate import shapes_graph, validate_graph

EXAMPLES = Path(__file__).resolve().parent / "examples"
FIXTURE = (EXAMPLES / "base_PASS.ttl", EXAMPLES / "edition07_PASS.ttl")
ED02 = URIRef("https://w3id.org/iotkg/id/draft/02")

Remove = Callable[[Graph, URIRef], None]


def protocol_of(graph: Graph, entry: URIRef) -> URIRef:
    return entry if (entry, RDF.type, IOTKG.Protocol) in graph else graph.value(entry, IOTKG.mentions)


def same_edition(graph: Graph, node: URIRef, entry: URIRef) -> bool:
    return graph.value(node, IOTKG.edition) == graph.value(entry, IOTKG.edition)


def lists_players(graph: Graph, entry: URIRef) -> bool:
    """-02's form (ed:02, or no edition) has a Players list; a later edition has none."""
    return graph.value(entry, IOTKG.edition) in (None, ED02)


def drop_property(prop: URIRef) -> Remove:
    def drop(graph: Graph, entry: URIRef) -> None:
        assert (entry, prop, None) in graph, f"{entry} states no {prop}: nothing to remove"
        graph.remove((entry, prop, None))

    return drop


def remove_nodes(graph: Graph, nodes: set, what: str) -> None:
    assert nodes, f"no {what}: nothing to remove"
    for node in nodes:
        graph.remove((node, None, None))
        graph.remove((None, None, node))


def drop_nodes(cls: URIRef) -> Remove:
    """Remove every node of ``cls`` that belongs to the entry's protocol and edition."""

    def drop(graph: Graph, entry: URIRef) -> None:
        protocol = protocol_of(graph, entry)
        nodes = {n for n in graph.subjects(IOTKG.ofProtocol, protocol) if (n, RDF.type, cls) in graph}
        remove_nodes(graph, {n for n in nodes if same_edition(graph, n, entry)}, f"{cls} of {entry}")

    return drop


def drop_players(graph: Graph, entry: URIRef) -> None:
    """-02's form: the roles listed as players. A later edition: its roles of the protocol and its role mentions."""
    protocol = protocol_of(graph, entry)
    of_protocol = set(graph.subjects(IOTKG.ofProtocol, protocol))
    if lists_players(graph, entry):
        nodes = {n for n in of_protocol if (n, IOTKG.listedAsPlayer, Literal(True)) in graph}
    else:
        roles = {n for n in of_protocol if (n, RDF.type, IOTKG.Role) in graph}
        mentions = {m for m in graph.subjects(RDF.type, IOTKG.RoleMention) if graph.value(m, IOTKG.mentions) in roles}
        nodes = {n for n in roles | mentions if same_edition(graph, n, entry)}
    remove_nodes(graph, nodes, f"players of {entry}")


@dataclass(frozen=True)
class Characteristic:
    name: str
    remove: Remove
    shape: str
    says: str  # what the message must tell the user to add
    protocols_only: bool = False  # a Protocol's own characteristic, which a mention does not have
    mentions_only: bool = False


CHARACTERISTICS = [
    Characteristic("label", drop_property(RDFS.label), "shapes:Protocol-label", "add rdfs:label", protocols_only=True),
    Characteristic(
        "short name", drop_property(IOTKG.shortName), "shapes:Protocol-shortName", "add one iotkg:shortName"
    ),
    Characteristic("title", drop_property(DCTERMS.title), "shapes:Protocol-title", "add dcterms:title"),
    Characteristic(
        "draft section", drop_property(IOTKG.draftSection), "shapes:Edition-section", "add iotkg:draftSection"
    ),
    Characteristic("term", drop_nodes(IOTKG.TermUse), "shapes:Protocol-term", "add an iotkg:TermUse"),
    Characteristic("player", drop_players, "shapes:Protocol-player", "add an iotkg:Role"),
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
    Characteristic(
        "mentioned protocol",
        drop_property(IOTKG.mentions),
        "shapes:Mention-mentions",
        "add one iotkg:mentions",
        mentions_only=True,
    ),
]
COMPLETENESS = {"term", "player", "initial belief", "process", "imparted belief"}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def entries_of(graph: Graph) -> list[URIRef]:
    """Every entry: the protocols and the protocol mentions."""
    return sorted(set(graph.subjects(RDF.type, IOTKG.Protocol)) | set(graph.subjects(RDF.type, IOTKG.ProtocolMention)))


def applies(characteristic: Characteristic, graph: Graph, entry: URIRef) -> bool:
    is_mention = (entry, RDF.type, IOTKG.ProtocolMention) in graph
    return not (characteristic.protocols_only and is_mention) and not (characteristic.mentions_only and not is_mention)


def mutate(characteristic: Characteristic, original: Graph, entries: list[URIRef]) -> tuple[Graph, list[URIRef]]:
    """A copy of ``original`` with ``characteristic`` removed from every entry it applies to, and those entries."""
    mutated = Graph()
    for prefix, namespace in original.namespaces():
        mutated.bind(prefix, namespace)
    mutated += original
    removed_from = [e for e in entries if applies(characteristic, original, e)]
    assert removed_from
    for entry in removed_from:
        characteristic.remove(mutated, entry)
    return mutated, removed_from


def check_mutation(
    characteristic: Characteristic,
    original: Graph,
    subject_files: dict,
    shapes: Graph,
    entries: list[URIRef],
    compare_engines: bool = True,
) -> None:
    """``compare_engines``: also require the reference engine's findings (``False`` where a slow twin does that)."""
    names = {e: str(original.value(e, IOTKG.shortName)) for e in entries}
    labels = {e: str(original.value(e, RDFS.label)) for e in entries}
    mutated, removed_from = mutate(characteristic, original, entries)

    validation = validate_graph(mutated, subject_files, shapes)
    assert not validation.conforms
    if compare_engines:
        # the fast engine (pyshacl-turbo) and the reference (pySHACL) find the same, finding for finding
        assert validation.findings == validate_graph(mutated, subject_files, shapes, "pyshacl").findings
    for entry in entries:
        focus = mutated.namespace_manager.normalizeUri(entry)
        hits = [f for f in validation.findings if f.focus == focus and f.shape == characteristic.shape]
        if entry not in removed_from:
            assert hits == [], (focus, characteristic.name)
            continue
        assert len(hits) == 1, (focus, characteristic.name, [f.shape for f in validation.findings if f.focus == focus])
        finding = hits[0]
        assert finding.severity == "Violation"
        if (entry, RDF.type, IOTKG.Protocol) in original:
            expected_name = labels[entry] if characteristic.name == "short name" else names[entry]
            assert finding.protocol == expected_name
        assert finding.file == str(subject_files[entry])
        assert finding.line > 0
        assert characteristic.says in finding.message


def fixture_graph() -> tuple[Graph, dict]:
    graph = parse_turtle(paths.ontology_dir() / "iotkg.ttl")
    files: dict = {}
    for path in FIXTURE:
        part = parse_turtle(path)
        for prefix, namespace in part.namespaces():
            graph.bind(prefix, namespace, override=False)
        for subject in part.subjects():
            files.setdefault(subject, path)
        graph += part
    return graph, files


@pytest.mark.parametrize("characteristic", CHARACTERISTICS, ids=lambda c: c.name)
def test_removing_a_characteristic_names_each_entry_of_each_edition(
    characteristic: Characteristic, shapes: Graph
) -> None:
    graph, files = fixture_graph()
    entries = entries_of(graph)
    editions = {graph.value(e, IOTKG.edition) for e in entries}
    kinds = {(e, RDF.type, IOTKG.ProtocolMention) in graph for e in entries}
    assert len(entries) == 3 and len(editions) == 2 and kinds == {True, False}, "-02 and -07 entries, both kinds"
    assert validate_graph(graph, files, shapes).conforms, "the fixture is complete before anything is removed"
    # the reference engine's findings on the same mutation: test_both_engines_find_the_same_on_each_mutation (slow)
    check_mutation(characteristic, graph, files, shapes, entries, compare_engines=False)


@pytest.mark.slow  # pySHACL takes ~1 s per mutation: the full suite only
@pytest.mark.parametrize("characteristic", CHARACTERISTICS, ids=lambda c: c.name)
def test_both_engines_find_the_same_on_each_mutation(characteristic: Characteristic, shapes: Graph) -> None:
    """The fast engine (pyshacl-turbo) and the reference (pySHACL) find the same on each mutated fixture, finding for
    finding (the fast twin above checks the findings themselves)."""
    graph, files = fixture_graph()
    mutated, _ = mutate(characteristic, graph, entries_of(graph))
    fast = validate_graph(mutated, files, shapes)
    assert not fast.conforms
    assert fast.findings == validate_graph(mutated, files, shapes, "pyshacl").findings


@pytest.mark.parametrize("characteristic", [c for c in CHARACTERISTICS if c.name in COMPLETENESS], ids=lambda c: c.name)
def test_an_entry_counts_only_the_facts_of_its_own_edition(characteristic: Characteristic, shapes: Graph) -> None:
    """Remove the -07 facts of ex:protocol only: its -07 entry is incomplete, its -02 entry (ex:protocol) is not."""
    graph, files = fixture_graph()
    later = URIRef("https://w3id.org/iotkg/id/example/07/entry")
    characteristic.remove(graph, later)
    findings = [f for f in validate_graph(graph, files, shapes).findings if f.shape == characteristic.shape]
    assert [f.focus for f in findings] == ["ex07:entry"]


@pytest.mark.slow  # the full suite only (see pyproject.toml)
@pytest.mark.parametrize("characteristic", CHARACTERISTICS, ids=lambda c: c.name)
def test_removing_a_characteristic_names_each_shipped_entry_and_what_is_missing(
    characteristic: Characteristic, shipped: Sources, shapes: Graph
) -> None:
    original = shipped.asserted
    entries = entries_of(original)
    assert len(set(original.subjects(RDF.type, IOTKG.Protocol))) >= 11, "the eleven protocol entries of -02 are shipped"
    if not any(applies(characteristic, original, e) for e in entries):
        pytest.skip(f"no shipped entry has a {characteristic.name} to remove (no -07 data yet)")
    check_mutation(characteristic, original, shipped.subject_files, shapes, entries)
