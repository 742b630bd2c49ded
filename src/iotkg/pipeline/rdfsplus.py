"""The OWL 2 RL closure of a graph whose schema keeps to "RDFS-Plus", computed by rules compiled from the schema.

A graph keeps to the profile when its schema says no more than: class and property declarations, sub-classes
and equivalent classes, sub-properties and equivalent properties, domains and ranges, inverse, symmetric and
functional (or inverse-functional) properties, disjoint classes, and properties that are both symmetric and
transitive, perhaps defined by a chain ``(Q, inverse of Q)`` (``iotkg:playsSamePartAs``); with annotations and
ontology headers beside. With no ``owl:sameAs`` to be entailed (no functional property with two values), every
OWL 2 RL rule that can add a triple to such a graph reads one data triple and the schema (cax-sco, cax-eqc,
prp-dom, prp-rng, prp-spo1, prp-eqp, prp-inv, prp-symp), except the closure of the symmetric, transitive
properties (prp-trp, prp-spo2), which ``reason.equivalence_pairs`` computes. So the schema is compiled into what
each predicate and each class entails, and every triple is expanded once: no joins over the whole graph.

``closure`` returns None for a graph outside the profile (anything else in the OWL, RDF or RDFS vocabularies, a
blank node or a vocabulary term where the schema needs a named class or property, a functional property with two
values, …); the caller then runs a general OWL 2 RL engine. Only triples that the profile's rules add are
computed, not the axiomatic ones (about the vocabularies themselves), which ``reason.is_noise`` drops anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from iotkg.namespaces import RDF_TYPE_TEXT, VOCABULARIES
from iotkg.pipeline.load import Triple

# The schema axioms the rules are compiled from: the edges each one adds (to ``compile_schema``'s maps of the same
# names), and whether it holds read either way (an equivalence, an inverse).
_AXIOMS = {
    RDFS.subClassOf: ("classes", False),
    OWL.equivalentClass: ("classes", True),
    RDFS.subPropertyOf: ("properties", False),
    OWL.equivalentProperty: ("properties", True),
    OWL.inverseOf: ("inverses", True),
    RDFS.domain: ("domains", False),
    RDFS.range: ("ranges", False),
}
# Vocabulary predicates the profile reads as schema, or lets pass as annotations and list structure.
_SCHEMA = frozenset(_AXIOMS) | {OWL.propertyChainAxiom, OWL.disjointWith}
_PASSIVE = frozenset(
    {
        RDF.type,
        RDF.first,
        RDF.rest,
        OWL.distinctMembers,
        OWL.members,
        OWL.differentFrom,
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.versionIRI,
        OWL.imports,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
        OWL.deprecated,
    }
)
# Vocabulary classes a node may be typed with.
_KINDS = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.OntologyProperty,
        RDF.Property,
        OWL.Ontology,
        OWL.NamedIndividual,
        OWL.Thing,
        RDFS.Resource,
        OWL.SymmetricProperty,
        OWL.TransitiveProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.AllDifferent,
        OWL.DeprecatedClass,
        OWL.DeprecatedProperty,
        RDF.List,
        RDFS.Datatype,
    }
)
# Vocabulary classes a schema axiom may name as a super-class, domain or range (their members are all noise), and
# the datatypes a range may name.
_TOP_CLASSES = frozenset({OWL.Thing, RDFS.Resource})
_CLASS_TARGETS = frozenset({RDFS.subClassOf, RDFS.domain, RDFS.range})
_LITERAL_RANGES = frozenset({RDFS.Literal, RDF.langString, RDF.PlainLiteral, RDF.XMLLiteral, RDF.HTML})


def _in_vocabulary(node: Node) -> bool:
    return str.startswith(node, VOCABULARIES)


def _names_a_top_class(predicate: Node, obj: Node) -> bool:
    """Whether a schema axiom's vocabulary object only types nodes with vocabulary classes (noise)."""
    if predicate == RDFS.range and (obj in _LITERAL_RANGES or str.startswith(obj, str(XSD))):
        return True
    return predicate in _CLASS_TARGETS and obj in _TOP_CLASSES


