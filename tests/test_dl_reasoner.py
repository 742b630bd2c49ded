"""A second, independent reasoner: HermiT (OWL 2 DL, shipped in owlready2) checks the ontology and the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import Sources
from iotkg.pipeline.reason import Reasoned

owlready2 = pytest.importorskip("owlready2", reason="owlready2 (HermiT) is a dev dependency")
pytestmark = [
    pytest.mark.slow,  # the full suite only (see pyproject.toml)
    pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime; none on PATH"),
]


def hermit(graph: Graph, folder: Path, infer_properties: bool = False):
    path = folder / "graph.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=infer_properties, debug=0)
    return world


def test_hermit_finds_the_shipped_graph_consistent_and_agrees_on_equivalent_roles(
    shipped: Sources, reasoned: Reasoned, tmp_path: Path
) -> None:
    world = hermit(shipped.asserted, tmp_path, infer_properties=True)
    hermit_pairs = set()
    # owlready2 stores each inferred value under the most specific property: read the sub-property too
    for prop in (IOTKG.playsSamePartAs, IOTKG.sameEntityAs):
        hermit_pairs |= {(URIRef(a.iri), URIRef(b.iri)) for a, b in world[str(prop)].get_relations() if a != b}
    owlrl_pairs = {(a, b) for a, b in reasoned.combined.subject_objects(IOTKG.playsSamePartAs) if a != b}
    assert len(owlrl_pairs) > 100
    assert hermit_pairs == owlrl_pairs
    fido = "https://w3id.org/iotkg/id/fido/role-rendezvous-server"
    steering = URIRef("https://w3id.org/iotkg/id/dpp/role-configurator")
    connection = URIRef("https://w3id.org/iotkg/id/brski/role-server")
    assert {(URIRef(fido), steering), (URIRef(fido), connection)} <= hermit_pairs
    assert (connection, steering) not in hermit_pairs, "the two groups of the Rendezvous Server stay apart"
    assert reasoned.combined.value(URIRef(fido), IOTKG.hasRoleCategory) is not None


def test_hermit_finds_a_role_with_a_clashing_type_inconsistent(shipped: Sources, tmp_path: Path) -> None:
    """HermiT still checks the data: a belief both initial and imparted (disjoint classes) is inconsistent."""
    graph = Graph()
    graph += shipped.asserted
    graph.add((URIRef("https://w3id.org/iotkg/id/brski/initial-belief-1"), RDF.type, IOTKG.ImpartedBelief))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        hermit(graph, tmp_path)
