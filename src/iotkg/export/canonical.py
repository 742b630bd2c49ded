"""The canonical form every export file is written from: a graph's statements as N-Triples (N-Quads) in UTF-8,
blank nodes relabelled by RDFC-1.0 (pyoxigraph), statements sorted; and the line formats, which are that text.

The statements are ``bytes`` throughout (joined, sorted, hashed and written without conversions). Each graph's
statements are sorted once (the build's export process sorts them first, for the cache entry's ``dataset_nquads``),
and a union is sorted from those sorted runs. What an export asks for more than once (each term's text, each
graph's statements, each canonical dataset) is remembered until ``forget``.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeAlias

import pyoxigraph as ox
from rdflib import Graph

from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from iotkg.pipeline.reason import Reasoned
from iotkg.terms import XSD_STRING, to_oxigraph

RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_TYPE_TERM = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDF_TYPE_MID = b" " + RDF_TYPE_TERM + b" "  # between the subject and the object of an rdf:type statement


@dataclass(frozen=True, eq=False)
class Statements:
    """A graph as N-Triples statements in UTF-8 without the final `` .`` (blank node labels as they are), and the
    IRIs they use: their terms, their literals' datatypes (``xsd:string`` and ``rdf:langString`` too).

    ``known`` is ``(plain, blank)`` when they are known already (parts of another graph's)."""

    lines: list[bytes]
    iris: frozenset[str]
    known: tuple[list[bytes], list[bytes]] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.lines)

    @classmethod
    def of(cls, graph: Graph | Iterable[tuple[object, object, object]]) -> Statements:
        """The statements of an rdflib graph, or of triples of rdflib terms (each statement once; each term
        converted once per export)."""
        known = _TERMS.get
        lines: dict[bytes, None] = {}
        terms: set[bytes] = set()
        for s, p, o in graph:
            triple = (known(s) or term_text(s), known(p) or term_text(p), known(o) or term_text(o))
            terms.update(triple)
            lines[b" ".join(triple)] = None
        return cls(list(lines), _term_iris(terms))

    def without(self, dropped: set[bytes]) -> Statements:
        """These statements less ``dropped``."""
        lines = [line for line in self.lines if line not in dropped]
        plain = [line for line in self.plain if line not in dropped]
        blank = [line for line in self.blank if line not in dropped]
        return Statements(lines, _line_iris(lines), (plain, blank))

    @cached_property
    def plain(self) -> list[bytes]:
        """The statements without a blank node, sorted (each once)."""
        if self.known is not None:
            return self.known[0]
        return sorted({line for line in self.lines if b"_:" not in line})

    @cached_property
    def blank(self) -> list[bytes]:
        """The statements that mention a blank node, or hold ``_:`` in a literal (each once)."""
        if self.known is not None:
            return self.known[1]
        return list(dict.fromkeys(line for line in self.lines if b"_:" in line))

    @cached_property
    def stems(self) -> frozenset[str]:
        """Each IRI up to its last ``/`` or ``#`` (see ``used_prefixes``)."""
        return _stems(self.iris)


Graphs: TypeAlias = Graph | Statements | Sequence[Graph | Statements]
"""One graph, or several read as one graph (their union)."""
Part: TypeAlias = tuple[Graph | Statements, str | None]
"""A graph and the named graph its triples go into (``None``: the default graph)."""


@dataclass(frozen=True, eq=False)
class CanonicalDataset:
    """The canonical statements of some graphs (N-Triples statements without the final `` .``) by graph name
    (``None``: the default graph): each graph's sorted statements without blank nodes (``runs``), and the
    statements with blank nodes, relabelled (sorted)."""

    runs: dict[str | None, list[list[bytes]]]
    relabelled: dict[str | None, list[bytes]]

    @cached_property
    def groups(self) -> list[tuple[str | None, list[bytes]]]:
        """Each graph name's statements, sorted (names sorted)."""
        return [(name, _sorted_group(runs, self.relabelled.get(name, []))) for name, runs in self.runs.items()]

    @property
    def default(self) -> list[bytes]:
        """The statements of the first group (the only one, in the default graph)."""
        return self.groups[0][1] if self.groups else []


