"""Turtle, TriG and RDF/XML of canonical statements (``iotkg.export.canonical``), serialized by pyoxigraph.

Turtle: one block per subject, ``rdf:type`` first, sorted ``@prefix`` lines. A Turtle or TriG file is pyoxigraph's
Turtle of consecutive runs of subjects (pyoxigraph writes each subject's statements alone): the runs that several
files share, most of the asserted graph's in ``iotkg.ttl``, ``instances.ttl`` and ``iotkg.trig``, are serialized
once (``Pieces``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph

from iotkg.export.canonical import (
    RDF_TYPE_MID,
    CanonicalDataset,
    Graphs,
    Part,
    Statements,
    as_parts,
    bound_prefixes,
    canonical_dataset,
    ntriples_text,
    parsed_quads,
    prefixes_for,
    statements_of,
)


def types_first_text(statements: list[bytes]) -> bytes:
    """N-Triples of sorted statements, each subject's ``rdf:type`` statements moved to the front of its run."""
    text = ntriples_text(statements)
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
    at = find(RDF_TYPE_MID)
    while at != -1:
        start = rfind(b"\n", 0, at) + 1
        if find(b" ", start, at) != -1:  # rdf:type in a literal
            at = find(RDF_TYPE_MID, at + 1)
            continue
        head, lead = text[start : at + 1], text[start:at] + RDF_TYPE_MID
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
        at = find(RDF_TYPE_MID, end)
    return moves


@dataclass(frozen=True, eq=False)
class RawTurtle:
    """pyoxigraph's Turtle of some subjects' statements (``body``, without ``@prefix`` lines), written with
    ``prefixes``; ``commas``: a literal holds `` , ``."""

    body: bytes
    commas: bool
    prefixes: dict[str, str]

    @classmethod
    def of(cls, statements: list[bytes], prefixes: dict[str, str], typed_first: bool = True) -> RawTurtle:
        """Turtle of sorted statements (whole subjects), ``rdf:type`` first unless not ``typed_first``."""
        return cls.of_text(types_first_text(statements) if typed_first else ntriples_text(statements), prefixes)

    @classmethod
    def of_text(cls, text: bytes, prefixes: dict[str, str], commas: bool | None = None) -> RawTurtle:
        """Turtle of N-Triples (whole subjects), in its order (``commas``: whether the text holds `` , ``, if
        known)."""
        if not text:
            return cls(b"", False, prefixes)
        serialized = ox.serialize(parsed_quads(text), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        return cls(after_prefixes(serialized), b" , " in text if commas is None else commas, prefixes)

    @cached_property
    def tidied(self) -> bytes:
        """The body laid out as in the Turtle files (see ``canonical_turtle``): objects after the first on lines of
        their own, indented by spaces, each subject's statements followed by a blank line."""
        body = self.body
        if b"\\." in body or self.commas:  # a local name with an escaped dot, or " , " in a literal
            lines = body.decode("utf-8").split("\n")
            lines = [tidy(line, self.prefixes, True) if "\\." in line or " , " in line else line for line in lines]
            body = "\n".join(lines).encode("utf-8")
        else:  # every " , " is between two objects
            body = body.replace(b" , ", b" ,\n        ")
        return body.replace(b"\n\t", b"\n    ").replace(b" .\n", b" .\n\n")


def after_prefixes(serialized: bytes) -> bytes:
    """pyoxigraph's Turtle or TriG without its ``@prefix`` lines."""
    start = 0
    while serialized.startswith(b"@prefix ", start):
        start = serialized.index(b"\n", start) + 1
    return serialized[start:]


class Pieces:
    """A graph's sorted statements without blank nodes, cut around some subjects (their statements differ between
    the variants of the graph: other blank node labels, fewer statements, ``rdf:type`` first or not), and
    pyoxigraph's Turtle of the runs of subjects between them, made once for every variant.

    The subjects cut around are those asked for and those with statements that sort before their ``rdf:type``
    statements. The ``prefixes`` are those that the graph's IRIs fall under: pyoxigraph's choice of a prefix for an
    IRI depends only on the prefixes that the IRI falls under, so the runs read the same in a file of more graphs
    (or of fewer statements) with more (or fewer) prefixes declared."""

    def __init__(self, plain: list[bytes], subjects: Iterable[bytes], prefixes: dict[str, str]) -> None:
        text = ntriples_text(plain)
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
        self.runs = [RawTurtle.of_text(text[start:end], prefixes, commas) for start, end in self.spans]

    def turtle(
        self, relabelled: list[bytes], dropped: set[bytes] | None = None, typed_first: bool = True
    ) -> list[RawTurtle]:
        """Turtle of a variant: the plain statements less ``dropped``, and the ``relabelled`` ones (whose subjects,
        if IRIs, are among the subjects cut around), ``rdf:type`` first unless not ``typed_first``."""
        *cut, tail = self._cut(relabelled, dropped)
        pieces = [self.runs[0]]
        for statements, run in zip(cut, self.runs[1:], strict=True):
            pieces += (RawTurtle.of(statements, self.prefixes, typed_first), run)
        return [*pieces, RawTurtle.of(tail, self.prefixes, typed_first)]

    def ntriples(self, relabelled: list[bytes]) -> bytes:
        """N-Triples of the variant with the ``relabelled`` statements, sorted."""
        *cut, tail = self._cut(relabelled)
        text = memoryview(self.text)
        pieces: list[bytes | memoryview] = [text[slice(*self.spans[0])]]
        for statements, span in zip(cut, self.spans[1:], strict=True):
            pieces += (ntriples_text(statements), text[slice(*span)])
        return b"".join([*pieces, ntriples_text(tail)])

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


def iri_subjects(statements: Iterable[bytes]) -> set[bytes]:
    """The subjects of the statements that are IRIs (as N-Triples terms)."""
    return {line[: line.index(b" ")] for line in statements if line.startswith(b"<")}


def turtle_file(pieces: list[RawTurtle], used: dict[str, str]) -> bytes:
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
    parts = as_parts(graph)
    used = prefixes_for(bound_prefixes(parts[0][0]) if prefixes is None else prefixes, parts)
    return turtle_file([RawTurtle.of(canonical_dataset(parts).default, used)], used).decode("utf-8")


# in a line of pyoxigraph's Turtle or TriG: a string literal (it writes no long strings), the `` , `` between two
# objects, or any other token
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"| , |[^\s"]+')
_LOCAL_ESCAPE = re.compile(r"\\(.)")


