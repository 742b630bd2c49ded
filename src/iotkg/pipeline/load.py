"""Find and parse the ontology and instance files; report bad input with file and line."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from iotkg import paths
from iotkg.errors import InputError

Triple = tuple[Node, Node, Node]
ONTOLOGY_FILE = "iotkg.ttl"
SHAPES_FILE = "shapes.ttl"


@dataclass
class Sources:
    """What was loaded: the ontology, the instance data, and which file each subject came from.

    The instance graph and the asserted graph (ontology and instances together) are built once, when first read,
    from the parsed triples: the asserted graph is shared by validation and reasoning, so it is not to be
    modified."""

    ontology: Graph
    instance_triples: list[Triple]
    instance_prefixes: list[tuple[str, str]]
    files: list[Path]
    subject_files: dict[URIRef, Path] = field(default_factory=dict)
    digest: str = ""

    @cached_property
    def instances(self) -> Graph:
        """The instance files' triples, with the prefixes they declare (the first declaration of a prefix wins)."""
        return _graph(self.prefix_bindings, self.instance_triples)

    @cached_property
    def asserted(self) -> Graph:
        """Ontology and instances together: everything the files assert, with the instance files' prefixes."""
        return _graph(self.prefix_bindings, self.instance_triples, self.ontology)

    def prefixes_graph(self) -> Graph:
        """An empty graph with the prefixes ``asserted`` binds (rdflib's, then the instance files'): names nodes as
        the asserted graph would, without making it."""
        return _graph(self.prefix_bindings, [])

    @cached_property
    def prefix_bindings(self) -> list[tuple[str, URIRef]]:
        """The prefixes the graphs above bind, in order: rdflib's, then the instance files' (the first declaration
        of a prefix wins; a namespace declared under a prefix taken already gets rdflib's numbered one).

        Worked out once: rdflib binding a thousand prefixes one by one, each checked against the others, takes a
        fifth of a second; the graphs made from the result (``_graph``) take them as they are."""
        graph = Graph()
        for prefix, namespace in dict.fromkeys(self.instance_prefixes):  # a declaration repeated in many files
            graph.bind(prefix, namespace, override=False)
        return list(graph.namespaces())


def _graph(bindings: list[tuple[str, URIRef]], triples: list[Triple], *more: Graph) -> Graph:
    """A graph of ``triples`` and the ``more`` graphs' triples, with ``bindings`` bound as they are (worked out by
    ``Sources.prefix_bindings``: no prefix or namespace twice)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in bindings:
        graph.store.bind(prefix, namespace)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    for other in more:
        graph.addN((s, p, o, graph) for s, p, o in other)
    return graph


def merge(first: Graph, *others: Graph) -> Graph:
    """A new graph holding the triples of all the graphs, with the first graph's prefixes bound."""
    merged = Graph()
    for prefix, namespace in first.namespaces():
        merged.bind(prefix, namespace, override=False)
    for graph in (first, *others):
        merged += graph
    return merged


def _line_of(error: BadSyntax) -> int:
    text = error._str  # the parser keeps the whole document and the offset of the error
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return text[: error._i].count("\n") + 1


def parse_turtle(path: Path, terms: dict[object, Node] | None = None) -> Graph:
    """Parse one Turtle file, or raise InputError naming the file, the line and what is wrong (``terms``: as for
    ``read_turtle``)."""
    triples, prefixes = read_turtle(path, terms)
    graph = Graph()
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def read_turtle(path: Path, terms: dict[object, Node] | None = None) -> tuple[list[Triple], dict[str, str]]:
    """The triples of one Turtle file (rdflib terms) and the prefixes it declares; InputError naming the file, the
    line and what is wrong. ``terms`` (pyoxigraph term → rdflib term), shared by the files of one load, makes each
    term one object: sets and dicts of them then find a term by identity, without rdflib's ``__eq__``.

    pyoxigraph (Rust) parses; a file it rejects is parsed again by rdflib, whose error names the line and the
    cause in the terms the hints below use (or which accepts what pyoxigraph does not, e.g. an IRI with a space)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="Check the path, or pass --instances DIR.")
    parsed = _parse_oxigraph(path, {} if terms is None else terms)
    if parsed is not None:
        return parsed
    graph = _parse_rdflib(path)
    triples = list(graph)
    _refuse_bad_terms(path, triples)
    return triples, {prefix: str(namespace) for prefix, namespace in graph.namespaces()}


def _refuse_bad_terms(path: Path, triples: Iterable[Triple]) -> None:
    """InputError for the first term that rdflib reads but RDF does not allow (an IRI with a space, a language tag
    with a subtag of nine letters): the store, the queries and the export could not hold it."""
    from iotkg.terms import to_oxigraph

    for term in dict.fromkeys(term for triple in triples for term in triple):
        try:
            to_oxigraph(term)
        except ValueError as error:
            if isinstance(term, Literal) and term.language:
                what, needle = f"language tag '@{term.language}'", f"@{term.language}"
                hint = "Use a language tag such as en or en-GB (BCP 47), then run again."
            else:
                what, needle = f"IRI <{term}>", str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                hint = "Percent-encode the character in the IRI (a space is %20), then run again."
            line = _line_with(path, needle)
            raise InputError(
                f"{path}{f':{line}' if line else ''}: {what} is not valid RDF: {error}", hint=hint
            ) from None


def _line_with(path: Path, needle: str) -> int | None:
    """The number of the first line of ``path`` that holds ``needle``, if one does."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((number for number, line in enumerate(lines, start=1) if needle and needle in line), None)