@dataclass
class PropertyRules:
    """What one triple of a property entails: the same pair under its super-properties, the reversed pair under its
    inverses (and itself if symmetric), and types for its subject and object."""

    supers: set[Node] = field(default_factory=set)
    inverses: set[Node] = field(default_factory=set)
    domains: set[Node] = field(default_factory=set)
    ranges: set[Node] = field(default_factory=set)


@dataclass
class Schema:
    """The profile's schema compiled into rules: by class, its super-classes; by property, ``PropertyRules``."""

    super_classes: dict[Node, frozenset[Node]]
    properties: dict[Node, PropertyRules]
    functional: set[Node]
    inverse_functional: set[Node]
    equivalences: set[Node]  # symmetric, transitive properties (closed by ``reason.equivalence_pairs``)
    chains: dict[Node, Node]  # property → the RDF list of its ``owl:propertyChainAxiom``


def _reachable(edges: dict[Node, set[Node]], start: Node) -> set[Node]:
    seen: set[Node] = set()
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    seen.discard(start)
    return seen


def compile_schema(triples: Iterable[Triple]) -> Schema | str:
    """The schema of ``triples`` compiled into rules, or why the graph is outside the profile."""
    edges: dict[str, dict[Node, set[Node]]] = {name: {} for name, _ in _AXIOMS.values()}
    kinds: dict[Node, set[Node]] = {}
    chains: dict[Node, Node] = {}
    for s, p, o in triples:
        if not _in_vocabulary(p):
            continue
        if str.__eq__(p, RDF_TYPE_TEXT):  # (compared as text: rdflib's ``__eq__`` is Python, called per triple)
            if isinstance(o, URIRef) and _in_vocabulary(o):
                if o not in _KINDS:
                    return f"a node typed {o}"
                kinds.setdefault(s, set()).add(o)
            continue
        if p in _PASSIVE:
            continue
        if p not in _SCHEMA:
            return f"the predicate {p}"
        if not isinstance(s, URIRef) or _in_vocabulary(s):
            return f"{p} said of {s}"
        if p == OWL.propertyChainAxiom:
            chains[s] = o
            continue
        if p == OWL.disjointWith:
            continue  # a clash only (cax-dw): ``reason.inconsistencies``
        if not isinstance(o, URIRef) or (_in_vocabulary(o) and not _names_a_top_class(p, o)):
            return f"{s} {p} {o}"
        name, both_ways = _AXIOMS[p]
        edges[name].setdefault(s, set()).add(o)
        if both_ways:
            edges[name].setdefault(o, set()).add(s)

    transitive = {node for node, found in kinds.items() if OWL.TransitiveProperty in found}
    symmetric = {node for node, found in kinds.items() if OWL.SymmetricProperty in found}
    if transitive - symmetric:
        return f"a transitive property that is not symmetric: {sorted(transitive - symmetric)[0]}"
    unclosed = set(chains) - (transitive & symmetric)
    if unclosed:
        return f"a property chain on {sorted(unclosed)[0]}, which is not symmetric and transitive"
    about_properties = ("properties", "inverses", "domains", "ranges")
    names = set(symmetric).union(*(edges[name] for name in about_properties))
    properties = {
        prop: PropertyRules(
            supers=_reachable(edges["properties"], prop),
            inverses=set(edges["inverses"].get(prop, ())) | ({prop} if prop in symmetric else set()),
            domains=set(edges["domains"].get(prop, ())),
            ranges=set(edges["ranges"].get(prop, ())),
        )
        for prop in names
    }
    super_classes = {node: frozenset(_reachable(edges["classes"], node)) for node in edges["classes"]}
    return Schema(
        super_classes=super_classes,
        properties=properties,
        functional={node for node, found in kinds.items() if OWL.FunctionalProperty in found},
        inverse_functional={node for node, found in kinds.items() if OWL.InverseFunctionalProperty in found},
        equivalences=transitive & symmetric,
        chains=chains,
    )