def tidy(line: str, prefixes: dict[str, str], objects_apart: bool) -> str:
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


def trig_file(graphs: list[tuple[str, list[RawTurtle]]], used: dict[str, str]) -> bytes:
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
    framed = after_prefixes(frame)
    openers = [line for line in framed.split(b"\n") if line.endswith(b" {")]
    pieces = [frame[: len(frame) - len(framed)]]
    for opener, (_, body) in zip(openers, bodies, strict=True):
        pieces += (opener, b"\n\t", body[:-1].replace(b"\n", b"\n\t"), b"\n}\n")
    trig = b"".join(pieces)
    if b"\\." not in trig:
        return trig
    lines = trig.decode("utf-8").split("\n")
    return "\n".join(tidy(line, used, False) if "\\." in line else line for line in lines).encode("utf-8")


def trig_graphs(
    parts: Sequence[Part],
    dataset: CanonicalDataset,
    pieces: Callable[[Graph | Statements], Pieces],
    used: dict[str, str],
) -> list[tuple[str, list[RawTurtle]]]:
    """pyoxigraph's Turtle of each named graph of a canonical dataset, from the ``pieces`` of its graph (if it is
    the only one of that name)."""
    graphs: list[tuple[str, list[RawTurtle]]] = []
    for name in dataset.runs:
        if name is None:
            raise ValueError("a graph in the default graph")
        own = [graph for graph, graph_name in parts if graph_name == name]
        if len(own) == 1:
            graphs.append((name, pieces(own[0]).turtle(dataset.relabelled.get(name, []), typed_first=False)))
        else:
            graphs.append((name, [RawTurtle.of(dict(dataset.groups)[name], used, typed_first=False)]))
    return graphs


def canonical_trig(parts: Sequence[Part], prefixes: dict[str, str]) -> str:
    """TriG of each (graph, name) pair, written by pyoxigraph from the sorted canonical quads."""
    used = prefixes_for(prefixes, parts)

    def pieces(graph: Graph | Statements) -> Pieces:
        statements = statements_of(graph)
        return Pieces(statements.plain, iri_subjects(statements.blank), prefixes_for(prefixes, as_parts(graph)))

    return trig_file(trig_graphs(parts, canonical_dataset(parts), pieces, used), used).decode("utf-8")


def rdf_xml_bytes(parts: Sequence[Part], used: dict[str, str]) -> bytes:
    """``rdf_xml`` in UTF-8, declaring ``used``."""
    text = ntriples_text(canonical_dataset(parts).default)
    return ox.serialize(parsed_quads(text), format=ox.RdfFormat.RDF_XML, prefixes=used)


def rdf_xml(graph: Graphs, prefixes: dict[str, str]) -> str:
    """RDF/XML (for Protégé and other OWL tools), written by pyoxigraph from the sorted canonical triples."""
    parts = as_parts(graph)
    return rdf_xml_bytes(parts, prefixes_for(prefixes, parts)).decode("utf-8")
