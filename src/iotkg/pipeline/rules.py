"""The OWL 2 RL closure of a graph (RDFS-Plus and property chains; anything else refused by name), and its clashes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, XSD, Literal, URIRef
from rdflib.term import Node

from iotkg.errors import InputError
from iotkg.namespaces import RDF_TYPE_TEXT, VOCABULARIES
from iotkg.pipeline.load import Triple

# The schema axioms of the one-triple rules: the edges each adds to, and whether both ways (equivalence, inverse).
_AXIOMS = (
    {RDFS.subClassOf: ("classes", False), OWL.equivalentClass: ("classes", True), OWL.inverseOf: ("inverses", True)}
    | {RDFS.subPropertyOf: ("properties", False), OWL.equivalentProperty: ("properties", True)}
    | {RDFS.domain: ("domains", False), RDFS.range: ("ranges", False)}
)
# Vocabulary predicates read as schema elsewhere, or let pass as annotations and list structure.
_READ = frozenset({OWL.propertyChainAxiom, OWL.disjointWith, OWL.distinctMembers, OWL.members, OWL.differentFrom})
_PASSIVE = frozenset(
    {RDF.type, RDF.first, RDF.rest, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.deprecated}
    | {OWL.versionInfo, OWL.versionIRI, OWL.imports, OWL.priorVersion, OWL.backwardCompatibleWith}
    | {OWL.incompatibleWith}
)
# Vocabulary classes a node may be typed with.
_KINDS = frozenset(
    {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.OntologyProperty}
    | {RDF.Property, OWL.Ontology, OWL.NamedIndividual, OWL.Thing, RDFS.Resource, OWL.SymmetricProperty}
    | {OWL.TransitiveProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.AllDifferent}
    | {OWL.DeprecatedClass, OWL.DeprecatedProperty, RDF.List, RDFS.Datatype}
)
# Vocabulary terms an axiom may name as a super-class, domain or range: their members are all noise.
_TOP_CLASSES = frozenset({OWL.Thing, RDFS.Resource})
_LITERAL_RANGES = frozenset({RDFS.Literal, RDF.langString, RDF.PlainLiteral, RDF.XMLLiteral, RDF.HTML})


def _in_vocabulary(node: Node) -> bool:
    return isinstance(node, URIRef) and str.startswith(node, VOCABULARIES)


def _names_a_top_class(predicate: Node, obj: Node) -> bool:
    if predicate == RDFS.range and (obj in _LITERAL_RANGES or str.startswith(obj, str(XSD))):
        return True
    return predicate in (RDFS.subClassOf, RDFS.domain, RDFS.range) and obj in _TOP_CLASSES


@dataclass
class PropertyRules:
    """What one triple of a property entails: under super-properties, reversed under inverses, and types."""

    supers: set[Node]
    inverses: set[Node]
    domains: set[Node]
    ranges: set[Node]


@dataclass
class Schema:
    """The schema compiled into rules."""

    super_classes: dict[Node, set[Node]]
    properties: dict[Node, PropertyRules]
    kinds: dict[Node, set[Node]]  # node → the vocabulary classes it is declared a member of
    chains: list[tuple[Node, list[Node]]]  # (property, the properties of one of its chains)
    disjoint: list[tuple[Node, Node]]
    different: set[frozenset[Node]]  # pairs of individuals declared different

    def declared(self, kind: Node) -> set[Node]:
        """The nodes declared members of the vocabulary class ``kind`` (e.g. ``owl:TransitiveProperty``)."""
        return {node for node, found in self.kinds.items() if kind in found}


def _reachable(edges: dict[Node, set[Node]], start: Node) -> set[Node]:
    """The nodes one or more edges lead to from ``start`` (``start`` itself only by a cycle)."""
    seen: set[Node] = set()
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _unsupported(what: set[str]) -> InputError:
    return InputError(
        "the reasoner does not support " + "; ".join(sorted(what)),
        hint="Its rules cover RDFS-Plus and property chains (see iotkg.pipeline.rules); say it with those.",
    )


def compile_schema(triples: Iterable[Triple]) -> Schema:
    """The schema of ``triples`` compiled into rules; InputError naming what is outside the profile."""
    edges: dict[str, dict[Node, set[Node]]] = {name: {} for name, _ in _AXIOMS.values()}
    kinds: dict[Node, set[Node]] = {}
    said: dict[Node, list[tuple[Node, Node]]] = {p: [] for p in _READ | {RDF.first, RDF.rest}}
    refused: set[str] = set()
    for s, p, o in triples:
        if not _in_vocabulary(p):
            continue
        if str.__eq__(p, RDF_TYPE_TEXT):  # (as text: rdflib's ``__eq__`` is Python, called per triple)
            if _in_vocabulary(o):
                if o not in _KINDS:
                    refused.add(f"nodes typed {o}")
                kinds.setdefault(s, set()).add(o)
        elif p in said:
            said[p].append((s, o))
        elif p not in _PASSIVE:
            if p not in _AXIOMS:
                refused.add(f"the predicate {p}")
            elif not isinstance(s, URIRef) or _in_vocabulary(s) or not isinstance(o, URIRef):
                refused.add(f"{p} said of {s} {o}")
            elif _in_vocabulary(o) and not _names_a_top_class(p, o):
                refused.add(f"{s} {p} {o}")
            if refused:
                continue
            name, both_ways = _AXIOMS[p]
            edges[name].setdefault(s, set()).add(o)
            if both_ways:
                edges[name].setdefault(o, set()).add(s)

    first, rest = dict(said[RDF.first]), dict(said[RDF.rest])

    def items(head: Node) -> list[Node]:
        found = []
        while head in first:
            found.append(first[head])
            head = rest.get(head, RDF.nil)
        return found

    chains = [(prop, items(head)) for prop, head in said[OWL.propertyChainAxiom]]
    for prop, steps in chains:
        if _in_vocabulary(prop) or not steps or any(not isinstance(q, URIRef) or _in_vocabulary(q) for q in steps):
            refused.add(f"the property chain of {prop}")
    if refused:
        raise _unsupported(refused)
    different = {frozenset(pair) for pair in said[OWL.differentFrom]}
    for _, head in said[OWL.distinctMembers] + said[OWL.members]:
        members = items(head)
        different |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1 :]}
    symmetric = {node for node, found in kinds.items() if OWL.SymmetricProperty in found}
    properties = {
        prop: PropertyRules(
            supers=_reachable(edges["properties"], prop),
            inverses=edges["inverses"].get(prop, set()) | ({prop} if prop in symmetric else set()),
            domains=edges["domains"].get(prop, set()),
            ranges=edges["ranges"].get(prop, set()),
        )
        for prop in set(symmetric).union(*(edges[name] for name in ("properties", "inverses", "domains", "ranges")))
    }
    super_classes = {node: _reachable(edges["classes"], node) for node in edges["classes"]}
    return Schema(super_classes, properties, kinds, chains, said[OWL.disjointWith], different)


def expand(closed: set[Triple], new: Iterable[Triple], schema: Schema) -> list[Triple]:
    """Add to ``closed`` what ``new`` entails by the one-triple rules (``new`` too); return what was not in it."""
    rdf_type, is_type = RDF.type, RDF_TYPE_TEXT.__eq__
    super_classes, properties = schema.super_classes, schema.properties
    todo = [t for t in new if t not in closed]
    added = list(todo)
    closed.update(todo)
    while todo:
        s, p, o = todo.pop()
        if is_type(p):
            derived: list[Triple] = [(s, rdf_type, c) for c in super_classes.get(o, ())]
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
                closed.add(triple)
                todo.append(triple)
                added.append(triple)
    return added


def _transitive_pairs(pairs: list[tuple[Node, Node]], symmetric: bool) -> Iterator[tuple[Node, Node]]:
    """The transitive closure of ``pairs``; of a symmetric relation, every two members of a connected group."""
    successors: dict[Node, set[Node]] = {}
    for s, o in pairs:
        successors.setdefault(s, set()).add(o)
    reach: dict[Node, set[Node]] = {}
    for start in successors:
        if start in reach:
            continue
        seen = _reachable(successors, start)
        for node in seen if symmetric else (start,):  # in a symmetric relation, the group reaches what start does
            reach[node] = seen
    return ((node, other) for node, seen in reach.items() for other in seen)


def _joined(closed: set[Triple], schema: Schema, read: set[Node]) -> Iterator[Triple]:
    """What prp-spo2 (each chain, joined step by step) and prp-trp entail from ``closed``."""
    pairs: dict[Node, list[tuple[Node, Node]]] = {p: [] for p in read}
    for s, p, o in closed:
        if p in pairs:
            pairs[p].append((s, o))
    for prop, steps in schema.chains:
        joined = set(pairs[steps[0]])
        for step in steps[1:]:
            by_subject: dict[Node, list[Node]] = {}
            for s, o in pairs[step]:
                by_subject.setdefault(s, []).append(o)
            joined = {(x, z) for x, y in joined for z in by_subject.get(y, ())}
        yield from ((x, prop, z) for x, z in joined)
    symmetric = schema.declared(OWL.SymmetricProperty)
    for prop in schema.declared(OWL.TransitiveProperty):
        yield from ((x, prop, z) for x, z in _transitive_pairs(pairs[prop], prop in symmetric))


def closure(triples: Iterable[Triple]) -> tuple[set[Triple], list[str]]:
    """The OWL 2 RL closure of ``triples`` and its clashes (owlrl's wording); InputError outside the profile."""
    triples = list(triples)
    schema = compile_schema(triples)
    closed: set[Triple] = set()
    added = expand(closed, triples, schema)
    read = schema.declared(OWL.TransitiveProperty).union(*(steps for _, steps in schema.chains))
    while any(p in read for _, p, _ in added):  # until the joins' input stops growing
        added = expand(closed, _joined(closed, schema, read), schema)
    return closed, clashes(closed, schema)


def clashes(closed: set[Triple], schema: Schema) -> list[str]:
    """The clashes in ``closed`` (prp-fp/prp-ifp then eq-diff1, cax-dw); InputError where ``owl:sameAs`` follows."""
    functional = schema.declared(OWL.FunctionalProperty)
    inverse_functional = schema.declared(OWL.InverseFunctionalProperty)
    watched = functional | inverse_functional
    disjoint = {c for pair in schema.disjoint for c in pair}
    values: dict[tuple[Node, Node, bool], set[Node]] = {}
    members: dict[Node, set[Node]] = {c: set() for c in disjoint}
    for s, p, o in closed:
        if p in watched:
            if p in functional:
                values.setdefault((p, s, True), set()).add(o)
            if p in inverse_functional:
                values.setdefault((p, o, False), set()).add(s)
        elif o in members and str.__eq__(p, RDF_TYPE_TEXT):
            members[o].add(s)
    errors, same = set(), set()
    for (prop, node, _), found in values.items():
        for a, b in ((a, b) for a in found for b in found if str(a) < str(b)):
            if frozenset((a, b)) in schema.different:
                errors.add(f"'sameAs' and 'AllDifferent' cannot be used on the same subject-object pair: ({a}, {b})")
            elif not (isinstance(a, Literal) and isinstance(b, Literal)):  # (owlrl equates no literals either)
                same.add(f"owl:sameAs, which {prop} entails of {a} and {b} (about {node})")
    if same:
        raise _unsupported(same)
    for first, second in schema.disjoint:
        for node in members[first] & members[second]:
            errors.add(f"Disjoint classes {first} and {second} have a common individual {node}")
    return sorted(errors)