# Remembered for one export (cleared at its end, and when they grow), since it asks for the same graphs in several
# formats: each rdflib term's N-Triples text, each graph's statements and each canonical dataset (by the graphs'
# identity and size; the graphs are kept, so that their identities are not reused meanwhile). ``dataset_nquads``
# and ``graphs_ntriples_bytes`` fill them too, so that an export after them (in this process, or forked after the
# store is loaded) starts with the statements made.
_TERMS: dict[object, bytes] = {}
_STATEMENTS: dict[int, tuple[Graph, int, Statements]] = {}
_CANONICAL: dict[tuple[tuple[int, int, str | None], ...], tuple[tuple[object, ...], CanonicalDataset]] = {}
_QUADS: dict[tuple[tuple[int, int, str | None], ...], tuple[tuple[object, ...], list[bytes], bytes]] = {}


def forget() -> None:
    """Drop what this process remembers of graphs exported (or made into N-Quads) so far, and the graphs with it."""
    _TERMS.clear()
    _STATEMENTS.clear()
    _CANONICAL.clear()
    _QUADS.clear()


def term_text(node: object) -> bytes:
    """An rdflib term's N-Triples text (pyoxigraph's), in UTF-8 (remembered)."""
    text = _TERMS.get(node)
    if text is None:
        text = _TERMS[node] = str(to_oxigraph(node)).encode("utf-8")
    return text


def _term_iris(terms: Iterable[bytes]) -> frozenset[str]:
    iris: set[str] = set()
    for term in terms:
        if term.startswith(b"<"):
            iris.add(term[1:-1].decode("utf-8"))
        elif term.endswith(b">"):  # "lexical form"^^<datatype>
            iris.add(term[term.rindex(b"^^<") + 3 : -1].decode("utf-8"))
        elif term.startswith(b'"'):
            iris.add(XSD_STRING if term.endswith(b'"') else RDF_LANG_STRING)
    return frozenset(iris)


def _line_iris(lines: Iterable[bytes]) -> frozenset[str]:
    return _term_iris({term for line in lines for term in line.split(b" ", 2)})


def _stems(iris: Iterable[str]) -> frozenset[str]:
    return frozenset(iri[: max(iri.rfind("/"), iri.rfind("#")) + 1] for iri in iris)


def statements_of(graph: Graph | Statements | Sequence[tuple[object, object, object]]) -> Statements:
    """The statements of a graph or a list of triples (remembered)."""
    if isinstance(graph, Statements):
        return graph
    cached = _STATEMENTS.get(id(graph))
    if cached is not None and cached[0] is graph and cached[1] == len(graph):
        return cached[2]
    if len(_STATEMENTS) > 16:
        _STATEMENTS.clear()
        _TERMS.clear()
    statements = Statements.of(graph)
    _STATEMENTS[id(graph)] = (graph, len(graph), statements)
    return statements


def reasoned_statements(reasoned: Reasoned) -> tuple[Statements, Statements]:
    """The asserted and the inferred statements of ``reasoned``, made from its lists of triples (no rdflib graph of
    them is made) and remembered with them."""
    return statements_of(reasoned.asserted_triples), statements_of(reasoned.inferred_triples)


def as_parts(graphs: Graphs) -> list[Part]:
    """One graph, or several read as one, as parts in the default graph."""
    return [(graphs, None)] if isinstance(graphs, Graph | Statements) else [(graph, None) for graph in graphs]


def _key(parts: Sequence[Part]) -> tuple[tuple[int, int, str | None], ...]:
    """Some graphs by identity and size, and their names."""
    return tuple((id(graph), len(graph), name) for graph, name in parts)


def canonical_dataset(parts: Sequence[Part]) -> CanonicalDataset:
    """The statements of each (graph, name) pair, blank nodes relabelled by RDFC-1.0 over the whole dataset
    (pyoxigraph), grouped by graph name.

    The pairs are all in the default graph or all in named graphs. Only the statements with a blank node go through
    pyoxigraph: RDFC-1.0 labels a blank node from the statements that mention blank nodes, and leaves the others
    as they are (the N-Triples text of the terms is pyoxigraph's own). Each graph's other statements are sorted
    once; a group is sorted from those sorted runs."""
    key = _key(parts)
    if key in _CANONICAL:
        return _CANONICAL[key][1]
    names = {name for _, name in parts}
    if len(names) > 1 and None in names:
        raise ValueError("graphs both in the default graph and in named graphs")
    runs: dict[str | None, list[list[bytes]]] = {}
    blank: list[bytes] = []
    for graph, name in parts:
        statements = statements_of(graph)
        runs.setdefault(name, []).append(statements.plain)
        end = _end(name)
        blank += [line + end for line in statements.blank]
    relabelled = _relabelled(blank, None not in names) if blank else {}
    dataset = CanonicalDataset({name: runs[name] for name in sorted(runs, key=str)}, relabelled)
    if len(_CANONICAL) > 16:
        _CANONICAL.clear()
    _CANONICAL[key] = (tuple(graph for graph, _ in parts), dataset)
    return dataset


