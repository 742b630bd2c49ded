"""The graph for other semantic tools: Turtle, N-Triples, TriG/N-Quads, JSON-LD, RDF/XML, in canonical forms.

Every file is byte-for-byte the same on every run and under every ``PYTHONHASHSEED``, so that a change of data is a
small diff. Everything is written from one canonical form, made by pyoxigraph: the graph's N-Triples (N-Quads) with
RDFC-1.0 blank node labels, statements sorted. The line formats are that text; Turtle, TriG and RDF/XML are
pyoxigraph's serializations of the sorted statements (Turtle: one block per subject, ``rdf:type`` first, sorted
``@prefix`` lines); JSON-LD is compact JSON-LD written here from the same statements, with a small explicit
``@context`` (the prefixes the files declare and the graph uses). No rdflib graph is copied or serialized.

The statements are UTF-8 ``bytes`` throughout (joined, sorted, hashed and written without conversions). Each
graph's statements are sorted once (``dataset_nquads`` sorts them before the build forks the export), and a union
is sorted from those sorted runs. A Turtle or TriG file is pyoxigraph's Turtle of consecutive runs of subjects
(pyoxigraph writes each subject's statements alone): the runs that several files share, most of the asserted
graph's in ``iotkg.ttl``, ``instances.ttl`` and ``iotkg.trig``, are serialized once (``_Pieces``).

``export`` writes the folder ``iotkg build`` puts under ``graph/``, with ``manifest.json`` listing each file, its
triple (or quad) count and its SHA-256.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from json.encoder import encode_basestring as _json  # a JSON string, non-ASCII kept
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias
from xml.etree import ElementTree

import pyoxigraph as ox
from rdflib import OWL, RDF, Graph

from iotkg import __version__, collector, paths
from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_IRI
from iotkg.output import MARKER
from iotkg.reason import Reasoned
from iotkg.terms import XSD_STRING, to_oxigraph

if TYPE_CHECKING:
    from iotkg.sources import Sources

FORMATS = ("turtle", "ntriples", "trig", "nquads", "jsonld", "owl")
FILES = {
    "turtle": ("ontology.ttl", "instances.ttl", "iotkg.ttl", "inferred.ttl", "merged.ttl", "shapes.ttl"),
    "ntriples": ("iotkg.nt", "inferred.nt"),
    "trig": ("iotkg.trig",),
    "nquads": ("iotkg.nq",),
    "jsonld": ("context.jsonld", "merged.jsonld"),
    "owl": ("ontology.owl", "catalog-v001.xml"),
}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_BOOLEAN, _XSD_INTEGER = f"{_XSD}boolean", f"{_XSD}integer"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_RDF_TYPE_MID = b" " + _RDF_TYPE + b" "  # between the subject and the object of an rdf:type statement
_GEN_DELIMS = ":/?#[]@"
_NATIVE_INTEGER = re.compile(r"0|-?[1-9][0-9]{0,14}")  # canonical xsd:integer that every JSON reader keeps exact
_CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"


# ---------------------------------------------------------------- canonical forms


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
            triple = (known(s) or _term_text(s), known(p) or _term_text(p), known(o) or _term_text(o))
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
class _Dataset:
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
# fills them too, so that an export forked after it starts with the statements made (and sorted).
_TERMS: dict[object, bytes] = {}
_STATEMENTS: dict[int, tuple[Graph, int, Statements]] = {}
_CANONICAL: dict[tuple[tuple[int, int, str | None], ...], tuple[tuple[object, ...], _Dataset]] = {}
_QUADS: dict[tuple[tuple[int, int, str | None], ...], tuple[tuple[object, ...], list[bytes], bytes]] = {}


def forget() -> None:
    """Drop what this process remembers of graphs exported (or made into N-Quads) so far, and the graphs with it."""
    _TERMS.clear()
    _STATEMENTS.clear()
    _CANONICAL.clear()
    _QUADS.clear()


def _term_text(node: object) -> bytes:
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
            iris.add(XSD_STRING if term.endswith(b'"') else _RDF_LANG_STRING)
    return frozenset(iris)


def _line_iris(lines: Iterable[bytes]) -> frozenset[str]:
    return _term_iris({term for line in lines for term in line.split(b" ", 2)})


def _stems(iris: Iterable[str]) -> frozenset[str]:
    return frozenset(iri[: max(iri.rfind("/"), iri.rfind("#")) + 1] for iri in iris)


def _statements(graph: Graph | Statements | Sequence[tuple[object, object, object]]) -> Statements:
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


def _reasoned_statements(reasoned: Reasoned) -> tuple[Statements, Statements]:
    """The asserted and the inferred statements of ``reasoned``, made from its lists of triples (no rdflib graph of
    them is made) and remembered with them."""
    return _statements(reasoned.asserted_triples), _statements(reasoned.inferred_triples)


def _parts(graphs: Graphs) -> list[Part]:
    return [(graphs, None)] if isinstance(graphs, Graph | Statements) else [(graph, None) for graph in graphs]


def _key(parts: Sequence[Part]) -> tuple[tuple[int, int, str | None], ...]:
    """Some graphs by identity and size, and their names."""
    return tuple((id(graph), len(graph), name) for graph, name in parts)


def _canonical(parts: Sequence[Part]) -> _Dataset:
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
        statements = _statements(graph)
        runs.setdefault(name, []).append(statements.plain)
        end = _end(name)
        blank += [line + end for line in statements.blank]
    relabelled = _relabelled(blank, None not in names) if blank else {}
    dataset = _Dataset({name: runs[name] for name in sorted(runs, key=str)}, relabelled)
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
    groups = _canonical(parts).groups
    return [(line + _end(name)).decode("utf-8") for name, statements in groups for line in statements]


def _end(name: str | None) -> bytes:
    """The end of a statement in the named graph ``name`` (``None``: the default graph)."""
    return f" <{name}> .".encode() if name else b" ."


def _text(statements: Sequence[bytes], end: bytes = b" .") -> bytes:
    """Statements without their ends as lines of N-Triples (or, with the end `` <name> .``, N-Quads)."""
    if not statements:
        return b""
    line_end = end + b"\n"
    return line_end.join(statements) + line_end


def _parsed(text: bytes) -> ox.QuadParser:
    """The quads of N-Triples or N-Quads that pyoxigraph wrote (so not checked again)."""
    return ox.parse(text, format=ox.RdfFormat.N_QUADS, lenient=True)


def _iris(parts: Sequence[Part]) -> set[str]:
    """The IRIs the graphs use (see ``Statements``) and the names of the named graphs."""
    return {name for _, name in parts if name}.union(*(_statements(graph).iris for graph, _ in parts))


def _used(prefixes: dict[str, str], parts: Sequence[Part]) -> dict[str, str]:
    """``used_prefixes`` of the graphs' IRIs and the graph names (from each graph's remembered stems)."""
    names = {name for _, name in parts if name}
    stems = _stems(names).union(*(_statements(graph).stems for graph, _ in parts))
    slow = {prefix: ns for prefix, ns in prefixes.items() if ns[-1:] not in "/#"}
    used = {prefix: ns for prefix, ns in prefixes.items() if prefix not in slow and _under(ns, stems)}
    if slow:
        used.update(used_prefixes(slow, _iris(parts)))
    return dict(sorted(used.items()))


def _under(namespace: str, iris: Iterable[str]) -> bool:
    return any(iri.startswith(namespace) for iri in iris)


def _bound(graph: Graph | Statements) -> dict[str, str]:
    """The graph's own prefixes, one per namespace (the first in order)."""
    bound: dict[str, str] = {}
    namespaces = graph.namespaces() if isinstance(graph, Graph) else ()
    for prefix, namespace in sorted((prefix, str(namespace)) for prefix, namespace in namespaces):
        if prefix and namespace not in bound.values():
            bound[prefix] = namespace
    return bound


