"""OWL 2 RL reasoning with owlrl on a copy of the asserted graph; inferred triples kept apart and filtered.

Only what adds knowledge about the data is kept (see ``is_noise``): a reasoner also derives axiomatic triples
about the RDF, RDFS, OWL and XSD vocabularies, schema consequences (a domain or range widened to a superclass,
``C rdfs:subClassOf C``), reflexive links (``x owl:sameAs x``, a role playing the same part as itself),
memberships in ``owl:Thing``/``rdfs:Resource`` and blank-node list machinery; none of it is written out. What
remains is the inferred types of the data's nodes and their inferred links (inverse properties, role
equivalences).

The rules run over a reduced copy of the graph (``rule_input``), "only the part of the graph the rules need": a
statement with a literal value, ``s p "v"``, is folded into ``s a D`` for each domain D of p and its
super-properties, wherever the schema says nothing else of p that a rule could use (``literal_domains``); in
the shipped graph that is every literal, about half of the statements. A literal of any other property stays as
it is. A data property is not given to the rules as functional: rule prp-fp would only equate the values of one
(subject, property), and the ``reasonable`` engine's prp-fp grows with the square of the property's statements
(with ``iotkg:position`` functional, 1.8 GB of memory at 30 times the shipped graph and 18 GB at 100 times).

Two engines compute the same entailments (``tests/test_reason.py`` checks both against owlrl's full closure of
the unreduced graph):

- ``fast`` (the default): the rules compiled from the schema when it keeps to RDFS-Plus (``iotkg.pipeline.rdfsplus``),
  else the ``reasonable`` OWL 2 RL engine (Rust) for every rule it implements, plus ``equivalence_pairs`` for the
  one it does not, ``owl:propertyChainAxiom`` (repeated until nothing new follows). The ontology's only chain
  defines ``iotkg:playsSamePartAs`` (symmetric, transitive) as ``hasRoleCategory o roleInCategory``; its closure
  is "every two members of one connected group", where roles are grouped by a shared category or an explicit
  sub-property link (``iotkg:sameEntityAs``). Inconsistency is checked by ``inconsistencies``, the two OWL 2 RL
  rules that this ontology can trigger: a functional property with two values declared different (prp-fp with
  eq-diff1) and a node in two disjoint classes (cax-dw).
- ``owlrl``: owlrl's OWL 2 RL closure, the reference (about 300 times slower at 10x the shipped graph).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from iotkg.errors import CheckFailed
from iotkg.namespaces import IOTKG, RDF_TYPE_TEXT, VOCABULARIES
from iotkg.pipeline.load import Sources, Triple, merge


class Reasoned:
    """The asserted triples, the inferred triples that add knowledge (sorted), and the inconsistency messages.

    The rdflib graphs of both are made when first read (the build reads the triples; at 100 times the shipped
    graph, making a graph of them costs seconds)."""

    def __init__(
        self,
        asserted: Graph | Sources,
        inferred_triples: list[Triple],
        errors: list[str],
        asserted_triples: Sequence[Triple] | None = None,
    ) -> None:
        self._asserted = asserted
        self.inferred_triples = inferred_triples
        self.errors = errors
        self.asserted_triples: Sequence[Triple] = (
            asserted_triples if asserted_triples is not None else _triples_of(asserted)
        )

    @property
    def origin(self) -> Graph | Sources:
        """What was reasoned over: an asserted graph, or the loaded sources."""
        return self._asserted

    @cached_property
    def asserted(self) -> Graph:
        """The asserted graph (for ``Sources``, theirs: shared, so not to be modified)."""
        return self._asserted if isinstance(self._asserted, Graph) else self._asserted.asserted

    @cached_property
    def inferred(self) -> Graph:
        """The inferred triples as a graph, with the asserted graph's prefixes."""
        inferred = namespace_graph(self._asserted)
        inferred.addN((s, p, o, inferred) for s, p, o in self.inferred_triples)
        return inferred

    @cached_property
    def combined(self) -> Graph:
        """Asserted and inferred triples together (what views read); made once and shared, so not to be modified."""
        return merge(self.asserted, self.inferred)

    def namespaces(self) -> list[tuple[str, URIRef]]:
        """The prefixes bound in the asserted graph (rdflib's defaults, then the files'); a copy of the list."""
        return list(self._namespaces)

    @cached_property
    def _namespaces(self) -> list[tuple[str, URIRef]]:
        # made once (binding a thousand prefixes in rdflib takes a third of a second), and made before the build
        # forks its export, which reads them again
        graph = self._asserted if isinstance(self._asserted, Graph) else namespace_graph(self._asserted)
        return list(graph.namespaces())


