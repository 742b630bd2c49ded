"""The graph for other semantic tools: Turtle, N-Triples, TriG/N-Quads, JSON-LD, RDF/XML, in canonical forms.

Every file is byte-for-byte the same on every run and under every ``PYTHONHASHSEED``, so that a change of data is a
small diff. Everything is written from one canonical form, made by pyoxigraph: the graph's N-Triples (N-Quads) with
RDFC-1.0 blank node labels, statements sorted. The line formats are that text; Turtle, TriG and RDF/XML are
pyoxigraph's serializations of the sorted statements (Turtle: one block per subject, ``rdf:type`` first, sorted
``@prefix`` lines); JSON-LD is compact JSON-LD written here from the same statements, with a small explicit
``@context`` (the prefixes the files declare and the graph uses). No rdflib graph is copied or serialized.

``export`` writes the folder ``iotkg build`` puts under ``graph/``, with ``manifest.json`` listing each file, its
triple (or quad) count and its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from json.encoder import encode_basestring as _json  # a JSON string, non-ASCII kept
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias
from xml.etree import ElementTree

import pyoxigraph as ox
from rdflib import OWL, RDF, Graph

from iotkg import __version__, paths
from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_IRI
from iotkg.output import MARKER, write_text
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
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDF_TYPE_TEXT = f"{_RDF_TYPE} "
_GEN_DELIMS = ":/?#[]@"
_NATIVE_INTEGER = re.compile(r"0|-?[1-9][0-9]{0,14}")  # canonical xsd:integer that every JSON reader keeps exact
_CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"


# ---------------------------------------------------------------- canonical forms


@dataclass(frozen=True, eq=False)
class Statements:
    """A graph as N-Triples statements without the final `` .`` (blank node labels as they are), and the IRIs they
    use: their terms, their literals' datatypes (``xsd:string`` and ``rdf:langString`` too)."""

    lines: list[str]
    iris: frozenset[str]

    def __len__(self) -> int:
        return len(self.lines)

    @classmethod
    def of(cls, graph: Graph | Iterable[tuple[object, object, object]]) -> Statements:
        """The statements of an rdflib graph, or of triples of rdflib terms (each statement once; each term
        converted once per export)."""
        text = _term_text
        lines: dict[str, None] = {}
        terms: set[str] = set()
        for s, p, o in graph:
            triple = (text(s), text(p), text(o))
            terms.update(triple)
            lines[" ".join(triple)] = None
        return cls(list(lines), _term_iris(terms))

    @classmethod
    def from_lines(cls, lines: list[str]) -> Statements:
        """Statements from their text (as ``lines`` of another ``Statements``)."""
        return cls(lines, _term_iris({term for line in lines for term in line.split(" ", 2)}))


Graphs: TypeAlias = Graph | Statements | Sequence[Graph | Statements]
"""One graph, or several read as one graph (their union)."""
Part: TypeAlias = tuple[Graph | Statements, str | None]
"""A graph and the named graph its triples go into (``None``: the default graph)."""

# Remembered for one export (cleared at its end, and when they grow), since it asks for the same graphs in several
# formats: each rdflib term's N-Triples text, each graph's statements and each canonical dataset (by the graphs'
# identity and size; the graphs are kept, so that their identities are not reused meanwhile). ``dataset_nquads``
# fills them too, so that an export forked after it starts with the statements made.
_TERMS: dict[object, str] = {}
_STATEMENTS: dict[int, tuple[Graph, int, Statements]] = {}
_CANONICAL: dict[tuple[tuple[int, int, str | None], ...], tuple[tuple[object, ...], list[str]]] = {}


def forget() -> None:
    """Drop what this process remembers of graphs exported (or made into N-Quads) so far, and the graphs with it."""
    _TERMS.clear()
    _STATEMENTS.clear()
    _CANONICAL.clear()


def _term_text(node: object) -> str:
    text = _TERMS.get(node)
    if text is None:
        text = _TERMS[node] = str(to_oxigraph(node))
    return text