# ---------------------------------------------------------------- Turtle and TriG


def _typed_first(statements: list[bytes]) -> bytes:
    """N-Triples of sorted statements, each subject's ``rdf:type`` statements moved to the front of its run."""
    text = _text(statements)
    moves = _moves(text)
    if not moves:
        return text
    pieces: list[bytes] = []
    done = 0
    for first, start, end in moves:
        pieces += (text[done:first], text[start:end], text[first:start])
        done = end
    pieces.append(text[done:])
    return b"".join(pieces)


def _moves(text: bytes) -> list[tuple[int, int, int]]:
    """Where sorted N-Triples has a subject's ``rdf:type`` statements after others of the subject: the start of the
    subject's statements, and the start and the end of its ``rdf:type`` statements.

    The ``rdf:type`` statements of a subject are next to each other, and already in front unless the subject has a
    predicate that sorts before ``rdf:type``: the text is searched for ``rdf:type`` statements (the other
    statements are not looked at one by one)."""
    find, rfind, starts = text.find, text.rfind, text.startswith
    moves: list[tuple[int, int, int]] = []
    at = find(_RDF_TYPE_MID)
    while at != -1:
        start = rfind(b"\n", 0, at) + 1
        if find(b" ", start, at) != -1:  # rdf:type in a literal
            at = find(_RDF_TYPE_MID, at + 1)
            continue
        head, lead = text[start : at + 1], text[start:at] + _RDF_TYPE_MID
        end = find(b"\n", at) + 1
        while starts(lead, end):
            end = find(b"\n", end) + 1
        first = start
        while first:
            previous = rfind(b"\n", 0, first - 1) + 1
            if not starts(head, previous):
                break
            first = previous
        if first < start:
            moves.append((first, start, end))
        at = find(_RDF_TYPE_MID, end)
    return moves