def _triples_of(asserted: Graph | Sources) -> Sequence[Triple]:
    if isinstance(asserted, Graph):
        return list(asserted)
    ontology = list(asserted.ontology)
    return list(dict.fromkeys([*ontology, *asserted.instance_triples]))  # each statement once, as in a graph


def namespace_graph(asserted: Graph | Sources) -> Graph:
    """An empty graph with the prefixes of the asserted graph bound."""
    if isinstance(asserted, Sources):
        return asserted.prefixes_graph()
    graph = Graph()
    for prefix, namespace in asserted.namespaces():
        graph.bind(prefix, namespace, override=False)
    return graph


def _in_vocabulary(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(VOCABULARIES)


def is_noise(triple: Triple) -> bool:
    """True for an inferred triple that adds nothing a user wants to read."""
    subject, predicate, obj = triple
    if isinstance(subject, (BNode, Literal)) or isinstance(obj, (BNode, Literal)) or str.__eq__(subject, obj):
        return True  # (two IRIs by now: their text decides, without rdflib's ``__eq__``)
    starts = str.startswith  # rdflib's own startswith takes no tuple of prefixes
    if starts(subject, VOCABULARIES):
        return True  # axioms about the vocabularies
    if str.__eq__(predicate, RDF_TYPE_TEXT):
        return starts(obj, VOCABULARIES)
    return starts(predicate, VOCABULARIES)  # schema weakening (domains, ranges, sub-classes)


def rule_input(asserted: Graph | Iterable[Triple]) -> tuple[set[Triple], set[Triple]]:
    """The triples the rules run on (see the module's docstring), and those of them that are consequences rather
    than input (the types folded from literal values, which the closure must still report as inferred)."""
    asserted = list(asserted)
    with_literal: list[Triple] = []
    triples = set()
    for s, p, o in asserted:
        if isinstance(o, Literal):
            with_literal.append((s, p, o))
        else:
            triples.add((s, p, o))
    about = _about_properties(asserted, {p for _, p, _ in with_literal})
    data_properties = set(about.subjects(RDF.type, OWL.DatatypeProperty))
    triples -= {(p, RDF.type, OWL.FunctionalProperty) for p in data_properties}
    folded = literal_domains(about, {p for _, p, _ in with_literal}, data_properties)
    consequences: set[Triple] = set()
    for s, p, o in with_literal:
        domains = folded.get(p)
        if domains is None:
            triples.add((s, p, o))
        else:
            consequences.update((s, RDF.type, domain) for domain in domains)
    consequences -= triples
    return triples | consequences, consequences


def _about_properties(triples: list[Triple], properties: set[Node]) -> Graph:
    """A graph of what ``triples`` say of properties: every triple naming, as subject or object, a predicate of
    ``triples``, one of ``properties`` or an IRI the schema calls a property (what ``literal_domains`` reads)."""
    kinds = {str(kind) for kind in _DECLARED_AS | {OWL.FunctionalProperty}}
    sub_property, same = str(RDFS.subPropertyOf), str.__eq__  # compared as text: no rdflib ``__eq__`` per triple
    named = {p for _, p, _ in triples} | properties
    for s, p, o in triples:
        if same(p, RDF_TYPE_TEXT):
            if type(o) is URIRef and str(o) in kinds:
                named.add(s)
        elif same(p, sub_property):
            named.add(o)
    return as_graph((s, p, o) for s, p, o in triples if s in named or o in named)


# How a property may be declared, and what may be said of it, for its literal values to be folded into types.
_DECLARED_AS = frozenset({OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.ObjectProperty, RDF.Property})
_DOMAIN_RANGE_SUPER = frozenset({RDFS.domain, RDFS.range, RDFS.subPropertyOf})
_ANNOTATIONS = frozenset({RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy})


def literal_domains(graph: Graph, properties: set[Node], data_properties: set[Node]) -> dict[Node, frozenset[Node]]:
    """For each of ``properties`` whose literal values the OWL 2 RL rules can only use to type their subject: the
    domains of the property and of its super-properties (perhaps none).

    A property qualifies when, for it and each of its super-properties, the schema says no more than its kind
    (datatype, annotation or object property; functional if a data property), its domain, range and
    super-properties, and names it nowhere but as a super-property (no inverse, chain, key, restriction,
    equivalence, disjointness or list). The rules then derive from ``s p "v"`` only ``s a D`` for each such domain
    D, and statements about the value itself (its type by a range, ``s q "v"`` for a super-property q), which
    are noise."""

    def said_no_more(prop: Node) -> bool:
        kinds = _DECLARED_AS | ({OWL.FunctionalProperty} if prop in data_properties else frozenset())
        for predicate, obj in graph.predicate_objects(prop):
            said = _in_vocabulary(predicate) and predicate not in _ANNOTATIONS | _DOMAIN_RANGE_SUPER
            if said and not (predicate == RDF.type and obj in kinds):
                return False
        return all(
            not _in_vocabulary(predicate) or predicate in _ANNOTATIONS or predicate == RDFS.subPropertyOf
            for _, predicate in graph.subject_predicates(prop)
        )

    folded: dict[Node, frozenset[Node]] = {}
    for prop in properties:
        supers = set(graph.transitive_objects(prop, RDFS.subPropertyOf))
        if all(said_no_more(q) for q in supers):
            folded[prop] = frozenset(domain for q in supers for domain in graph.objects(q, RDFS.domain))
    return folded


def as_graph(triples: Iterable[Triple]) -> Graph:
    """An rdflib graph of the triples."""
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


_SCHEMA_PREDICATES = frozenset({RDF.first, RDF.rest, RDFS.subPropertyOf})


def schema_part(triples: Iterable[Triple]) -> Graph:
    """The triples the chain and clash rules read as schema: OWL axioms, sub-properties and RDF lists."""
    owl, starts, rdf_type = str(OWL), str.startswith, RDF.type
    return as_graph(
        (s, p, o)
        for s, p, o in triples
        if starts(p, owl) or p in _SCHEMA_PREDICATES or (starts(o, owl) and p == rdf_type and isinstance(o, URIRef))
    )


class TripleIndex:
    """Triples indexed by predicate: the lookups the chain and clash rules make, without an rdflib graph."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.by_predicate: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p, o in triples:
            self.by_predicate.setdefault(p, []).append((s, o))
        self._by_object: dict[Node, dict[Node, list[Node]]] = {}

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """(subject, object) pairs of ``predicate``."""
        return iter(self.by_predicate.get(predicate, ()))

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        """Subjects with ``predicate`` ``obj`` (the predicate's statements are indexed by object on first use)."""
        by_object = self._by_object.get(predicate)
        if by_object is None:
            by_object = self._by_object[predicate] = {}
            for s, o in self.by_predicate.get(predicate, ()):
                by_object.setdefault(o, []).append(s)
        return iter(by_object.get(obj, ()))


def closure(graph: Graph) -> tuple[Graph, list[str]]:
    """Run owlrl's OWL 2 RL closure on ``graph`` in place; return it and the inconsistency messages."""
    import owlrl  # imported when used: it loads rdflib's SPARQL machinery
    from owlrl.Namespaces import ERRNS

    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    errors = sorted(str(message) for message in graph.objects(None, ERRNS.error))
    for node in list(graph.subjects(RDF.type, ERRNS.ErrorMessage)):
        graph.remove((node, None, None))
    return graph, errors


def _different_pairs(graph: Graph) -> set[frozenset[Node]]:
    pairs: set[frozenset[Node]] = set()
    for group in graph.subjects(RDF.type, OWL.AllDifferent):
        for members in graph.objects(group, OWL.distinctMembers):
            items = list(Collection(graph, members))
            pairs |= {frozenset((a, b)) for i, a in enumerate(items) for b in items[i + 1 :]}
    pairs |= {frozenset(pair) for pair in graph.subject_objects(OWL.differentFrom)}
    return pairs


def inconsistencies(graph: Graph | TripleIndex, schema: Graph | None = None) -> list[str]:
    """OWL 2 RL clashes this ontology can produce, in owlrl's wording: prp-fp + eq-diff1 and cax-dw.

    ``schema`` (default: ``graph``) is where the ``owl:AllDifferent`` lists are read from."""
    errors = []
    different = _different_pairs(schema if schema is not None else graph)
    for prop in set(graph.subjects(RDF.type, OWL.FunctionalProperty)):
        values: dict[Node, set[Node]] = {}
        for subject, value in graph.subject_objects(prop):
            values.setdefault(subject, set()).add(value)
        for found in values.values():
            for pair in {frozenset((a, b)) for a in found for b in found if a != b} & different:
                a, b = sorted(pair, key=str)
                errors.append(f"'sameAs' and 'AllDifferent' cannot be used on the same subject-object pair: ({a}, {b})")
    for first, second in graph.subject_objects(OWL.disjointWith):
        for node in set(graph.subjects(RDF.type, first)) & set(graph.subjects(RDF.type, second)):
            errors.append(f"Disjoint classes {first} and {second} have a common individual {node}")
    return sorted(set(errors))


class _Groups:
    """Union-find over RDF nodes."""

    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, node: Node) -> Node:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: Node, b: Node) -> None:
        self.parent[self.find(a)] = self.find(b)

    def members(self) -> list[list[Node]]:
        grouped: dict[Node, list[Node]] = {}
        for node in self.parent:
            grouped.setdefault(self.find(node), []).append(node)
        return list(grouped.values())


