"""Compact JSON-LD 1.1 of canonical statements (``iotkg.export.canonical``), written here with a small explicit
``@context`` (the prefixes the files declare and the graph uses): nothing is fetched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from json.encoder import encode_basestring as _json  # a JSON string, non-ASCII kept

import pyoxigraph as ox

from iotkg.export.canonical import (
    RDF_LANG_STRING,
    RDF_TYPE_TERM,
    Graphs,
    as_parts,
    canonical_dataset,
    iris_of,
    prefixes_for,
)
from iotkg.terms import XSD_STRING

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_BOOLEAN, _XSD_INTEGER = f"{_XSD}boolean", f"{_XSD}integer"

_GEN_DELIMS = ":/?#[]@"
_NATIVE_INTEGER = re.compile(r"0|-?[1-9][0-9]{0,14}")  # canonical xsd:integer that every JSON reader keeps exact


def jsonld_context(graph: Graphs, prefixes: dict[str, str]) -> dict[str, object]:
    """The ``@context`` of the JSON-LD export: the declared prefixes that the graph uses, nothing else (and no
    prefix named like the scheme of an IRI the graph uses, which would turn ``urn:x`` into a compact IRI)."""
    parts = as_parts(graph)
    schemes = {iri.partition(":")[0] for iri in iris_of(parts)}
    return {"@context": {p: ns for p, ns in prefixes_for(prefixes, parts).items() if p not in schemes}}


def jsonld_bytes(statements: Iterable[bytes], context: dict[str, object]) -> bytes:
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
    return jsonld_bytes(canonical_dataset(as_parts(graph)).default, context).decode("utf-8")


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
            if p == RDF_TYPE_TERM and o[0] == 60:  # an IRI: "<"
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
        return lexical, rest[1:], RDF_LANG_STRING
    return lexical, None, rest[3:-1] if rest else XSD_STRING


def _array(values: list[bytes]) -> bytes:
    """One JSON value alone, several in an array, one per line (at the depth of a node's property)."""
    if len(values) == 1:
        return values[0]
    return b"[\n" + b",\n".join(b"        " + value for value in values) + b"\n      ]"