@dataclass(frozen=True, eq=False)
class _Raw:
    """pyoxigraph's Turtle of some subjects' statements (``body``, without ``@prefix`` lines), written with
    ``prefixes``; ``commas``: a literal holds `` , ``."""

    body: bytes
    commas: bool
    prefixes: dict[str, str]

    @classmethod
    def of(cls, statements: list[bytes], prefixes: dict[str, str], typed_first: bool = True) -> _Raw:
        """Turtle of sorted statements (whole subjects), ``rdf:type`` first unless not ``typed_first``."""
        return cls.of_text(_typed_first(statements) if typed_first else _text(statements), prefixes)

    @classmethod
    def of_text(cls, text: bytes, prefixes: dict[str, str], commas: bool | None = None) -> _Raw:
        """Turtle of N-Triples (whole subjects), in its order (``commas``: whether the text holds `` , ``, if
        known)."""
        if not text:
            return cls(b"", False, prefixes)
        serialized = ox.serialize(_parsed(text), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        return cls(_after_prefixes(serialized), b" , " in text if commas is None else commas, prefixes)

    @cached_property
    def tidied(self) -> bytes:
        """The body laid out as in the Turtle files (see ``canonical_turtle``): objects after the first on lines of
        their own, indented by spaces, each subject's statements followed by a blank line."""
        body = self.body
        if b"\\." in body or self.commas:  # a local name with an escaped dot, or " , " in a literal
            lines = body.decode("utf-8").split("\n")
            lines = [_tidy(line, self.prefixes, True) if "\\." in line or " , " in line else line for line in lines]
            body = "\n".join(lines).encode("utf-8")
        else:  # every " , " is between two objects
            body = body.replace(b" , ", b" ,\n        ")
        return body.replace(b"\n\t", b"\n    ").replace(b" .\n", b" .\n\n")


def _after_prefixes(serialized: bytes) -> bytes:
    """pyoxigraph's Turtle or TriG without its ``@prefix`` lines."""
    start = 0
    while serialized.startswith(b"@prefix ", start):
        start = serialized.index(b"\n", start) + 1
    return serialized[start:]


class _Pieces:
    """A graph's sorted statements without blank nodes, cut around some subjects (their statements differ between
    the variants of the graph: other blank node labels, fewer statements, ``rdf:type`` first or not), and
    pyoxigraph's Turtle of the runs of subjects between them, made once for every variant.

    The subjects cut around are those asked for and those with statements that sort before their ``rdf:type``
    statements. The ``prefixes`` are those that the graph's IRIs fall under: pyoxigraph's choice of a prefix for an
    IRI depends only on the prefixes that the IRI falls under, so the runs read the same in a file of more graphs
    (or of fewer statements) with more (or fewer) prefixes declared."""

    def __init__(self, plain: list[bytes], subjects: Iterable[bytes], prefixes: dict[str, str]) -> None:
        text = _text(plain)
        moved = {text[first : text.index(b" ", first)] for first, _, _ in _moves(text)}
        cuts: list[tuple[int, int]] = []  # the statements of those subjects, as ranges of ``plain``
        for subject in sorted({*subjects, *moved}):
            low = bisect_left(plain, subject + b" ")
            high = bisect_left(plain, subject + b"!", low)  # (" " is the byte before "!")
            if cuts and cuts[-1][1] >= low:
                cuts[-1] = (cuts[-1][0], max(cuts[-1][1], high))
            else:
                cuts.append((low, high))
        self.plain, self.cuts, self.prefixes, self.text = plain, cuts, prefixes, text
        bounds = [0, *(bound for cut in cuts for bound in cut), len(plain)]
        offsets = _offsets(text, plain, bounds)
        self.spans = list(zip(offsets[::2], offsets[1::2], strict=True))  # the runs, as ranges of ``text``
        commas = None if b" , " in text else False  # (a run can hold " , " only if the whole does)
        self.runs = [_Raw.of_text(text[start:end], prefixes, commas) for start, end in self.spans]

    def turtle(
        self, relabelled: list[bytes], dropped: set[bytes] | None = None, typed_first: bool = True
    ) -> list[_Raw]:
        """Turtle of a variant: the plain statements less ``dropped``, and the ``relabelled`` ones (whose subjects,
        if IRIs, are among the subjects cut around), ``rdf:type`` first unless not ``typed_first``."""
        *cut, tail = self._cut(relabelled, dropped)
        pieces = [self.runs[0]]
        for statements, run in zip(cut, self.runs[1:], strict=True):
            pieces += (_Raw.of(statements, self.prefixes, typed_first), run)
        return [*pieces, _Raw.of(tail, self.prefixes, typed_first)]

    def ntriples(self, relabelled: list[bytes]) -> bytes:
        """N-Triples of the variant with the ``relabelled`` statements, sorted."""
        *cut, tail = self._cut(relabelled)
        text = memoryview(self.text)
        pieces: list[bytes | memoryview] = [text[slice(*self.spans[0])]]
        for statements, span in zip(cut, self.spans[1:], strict=True):
            pieces += (_text(statements), text[slice(*span)])
        return b"".join([*pieces, _text(tail)])

    def _cut(self, relabelled: list[bytes], dropped: set[bytes] | None = None) -> list[list[bytes]]:
        """The statements of the variant about each range of subjects cut around, sorted, and those about blank
        nodes (after all the others)."""
        starts = [low for low, _ in self.cuts]
        added: list[list[bytes]] = [[] for _ in self.cuts]
        tail: list[bytes] = []
        for line in relabelled:
            if line.startswith(b"_:"):
                tail.append(line)
            else:
                at = bisect_left(self.plain, line[: line.index(b" ")] + b" ")
                index = bisect_right(starts, at) - 1
                if index < 0 or at > self.cuts[index][1]:
                    raise ValueError(f"not a subject cut around: {line.decode('utf-8')}")
                added[index].append(line)
        cut = [
            sorted([line for line in self.plain[low:high] if not dropped or line not in dropped] + extra)
            for (low, high), extra in zip(self.cuts, added, strict=True)
        ]
        return [*cut, sorted(tail)]


def _offsets(text: bytes, lines: list[bytes], indexes: list[int]) -> list[int]:
    """Where in ``text`` (``lines`` as N-Triples) each of the ascending ``indexes`` of ``lines`` starts."""
    offsets: list[int] = []
    position = 0
    for index in indexes:
        if index == 0:
            position = 0
        elif index == len(lines):
            position = len(text)
        else:  # (each line is in the text once)
            position = text.index(b"\n" + lines[index] + b" .\n", max(position - 1, 0)) + 1
        offsets.append(position)
    return offsets


def _iri_subjects(statements: Iterable[bytes]) -> set[bytes]:
    return {line[: line.index(b" ")] for line in statements if line.startswith(b"<")}


def _turtle_file(pieces: list[_Raw], used: dict[str, str]) -> bytes:
    """A Turtle file (see ``canonical_turtle``) from pyoxigraph's Turtle of consecutive runs of subjects (it
    writes each subject's statements alone), declaring ``used``."""
    bodies = [piece.tidied for piece in pieces if piece.body]
    if not bodies:
        return _header(used)
    return b"".join([_header(used), b"\n", *bodies[:-1], memoryview(bodies[-1])[:-1]])  # (one blank line less)


def _header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in prefixes.items()).encode("utf-8")