def equivalence_pairs(graph: Graph | TripleIndex, schema: Graph | None = None) -> set[Triple]:
    """The closure of each symmetric, transitive property defined by a chain ``(Q, inverse of Q)``: every two
    distinct nodes joined by a shared Q value, or by the property or one of its sub-properties.

    ``schema`` (default: ``graph``) is where the property axioms and chain lists are read from."""
    triples: set[Triple] = set()
    graph_schema = schema if schema is not None else graph
    for prop in set(graph_schema.subjects(RDF.type, OWL.TransitiveProperty)) & set(
        graph_schema.subjects(RDF.type, OWL.SymmetricProperty)
    ):
        groups = _Groups()

        for chain in graph_schema.objects(prop, OWL.propertyChainAxiom):
            steps = list(Collection(graph_schema, chain))
            inverse = (steps[1], OWL.inverseOf, steps[0]) in graph_schema
            if len(steps) == 2 and (inverse or (steps[0], OWL.inverseOf, steps[1]) in graph_schema):
                by_value: dict[Node, Node] = {}
                for subject, value in graph.subject_objects(steps[0]):
                    if value in by_value:
                        groups.union(subject, by_value[value])
                    else:
                        by_value[value] = subject
                        groups.find(subject)
        links = {prop} | set(
            graph_schema.transitiveClosure(lambda p, _: graph_schema.subjects(RDFS.subPropertyOf, p), prop)
        )
        for link in links:
            for a, b in graph.subject_objects(link):
                groups.union(a, b)
        for members in groups.members():
            triples |= {(a, prop, b) for a in members for b in members if a != b}
    return triples


