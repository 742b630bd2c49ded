"""The compiled RDFS-Plus rules entail what owlrl's OWL 2 RL closure entails, and hand other graphs on."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import RDF, Graph, URIRef

from iotkg.pipeline import rdfsplus
from iotkg.pipeline.load import Sources
from iotkg.pipeline.reason import is_noise, reason, rule_input

EX = "https://example.org/"
PREFIXES = """
@prefix : <https://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Every construct of the profile, each one feeding another: inherited domains, inverses of sub-properties, a
# symmetric, transitive property defined by a chain whose first step is partly entailed by an inverse.
IN_PROFILE = """
:Device rdfs:subClassOf :Thing . :Thing owl:equivalentClass :Entity . :Entity rdfs:subClassOf owl:Thing .
:Pledge rdfs:subClassOf :Device .
:partOf a owl:ObjectProperty ; rdfs:subPropertyOf :relatedTo ; rdfs:domain :Part ; rdfs:range :Whole .
:relatedTo a owl:ObjectProperty ; owl:equivalentProperty :linkedTo ; rdfs:domain :Entity .
:hasPart owl:inverseOf :partOf .
:near a owl:SymmetricProperty ; rdfs:range :Placed .
:category a owl:ObjectProperty, owl:FunctionalProperty ; rdfs:range :Category .
:member owl:inverseOf :category .
:samePart a owl:ObjectProperty, owl:SymmetricProperty, owl:TransitiveProperty ;
    rdfs:domain :Role ; owl:propertyChainAxiom ( :category :member ) .
:sameEntity rdfs:subPropertyOf :samePart .
:name a owl:DatatypeProperty ; rdfs:range xsd:string ; rdfs:domain :Named .
:Part owl:disjointWith :Category .
:a a :Pledge ; :partOf :w ; :near :b ; :name "a" .
:w :hasPart :c .
:r1 :category :k1 . :r2 :category :k1 . :k2 :member :r3 . :r3 :sameEntity :r4 . :r5 :category :k2 .
"""


def parsed(text: str) -> Graph:
    graph = Graph()
    graph.parse(data=PREFIXES + text, format="turtle")
    return graph


def full_closure_news(graph: Graph) -> set[tuple]:
    """owlrl's full OWL 2 RL closure of the graph (axiomatic and datatype triples too), less the noise."""
    full = Graph()
    full += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=True, datatype_axioms=True).expand(full)
    return {t for t in full if t not in graph and not is_noise(t)}


def test_a_graph_in_the_profile_gets_owlrls_full_closure_from_the_compiled_rules() -> None:
    graph = parsed(IN_PROFILE)
    base, _ = rule_input(graph)
    assert rdfsplus.closure(base) is not None, "the graph is in the profile: the compiled rules run"
    inferred = set(reason(graph).inferred)
    expected = full_closure_news(graph)
    assert inferred == expected
    a, c, r1, r3, r4, r5 = (URIRef(EX + n) for n in ("a", "c", "r1", "r3", "r4", "r5"))
    assert (a, RDF.type, URIRef(EX + "Entity")) in inferred  # sub-class, then an equivalent class
    assert (a, URIRef(EX + "linkedTo"), URIRef(EX + "w")) in inferred  # sub-property, then an equivalent one
    assert (c, RDF.type, URIRef(EX + "Part")) in inferred  # the inverse, then the domain
    assert (r4, URIRef(EX + "samePart"), r5) in inferred  # a sub-property link joins two chain groups
    assert (r3, RDF.type, URIRef(EX + "Role")) in inferred  # an entailed chain pair gets the domain
    assert (r1, URIRef(EX + "samePart"), r3) not in inferred


def test_the_shipped_graph_is_in_the_profile(shipped: Sources) -> None:
    base, _ = rule_input(shipped.asserted)
    assert rdfsplus.compile_schema(base) is not None
    closed = rdfsplus.closure(base)
    assert closed is not None and len(closed) > len(base) + 2000


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        (":a owl:sameAs :z .", ("#sameAs",)),
        (
            ":R a owl:Restriction ; owl:onProperty :near ; owl:hasValue :b .",
            ("#Restriction", "#onProperty", "#hasValue"),
        ),
        (":above a owl:TransitiveProperty . :a :above :b . :b :above :c .", ("not symmetric",)),
        (":r1 :category :k2 .", ()),  # a functional property with two values: prp-fp would entail owl:sameAs
        (":near a owl:IrreflexiveProperty .", ("#IrreflexiveProperty",)),
        (":near rdfs:subPropertyOf rdfs:label .", ("#subPropertyOf",)),
    ],
)
def test_a_graph_outside_the_profile_goes_to_the_general_engine(extra: str, why: tuple[str, ...]) -> None:
    graph = parsed(IN_PROFILE + extra)
    base, _ = rule_input(graph)
    assert rdfsplus.closure(base) is None
    reason_given = rdfsplus.compile_schema(base)
    if why:
        assert isinstance(reason_given, str) and any(name in reason_given for name in why)
    else:
        assert not isinstance(reason_given, str), "the schema is in the profile; the data is not"
    assert set(reason(graph).inferred) == set(reason(graph, engine="owlrl").inferred)


def test_a_node_in_two_disjoint_classes_is_a_clash_without_any_functional_property() -> None:
    graph = parsed(":A owl:disjointWith :B . :x a :A . :y a :C . :C rdfs:subClassOf :B . :y a :A .")
    base, _ = rule_input(graph)
    assert rdfsplus.closure(base) is not None, "in the profile: the compiled rules and their clash check run"
    errors = reason(graph).errors
    assert errors == reason(graph, engine="owlrl").errors
    assert len(errors) == 1 and f"{EX}y" in errors[0] and "isjoint" in errors[0]