def canonical_turtle(graph: Graphs, prefixes: dict[str, str] | None = None) -> str:
    """Turtle of the graph with canonical blank node labels, written by pyoxigraph from the sorted statements: one
    block per subject (``rdf:type`` first, then predicates and objects in N-Triples order, grouped with ``;`` and
    ``,``, several objects one per line), blocks apart by a blank line, after the ``prefixes`` (default: the
    graph's own) that the graph uses."""
    parts = _parts(graph)
    used = _used(_bound(parts[0][0]) if prefixes is None else prefixes, parts)
    return _turtle_file([_Raw.of(_canonical(parts).default, used)], used).decode("utf-8")


# in a line of pyoxigraph's Turtle or TriG: a string literal (it writes no long strings), the `` , `` between two
# objects, or any other token
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"| , |[^\s"]+')
_LOCAL_ESCAPE = re.compile(r"\\(.)")


def _tidy(line: str, prefixes: dict[str, str], objects_apart: bool) -> str:
    """A line of pyoxigraph's Turtle or TriG with each prefixed name that ends in an escaped dot (``id:x\\.``, which
    rdflib cannot read) spelled out as an IRI, and, if ``objects_apart``, each object after the first on a line of
    its own."""

    def tidied(match: re.Match[str]) -> str:
        token = match.group()
        if token == " , ":
            return " ,\n        " if objects_apart else token
        if token.startswith('"') or not token.endswith("\\."):
            return token
        lead = "^^" if token.startswith("^^") else ""
        prefix, _, local = token.removeprefix(lead).partition(":")
        iri = prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
        return f"{lead}<{iri}>"

    return _TOKEN.sub(tidied, line)


def _trig_file(graphs: list[tuple[str, list[_Raw]]], used: dict[str, str]) -> bytes:
    """TriG of named graphs from pyoxigraph's Turtle of each (of consecutive runs of subjects), framed as pyoxigraph
    frames them: its ``@prefix`` lines and each graph's ``name {`` line (taken from its TriG of one statement per
    graph), the Turtle indented by a tab, ``}``."""
    bodies = [(name, b"".join(piece.body for piece in pieces)) for name, pieces in graphs]
    bodies = [(name, body) for name, body in bodies if body]
    if not bodies:
        return b""
    sample = ox.NamedNode("urn:x")
    frame = ox.serialize(
        [ox.Quad(sample, sample, sample, ox.NamedNode(name)) for name, _ in bodies],
        format=ox.RdfFormat.TRIG,
        prefixes=used,
    )
    framed = _after_prefixes(frame)
    openers = [line for line in framed.split(b"\n") if line.endswith(b" {")]
    pieces = [frame[: len(frame) - len(framed)]]
    for opener, (_, body) in zip(openers, bodies, strict=True):
        pieces += (opener, b"\n\t", body[:-1].replace(b"\n", b"\n\t"), b"\n}\n")
    trig = b"".join(pieces)
    if b"\\." not in trig:
        return trig
    lines = trig.decode("utf-8").split("\n")
    return "\n".join(_tidy(line, used, False) if "\\." in line else line for line in lines).encode("utf-8")


def _trig_graphs(
    parts: Sequence[Part], dataset: _Dataset, pieces: Callable[[Graph | Statements], _Pieces], used: dict[str, str]
) -> list[tuple[str, list[_Raw]]]:
    """pyoxigraph's Turtle of each named graph of a canonical dataset, from the ``pieces`` of its graph (if it is
    the only one of that name)."""
    graphs: list[tuple[str, list[_Raw]]] = []
    for name in dataset.runs:
        if name is None:
            raise ValueError("a graph in the default graph")
        own = [graph for graph, graph_name in parts if graph_name == name]
        if len(own) == 1:
            graphs.append((name, pieces(own[0]).turtle(dataset.relabelled.get(name, []), typed_first=False)))
        else:
            graphs.append((name, [_Raw.of(dict(dataset.groups)[name], used, typed_first=False)]))
    return graphs


def canonical_trig(parts: Sequence[Part], prefixes: dict[str, str]) -> str:
    """TriG of each (graph, name) pair, written by pyoxigraph from the sorted canonical quads."""
    used = _used(prefixes, parts)

    def pieces(graph: Graph | Statements) -> _Pieces:
        statements = _statements(graph)
        return _Pieces(statements.plain, _iri_subjects(statements.blank), _used(prefixes, _parts(graph)))

    return _trig_file(_trig_graphs(parts, _canonical(parts), pieces, used), used).decode("utf-8")


def sorted_ntriples(graph: Graphs) -> str:
    """N-Triples (pyoxigraph's canonical form), canonical blank node labels, lines sorted."""
    return _text(_canonical(_parts(graph)).default).decode("utf-8")


def _nquads(parts: Sequence[Part]) -> bytes:
    """N-Quads of each (graph, name) pair, canonical blank node labels, lines sorted: the remembered sorted text
    with the statements about blank nodes relabelled."""
    lines, text = _sorted_quads(parts)
    as_read = {line + _end(name) for graph, name in parts for line in _statements(graph).blank}
    relabelled = {line + _end(name) for name, group in _canonical(parts).relabelled.items() for line in group}
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


def _sorted_quads(parts: Sequence[Part]) -> tuple[list[bytes], bytes]:
    """The statements of each (graph, name) pair as N-Quads lines (blank node labels as they are), each once,
    sorted, and their text; remembered, so that an export after ``dataset_nquads`` starts from them."""
    key = _key(parts)
    if key in _QUADS:
        return _QUADS[key][1:]
    lines: list[bytes] = []
    for graph, name in parts:
        statements, end = _statements(graph), _end(name)
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
    return _nquads(parts).decode("utf-8")