def fast_closure(triples: set[Triple]) -> tuple[set[Triple], list[str]]:
    """The OWL 2 RL closure of ``triples`` by the rules compiled from an RDFS-Plus schema (``iotkg.pipeline.rdfsplus``), or
    by ``reasonable_closure`` for a graph outside that profile; and the clashes."""
    from iotkg.pipeline import rdfsplus

    schema = schema_part(triples)
    closed = rdfsplus.closure(triples, schema)
    if closed is None:
        return reasonable_closure(triples, schema)
    return closed, inconsistencies(TripleIndex(_clash_relevant(closed, schema)), schema)


def _clash_relevant(closed: set[Triple], schema: Graph) -> list[Triple]:
    """The triples ``inconsistencies`` reads: functional properties and their statements, disjoint classes and
    their members."""
    functional = set(schema.subjects(RDF.type, OWL.FunctionalProperty))
    disjoint = {c for pair in schema.subject_objects(OWL.disjointWith) for c in pair}
    typed = {OWL.FunctionalProperty} | disjoint
    read = functional | {OWL.disjointWith}
    rdf_type = RDF.type
    return [t for t in closed if t[1] in read or (t[2] in typed and t[1] == rdf_type)]


def reasonable_closure(triples: set[Triple], schema: Graph | None = None) -> tuple[set[Triple], list[str]]:
    """``reasonable``'s OWL 2 RL closure of ``triples`` plus the property-chain equivalences it does not compute
    (``schema``: ``schema_part(triples)``, if made already)."""
    import reasonable

    engine = reasonable.PyReasoner()
    engine.from_graph(list(triples))
    # the engine's output can garble RDF lists (blank nodes): read the schema's lists from the input
    schema = schema_part(triples) if schema is None else schema
    while True:
        closed = set(engine.reason())
        index = TripleIndex(closed)
        pairs = equivalence_pairs(index, schema) - closed
        if not pairs:
            return closed, inconsistencies(index, schema)
        engine.from_graph(list(pairs))  # and reason again: what the pairs entail (their domain, an inverse, …)


ENGINES = ("fast", "owlrl")