def _term_iris(terms: Iterable[str]) -> frozenset[str]:
    iris: set[str] = set()
    for term in terms:
        if term.startswith("<"):
            iris.add(term[1:-1])
        elif term.endswith(">"):  # "lexical form"^^<datatype>
            iris.add(term[term.rindex("^^<") + 3 : -1])
        elif term.startswith('"'):
            iris.add(XSD_STRING if term.endswith('"') else _RDF_LANG_STRING)
    return frozenset(iris)


def _statements(graph: Graph | Statements) -> Statements:
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


def _parts(graphs: Graphs) -> list[Part]:
    return [(graphs, None)] if isinstance(graphs, Graph | Statements) else [(graph, None) for graph in graphs]


def canonical_nquads(parts: Sequence[Part]) -> list[str]:
    """The N-Quads statements of each (graph, name) pair, blank nodes relabelled by RDFC-1.0 over the whole dataset
    (pyoxigraph), sorted by graph name, then as text (in the default graph: N-Triples statements).

    The pairs are all in the default graph or all in named graphs. Only the statements with a blank node go through
    pyoxigraph: RDFC-1.0 labels a blank node from the statements that mention blank nodes, and leaves the others
    as they are (the N-Triples text of the terms is pyoxigraph's own)."""
    key = tuple((id(graph), len(graph), name) for graph, name in parts)
    if key in _CANONICAL:
        return _CANONICAL[key][1]
    names = {name for _, name in parts}
    if len(names) > 1 and None in names:
        raise ValueError("graphs both in the default graph and in named graphs")
    lines: set[str] = set()
    blank: list[str] = []
    for graph, name in parts:
        end = f" <{name}> ." if name else " ."
        for line in _statements(graph).lines:
            if "_:" in line:  # (or in a literal: canonicalizing leaves that statement as it is)
                blank.append(line + end)
            else:
                lines.add(line + end)
    if blank:
        dataset = ox.Dataset(ox.parse("\n".join(blank), format=ox.RdfFormat.N_QUADS))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        lines.update(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode("utf-8").split("\n")[:-1])
    # a statement in a named graph ends with `` <name> .``
    statements = sorted(lines) if len(names) == 1 else sorted(lines, key=lambda s: (s[s.rindex(" <") + 2 : -3], s))
    if len(_CANONICAL) > 16:
        _CANONICAL.clear()
    _CANONICAL[key] = (tuple(graph for graph, _ in parts), statements)
    return statements


def _text(statements: Sequence[str]) -> str:
    return "\n".join(statements) + "\n" if statements else ""


def _parsed(statements: Sequence[str]) -> ox.QuadParser:
    return ox.parse(_text(statements), format=ox.RdfFormat.N_QUADS)


def _iris(parts: Sequence[Part]) -> set[str]:
    """The IRIs the graphs use (see ``Statements``) and the names of the named graphs."""
    return {name for _, name in parts if name}.union(*(_statements(graph).iris for graph, _ in parts))


def _bound(graph: Graph | Statements) -> dict[str, str]:
    """The graph's own prefixes, one per namespace (the first in order)."""
    bound: dict[str, str] = {}
    namespaces = graph.namespaces() if isinstance(graph, Graph) else ()
    for prefix, namespace in sorted((prefix, str(namespace)) for prefix, namespace in namespaces):
        if prefix and namespace not in bound.values():
            bound[prefix] = namespace
    return bound


def _types_first(statements: Sequence[str]) -> list[str]:
    """Sorted N-Triples statements with each subject's ``rdf:type`` statements moved to the front of its run."""
    ordered: list[str] = []
    rest: list[str] = []
    subject = None
    for statement in statements:
        head, _, tail = statement.partition(" ")
        if head != subject:
            ordered += rest
            rest, subject = [], head
        (ordered if tail.startswith(_RDF_TYPE_TEXT) else rest).append(statement)
    return ordered + rest