def _rdf_xml(parts: Sequence[Part], used: dict[str, str]) -> bytes:
    """``rdf_xml`` in UTF-8, declaring ``used``."""
    text = _text(_canonical(parts).default)
    return ox.serialize(_parsed(text), format=ox.RdfFormat.RDF_XML, prefixes=used)


def rdf_xml(graph: Graphs, prefixes: dict[str, str]) -> str:
    """RDF/XML (for Protégé and other OWL tools), written by pyoxigraph from the sorted canonical triples."""
    parts = _parts(graph)
    return _rdf_xml(parts, _used(prefixes, parts)).decode("utf-8")


# ---------------------------------------------------------------- JSON-LD


def jsonld_context(graph: Graphs, prefixes: dict[str, str]) -> dict[str, object]:
    """The ``@context`` of the JSON-LD export: the declared prefixes that the graph uses, nothing else (and no
    prefix named like the scheme of an IRI the graph uses, which would turn ``urn:x`` into a compact IRI)."""
    parts = _parts(graph)
    schemes = {iri.partition(":")[0] for iri in _iris(parts)}
    return {"@context": {p: ns for p, ns in _used(prefixes, parts).items() if p not in schemes}}


def _jsonld(statements: Iterable[bytes], context: dict[str, object]) -> bytes:
    """``canonical_jsonld`` of sorted canonical statements, in UTF-8."""
    prefixes = context["@context"]
    if not isinstance(prefixes, dict):
        raise TypeError("the context must map prefixes to namespaces")
    nodes = _JsonLdWriter(prefixes).nodes(statements)
    head = json.dumps(prefixes, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  ")
    graph_text = b",\n".join(nodes) + b"\n" if nodes else b""
    return b'{\n  "@context": %s,\n  "@graph": [\n%s  ]\n}\n' % (head.encode("utf-8"), graph_text)


def canonical_jsonld(graph: Graphs, context: dict[str, object]) -> str:
    """Compact JSON-LD 1.1 of the graph (canonical blank node labels), written from the sorted statements with
    ``context`` given inline (nothing is fetched).

    One node object per subject, in N-Triples order: ``@id``, ``@type`` (the IRI types), then the properties as
    compact IRIs, sorted; one value alone, several in an array one per line, in N-Triples order. Plain strings,
    canonical integers (up to 15 digits) and booleans are native JSON values; other literals are value objects.
    RDF lists stay ``rdf:first``/``rdf:rest`` nodes (as in the Turtle files)."""
    return _jsonld(_canonical(_parts(graph)).default, context).decode("utf-8")


class _JsonLdWriter:
    """Node objects of compact JSON-LD as UTF-8, from N-Triples statements, with IRIs compacted by the context's
    prefixes (each term's JSON remembered)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # longest namespace first; only namespaces that end in a gen-delim make prefixes in JSON-LD 1.1
        self.table = sorted(
            ((namespace, prefix) for prefix, namespace in prefixes.items() if namespace[-1:] in _GEN_DELIMS),
            key=lambda entry: (-len(entry[0]), entry[1]),
        )
        self.terms = set(prefixes)
        self.iris: dict[str, str] = {}
        self.identifiers: dict[bytes, bytes] = {}
        self.values: dict[bytes, bytes] = {}

    def compact(self, iri: str) -> str:
        """``prefix:suffix`` under the longest matching namespace, else the IRI itself."""
        found = self.iris.get(iri)
        if found is None:
            found = next(
                (
                    f"{prefix}:{iri[len(ns) :]}"
                    for ns, prefix in self.table
                    if iri.startswith(ns) and not iri.startswith("//", len(ns))
                ),
                iri,
            )
            scheme, _, rest = iri.partition(":")
            if found == iri and scheme in self.terms and not rest.startswith("//"):
                raise ValueError(f"{iri}: would read as a compact IRI under the JSON-LD prefix {scheme!r}")
            self.iris[iri] = found
        return found

    def identifier(self, term: bytes) -> bytes:
        """The ``@id`` (compact IRI or ``_:label``) of an IRI or a blank node in N-Triples, as JSON."""
        found = self.identifiers.get(term)
        if found is None:
            text = term.decode("utf-8")
            found = _json(self.compact(text[1:-1]) if text.startswith("<") else text).encode("utf-8")
            self.identifiers[term] = found
        return found

    def value(self, term: bytes) -> bytes:
        """The object of a statement (N-Triples) as a JSON-LD value, as JSON."""
        found = self.values.get(term)
        if found is None:
            if term.startswith(b'"'):
                found = self._literal(*_literal_parts(term.decode("utf-8"))).encode("utf-8")
            else:
                found = b'{"@id": %s}' % self.identifier(term)
            self.values[term] = found
        return found

    def _literal(self, lexical: str, language: str | None, datatype: str) -> str:
        if language:
            return f'{{"@language": {_json(language)}, "@value": {_json(lexical)}}}'
        if datatype == XSD_STRING:
            return _json(lexical)
        if (datatype == _XSD_BOOLEAN and lexical in ("true", "false")) or (
            datatype == _XSD_INTEGER and _NATIVE_INTEGER.fullmatch(lexical)
        ):
            return lexical
        return f'{{"@type": {_json(self.compact(datatype))}, "@value": {_json(lexical)}}}'

    def nodes(self, statements: Iterable[bytes]) -> list[bytes]:
        """The node objects of sorted N-Triples statements (without their ends), one per subject, in order."""
        nodes: list[bytes] = []
        identifiers, values, keys = self.identifiers, self.values, {}
        subject = None
        types: list[bytes] = []
        properties: dict[bytes, list[bytes]] = {}
        for statement in statements:
            s, p, o = statement.split(b" ", 2)
            if s != subject:
                if subject is not None:
                    nodes.append(self._node(subject, types, properties))
                subject, types, properties = s, [], {}
            if p == _RDF_TYPE and o[0] == 60:  # an IRI: "<"
                types.append(identifiers.get(o) or self.identifier(o))
                continue
            key = keys.get(p)
            if key is None:
                key = keys[p] = _json(self.compact(p[1:-1].decode("utf-8"))).encode("utf-8")
            value = values.get(o) or self.value(o)
            found = properties.get(key)
            if found is None:
                properties[key] = [value]
            else:
                found.append(value)
        if subject is not None:
            nodes.append(self._node(subject, types, properties))
        return nodes

    def _node(self, subject: bytes, types: list[bytes], properties: dict[bytes, list[bytes]]) -> bytes:
        members = [(b'"@id"', [self.identifier(subject)])]
        if types:
            members.append((b'"@type"', types))
        members += sorted(properties.items())
        return b"    {\n" + b",\n".join(b"      %s: %s" % (key, _array(values)) for key, values in members) + b"\n    }"


def _literal_parts(term: str) -> tuple[str, str | None, str]:
    """The lexical form, language and datatype of a literal in N-Triples."""
    close = term.rindex('"')
    if "\\" in term[:close]:  # escapes: pyoxigraph reads them
        literal = next(iter(ox.parse(f"<x:s> <x:p> {term} .", format=ox.RdfFormat.N_TRIPLES))).object
        return literal.value, literal.language, literal.datatype.value
    lexical, rest = term[1:close], term[close + 1 :]
    if rest.startswith("@"):
        return lexical, rest[1:], _RDF_LANG_STRING
    return lexical, None, rest[3:-1] if rest else XSD_STRING


def _array(values: list[bytes]) -> bytes:
    """One JSON value alone, several in an array, one per line (at the depth of a node's property)."""
    if len(values) == 1:
        return values[0]
    return b"[\n" + b",\n".join(b"        " + value for value in values) + b"\n      ]"


# ---------------------------------------------------------------- prefixes, catalog


def used_prefixes(prefixes: dict[str, str], iris: Iterable[str]) -> dict[str, str]:
    """The prefixes under which at least one of ``iris`` falls, sorted by prefix."""
    iris = set(iris)
    stems = {iri[: max(iri.rfind("/"), iri.rfind("#")) + 1] for iri in iris}  # a namespace ending in / or # ...
    return {  # ... starts an IRI exactly when it starts the IRI's stem (the IRI up to its last / or #)
        prefix: namespace
        for prefix, namespace in sorted(prefixes.items())
        if any(iri.startswith(namespace) for iri in (stems if namespace[-1:] in "/#" else iris))
    }


def declared_prefixes(files: Iterable[Path]) -> dict[str, str]:
    """The prefixes the Turtle files declare (not rdflib's defaults); the first file to declare a prefix wins."""
    prefixes: dict[str, str] = {}
    taken: set[str] = set()
    for path in files:
        for prefix, namespace in sorted(_declarations(path.read_text(encoding="utf-8"))):
            if prefix and prefix not in prefixes and namespace not in taken:
                prefixes[prefix] = namespace
                taken.add(namespace)
    return prefixes


# ``@prefix p: <iri> .`` and SPARQL-style ``PREFIX p: <iri>`` at the start of a line (the files parsed already,
# so the declarations are well formed; reading them from the text avoids parsing every file a second time)
_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>", re.MULTILINE | re.IGNORECASE)


def _declarations(text: str) -> list[tuple[str, str]]:
    """The (prefix, namespace) pairs that ``_PREFIX_LINE`` finds in Turtle text; in ASCII text, looked for only on
    the lines that start with the word (found by a plain search of the lower-case text: faster than the pattern's
    case-insensitive search of every line)."""
    if not text.isascii():
        return _PREFIX_LINE.findall(text)
    lower = text.lower()
    found: list[tuple[str, str]] = []
    at = lower.find("prefix")
    while at != -1:
        start = text.rfind("\n", 0, at) + 1
        if text[start:at].strip() in ("", "@"):  # the first word of its line (the pattern decides)
            match = _PREFIX_LINE.match(text, start)
            if match:
                found.append(match.groups(default=""))
        at = lower.find("prefix", at + 1)
    return found


def catalog(mapping: dict[str, str]) -> str:
    """An OASIS XML catalog (``catalog-v001.xml``, as Protégé reads it) mapping IRIs to local file names."""
    root = ElementTree.Element("catalog", {"prefer": "public", "xmlns": _CATALOG_NS})
    for number, (iri, file) in enumerate(sorted(mapping.items()), start=1):
        ElementTree.SubElement(root, "uri", {"id": f"iotkg-{number}", "name": iri, "uri": file})
    ElementTree.indent(root, space="    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------- the export folder


def dataset_nquads(reasoned: Reasoned) -> str:
    """N-Quads, lines sorted: asserted triples in the asserted named graph, inferred ones in the inferred graph.

    The statements are remembered (as an export remembers them: each graph's sorted, and the sorted lines), so an
    export of the same graphs after this, in this process or a forked one, does not convert or sort them again."""
    return dataset_nquads_bytes(reasoned).decode("utf-8")


def dataset_nquads_bytes(reasoned: Reasoned) -> bytes:
    """``dataset_nquads`` in UTF-8 (as made: no decoding)."""
    asserted, inferred = _reasoned_statements(reasoned)
    return _sorted_quads([(asserted, ASSERTED_GRAPH), (inferred, INFERRED_GRAPH)])[1]


def graphs_ntriples_bytes(reasoned: Reasoned) -> tuple[bytes, bytes]:
    """The asserted and the inferred statements, each as N-Triples in UTF-8, in no order and with blank node labels
    as they are (to load a store: ``dataset_nquads_bytes`` is the canonical form). The statements are remembered,
    as ``dataset_nquads`` remembers them."""
    asserted, inferred = _reasoned_statements(reasoned)
    return _text(asserted.lines), _text(inferred.lines)


def _ontology_iris(ontology: Graph) -> list[str]:
    headers = set(ontology.subjects(RDF.type, OWL.Ontology))
    iris = {str(s) for s in headers} or {ONTOLOGY_IRI}
    iris |= {str(v) for s in headers for v in ontology.objects(s, OWL.versionIRI)}
    return sorted(iris)


@dataclass(frozen=True)
class _Split:
    """The ontology alone, the instances alone (and the asserted statements they lack, when they are the asserted
    statements less those: ``None`` if not), and the input files (for their prefixes)."""

    ontology: Graph
    instances: Statements
    dropped: set[bytes] | None
    files: list[Path]


def _split(reasoned: Reasoned, sources: Sources | None) -> _Split:
    """The ontology, the instances, the input files.

    The asserted graph is the ontology and the instances together: the instances are the asserted statements less
    the ontology's that no instance file states too. Without the sources, they are the asserted statements that the
    ontology file does not hold (the ontology's blank nodes, parsed anew, never match)."""
    from iotkg.sources import ONTOLOGY_FILE, parse_turtle

    if sources is None:
        asserted = _reasoned_statements(reasoned)[0]
        ontology = parse_turtle(paths.ontology_dir() / ONTOLOGY_FILE)
        files = [paths.ontology_dir() / ONTOLOGY_FILE, *sorted(paths.instances_dir().rglob("*.ttl"))]
        dropped = set(_statements(ontology).lines)
    else:
        ontology, files = sources.ontology, [paths.ontology_dir() / ONTOLOGY_FILE, *sources.files]
        if reasoned.origin is not sources:  # reasoned over another graph: the instances are the files'
            return _Split(ontology, Statements.of(sources.instance_triples), None, files)
        asserted = _reasoned_statements(reasoned)[0]
        dropped = set(_statements(ontology).lines) - _stated_again(ontology, sources.instance_triples)
    return _Split(ontology, asserted.without(dropped), dropped, files)


def _stated_again(ontology: Graph, triples: Iterable[tuple[object, object, object]]) -> set[bytes]:
    """The statements of ``triples`` about the ontology's subjects (those that can be the ontology's own)."""
    subjects = set(ontology.subjects())
    text = _term_text
    return {b" ".join((text(s), text(p), text(o))) for s, p, o in triples if s in subjects}


def _shapes() -> tuple[Graph, Path] | None:
    from iotkg.sources import SHAPES_FILE, parse_turtle

    path = paths.ontology_dir() / SHAPES_FILE
    return (parse_turtle(path), path) if path.is_file() else None


def export(
    reasoned: Reasoned,
    folder: Path,
    sources: Sources | None = None,
    formats: Iterable[str] = FORMATS,
) -> list[Path]:
    """Write the graph in each of ``formats`` into ``folder``, then ``manifest.json``; return the files written.

    Files of the other formats left by an earlier export are removed, so that the manifest lists the folder.

    turtle: ontology.ttl, instances.ttl, iotkg.ttl (the two: asserted), inferred.ttl, merged.ttl (asserted +
    inferred), shapes.ttl;
    ntriples: iotkg.nt, inferred.nt; trig, nquads: iotkg.trig, iotkg.nq (asserted and inferred in named graphs);
    jsonld: merged.jsonld and its context.jsonld; owl: ontology.owl (RDF/XML) and catalog-v001.xml.
    """
    chosen = set(formats)
    unknown = sorted(chosen - set(FORMATS))
    if unknown:
        from iotkg.errors import InputError

        raise InputError(f"unknown export format {', '.join(unknown)}", hint=f"Use one of: {', '.join(FORMATS)}.")
    with collector.paused():
        split = _split(reasoned, sources)
        shapes = _shapes()
        prefixes = declared_prefixes(split.files + ([shapes[1]] if shapes else []))
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / MARKER).exists():
            (folder / MARKER).write_text("This folder is written by iotkg; its files are regenerated.\n")
        written: list[tuple[str, int | None, str, int, str]] = []  # name, statements, media type, bytes, SHA-256
        for name, count, media_type, data in _Files(reasoned, split, shapes, prefixes).chosen(chosen):
            (folder / name).write_bytes(data)
            written.append((name, count, media_type, len(data), hashlib.sha256(data).hexdigest()))
    for stale in sorted({name for names in FILES.values() for name in names} - {name for name, *_ in written}):
        (folder / stale).unlink(missing_ok=True)  # an export of other formats, from an earlier run
    entries = [
        {"path": name, "media_type": media_type, "triples": count, "bytes": size, "sha256": digest}
        for name, count, media_type, size, digest in sorted(written)
    ]
    (folder / "manifest.json").write_bytes(manifest(entries, split.ontology, sources).encode("utf-8"))
    forget()
    return [folder / name for name, *_ in written] + [folder / "manifest.json"]


class _Files:
    """The files of one export, each made when asked for, from what the others made already: the canonical
    statements, and pyoxigraph's Turtle of the runs of subjects that the asserted graph's files share."""

    def __init__(
        self, reasoned: Reasoned, split: _Split, shapes: tuple[Graph, Path] | None, prefixes: dict[str, str]
    ) -> None:
        self.asserted, self.inferred = _reasoned_statements(reasoned)
        self.split, self.shapes, self.prefixes = split, shapes, prefixes
        self.merged = _parts((self.asserted, self.inferred))  # read as one graph; no rdflib copy
        self.named: list[Part] = [(self.asserted, ASSERTED_GRAPH), (self.inferred, INFERRED_GRAPH)]

    def chosen(self, formats: set[str]) -> Iterator[tuple[str, int | None, str, bytes]]:
        """Each file of ``formats``: name, statement count (``None``: not RDF), media type, bytes."""
        asserted, inferred, ontology = self.asserted, self.inferred, self.split.ontology
        quads = len(asserted) + len(inferred)
        if "turtle" in formats:
            yield "ontology.ttl", len(ontology), "text/turtle", self.turtle(_parts(ontology))
            yield "instances.ttl", len(self.split.instances), "text/turtle", self.instances_turtle()
            yield "iotkg.ttl", len(asserted), "text/turtle", self.pieces_turtle(asserted)
            yield "inferred.ttl", len(inferred), "text/turtle", self.pieces_turtle(inferred)
            yield "merged.ttl", self.merged_count, "text/turtle", self.merged_turtle()
            if self.shapes:
                yield "shapes.ttl", len(self.shapes[0]), "text/turtle", self.turtle(_parts(self.shapes[0]))
        if "ntriples" in formats:
            for name, graph in (("iotkg.nt", asserted), ("inferred.nt", inferred)):
                relabelled = _canonical(_parts(graph)).relabelled.get(None, [])
                yield name, len(graph), "application/n-triples", self.pieces(graph).ntriples(relabelled)
        if "trig" in formats:
            yield "iotkg.trig", quads, "application/trig", self.trig()
        if "nquads" in formats:
            yield "iotkg.nq", quads, "application/n-quads", _nquads(self.named)
        if "jsonld" in formats:
            context = jsonld_context((asserted, inferred), self.prefixes)
            text = json.dumps(context, indent=2, sort_keys=True) + "\n"
            yield "context.jsonld", None, "application/ld+json", text.encode("utf-8")
            statements = _canonical(self.merged).default
            yield "merged.jsonld", self.merged_count, "application/ld+json", _jsonld(statements, context)
        if "owl" in formats:
            parts = _parts(ontology)
            yield "ontology.owl", len(ontology), "application/rdf+xml", _rdf_xml(parts, self.used(parts))
            mapping = dict.fromkeys(_ontology_iris(ontology), "ontology.owl")
            yield "catalog-v001.xml", None, "application/xml", catalog(mapping).encode("utf-8")

    @cached_property
    def merged_count(self) -> int:
        return len(_canonical(self.merged).default)

    @cached_property
    def merged_text(self) -> bytes:
        """The asserted and inferred statements as N-Triples, sorted, each subject's ``rdf:type`` statements first."""
        return _typed_first(_canonical(self.merged).default)

    def used(self, parts: Sequence[Part]) -> dict[str, str]:
        return _used(self.prefixes, parts)

    def turtle(self, parts: Sequence[Part]) -> bytes:
        used = self.used(parts)
        return _turtle_file([_Raw.of(_canonical(parts).default, used)], used)

    def merged_turtle(self) -> bytes:
        used = self.used(self.merged)
        return _turtle_file([_Raw.of_text(self.merged_text, used)], used)

    def pieces(self, graph: Graph) -> _Pieces:
        """The asserted or the inferred graph's pieces, cut around the IRIs whose statements have blank nodes
        (relabelled in the dataset) or are the ontology's alone (not among the instances)."""
        return self.asserted_pieces if graph is self.asserted else self.inferred_pieces

    @cached_property
    def asserted_pieces(self) -> _Pieces:
        statements = _statements(self.asserted)
        subjects = _iri_subjects(statements.blank) | _iri_subjects(self.split.dropped or ())
        return _Pieces(statements.plain, subjects, self.used(_parts(self.asserted)))

    @cached_property
    def inferred_pieces(self) -> _Pieces:
        statements = _statements(self.inferred)
        return _Pieces(statements.plain, _iri_subjects(statements.blank), self.used(_parts(self.inferred)))

    def pieces_turtle(self, graph: Graph) -> bytes:
        parts = _parts(graph)
        raw = self.pieces(graph).turtle(_canonical(parts).relabelled.get(None, []))
        return _turtle_file(raw, self.used(parts))

    def instances_turtle(self) -> bytes:
        instances, dropped = self.split.instances, self.split.dropped
        if dropped is None:  # not a part of the asserted statements
            return self.turtle(_parts(instances))
        parts = _parts(instances)
        raw = self.asserted_pieces.turtle(_canonical(parts).relabelled.get(None, []), dropped)
        return _turtle_file(raw, self.used(parts))

    def trig(self) -> bytes:
        used = self.used(self.named)
        return _trig_file(_trig_graphs(self.named, _canonical(self.named), self.pieces, used), used)


def manifest(entries: list[dict[str, object]], ontology: Graph, sources: Sources | None = None) -> str:
    """``manifest.json``: the iotkg and ontology versions, the inputs' digest, and each file with its count and
    checksum (``triples`` is the number of quads for a dataset file, ``null`` for a file that is not RDF)."""
    versions = sorted(str(v) for v in ontology.objects(None, OWL.versionInfo))
    version_iris = sorted(str(v) for v in ontology.objects(None, OWL.versionIRI))
    document = {
        "generator": f"iotkg {__version__}",
        "ontology": {
            "iri": ONTOLOGY_IRI,
            "versionIRI": version_iris[0] if version_iris else None,
            "versionInfo": versions[0] if versions else None,
        },
        "inputs_sha256": sources.digest if sources is not None else None,
        "files": entries,
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