def _relabelled(blank: list[bytes], named: bool) -> dict[str | None, list[bytes]]:
    """N-Quads statements (all in named graphs, or none) relabelled by RDFC-1.0 (pyoxigraph), by graph name,
    sorted, without their ends."""
    dataset = ox.Dataset(ox.parse(b"\n".join(blank), format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    groups: dict[str | None, list[bytes]] = {}
    for line in ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).split(b"\n")[:-1]:
        if named:  # the line ends with `` <name> .``
            cut = line.rindex(b" <")
            groups.setdefault(line[cut + 2 : -3].decode("utf-8"), []).append(line[:cut])
        else:
            groups.setdefault(None, []).append(line[:-2])
    return {name: sorted(lines) for name, lines in groups.items()}


def _sorted_group(runs: list[list[bytes]], relabelled: list[bytes]) -> list[bytes]:
    """Sorted runs (each without repeats) and relabelled statements as one sorted list without repeats."""
    if not relabelled and len(runs) == 1:
        return runs[0]
    if len(runs) == 1:
        lines = runs[0] + relabelled
    else:  # two graphs may share a statement
        lines = list(dict.fromkeys(line for run in runs for line in run))
        lines += relabelled
    lines.sort()  # (a merge of the sorted runs)
    return lines


def canonical_nquads(parts: Sequence[Part]) -> list[str]:
    """The N-Quads statements of each (graph, name) pair, blank nodes relabelled by RDFC-1.0 over the whole dataset
    (pyoxigraph), sorted by graph name, then as text (in the default graph: N-Triples statements)."""
    groups = canonical_dataset(parts).groups
    return [(line + _end(name)).decode("utf-8") for name, statements in groups for line in statements]


def _end(name: str | None) -> bytes:
    """The end of a statement in the named graph ``name`` (``None``: the default graph)."""
    return f" <{name}> .".encode() if name else b" ."


def ntriples_text(statements: Sequence[bytes], end: bytes = b" .") -> bytes:
    """Statements without their ends as lines of N-Triples (or, with the end `` <name> .``, N-Quads)."""
    if not statements:
        return b""
    line_end = end + b"\n"
    return line_end.join(statements) + line_end


def parsed_quads(text: bytes) -> ox.QuadParser:
    """The quads of N-Triples or N-Quads that pyoxigraph wrote (so not checked again)."""
    return ox.parse(text, format=ox.RdfFormat.N_QUADS, lenient=True)


def iris_of(parts: Sequence[Part]) -> set[str]:
    """The IRIs the graphs use (see ``Statements``) and the names of the named graphs."""
    return {name for _, name in parts if name}.union(*(statements_of(graph).iris for graph, _ in parts))


def prefixes_for(prefixes: dict[str, str], parts: Sequence[Part]) -> dict[str, str]:
    """``used_prefixes`` of the graphs' IRIs and the graph names (from each graph's remembered stems)."""
    names = {name for _, name in parts if name}
    stems = _stems(names).union(*(statements_of(graph).stems for graph, _ in parts))
    slow = {prefix: ns for prefix, ns in prefixes.items() if ns[-1:] not in "/#"}
    used = {prefix: ns for prefix, ns in prefixes.items() if prefix not in slow and _under(ns, stems)}
    if slow:
        used.update(used_prefixes(slow, iris_of(parts)))
    return dict(sorted(used.items()))


def _under(namespace: str, iris: Iterable[str]) -> bool:
    return any(iri.startswith(namespace) for iri in iris)


def bound_prefixes(graph: Graph | Statements) -> dict[str, str]:
    """The graph's own prefixes, one per namespace (the first in order)."""
    bound: dict[str, str] = {}
    namespaces = graph.namespaces() if isinstance(graph, Graph) else ()
    for prefix, namespace in sorted((prefix, str(namespace)) for prefix, namespace in namespaces):
        if prefix and namespace not in bound.values():
            bound[prefix] = namespace
    return bound


def sorted_ntriples(graph: Graphs) -> str:
    """N-Triples (pyoxigraph's canonical form), canonical blank node labels, lines sorted."""
    return ntriples_text(canonical_dataset(as_parts(graph)).default).decode("utf-8")


def nquads_bytes(parts: Sequence[Part]) -> bytes:
    """N-Quads of each (graph, name) pair, canonical blank node labels, lines sorted: the remembered sorted text
    with the statements about blank nodes relabelled."""
    lines, text = sorted_quads(parts)
    as_read = {line + _end(name) for graph, name in parts for line in statements_of(graph).blank}
    relabelled = {line + _end(name) for name, group in canonical_dataset(parts).relabelled.items() for line in group}
    if as_read == relabelled:
        return text
    return _replaced(text, lines, sorted(as_read - relabelled), sorted(relabelled - as_read))


def _replaced(text: bytes, lines: list[bytes], old: list[bytes], new: list[bytes]) -> bytes:
    """Sorted lines (``text``, and as a list) with the sorted ``old`` ones (among them) taken out and the sorted
    ``new`` ones (not among them) put in their places."""
    pieces: list[bytes | memoryview] = []
    view, position = memoryview(text), 0  # (the text up to ``position`` is done with)
    for line, put in heapq.merge(((line, False) for line in old), ((line, True) for line in new)):
        at = bisect_left(lines, line)
        offset = len(text) if at == len(lines) else _line_offset(text, lines[at], position)
        pieces += (view[position:offset], line + b"\n") if put else (view[position:offset],)
        position = offset if put else offset + len(line) + 1
    pieces.append(view[position:])
    return b"".join(pieces)


def _line_offset(text: bytes, line: bytes, start: int) -> int:
    """Where the line ``line`` (there once) starts in ``text``, at or after ``start``."""
    if start == 0 and text.startswith(line + b"\n"):
        return 0
    return text.index(b"\n" + line + b"\n", max(start - 1, 0)) + 1


def sorted_quads(parts: Sequence[Part]) -> tuple[list[bytes], bytes]:
    """The statements of each (graph, name) pair as N-Quads lines (blank node labels as they are), each once,
    sorted, and their text; remembered, so that an export after ``dataset_nquads`` starts from them."""
    key = _key(parts)
    if key in _QUADS:
        return _QUADS[key][1:]
    lines: list[bytes] = []
    for graph, name in parts:
        statements, end = statements_of(graph), _end(name)
        lines += [line + end for line in statements.plain]
        lines += [line + end for line in statements.blank]
    if len({name for _, name in parts}) < len(parts):  # two graphs in one may share a statement
        lines = list(dict.fromkeys(lines))
    lines.sort()  # (mostly a merge of the sorted runs)
    text = b"\n".join(lines) + b"\n" if lines else b""
    if len(_QUADS) > 4:
        _QUADS.clear()
    _QUADS[key] = (tuple(graph for graph, _ in parts), lines, text)
    return lines, text


def sorted_nquads(parts: Sequence[Part]) -> str:
    """N-Quads of each (graph, name) pair, canonical blank node labels, lines sorted."""
    return nquads_bytes(parts).decode("utf-8")


def used_prefixes(prefixes: dict[str, str], iris: Iterable[str]) -> dict[str, str]:
    """The prefixes under which at least one of ``iris`` falls, sorted by prefix."""
    iris = set(iris)
    stems = {iri[: max(iri.rfind("/"), iri.rfind("#")) + 1] for iri in iris}  # a namespace ending in / or # ...
    return {  # ... starts an IRI exactly when it starts the IRI's stem (the IRI up to its last / or #)
        prefix: namespace
        for prefix, namespace in sorted(prefixes.items())
        if any(iri.startswith(namespace) for iri in (stems if namespace[-1:] in "/#" else iris))
    }


def dataset_nquads(reasoned: Reasoned) -> str:
    """N-Quads, lines sorted: asserted triples in the asserted named graph, inferred ones in the inferred graph.

    The statements are remembered (as an export remembers them: each graph's sorted, and the sorted lines), so an
    export of the same graphs after this, in this process or a forked one, does not convert or sort them again."""
    return dataset_nquads_bytes(reasoned).decode("utf-8")


def dataset_nquads_bytes(reasoned: Reasoned) -> bytes:
    """``dataset_nquads`` in UTF-8 (as made: no decoding)."""
    asserted, inferred = reasoned_statements(reasoned)
    return sorted_quads([(asserted, ASSERTED_GRAPH), (inferred, INFERRED_GRAPH)])[1]


def graphs_ntriples_bytes(reasoned: Reasoned) -> tuple[bytes, bytes]:
    """The asserted and the inferred statements, each as N-Triples in UTF-8, in no order and with blank node labels
    as they are (to load a store: ``dataset_nquads_bytes`` is the canonical form). The statements are remembered,
    as ``dataset_nquads`` remembers them."""
    asserted, inferred = reasoned_statements(reasoned)
    return ntriples_text(asserted.lines), ntriples_text(inferred.lines)