def canonical_turtle(graph: Graphs, prefixes: dict[str, str] | None = None) -> str:
    """Turtle of the graph with canonical blank node labels, written by pyoxigraph from the sorted statements: one
    block per subject (``rdf:type`` first, then predicates and objects in N-Triples order, grouped with ``;`` and
    ``,``, several objects one per line), blocks apart by a blank line, after the ``prefixes`` (default: the
    graph's own) that the graph uses."""
    parts = _parts(graph)
    used = used_prefixes(_bound(parts[0][0]) if prefixes is None else prefixes, _iris(parts))
    statements = _types_first(canonical_nquads(parts))
    body = ox.serialize(_parsed(statements), format=ox.RdfFormat.TURTLE, prefixes=used).decode("utf-8")
    lines = body.split("\n")
    start = next(i for i, line in enumerate(lines) if not line.startswith("@prefix "))  # pyoxigraph's declarations
    lines = [_tidy(line, used, True) if "\\." in line or " , " in line else line for line in lines[start:]]
    body = "\n".join(lines).replace("\n\t", "\n    ").replace(" .\n", " .\n\n").rstrip("\n")
    header = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in used.items())
    return header + ("\n" + body + "\n" if body else "")


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


def sorted_ntriples(graph: Graphs) -> str:
    """N-Triples (pyoxigraph's canonical form), canonical blank node labels, lines sorted."""
    return _text(canonical_nquads(_parts(graph)))


def sorted_nquads(parts: Sequence[Part]) -> str:
    """N-Quads of each (graph, name) pair, canonical blank node labels, lines sorted."""
    return _text(sorted(canonical_nquads(parts)))


def canonical_trig(parts: Sequence[Part], prefixes: dict[str, str]) -> str:
    """TriG of each (graph, name) pair, written by pyoxigraph from the sorted canonical quads."""
    used = used_prefixes(prefixes, _iris(parts))
    text = ox.serialize(_parsed(canonical_nquads(parts)), format=ox.RdfFormat.TRIG, prefixes=used).decode("utf-8")
    return "\n".join(_tidy(line, used, False) if "\\." in line else line for line in text.split("\n"))


def rdf_xml(graph: Graphs, prefixes: dict[str, str]) -> str:
    """RDF/XML (for Protégé and other OWL tools), written by pyoxigraph from the sorted canonical triples."""
    parts = _parts(graph)
    used = used_prefixes(prefixes, _iris(parts))
    return ox.serialize(_parsed(canonical_nquads(parts)), format=ox.RdfFormat.RDF_XML, prefixes=used).decode("utf-8")


# ---------------------------------------------------------------- JSON-LD


def jsonld_context(graph: Graphs, prefixes: dict[str, str]) -> dict[str, object]:
    """The ``@context`` of the JSON-LD export: the declared prefixes that the graph uses, nothing else (and no
    prefix named like the scheme of an IRI the graph uses, which would turn ``urn:x`` into a compact IRI)."""
    iris = _iris(_parts(graph))
    schemes = {iri.partition(":")[0] for iri in iris}
    return {"@context": {p: ns for p, ns in used_prefixes(prefixes, iris).items() if p not in schemes}}


