"""The reasoner's rules entail what owlrl's OWL 2 RL closure entails, report the clashes it reports, and refuse by
name what they do not cover."""

from __future__ import annotations

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import RDF, Graph, URIRef

from iotkg.errors import InputError
from iotkg.pipeline.reason import is_noise, reason

EX = "https://example.org/"
PREFIXES = """
@prefix : <https://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Every one-triple rule, each feeding another (inherited domains, inverses of sub-properties), and a symmetric,
# transitive property defined by a chain whose first step is partly entailed by an inverse (the ontology's
# iotkg:playsSamePartAs).
ONE_TRIPLE_RULES_AND_AN_EQUIVALENCE = """
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
:name a owl:DatatypeProperty, owl:FunctionalProperty ; rdfs:range xsd:string ; rdfs:domain :Named .
:Part owl:disjointWith :Category .
:a a :Pledge ; :partOf :w ; :near :b ; :name "a" .
:w :hasPart :c .
:r1 :category :k1 . :r2 :category :k1 . :k2 :member :r3 . :r3 :sameEntity :r4 . :r5 :category :k2 .
"""

# A role in two categories with a relation per category (a chain, not transitive: no merging across categories), a
# three-step chain, and a transitive property that is not symmetric.
CHAINS_AND_TRANSITIVITY = """
:inCategory a owl:ObjectProperty . :hasMember owl:inverseOf :inCategory .
:sharesCategory a owl:ObjectProperty ; rdfs:domain :Role ; owl:propertyChainAxiom ( :inCategory :hasMember ) .
:r1 :inCategory :k1, :k2 . :r2 :inCategory :k1 . :r3 :inCategory :k2 .
:greatUncle owl:propertyChainAxiom ( :parent :parent :brother ) .
:x :parent :y . :y :parent :z . :z :brother :u .
:above a owl:TransitiveProperty ; rdfs:range :Placed . :f3 :above :f2 . :f2 :above :f1 . :f1 :above :f0 .
"""


def parsed(text: str) -> Graph:
    graph = Graph()
    graph.parse(data=PREFIXES + text, format="turtle")
    return graph


def owlrl_closure(graph: Graph) -> tuple[set[tuple], list[str]]:
    """owlrl's full OWL 2 RL closure (axiomatic and datatype triples too): its new triples less the noise, and its
    clashes."""
    full = Graph()
    full += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=True, datatype_axioms=True).expand(full)
    errors = sorted(str(message) for message in full.objects(None, ERRNS.error))
    news = {t for t in full if t not in graph and not is_noise(t) and ERRNS not in str(t[1]) + str(t[2])}
    return news, errors


def test_one_triple_rules_and_an_equivalence_by_chain_entail_what_owlrl_entails() -> None:
    graph = parsed(ONE_TRIPLE_RULES_AND_AN_EQUIVALENCE)
    inferred = set(reason(graph).inferred_triples)
    assert inferred == owlrl_closure(graph)[0]
    a, c, r1, r3, r4, r5 = (URIRef(EX + n) for n in ("a", "c", "r1", "r3", "r4", "r5"))
    assert (a, RDF.type, URIRef(EX + "Entity")) in inferred  # sub-class, then an equivalent class
    assert (a, URIRef(EX + "linkedTo"), URIRef(EX + "w")) in inferred  # sub-property, then an equivalent one
    assert (c, RDF.type, URIRef(EX + "Part")) in inferred  # the inverse, then the domain
    assert (r4, URIRef(EX + "samePart"), r5) in inferred  # a sub-property link joins two chain groups
    assert (r3, RDF.type, URIRef(EX + "Role")) in inferred  # an entailed chain pair gets the domain
    assert (r1, URIRef(EX + "samePart"), r3) not in inferred


def test_chains_without_transitivity_and_transitivity_without_symmetry_entail_what_owlrl_entails() -> None:
    graph = parsed(CHAINS_AND_TRANSITIVITY)
    inferred = set(reason(graph).inferred_triples)
    assert inferred == owlrl_closure(graph)[0]
    r1, r2, r3 = (URIRef(EX + n) for n in ("r1", "r2", "r3"))
    shares = URIRef(EX + "sharesCategory")
    assert {(r1, shares, r2), (r2, shares, r1), (r1, shares, r3)} <= inferred
    assert (r2, shares, r3) not in inferred, "a chain through two categories does not merge them"
    assert (URIRef(EX + "x"), URIRef(EX + "greatUncle"), URIRef(EX + "u")) in inferred
    above = URIRef(EX + "above")
    assert (URIRef(EX + "f3"), above, URIRef(EX + "f0")) in inferred
    assert (URIRef(EX + "f0"), above, URIRef(EX + "f3")) not in inferred


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (":a owl:sameAs :z .", "owl#sameAs"),
        (":R a owl:Restriction ; owl:onProperty :near ; owl:hasValue :b .", "owl#Restriction"),
        (":near a owl:IrreflexiveProperty .", "owl#IrreflexiveProperty"),
        (":near rdfs:subPropertyOf rdfs:label .", "rdf-schema#label"),
        (":r1 :category :k2 .", "owl:sameAs, which https://example.org/category entails"),
    ],
)
def test_what_the_rules_do_not_cover_is_refused_by_name(extra: str, named: str) -> None:
    with pytest.raises(InputError, match="does not support") as refused:
        reason(parsed(ONE_TRIPLE_RULES_AND_AN_EQUIVALENCE + extra))
    assert named in str(refused.value)


@pytest.mark.parametrize(
    ("text", "clash"),
    [
        (":A owl:disjointWith :B . :x a :A . :y a :C . :C rdfs:subClassOf :B . :y a :A .", "isjoint"),
        (
            ":c a owl:FunctionalProperty . :x :c :k1, :k2 . [] a owl:AllDifferent ; owl:members (:k1 :k2 :k3) .",
            "'sameAs' and 'AllDifferent'",
        ),
    ],
)
def test_a_clash_is_reported_as_owlrl_reports_it(text: str, clash: str) -> None:
    graph = parsed(text)
    errors = reason(graph).errors
    assert errors == owlrl_closure(graph)[1]
    assert len(errors) == 1 and clash in errors[0]


def test_two_values_declared_different_by_the_last_list_member_clash_too() -> None:
    """eq-diff2 reads every pair of the list; owlrl 7's loop stops before the last member, so it is not the
    reference here."""
    graph = parsed(
        ":c a owl:FunctionalProperty . :x :c :k2, :k3 . [] a owl:AllDifferent ; owl:distinctMembers (:k1 :k2 :k3) ."
    )
    assert reason(graph).errors == [
        f"'sameAs' and 'AllDifferent' cannot be used on the same subject-object pair: ({EX}k2, {EX}k3)"
    ]
