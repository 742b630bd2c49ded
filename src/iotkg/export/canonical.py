"""Canonical RDF: quads with blank nodes labelled by RDFC-1.0 and sorted, serialized by pyoxigraph.

Every export file is made from such quads, so that it has the same bytes on every run and under every
``PYTHONHASHSEED``, and a change of data is a small diff.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from iotkg.terms import to_oxigraph

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Triples = Iterable[tuple[object, object, object]]
"""Triples of rdflib terms (an rdflib graph, or a list of its triples)."""


@dataclass(frozen=True)
class Canonical:
    """Some graphs' statements as sorted N-Quads (N-Triples in the default graph), blank nodes labelled by
    RDFC-1.0, and the IRIs they use (their terms, their literals' datatypes, the graph names)."""

    nquads: bytes
    iris: frozenset[str]

    def __len__(self) -> int:
        return self.nquads.count(b"\n")


def canonical(graphs: Sequence[tuple[Triples, str | None]], texts: dict[object, str] | None = None) -> Canonical:
    """The statements of each (triples, graph name) pair (``None``: the default graph), each once, blank nodes
    relabelled by RDFC-1.0 over them all (pyoxigraph), sorted by their N-Quads text. ``texts`` (rdflib term →
    N-Triples text) may be shared by the calls of one export, whose graphs share most of their terms.

    Only the statements with a blank node go through the ``ox.Dataset`` that is canonicalized: RDFC-1.0 labels a
    blank node from the statements that mention blank nodes alone, and leaves the others as they are."""
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
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        lines.update(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines(keepends=True))
    iris = {name for _, name in graphs if name}
    for term in used:
        if isinstance(term, URIRef):
            iris.add(str(term))
        elif isinstance(term, Literal):
            iris.add(str(term.datatype or (RDF_LANG_STRING if term.language else XSD_STRING)))
    return Canonical("".join(sorted(lines)).encode("utf-8"), frozenset(iris))


def used_prefixes(prefixes: dict[str, str], iris: Iterable[str]) -> dict[str, str]:
    """The ``prefixes`` whose namespace starts one of the ``iris``, sorted by prefix: a file declares no others."""
    stems = {iri[: max(iri.rfind("/"), iri.rfind("#")) + 1] for iri in iris}  # few; enough for a ``/`` or ``#`` end
    return {
        prefix: namespace
        for prefix, namespace in sorted(prefixes.items())
        if any(iri.startswith(namespace) for iri in (stems if namespace[-1:] in "/#" else iris))
    }


def serialize(graph: Canonical, rdf_format: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    """pyoxigraph's serialization of canonical statements (as triples for a graph format) declaring ``prefixes`` in
    sorted order; TriG's quads grouped by graph, so that each graph is one block."""
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
    """Canonical Turtle of an rdflib graph (as ``iotkg reason`` prints the inferred triples), declaring those of
    ``prefixes`` (default: the graph's own, the first prefix of each namespace) that it uses."""
    if prefixes is None:
        prefixes = {}
        for prefix, namespace in sorted((prefix, str(namespace)) for prefix, namespace in graph.namespaces()):
            if prefix and namespace not in prefixes.values():
                prefixes[prefix] = namespace
    statements = canonical([(graph, None)])
    return serialize(statements, ox.RdfFormat.TURTLE, used_prefixes(prefixes, statements.iris)).decode("utf-8")