def canonical_jsonld(graph: Graphs, context: dict[str, object]) -> str:
    """Compact JSON-LD 1.1 of the graph (canonical blank node labels), written from the sorted statements with
    ``context`` given inline (nothing is fetched).

    One node object per subject, in N-Triples order: ``@id``, ``@type`` (the IRI types), then the properties as
    compact IRIs, sorted; one value alone, several in an array one per line, in N-Triples order. Plain strings,
    canonical integers (up to 15 digits) and booleans are native JSON values; other literals are value objects.
    RDF lists stay ``rdf:first``/``rdf:rest`` nodes (as in the Turtle files)."""
    prefixes = context["@context"]
    if not isinstance(prefixes, dict):
        raise TypeError("the context must map prefixes to namespaces")
    writer = _JsonLdWriter(prefixes)
    statements = canonical_nquads(_parts(graph))
    nodes = [writer.node(subject, quads) for subject, quads in groupby(_parsed(statements), attrgetter("subject"))]
    head = json.dumps(prefixes, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  ")
    graph_text = "".join(f"{node},\n" for node in nodes).removesuffix(",\n") + ("\n" if nodes else "")
    return f'{{\n  "@context": {head},\n  "@graph": [\n{graph_text}  ]\n}}\n'


class _JsonLdWriter:
    """Node objects of compact JSON-LD as text, with IRIs compacted by the context's prefixes (remembered)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # longest namespace first; only namespaces that end in a gen-delim make prefixes in JSON-LD 1.1
        self.table = sorted(
            ((namespace, prefix) for prefix, namespace in prefixes.items() if namespace[-1:] in _GEN_DELIMS),
            key=lambda entry: (-len(entry[0]), entry[1]),
        )
        self.terms = set(prefixes)
        self.iris: dict[str, str] = {}
        self.values: dict[object, str] = {}

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

    def identifier(self, term: ox.NamedNode | ox.BlankNode) -> str:
        """The node's ``@id`` (compact IRI or ``_:label``), as JSON."""
        return _json(self.compact(term.value) if isinstance(term, ox.NamedNode) else f"_:{term.value}")

    def value(self, term: object) -> str:
        """The object of a statement as a JSON-LD value, as JSON."""
        found = self.values.get(term)
        if found is None:
            if isinstance(term, ox.Literal):
                lexical, datatype = term.value, term.datatype.value
                if term.language:
                    found = f'{{"@language": {_json(term.language)}, "@value": {_json(lexical)}}}'
                elif datatype == XSD_STRING:
                    found = _json(lexical)
                elif (datatype == _XSD_BOOLEAN and lexical in ("true", "false")) or (
                    datatype == _XSD_INTEGER and _NATIVE_INTEGER.fullmatch(lexical)
                ):
                    found = lexical
                else:
                    found = f'{{"@type": {_json(self.compact(datatype))}, "@value": {_json(lexical)}}}'
            elif isinstance(term, ox.NamedNode | ox.BlankNode):
                found = f'{{"@id": {self.identifier(term)}}}'
            else:
                raise TypeError(f"not an RDF term: {term!r}")
            self.values[term] = found
        return found

    def node(self, subject: ox.NamedNode | ox.BlankNode, quads: Iterable[ox.Quad]) -> str:
        """The node object of ``subject``, from its statements in order."""
        types: list[str] = []
        properties: dict[str, list[str]] = {}
        for quad in quads:
            if quad.predicate == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
                types.append(_json(self.compact(quad.object.value)))
            else:
                properties.setdefault(_json(self.compact(quad.predicate.value)), []).append(self.value(quad.object))
        members = [('"@id"', [self.identifier(subject)])]
        if types:
            members.append(('"@type"', types))
        members += sorted(properties.items())
        return "    {\n" + ",\n".join(f"      {key}: {_array(values)}" for key, values in members) + "\n    }"


def _array(values: list[str]) -> str:
    """One JSON value alone, several in an array, one per line (at the depth of a node's property)."""
    if len(values) == 1:
        return values[0]
    return "[\n" + ",\n".join(f"        {value}" for value in values) + "\n      ]"


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
        declared = sorted(_PREFIX_LINE.findall(path.read_text(encoding="utf-8")))
        for prefix, namespace in declared:
            if prefix and prefix not in prefixes and namespace not in taken:
                prefixes[prefix] = namespace
                taken.add(namespace)
    return prefixes


# ``@prefix p: <iri> .`` and SPARQL-style ``PREFIX p: <iri>`` at the start of a line (the files parsed already,
# so the declarations are well formed; reading them from the text avoids parsing every file a second time)
_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>", re.MULTILINE | re.IGNORECASE)


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

    The statements are remembered (as an export remembers them), so an export of the same graphs after this, in
    this process or a forked one, does not convert them again."""
    lines: list[str] = []
    for graph, name in ((reasoned.asserted, ASSERTED_GRAPH), (reasoned.inferred, INFERRED_GRAPH)):
        end = f" <{name}> ."
        lines += [line + end for line in _statements(graph).lines]
    lines.sort()
    return "\n".join(lines) + "\n"


def _ontology_iris(ontology: Graph) -> list[str]:
    headers = set(ontology.subjects(RDF.type, OWL.Ontology))
    iris = {str(s) for s in headers} or {ONTOLOGY_IRI}
    iris |= {str(v) for s in headers for v in ontology.objects(s, OWL.versionIRI)}
    return sorted(iris)


def _split(reasoned: Reasoned, sources: Sources | None) -> tuple[Graph, Graph | Statements, list[Path]]:
    """The ontology alone, the instances alone, and the input files (for their prefixes).

    Without the sources, the instances are the asserted statements that the ontology file does not hold (the
    ontology's blank nodes, parsed anew, never match)."""
    from iotkg.sources import ONTOLOGY_FILE, parse_turtle

    if sources is not None:  # the instance files' statements, without making an rdflib graph of them
        instances = Statements.of(sources.instance_triples)
        return sources.ontology, instances, [paths.ontology_dir() / ONTOLOGY_FILE, *sources.files]
    ontology = parse_turtle(paths.ontology_dir() / ONTOLOGY_FILE)
    held = set(_statements(ontology).lines)
    instances = Statements.from_lines([line for line in _statements(reasoned.asserted).lines if line not in held])
    return ontology, instances, [paths.ontology_dir() / ONTOLOGY_FILE, *sorted(paths.instances_dir().rglob("*.ttl"))]


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
    ontology, instances, files = _split(reasoned, sources)
    shapes = _shapes()
    prefixes = declared_prefixes(files + ([shapes[1]] if shapes else []))
    asserted, inferred = reasoned.asserted, reasoned.inferred
    merged = (asserted, inferred)  # read as one graph; no rdflib copy
    named: list[Part] = [(asserted, ASSERTED_GRAPH), (inferred, INFERRED_GRAPH)]
    merged_count = len(canonical_nquads(_parts(merged))) if chosen & {"turtle", "jsonld"} else 0
    # (file name, text, statement count, media type)
    outputs: list[tuple[str, str, int | None, str]] = []
    if "turtle" in chosen:
        graphs: list[tuple[str, Graphs, int]] = [
            ("ontology.ttl", ontology, len(ontology)),
            ("instances.ttl", instances, len(instances)),
            ("iotkg.ttl", asserted, len(asserted)),
            ("inferred.ttl", inferred, len(inferred)),
            ("merged.ttl", merged, merged_count),
        ]
        for name, graph, count in graphs:
            outputs.append((name, canonical_turtle(graph, prefixes), count, "text/turtle"))
        if shapes:
            outputs.append(("shapes.ttl", canonical_turtle(shapes[0], prefixes), len(shapes[0]), "text/turtle"))
    if "ntriples" in chosen:
        outputs.append(("iotkg.nt", sorted_ntriples(asserted), len(asserted), "application/n-triples"))
        outputs.append(("inferred.nt", sorted_ntriples(inferred), len(inferred), "application/n-triples"))
    quads = len(asserted) + len(inferred)
    if "trig" in chosen:
        outputs.append(("iotkg.trig", canonical_trig(named, prefixes), quads, "application/trig"))
    if "nquads" in chosen:
        outputs.append(("iotkg.nq", sorted_nquads(named), quads, "application/n-quads"))
    if "jsonld" in chosen:
        context = jsonld_context(merged, prefixes)
        context_text = json.dumps(context, indent=2, sort_keys=True) + "\n"
        outputs.append(("context.jsonld", context_text, None, "application/ld+json"))
        outputs.append(("merged.jsonld", canonical_jsonld(merged, context), merged_count, "application/ld+json"))
    if "owl" in chosen:
        outputs.append(("ontology.owl", rdf_xml(ontology, prefixes), len(ontology), "application/rdf+xml"))
        mapping = dict.fromkeys(_ontology_iris(ontology), "ontology.owl")
        outputs.append(("catalog-v001.xml", catalog(mapping), None, "application/xml"))
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / MARKER).exists():
        (folder / MARKER).write_text("This folder is written by iotkg; its files are regenerated.\n")
    written = [write_text(folder / name, text) for name, text, _, _ in outputs]
    for stale in sorted({name for names in FILES.values() for name in names} - {name for name, *_ in outputs}):
        (folder / stale).unlink(missing_ok=True)  # an export of other formats, from an earlier run
    entries = [
        {
            "path": name,
            "media_type": media_type,
            "triples": count,
            "bytes": len(text.encode("utf-8")),
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        }
        for name, text, count, media_type in sorted(outputs)
    ]
    written.append(write_text(folder / "manifest.json", manifest(entries, ontology, sources)))
    forget()
    return written


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