def expand(closed: set[Triple], new: Iterable[Triple], schema: Schema) -> list[Triple]:
    """Add to ``closed`` every triple that ``new`` entails by the compiled one-triple rules (``new`` included);
    return those that were not in it."""
    rdf_type, is_type = RDF.type, RDF_TYPE_TEXT.__eq__
    super_classes, properties = schema.super_classes, schema.properties
    todo = [t for t in new if t not in closed]
    added = list(todo)
    closed.update(todo)
    add, push, keep = closed.add, todo.append, added.append
    while todo:
        s, p, o = todo.pop()
        if is_type(p):
            derived: Iterable[Triple] = [(s, rdf_type, c) for c in super_classes.get(o, ())]
        else:
            rules = properties.get(p)
            if rules is None:
                continue
            derived = [(s, q, o) for q in rules.supers]
            derived += [(o, q, s) for q in rules.inverses]
            derived += [(s, rdf_type, c) for c in rules.domains]
            derived += [(o, rdf_type, c) for c in rules.ranges]
        for triple in derived:
            if triple not in closed:
                add(triple)
                push(triple)
                keep(triple)
    return added


def _chains_are_inverse_pairs(schema: Schema, schema_graph: Graph) -> bool:
    """Whether every property chain is ``(Q, R)`` with R and Q inverses: the one form ``equivalence_pairs`` closes."""
    for chain in schema.chains.values():
        steps = list(Collection(schema_graph, chain))
        if len(steps) != 2 or steps[1] not in schema.properties.get(steps[0], PropertyRules()).inverses:
            return False
    return True


def _read_by_equivalences(schema: Schema, schema_graph: Graph) -> set[Node]:
    """The predicates ``equivalence_pairs`` reads: the symmetric, transitive properties, their sub-properties and
    the first steps of their chains."""
    read = set(schema.equivalences)
    for prop, rules in schema.properties.items():
        if rules.supers & schema.equivalences:
            read.add(prop)
    for chain in schema.chains.values():
        read.update(list(Collection(schema_graph, chain))[:1])
    return read


def _two_values(closed: set[Triple], functional: set[Node], inverse_functional: set[Node]) -> bool:
    """Whether a functional property has two values for one subject, or an inverse-functional one two subjects for
    one value (rule prp-fp or prp-ifp would then entail ``owl:sameAs``)."""
    seen: dict[tuple[Node, Node, bool], Node] = {}
    watched = functional | inverse_functional
    for s, p, o in closed:
        if p in watched:
            if p in functional and seen.setdefault((p, s, True), o) != o:
                return True
            if p in inverse_functional and seen.setdefault((p, o, False), s) != s:
                return True
    return False


def closure(triples: set[Triple], schema_graph: Graph | None = None) -> set[Triple] | None:
    """The OWL 2 RL closure of ``triples`` (without axiomatic triples), or None if they are outside the profile
    (``schema_graph``: ``reason.schema_part(triples)``, if made already)."""
    from iotkg.pipeline.reason import TripleIndex, equivalence_pairs, schema_part

    schema = compile_schema(triples)
    if isinstance(schema, str):
        return None
    schema_graph = schema_part(triples) if schema_graph is None else schema_graph
    if not _chains_are_inverse_pairs(schema, schema_graph):
        return None
    closed: set[Triple] = set()
    added = expand(closed, triples, schema)
    read = _read_by_equivalences(schema, schema_graph)
    pairs: set[Triple] = set()
    # until the groups stop growing: a group's own pairs do not make it grow, what else they entail might
    while any(t[1] in read and t not in pairs for t in added):
        pairs = equivalence_pairs(TripleIndex(t for t in closed if t[1] in read), schema_graph)
        added = expand(closed, pairs, schema)
    if _two_values(closed, schema.functional, schema.inverse_functional):
        return None
    return closed
