"""The graph for other semantic tools: Turtle, N-Triples, TriG/N-Quads, JSON-LD, RDF/XML, in canonical forms.

Every file is byte-for-byte the same on every run and under every ``PYTHONHASHSEED``, so that a change of data is a
small diff. Everything is written from one canonical form, made by pyoxigraph (``iotkg.export.canonical``): the graph's
N-Triples (N-Quads) with RDFC-1.0 blank node labels, statements sorted. The line formats are that text; Turtle,
TriG and RDF/XML are pyoxigraph's serializations of the sorted statements (``iotkg.export.turtle_writer``); JSON-LD is
compact JSON-LD written from the same statements (``iotkg.export.jsonld_writer``). No rdflib graph is copied or serialized.

``export`` writes the folder ``iotkg build`` puts under ``graph/``, with ``manifest.json`` listing each file, its
triple (or quad) count and its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from rdflib import OWL, RDF, Graph

from iotkg import __version__, collector, paths
from iotkg.export.canonical import (
    Part,
    Statements,
    as_parts,
    canonical_dataset,
    forget,
    nquads_bytes,
    prefixes_for,
    reasoned_statements,
    statements_of,
    term_text,
)
from iotkg.export.jsonld_writer import jsonld_bytes, jsonld_context
from iotkg.export.turtle_writer import (
    Pieces,
    RawTurtle,
    iri_subjects,
    rdf_xml_bytes,
    trig_file,
    trig_graphs,
    turtle_file,
    types_first_text,
)
from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_IRI
from iotkg.output import MARKER
from iotkg.parallel import Background
from iotkg.pipeline.reason import Reasoned

if TYPE_CHECKING:
    from iotkg.pipeline.load import Sources


FORMATS = ("turtle", "ntriples", "trig", "nquads", "jsonld", "owl")
FILES = {
    "turtle": ("ontology.ttl", "instances.ttl", "iotkg.ttl", "inferred.ttl", "merged.ttl", "shapes.ttl"),
    "ntriples": ("iotkg.nt", "inferred.nt"),
    "trig": ("iotkg.trig",),
    "nquads": ("iotkg.nq",),
    "jsonld": ("context.jsonld", "merged.jsonld"),
    "owl": ("ontology.owl", "catalog-v001.xml"),
}

_CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"


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
    from iotkg.pipeline.load import ONTOLOGY_FILE, parse_turtle

    if sources is None:
        asserted = reasoned_statements(reasoned)[0]
        ontology = parse_turtle(paths.ontology_dir() / ONTOLOGY_FILE)
        files = [paths.ontology_dir() / ONTOLOGY_FILE, *sorted(paths.instances_dir().rglob("*.ttl"))]
        dropped = set(statements_of(ontology).lines)
    else:
        ontology, files = sources.ontology, [paths.ontology_dir() / ONTOLOGY_FILE, *sources.files]
        if reasoned.origin is not sources:  # reasoned over another graph: the instances are the files'
            return _Split(ontology, Statements.of(sources.instance_triples), None, files)
        asserted = reasoned_statements(reasoned)[0]
        dropped = set(statements_of(ontology).lines) - _stated_again(ontology, sources.instance_triples)
    return _Split(ontology, asserted.without(dropped), dropped, files)


def _stated_again(ontology: Graph, triples: Iterable[tuple[object, object, object]]) -> set[bytes]:
    """The statements of ``triples`` about the ontology's subjects (those that can be the ontology's own)."""
    subjects = set(ontology.subjects())
    text = term_text
    return {b" ".join((text(s), text(p), text(o))) for s, p, o in triples if s in subjects}


def _shapes() -> tuple[Graph, Path] | None:
    from iotkg.pipeline.load import SHAPES_FILE, parse_turtle

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
        plan = _Files(reasoned, split, shapes, prefixes).planned(chosen)
        apart = [entry for entry in plan if entry[0] in _APART]
        here = [entry for entry in plan if entry[0] not in _APART]
        if apart and here:
            with Background(_write_files, apart, folder) as writing_apart:
                written = _write_files(here, folder) + writing_apart.result()
        else:
            written = _write_files(plan, folder)
    for stale in sorted({name for names in FILES.values() for name in names} - {name for name, *_ in written}):
        (folder / stale).unlink(missing_ok=True)  # an export of other formats, from an earlier run
    entries = [
        {"path": name, "media_type": media_type, "triples": count, "bytes": size, "sha256": digest}
        for name, count, media_type, size, digest in sorted(written)
    ]
    (folder / "manifest.json").write_bytes(manifest(entries, split.ontology, sources).encode("utf-8"))
    forget()
    return [folder / name for name, *_ in written] + [folder / "manifest.json"]


_APART = frozenset({"merged.ttl", "merged.jsonld", "context.jsonld", "iotkg.nq"})
"""The files made in a forked process while this one makes the others: those made from the merged statements (and
the JSON-LD context, made for them), and the N-Quads (from the sorted text the build's cache entry was saved from);
the other Turtle files, TriG and N-Triples are made here from the asserted and the inferred graphs' pieces, made
once. At 100 times the shipped graph each half takes about 4 CPU-seconds."""

_Written = tuple[str, int | None, str, int, str]  # name, statements, media type, bytes, SHA-256
_Plan = list[tuple[str, str, Callable[[], tuple[int | None, bytes]]]]


def _write_files(plan: _Plan, folder: Path) -> list[_Written]:
    """Make and write each planned file into ``folder``; what was written."""
    written: list[_Written] = []
    for name, media_type, make in plan:
        count, data = make()
        (folder / name).write_bytes(data)
        written.append((name, count, media_type, len(data), hashlib.sha256(data).hexdigest()))
    return written


class _Files:
    """The files of one export, each made when asked for, from what the others made already: the canonical
    statements, and pyoxigraph's Turtle of the runs of subjects that the asserted graph's files share."""

    def __init__(
        self, reasoned: Reasoned, split: _Split, shapes: tuple[Graph, Path] | None, prefixes: dict[str, str]
    ) -> None:
        self.asserted, self.inferred = reasoned_statements(reasoned)
        self.split, self.shapes, self.prefixes = split, shapes, prefixes
        self.merged = as_parts((self.asserted, self.inferred))  # read as one graph; no rdflib copy
        self.named: list[Part] = [(self.asserted, ASSERTED_GRAPH), (self.inferred, INFERRED_GRAPH)]

    def planned(self, formats: set[str]) -> _Plan:
        """Each file of ``formats``: name, media type, and what makes its statement count (``None``: not RDF) and
        bytes, when called (a file may be made in another process than the plan)."""
        asserted, inferred, ontology = self.asserted, self.inferred, self.split.ontology
        quads = len(asserted) + len(inferred)
        plan: _Plan = []
        if "turtle" in formats:
            plan += [
                ("ontology.ttl", "text/turtle", lambda: (len(ontology), self.turtle(as_parts(ontology)))),
                ("instances.ttl", "text/turtle", lambda: (len(self.split.instances), self.instances_turtle())),
                ("iotkg.ttl", "text/turtle", lambda: (len(asserted), self.pieces_turtle(asserted))),
                ("inferred.ttl", "text/turtle", lambda: (len(inferred), self.pieces_turtle(inferred))),
                ("merged.ttl", "text/turtle", lambda: (self.merged_count, self.merged_turtle())),
            ]
            if self.shapes:
                shapes = self.shapes[0]
                plan.append(("shapes.ttl", "text/turtle", lambda: (len(shapes), self.turtle(as_parts(shapes)))))
        if "ntriples" in formats:
            plan += [
                ("iotkg.nt", "application/n-triples", lambda: (len(asserted), self.ntriples(asserted))),
                ("inferred.nt", "application/n-triples", lambda: (len(inferred), self.ntriples(inferred))),
            ]
        if "trig" in formats:
            plan.append(("iotkg.trig", "application/trig", lambda: (quads, self.trig())))
        if "nquads" in formats:
            plan.append(("iotkg.nq", "application/n-quads", lambda: (quads, nquads_bytes(self.named))))
        if "jsonld" in formats:
            plan += [
                ("context.jsonld", "application/ld+json", lambda: (None, self.context_text)),
                ("merged.jsonld", "application/ld+json", lambda: (self.merged_count, self.merged_jsonld())),
            ]
        if "owl" in formats:
            parts = as_parts(ontology)
            mapping = dict.fromkeys(_ontology_iris(ontology), "ontology.owl")
            plan += [
                (
                    "ontology.owl",
                    "application/rdf+xml",
                    lambda: (len(ontology), rdf_xml_bytes(parts, self.used(parts))),
                ),
                ("catalog-v001.xml", "application/xml", lambda: (None, catalog(mapping).encode("utf-8"))),
            ]
        return plan

    @cached_property
    def context(self) -> dict[str, object]:
        """The JSON-LD context: the prefixes the asserted and the inferred statements use."""
        return jsonld_context((self.asserted, self.inferred), self.prefixes)

    @property
    def context_text(self) -> bytes:
        """``context.jsonld``: the context alone."""
        return (json.dumps(self.context, indent=2, sort_keys=True) + "\n").encode("utf-8")

    def merged_jsonld(self) -> bytes:
        """``merged.jsonld``: the merged statements, compacted with the context."""
        return jsonld_bytes(canonical_dataset(self.merged).default, self.context)

    def ntriples(self, graph: Graph) -> bytes:
        """The asserted or the inferred graph's N-Triples (made from its pieces)."""
        relabelled = canonical_dataset(as_parts(graph)).relabelled.get(None, [])
        return self.pieces(graph).ntriples(relabelled)

    @cached_property
    def merged_count(self) -> int:
        return len(canonical_dataset(self.merged).default)

    @cached_property
    def merged_text(self) -> bytes:
        """The asserted and inferred statements as N-Triples, sorted, each subject's ``rdf:type`` statements first."""
        return types_first_text(canonical_dataset(self.merged).default)

    def used(self, parts: Sequence[Part]) -> dict[str, str]:
        return prefixes_for(self.prefixes, parts)

    def turtle(self, parts: Sequence[Part]) -> bytes:
        used = self.used(parts)
        return turtle_file([RawTurtle.of(canonical_dataset(parts).default, used)], used)

    def merged_turtle(self) -> bytes:
        used = self.used(self.merged)
        return turtle_file([RawTurtle.of_text(self.merged_text, used)], used)

    def pieces(self, graph: Graph) -> Pieces:
        """The asserted or the inferred graph's pieces, cut around the IRIs whose statements have blank nodes
        (relabelled in the dataset) or are the ontology's alone (not among the instances)."""
        return self.asserted_pieces if graph is self.asserted else self.inferred_pieces

    @cached_property
    def asserted_pieces(self) -> Pieces:
        statements = statements_of(self.asserted)
        subjects = iri_subjects(statements.blank) | iri_subjects(self.split.dropped or ())
        return Pieces(statements.plain, subjects, self.used(as_parts(self.asserted)))

    @cached_property
    def inferred_pieces(self) -> Pieces:
        statements = statements_of(self.inferred)
        return Pieces(statements.plain, iri_subjects(statements.blank), self.used(as_parts(self.inferred)))

    def pieces_turtle(self, graph: Graph) -> bytes:
        parts = as_parts(graph)
        raw = self.pieces(graph).turtle(canonical_dataset(parts).relabelled.get(None, []))
        return turtle_file(raw, self.used(parts))

    def instances_turtle(self) -> bytes:
        instances, dropped = self.split.instances, self.split.dropped
        if dropped is None:  # not a part of the asserted statements
            return self.turtle(as_parts(instances))
        parts = as_parts(instances)
        raw = self.asserted_pieces.turtle(canonical_dataset(parts).relabelled.get(None, []), dropped)
        return turtle_file(raw, self.used(parts))

    def trig(self) -> bytes:
        used = self.used(self.named)
        return trig_file(trig_graphs(self.named, canonical_dataset(self.named), self.pieces, used), used)


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
