"""Canonical RDF: quads with blank nodes labelled by RDFC-1.0 and sorted: the same bytes on every run."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from iotkg.errors import InputError
from iotkg.namespaces import RDF_IRI, XSD_STRING
from iotkg.terms import to_oxigraph

MAX_TIED_BLANK_NODES = 8
"""Linked blank nodes RDFC-1.0 cannot tell apart (its cost grows exponentially) past which, outside trees: refused."""

Triples = Iterable[tuple[object, object, object]]
"""Triples of rdflib terms (an rdflib graph, or a list of its triples)."""


@dataclass(frozen=True)
class Canonical:
    """Some graphs' statements as sorted canonical N-Quads, and the IRIs they use (datatypes and graph names too)."""

    nquads: bytes
    iris: frozenset[str]

    def __len__(self) -> int:
        return self.nquads.count(b"\n")


def canonical(graphs: Sequence[tuple[Triples, str | None]], texts: dict[object, str] | None = None) -> Canonical:
    """The statements of each (triples, graph name or None) pair, each once, canonical; ``texts``: a shared memo."""
    texts = {} if texts is None else texts
    used: set[object] = set()

    def text(node: object) -> str:
        texts[node] = str(to_oxigraph(node))
        return texts[node]

    lines: set[str] = set()
    blank: list[str] = []
    for triples, name in graphs:
        end = f" <{name}> .\n" if name else " .\n"
        for s, p, o in triples:
            line = f"{texts.get(s) or text(s)} {texts.get(p) or text(p)} {texts.get(o) or text(o)}{end}"
            (blank.append if line[0] == "_" or texts[o][0] == "_" else lines.add)(line)
            used.update((s, p, o))
    if blank:
        dataset = ox.Dataset(ox.parse("".join(blank), format=ox.RdfFormat.N_QUADS))
        tied = _tied(dataset)
        labels = _tree_labels(dataset) if tied else None
        if labels is not None:
            dataset = ox.Dataset(ox.Quad(*(labels.get(t, t) for t in q)) for q in dataset)  # type: ignore[misc]
        elif tied > MAX_TIED_BLANK_NODES:
            message = f"{tied} linked blank nodes that RDFC-1.0 cannot tell apart (limit: {MAX_TIED_BLANK_NODES})"
            raise InputError(message, hint="Give those nodes IRIs, or write them as nested [ ] or ( ).")
        else:
            dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        lines.update(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines(keepends=True))
    iris = {name for _, name in graphs if name}
    for term in used:
        if isinstance(term, URIRef):
            iris.add(str(term))
        elif isinstance(term, Literal):
            iris.add(str(term.datatype or (RDF_IRI + "langString" if term.language else XSD_STRING)))
    return Canonical("".join(sorted(lines)).encode("utf-8"), frozenset(iris))


def _tied(dataset: ox.Dataset) -> int:
    """How many blank nodes share their first-degree statements (RDFC-1.0's first hash) with another."""
    statements: dict[object, list[tuple[str, ...]]] = defaultdict(list)
    for quad in dataset:
        for node in {t for t in quad if isinstance(t, ox.BlankNode)}:
            statements[node].append(
                tuple("a" if t == node else "z" if isinstance(t, ox.BlankNode) else str(t) for t in quad)
            )
    return sum(count for count in Counter(tuple(sorted(s)) for s in statements.values()).values() if count > 1)


def _tree_labels(dataset: ox.Dataset) -> dict[object, ox.BlankNode] | None:
    """Linear-time labels for blank nodes that form trees (by holder, content and rank), else ``None``."""
    below: dict[object, list[ox.Quad]] = defaultdict(list)
    holder: dict[object, ox.Quad] = {}
    for quad in dataset:
        if isinstance(quad.subject, ox.BlankNode):
            below[quad.subject].append(quad)
        if isinstance(quad.object, ox.BlankNode):
            if quad.object in holder:
                return None
            holder[quad.object] = quad
    nodes = list(dict.fromkeys([*below, *holder]))
    order = [n for n in nodes if n not in holder or not isinstance(holder[n].subject, ox.BlankNode)]  # then below
    for node in order:
        order += [q.object for q in below[node] if isinstance(q.object, ox.BlankNode)]
    if len(order) != len(nodes):
        return None  # a cycle
    content: dict[object, str] = {}
    for node in reversed(order):
        parts = sorted(f"{q.predicate} {content.get(q.object) or q.object} {q.graph_name}" for q in below[node])
        content[node] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    labels: dict[object, ox.BlankNode] = {}
    ranks: Counter[str] = Counter()
    for node in order:
        quad = holder.get(node)
        context = "" if quad is None else f"{labels.get(quad.subject, quad.subject)} {quad.predicate} {quad.graph_name}"
        key = f"{context} {content[node]}"
        labels[node] = ox.BlankNode("t" + hashlib.sha256(f"{key} {ranks[key]}".encode()).hexdigest()[:32])
        ranks[key] += 1
    return labels


def used_prefixes(prefixes: dict[str, str], iris: Iterable[str]) -> dict[str, str]:
    """The ``prefixes`` whose namespace starts one of the ``iris``, sorted by prefix: a file declares no others."""
    stems = {iri[: max(iri.rfind("/"), iri.rfind("#")) + 1] for iri in iris}  # few; enough for a ``/`` or ``#`` end
    return {
        prefix: namespace
        for prefix, namespace in sorted(prefixes.items())
        if any(iri.startswith(namespace) for iri in (stems if namespace[-1:] in "/#" else iris))
    }


def serialize(graph: Canonical, rdf_format: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    """pyoxigraph's serialization of canonical statements declaring ``prefixes``; TriG's grouped by graph."""
    if rdf_format.supports_datasets:
        data: Iterable[ox.Quad | ox.Triple] = ox.parse(graph.nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
        if rdf_format == ox.RdfFormat.TRIG:
            data = sorted(data, key=lambda quad: str(quad.graph_name))  # type: ignore[union-attr]  # stable
    else:
        data = ox.parse(graph.nquads, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return with_sorted_prefixes(ox.serialize(data, format=rdf_format, prefixes=prefixes), rdf_format, prefixes)


def with_sorted_prefixes(text: bytes, rdf_format: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    """pyoxigraph's Turtle or TriG ``text`` with the ``prefixes`` declared in their (sorted) order."""
    if rdf_format not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return text
    body = text
    while body.startswith(b"@prefix "):  # pyoxigraph's declarations, in its own order: declared sorted instead
        body = body[body.index(b"\n") + 1 :]
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode("utf-8") + body


def turtle_text(graph: Graph, prefixes: dict[str, str] | None = None) -> str:
    """Canonical Turtle of an rdflib graph, declaring the ``prefixes`` (default: the graph's own) that it uses."""
    if prefixes is None:
        prefixes = {}
        for prefix, namespace in sorted((prefix, str(namespace)) for prefix, namespace in graph.namespaces()):
            if prefix and namespace not in prefixes.values():
                prefixes[prefix] = namespace
    statements = canonical([(graph, None)])
    return serialize(statements, ox.RdfFormat.TURTLE, used_prefixes(prefixes, statements.iris)).decode("utf-8")
