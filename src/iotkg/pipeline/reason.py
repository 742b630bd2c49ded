"""Reasoning: the inferred triples of the OWL 2 RL closure less the noise, and the consistency check."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from rdflib import OWL, RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from iotkg.errors import CheckFailed
from iotkg.namespaces import IOTKG, RDF_TYPE_TEXT, VOCABULARIES
from iotkg.pipeline import rules
from iotkg.pipeline.load import Sources, Triple, prefixed_graph


@dataclass(eq=False, repr=False)
class Reasoned:
    """The asserted triples, the inferred ones that add knowledge (sorted), the inconsistencies; graphs on demand."""

    origin: Graph | Sources  # what was reasoned over: an asserted graph, or the loaded sources
    asserted_triples: Sequence[Triple]
    inferred_triples: list[Triple]
    errors: list[str]

    @cached_property
    def asserted(self) -> Graph:
        """The asserted graph (for ``Sources``, theirs: shared, so not to be modified)."""
        return self.origin if isinstance(self.origin, Graph) else self.origin.asserted

    @cached_property
    def inferred(self) -> Graph:
        """The inferred triples as a graph, with the asserted graph's prefixes."""
        return namespace_graph(self.origin, self.inferred_triples)

    @cached_property
    def combined(self) -> Graph:
        """Asserted and inferred triples together; made once and shared, so not to be modified."""
        return namespace_graph(self.origin, [*self.asserted_triples, *self.inferred_triples])

    def namespaces(self) -> list[tuple[str, URIRef]]:
        """The prefixes bound in the asserted graph (rdflib's defaults, then the files')."""
        return list(namespace_graph(self.origin).namespaces())


def namespace_graph(asserted: Graph | Sources, triples: Sequence[Triple] = ()) -> Graph:
    """A graph of ``triples`` with the prefixes of the asserted graph bound."""
    names = asserted.instance_prefixes if isinstance(asserted, Sources) else asserted.namespaces()
    return prefixed_graph(names, triples)


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


def reason(asserted: Graph | Sources) -> Reasoned:
    """Reason over the asserted triples (of a graph, or of the sources); InputError if rules are lacking."""
    if isinstance(asserted, Graph):
        triples: Sequence[Triple] = list(asserted)
    else:  # each statement once, as in a graph
        triples = list(dict.fromkeys([*asserted.ontology, *asserted.instance_triples]))
    closed, errors = rules.closure(triples)
    inferred = [t for t in closed.difference(triples) if not is_noise(t)]
    inferred.sort(key=lambda t: "%s %s %s" % t)  # noqa: UP031 (the terms' own text, no repr)
    return Reasoned(asserted, triples, inferred, errors)


_IRI_PAIR = re.compile(r"\((\S+), (\S+)\)")


def clashing_statements(asserted: Graph, errors: list[str]) -> list[str]:
    """The asserted statements behind "sameAs and AllDifferent" errors: a functional property's two values."""
    name = asserted.namespace_manager.normalizeUri
    functional = set(asserted.subjects(RDF.type, OWL.FunctionalProperty))
    pairs = [(URIRef(a), URIRef(b)) for message in errors for a, b in _IRI_PAIR.findall(message)]
    return sorted(
        {
            f"{name(subject)} {name(prop)} {name(value)} ."
            for a, b in pairs
            for prop in functional
            for subject in set(asserted.subjects(prop, a)) & set(asserted.subjects(prop, b))
            for value in (a, b)
        }
    )


def cross_category_equivalences(reasoned: Reasoned) -> list[str]:
    """Roles entailed to play the same part with no category shared: the same-entity links (the cause), or pairs."""
    wanted = {IOTKG.hasRoleCategory, IOTKG.sameEntityAs, IOTKG.playsSamePartAs}
    asserted = [t for t in reasoned.asserted_triples if t[1] in wanted]
    triples = asserted + [t for t in reasoned.inferred_triples if t[1] in wanted]
    categories: dict[Node, set[Node]] = {}
    for role, p, category in triples:
        if p == IOTKG.hasRoleCategory:
            categories.setdefault(role, set()).add(category)
    name = namespace_graph(reasoned.origin).namespace_manager.normalizeUri

    def crossing(among: Sequence[Triple], link: URIRef) -> list[tuple[str, str, str, str]]:
        def names(role: Node) -> str:
            return ", ".join(sorted(name(c) for c in categories[role]))

        return [
            (name(a), name(b), names(a), names(b))
            for a, p, b in among
            if p == link and categories.get(a) and categories.get(b) and not categories[a] & categories[b]
        ]

    causes = {
        f"{a} iotkg:sameEntityAs {b} . joins {ca} and {cb}" for a, b, ca, cb in crossing(asserted, IOTKG.sameEntityAs)
    }
    pairs = {
        f"{a} ({ca}) plays the same part as {b} ({cb})"
        for a, b, ca, cb in crossing(triples, IOTKG.playsSamePartAs)
        if a < b
    }
    return sorted(causes or pairs)


def check_consistent(reasoned: Reasoned) -> None:
    """Raise CheckFailed naming the clashing statements if the graph is inconsistent."""
    problems = [f"  - {m}" for m in reasoned.errors]
    name = namespace_graph(reasoned.origin).namespace_manager.normalizeUri
    problems += [
        f"  - a category with no source (no 3.2 listing, no reading of iotkg's): {name(s)} {name(p)} {name(o)} ."
        for s, p, o in sorted(reasoned.asserted_triples)
        if p == IOTKG.hasRoleCategory
    ]
    if reasoned.errors:
        problems += [f"    because of: {s}" for s in clashing_statements(reasoned.asserted, reasoned.errors)]
    else:  # a same-entity link between two categories; report the cause only
        crossed = cross_category_equivalences(reasoned)
        problems += [f"  - {m}" for m in crossed[:10]]
        if len(crossed) > 10:
            problems.append(f"  … and {len(crossed) - 10} more pairs")
    if problems:
        raise CheckFailed(
            "the graph is inconsistent:\n" + "\n".join(problems),
            hint="Place a role with iotkg:matchesListing or iotkg:placedByIotkgIn (docs/data-conventions.md); "
            "iotkg:sameEntityAs links roles that share a category.",
        )