def reason(asserted: Graph | Sources, engine: str = "fast") -> Reasoned:
    """Reason over the asserted triples (of a graph, or of the loaded sources: no graph of them is made); the
    inferred triples are those the closure adds, less the noise, sorted."""
    asserted_triples = _triples_of(asserted)
    base, folded = rule_input(asserted_triples)
    if engine == "fast":
        closed, errors = fast_closure(base)
    else:
        closed_graph, errors = closure(as_graph(base))
        closed = set(closed_graph)
    base -= folded  # consequences, not input: reported as inferred (unless asserted)
    # every asserted statement is in ``base`` but those it leaves out, which are noise (a data property's
    # functional declaration, a literal value folded into a type): no lookup in the asserted graph is needed
    kept = [triple for triple in closed - base if not is_noise(triple)]
    kept.sort(key=_text_key)  # a fixed order: the inferred graph's iteration order then follows no hash seed
    return Reasoned(asserted, kept, errors, asserted_triples)


def _text_key(triple: Triple) -> str:
    return "%s %s %s" % triple  # noqa: UP031 (the terms' own text, no repr)


_IRI_PAIR = re.compile(r"\((\S+), (\S+)\)")


def clashing_statements(asserted: Graph, errors: list[str]) -> list[str]:
    """The asserted statements behind owlrl's "sameAs and AllDifferent" errors: a functional property with two
    values that are declared different (e.g. a role placed in two role categories)."""
    functional = set(asserted.subjects(RDF.type, OWL.FunctionalProperty))
    statements = []
    for message in errors:
        for first, second in _IRI_PAIR.findall(message):
            a, b = URIRef(first), URIRef(second)
            for prop in sorted(functional):
                for subject in sorted(set(asserted.subjects(prop, a)) & set(asserted.subjects(prop, b))):
                    for value in (a, b):
                        statements.append(
                            " ".join(asserted.namespace_manager.normalizeUri(t) for t in (subject, prop, value)) + " ."
                        )
    return sorted(set(statements))


def cross_category_equivalences(reasoned: Reasoned) -> list[str]:
    """Roles entailed to play the same part although their categories differ: the asserted iotkg:sameEntityAs
    links that join two categories if there are any (the cause), else the entailed pairs themselves."""
    has_category, same_entity, same_part = IOTKG.hasRoleCategory, IOTKG.sameEntityAs, IOTKG.playsSamePartAs
    wanted = {has_category, same_entity, same_part}
    asserted = [(s, p, o) for s, p, o in reasoned.asserted_triples if p in wanted]
    inferred = [(s, p, o) for s, p, o in reasoned.inferred_triples if p in wanted]
    categories: dict[Node, frozenset[Node]] = {}
    for role, p, category in asserted + inferred:
        if p == has_category:
            categories[role] = categories.get(role, frozenset()) | {category}
    none: frozenset[Node] = frozenset()
    crossing = [
        (a, p, b, a_in, b_in)
        for a, p, b in asserted + inferred
        if p != has_category
        for a_in, b_in in [(categories.get(a, none), categories.get(b, none))]
        if a_in and b_in and len(a_in | b_in) > 1  # some category of one differs from some category of the other
    ]
    if not crossing:
        return []
    stated = set(asserted)
    name = namespace_graph(reasoned.origin).namespace_manager.normalizeUri
    causes = [
        f"{name(a)} iotkg:sameEntityAs {name(b)} . joins {name(ca)} and {name(cb)}"
        for a, p, b, a_in, b_in in crossing
        if p == same_entity and (a, p, b) in stated
        for ca in a_in
        for cb in b_in
        if ca != cb
    ]
    if causes:
        return sorted(causes)
    return sorted(
        {
            f"{name(a)} ({name(ca)}) plays the same part as {name(b)} ({name(cb)})"
            for a, p, b, a_in, b_in in crossing
            if p == same_part and str(a) < str(b)
            for ca in a_in
            for cb in b_in
            if ca != cb
        }
    )


def check_consistent(reasoned: Reasoned) -> None:
    """Raise CheckFailed naming the clashing statements if the graph is inconsistent."""
    problems = [f"  - {m}" for m in reasoned.errors]
    if reasoned.errors:
        problems += [f"    because of: {s}" for s in clashing_statements(reasoned.asserted, reasoned.errors)]
    else:  # a role in two categories already links every member of both; report the cause only
        crossed = cross_category_equivalences(reasoned)
        problems += [f"  - {m}" for m in crossed[:10]]
        if len(crossed) > 10:
            problems.append(f"  … and {len(crossed) - 10} more pairs")
    if problems:
        raise CheckFailed(
            "the graph is inconsistent:\n" + "\n".join(problems),
            hint="A role has at most one iotkg:hasRoleCategory, and iotkg:sameEntityAs links roles of one category.",
        )
