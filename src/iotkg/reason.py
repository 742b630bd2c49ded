"""OWL 2 RL reasoning with owlrl on a copy of the asserted graph; inferred triples kept apart and filtered.

Only what adds knowledge is kept (see ``is_noise``): owlrl also derives axiomatic triples about the RDF, RDFS,
OWL and XSD vocabularies, reflexive links (``x owl:sameAs x``, ``C rdfs:subClassOf C``, a role playing the same
part as itself), memberships in ``owl:Thing``/``rdfs:Resource`` and blank-node list machinery; none of it is
written out.

The rules run over a reduced copy of the graph: every literal value is replaced by one placeholder per
(subject, property) pair. OWL 2 RL derives nothing from the text of a label or statement, so the entailed types
and object-property links are the same (``tests/test_reason.py`` checks this against the closure of the full
graph), while the datatype machinery has far less to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import owlrl
from owlrl.Namespaces import ERRNS
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from iotkg.errors import CheckFailed
from iotkg.namespaces import IOTKG

_PLACEHOLDER = Literal("\u2026")
_VOCABULARIES = (str(RDF), str(RDFS), str(OWL), str(XSD))


@dataclass
class Reasoned:
    """The asserted graph, the inferred triples that add knowledge, and owlrl's inconsistency messages."""

    asserted: Graph
    inferred: Graph
    errors: list[str]

    @property
    def combined(self) -> Graph:
        """Asserted and inferred triples together (what views read)."""
        graph = Graph()
        for prefix, namespace in self.asserted.namespaces():
            graph.bind(prefix, namespace, override=False)
        graph += self.asserted
        graph += self.inferred
        return graph


def _in_vocabulary(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(_VOCABULARIES)


def is_noise(triple: tuple[Node, Node, Node]) -> bool:
    """True for an inferred triple that adds nothing a user wants to read."""
    subject, predicate, obj = triple
    if subject == obj or isinstance(subject, (BNode, Literal)) or isinstance(obj, BNode):
        return True
    if isinstance(obj, Literal):
        return True
    if _in_vocabulary(subject):
        return True
    return predicate == RDF.type and _in_vocabulary(obj)


def rule_input(asserted: Graph) -> Graph:
    """The copy the rules run on: literals folded to one placeholder per (subject, property)."""
    graph = Graph()
    for subject, predicate, obj in asserted:
        graph.add((subject, predicate, _PLACEHOLDER if isinstance(obj, Literal) else obj))
    return graph


def closure(graph: Graph) -> tuple[Graph, list[str]]:
    """Run owlrl's OWL 2 RL closure on ``graph`` in place; return it and the inconsistency messages."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    errors = sorted(str(message) for message in graph.objects(None, ERRNS.error))
    for node in list(graph.subjects(RDF.type, ERRNS.ErrorMessage)):
        graph.remove((node, None, None))
    return graph, errors


def reason(asserted: Graph) -> Reasoned:
    """Reason over a copy of ``asserted``; the inferred triples are those the closure adds, less the noise."""
    base = rule_input(asserted)
    closed, errors = closure(rule_input(asserted))
    inferred = Graph()
    for prefix, namespace in asserted.namespaces():
        inferred.bind(prefix, namespace, override=False)
    for triple in closed:
        if triple not in base and not is_noise(triple) and triple not in asserted:
            inferred.add(triple)
    return Reasoned(asserted, inferred, errors)


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
    graph = reasoned.combined
    name = graph.namespace_manager.normalizeUri
    causes = [
        f"{name(a)} iotkg:sameEntityAs {name(b)} . joins {name(ca)} and {name(cb)}"
        for a, b in reasoned.asserted.subject_objects(IOTKG.sameEntityAs)
        for ca in graph.objects(a, IOTKG.hasRoleCategory)
        for cb in graph.objects(b, IOTKG.hasRoleCategory)
        if ca != cb
    ]
    if causes:
        return sorted(causes)
    return sorted(
        f"{name(a)} ({name(ca)}) plays the same part as {name(b)} ({name(cb)})"
        for a, b in graph.subject_objects(IOTKG.playsSamePartAs)
        for ca in graph.objects(a, IOTKG.hasRoleCategory)
        for cb in graph.objects(b, IOTKG.hasRoleCategory)
        if ca != cb and str(a) < str(b)
    )


def check_consistent(reasoned: Reasoned) -> None:
    """Raise CheckFailed naming the clashing statements if the graph is inconsistent."""
    problems = [f"  - {m}" for m in reasoned.errors]
    problems += [f"    because of: {s}" for s in clashing_statements(reasoned.asserted, reasoned.errors)]
    if not reasoned.errors:  # a role in two categories already links every member of both; report the cause only
        crossed = cross_category_equivalences(reasoned)
        problems += [f"  - {m}" for m in crossed[:10]]
        if len(crossed) > 10:
            problems.append(f"  … and {len(crossed) - 10} more pairs")
    if problems:
        raise CheckFailed(
            "the graph is inconsistent:\n" + "\n".join(problems),
            hint="A role has at most one iotkg:hasRoleCategory, and iotkg:sameEntityAs links roles of one category.",
        )
