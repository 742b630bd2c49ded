"""Load the inputs: parse the files read once (``iotkg.pipeline.inputs``) into rdflib terms, with file:line errors."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from iotkg.errors import InputError
from iotkg.pipeline.inputs import InputFile, Inputs, read_file, read_inputs
from iotkg.terms import to_rdflib

Triple = tuple[Node, Node, Node]


_HINTS = (
    (re.compile(r"prefix \S* has not been declared"), "Declare the prefix with '@prefix name: <namespace> .'."),
    (re.compile(r"IRI"), "Percent-encode the character in the IRI (a space is %20)."),
    (re.compile(r"subtag|language tag", re.IGNORECASE), "Use a language tag such as en or en-GB (BCP 47)."),
    (re.compile(r"UTF-8"), "Save the file as UTF-8."),
)


def _syntax_error(path: Path, error: SyntaxError) -> InputError:
    message = re.sub(r"^Parser error at line \d+ (between columns \d+ and \d+|column \d+): ", "", error.msg)
    message = re.sub(r" \([^()]*, line \d+\)$", "", message)
    hint = next((hint for pattern, hint in _HINTS if pattern.search(message)), None)
    return InputError(
        f"{path}:{error.lineno or '?'}: Turtle syntax error: {message}",
        hint=(hint or "Fix the Turtle at that line (a missing '.', ';' or quote is the usual cause).") + " Run again.",
    )


def read_turtle(source: InputFile | Path, term: Callable[[object], Node] = to_rdflib) -> tuple[list[Triple], dict]:
    """The triples of one Turtle file (each term converted by ``term``) and its prefixes; InputError at file:line."""
    source = source if isinstance(source, InputFile) else read_file(source)
    try:  # a blank node label is scoped to its file (Turtle): two files' _:a are two nodes
        parser = ox.parse(source.data, format=ox.RdfFormat.TURTLE, base_iri=source.base_iri, rename_blank_nodes=True)
        triples = [(term(t.subject), term(t.predicate), term(t.object)) for t in parser]
    except SyntaxError as error:
        raise _syntax_error(source.path, error) from None
    except TypeError:  # a quoted triple (RDF-star) or triple term (RDF 1.2): not RDF 1.1, which iotkg reads
        line = source.data[: max(source.data.find(b"<<"), 0)].count(b"\n") + 1
        message = f"{source.path}:{line}: RDF-star / RDF 1.2 triple terms are not supported"
        raise InputError(message, hint="State it with RDF 1.1 terms (e.g. a reified statement).") from None
    return triples, dict(parser.prefixes)


def parse_turtle(source: InputFile | Path, term: Callable[[object], Node] = to_rdflib) -> Graph:
    """One Turtle file as an rdflib graph with its prefixes; InputError naming the file, the line and the fault."""
    triples, prefixes = read_turtle(source, term)
    return prefixed_graph(prefixes.items(), triples, override=True)


def prefixed_graph(
    prefixes: Iterable[tuple[str, str]], triples: Iterable[Triple] = (), *, override: bool = False
) -> Graph:
    """A graph of ``triples`` with ``prefixes`` bound (``override``: in place of rdflib's own bindings of them)."""
    graph = Graph()
    for prefix, namespace in dict.fromkeys(prefixes):
        graph.bind(prefix, namespace, override=override, replace=override)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


@dataclass
class Sources:
    """What was loaded: the ontology, the instance triples, and which file each subject came from."""

    ontology: Graph
    instance_triples: list[Triple]
    instance_prefixes: list[tuple[str, str]]
    files: list[Path]
    subject_files: dict[URIRef, Path] = field(default_factory=dict)
    digest: str = ""
    inputs: Inputs | None = None

    @cached_property
    def instances(self) -> Graph:
        """The instance files' triples, with the prefixes they declare (the first declaration of a prefix wins)."""
        return prefixed_graph(self.instance_prefixes, self.instance_triples)

    @cached_property
    def asserted(self) -> Graph:
        """Ontology and instances together: everything the files assert, with the instance files' prefixes."""
        return prefixed_graph(self.instance_prefixes, [*self.instance_triples, *self.ontology])

    def prefixes_graph(self) -> Graph:
        """An empty graph with the prefixes ``asserted`` binds (rdflib's, then the instance files')."""
        return prefixed_graph(self.instance_prefixes)


def load(instances: Path | None = None, extra: list[Path] | None = None, inputs: Inputs | None = None) -> Sources:
    """Parse the inputs (``inputs`` already read, else those of ``instances`` and ``extra``) into the sources."""
    inputs = inputs or read_inputs(instances, extra)
    terms = functools.cache(to_rdflib)  # each repeated term one object
    ontology = parse_turtle(inputs.ontology, terms)
    prefixes: list[tuple[str, str]] = []
    subject_files: dict[URIRef, Path] = {}
    triples: list[Triple] = []
    for source in inputs.instances:
        found, declared = read_turtle(source, terms)
        prefixes += declared.items()
        subject_files |= {s: source.path for s, _, _ in found if isinstance(s, URIRef) and s not in subject_files}
        triples += found
    files = [source.path for source in inputs.instances]
    return Sources(ontology, triples, prefixes, files, subject_files, inputs.digest, inputs)