def _parse_oxigraph(path: Path, seen: dict[object, Node]) -> tuple[list[Triple], dict[str, str]] | None:
    """The file's triples and prefixes as pyoxigraph reads them; None if it rejects the file. Each term is
    converted once (IRIs repeat across triples), and found in ``seen`` if converted before."""
    from iotkg.terms import to_rdflib

    try:
        parser = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())

        def term(node: object) -> Node:
            found = seen.get(node)
            if found is None:
                found = seen[node] = to_rdflib(node)
            return found

        triples = [(term(t.subject), term(t.predicate), term(t.object)) for t in parser]
    except (SyntaxError, ValueError, OSError):
        return None
    return triples, dict(parser.prefixes)


def _parse_rdflib(path: Path) -> Graph:
    graph = Graph()
    # rdflib warns of an IRI it doubts ("does not look like a valid URI") as it reads one: quiet while it reads
    # (every term read here is checked, and a bad one refused with its file and line, by ``_refuse_bad_terms``)
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.ERROR)
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as error:
        raise InputError(
            f"{path}:{_line_of(error)}: Turtle syntax error: {error._why}",
            hint="Fix the Turtle at that line (a missing '.', ';' or quote is the usual cause), then run again.",
        ) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start})",
            hint="Save the file as UTF-8.",
        ) from None
    except Exception as error:  # rdflib raises assorted errors for bad IRIs, prefixes and literals
        raise InputError(
            f"{path}: cannot be read as Turtle: {error}",
            hint="Check the file is Turtle and that every prefix it uses is declared.",
        ) from None
    finally:
        term_log.setLevel(level)
    return graph


def instance_files(folder: Path) -> list[Path]:
    """The Turtle files of an instances folder (recursively), sorted; InputError if none."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder", hint="Pass --instances with a folder of Turtle files.")
    files = sorted(folder.rglob("*.ttl"))
    if not files:
        raise InputError(
            f"{folder}: no Turtle (.ttl) files found",
            hint="An empty folder has nothing to check: add protocol entries, or point --instances elsewhere.",
        )
    return files


def _digest(files: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in files:
        sha.update(str(path.name).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def load(instances: Path | None = None, extra: list[Path] | None = None) -> Sources:
    """Load the ontology, the instance files (the shipped ones unless ``instances`` is given) and ``extra`` files."""
    ontology_path = paths.ontology_dir() / ONTOLOGY_FILE
    terms: dict[object, Node] = {}
    ontology = parse_turtle(ontology_path, terms)
    files = instance_files(instances or paths.instances_dir()) + [Path(p) for p in extra or []]
    prefixes: list[tuple[str, str]] = []
    subject_files: dict[URIRef, Path] = {}
    triples: list[Triple] = []
    for path in files:
        found, declared = read_turtle(path, terms)
        prefixes += declared.items()
        for subject, _, _ in found:
            if isinstance(subject, URIRef) and subject not in subject_files:
                subject_files[subject] = path
        triples += found
    shapes = paths.ontology_dir() / SHAPES_FILE
    digest_inputs = [ontology_path, *files] + ([shapes] if shapes.is_file() else [])
    return Sources(ontology, triples, prefixes, files, subject_files, _digest(digest_inputs))
