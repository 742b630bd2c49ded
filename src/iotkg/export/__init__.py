"""The graph for other semantic tools in canonical files (``iotkg.export.canonical``), with a manifest."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
from rdflib import DCTERMS, OWL, RDF, Graph, Literal, URIRef

from iotkg import editions, paths
from iotkg.editions import Edition
from iotkg.errors import InputError
from iotkg.export.canonical import Canonical, Triples, canonical, serialize, turtle_text, used_prefixes
from iotkg.export.jsonld import jsonld_bytes, jsonld_context
from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_IRI, VOCABULARIES
from iotkg.output import mark
from iotkg.pipeline.inputs import ONTOLOGY_FILE, SHAPES_FILE, declared_prefixes, turtle_files
from iotkg.pipeline.load import Sources, parse_turtle
from iotkg.pipeline.reason import Reasoned
from iotkg.store import from_reasoned
from iotkg.version import __version__

__all__ = ["FORMATS", "export", "turtle_text"]

FORMATS: dict[str, dict[str, str | None]] = {
    "turtle": {
        "ontology.ttl": "ontology",
        "instances.ttl": "instances",
        "iotkg.ttl": "asserted",
        "inferred.ttl": "inferred",
        "merged.ttl": "merged",
        "shapes.ttl": "shapes",
    },
    "ntriples": {"iotkg.nt": "asserted", "inferred.nt": "inferred"},
    "trig": {"iotkg.trig": "named"},
    "nquads": {"iotkg.nq": "named"},
    "jsonld": {"context.jsonld": None, "merged.jsonld": None},
    "owl": {"ontology.owl": "ontology", "catalog-v001.xml": None},
    "void": {"void.ttl": None},
}
"""Each export format (the choices of ``iotkg export --format``), its files, and the graph each RDF file holds (see
``_Graphs.triples``; None: written otherwise); a file's format is its suffix's (see ``_format``)."""
_GRAPH_OF = {name: graph for files in FORMATS.values() for name, graph in files.items()}


def export(
    reasoned: Reasoned,
    folder: Path,
    sources: Sources | None = None,
    formats: Iterable[str] = FORMATS,
    endpoint: str | None = None,
) -> list[Path]:
    """Write the files of ``formats`` (removing the others') and ``manifest.json`` into ``folder``; those written."""
    chosen = set(formats)
    if unknown := ", ".join(sorted(chosen - set(FORMATS))):
        raise InputError(f"unknown export format {unknown}", hint=f"Use one of: {', '.join(FORMATS)}.")
    graphs = _Graphs(reasoned, sources)
    mark(folder)
    names = sorted(name for fmt in chosen for name in FORMATS[fmt] if name != "shapes.ttl" or graphs.shapes_file)
    entries = []
    for name in sorted(names, key=lambda name: name == "void.ttl"):  # the VoID description lists the others
        count, data = graphs.file(name) if name != "void.ttl" else graphs.void(entries, endpoint)
        (folder / name).write_bytes(data)
        media_type = "application/xml" if name == "catalog-v001.xml" else _format(name).media_type
        digest = hashlib.sha256(data).hexdigest()
        entries.append({"path": name, "media_type": media_type, "triples": count, "bytes": len(data), "sha256": digest})
    for stale in {name for files in FORMATS.values() for name in files} - set(names):
        (folder / stale).unlink(missing_ok=True)
    held = [dataclasses.asdict(edition) for edition in graphs.editions]
    (folder / "manifest.json").write_text(manifest(entries, graphs.ontology, sources, held), encoding="utf-8")
    return [folder / name for name in names] + [folder / "manifest.json"]


DATA_IRI = "https://w3id.org/iotkg/data"
"""The owl:Ontology of the instances (it imports the ontology) and the VoID dataset of the export."""


class _Graphs:
    """The graphs of one export as canonical quads, each made once when a file first asks for it."""

    def __init__(self, reasoned: Reasoned, sources: Sources | None) -> None:
        ontology_file, shapes_file = paths.ontology_dir() / ONTOLOGY_FILE, paths.ontology_dir() / SHAPES_FILE
        self.shapes_file = shapes_file if shapes_file.is_file() else None
        self.reasoned, self.asserted, self.inferred = reasoned, reasoned.asserted_triples, reasoned.inferred_triples
        self._canonical: dict[str, Canonical] = {}
        self._texts: dict[object, str] = {}
        if sources is not None:
            self.ontology, self.instances = sources.ontology, sources.instance_triples
            files = [ontology_file, *sources.files]
        else:
            self.ontology = parse_turtle(ontology_file)
            own = set(self.ontology)
            self.instances = [triple for triple in self.asserted if triple not in own]
            files = [ontology_file, *turtle_files(paths.instances_dir())]
        self.prefixes = _declared_prefixes([*files, *([self.shapes_file] if self.shapes_file else [])])

    def triples(self, graph: str) -> list[tuple[Triples, str | None]]:
        """The triples of one of the graphs, by name, and the named graph each part goes into."""
        if graph == "named":
            return [(self.asserted, ASSERTED_GRAPH), (self.inferred, INFERRED_GRAPH)]
        if graph == "merged":
            return [(self.asserted, None), (self.inferred, None), (self.header, None)]
        if graph == "shapes":
            return [(parse_turtle(self.shapes_file), None)] if self.shapes_file else []
        return [(getattr(self, graph), None)] + ([(self.header, None)] if graph == "instances" else [])

    @cached_property
    def editions(self) -> list[Edition]:
        """The editions of the draft the data records, oldest first (``iotkg.editions``)."""
        return editions.editions(from_reasoned(self.reasoned))

    @cached_property
    def header(self) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
        """An owl:Ontology importing the ontology, with its version and sources, and the owl:NamedIndividuals."""
        individuals = {s for s, p, o in self.asserted if p == RDF.type and isinstance(s, URIRef)}
        individuals -= {s for s, p, o in self.asserted if p == RDF.type and str(o).startswith(VOCABULARIES)}
        data, version = URIRef(DATA_IRI), Literal(__version__)
        header = [(data, RDF.type, OWL.Ontology), (data, OWL.imports, URIRef(ONTOLOGY_IRI))]
        header += [(data, OWL.versionIRI, URIRef(f"{DATA_IRI}/{version}")), (data, OWL.versionInfo, version)]
        header += [(data, DCTERMS.source, URIRef(edition.iri)) for edition in self.editions]
        return header + [(individual, RDF.type, OWL.NamedIndividual) for individual in sorted(individuals)]

    def void(self, entries: list[dict[str, object]], endpoint: str | None = None) -> tuple[int, bytes]:
        """VoID of the merged graph: its counts, each file in ``entries`` as a distribution, its dump and endpoint."""
        quads = list(ox.parse(self.canonical("merged").nquads, format=ox.RdfFormat.N_QUADS))
        classes = {quad.object for quad in quads if quad.predicate.value == str(RDF.type)}
        n = [len(quads), len(classes), len({quad.predicate for quad in quads})]
        lines = [
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
            "@prefix dcterms: <http://purl.org/dc/terms/> .",
            "@prefix void: <http://rdfs.org/ns/void#> .",
            f'<{DATA_IRI}> a void:Dataset ; dcterms:title "iotkg" ; void:vocabulary <{ONTOLOGY_IRI}> ;',
            f"  void:triples {n[0]} ; void:classes {n[1]} ; void:properties {n[2]} ;",
        ]
        lines += ["  void:dataDump <merged.ttl> ;"] if any(e["path"] == "merged.ttl" for e in entries) else []
        lines += [f"  void:sparqlEndpoint {ox.NamedNode(endpoint)} ;"] if endpoint else []
        for entry in entries:
            lines.append(
                f'  dcat:distribution [ dcat:downloadURL <{entry["path"]}> ; dcat:mediaType "{entry["media_type"]}" ] ;'
            )
        data = ("\n".join(lines)[:-2] + " .\n").encode("utf-8")
        return len(list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=DATA_IRI))), data

    def canonical(self, graph: str) -> Canonical:
        """A graph's canonical statements (made once)."""
        if graph not in self._canonical:
            self._canonical[graph] = canonical(self.triples(graph), self._texts)
        return self._canonical[graph]

    def file(self, name: str) -> tuple[int | None, bytes]:
        """A file's statement count (``None``: not RDF) and bytes."""
        if graph := _GRAPH_OF[name]:
            statements = self.canonical(graph)
            return len(statements), serialize(statements, _format(name), used_prefixes(self.prefixes, statements.iris))
        if name == "catalog-v001.xml":
            return None, catalog(dict.fromkeys(_ontology_iris(self.ontology), "ontology.owl")).encode("utf-8")
        context = self.context
        if name == "context.jsonld":
            return None, (json.dumps(context, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        return len(self.canonical("merged")), jsonld_bytes(self.canonical("merged"), context)

    @cached_property
    def context(self) -> dict[str, object]:
        """The JSON-LD context of ``merged.jsonld`` (``context.jsonld``)."""
        merged = self.canonical("merged")
        return jsonld_context(used_prefixes(self.prefixes, merged.iris), merged.iris)


def _format(name: str) -> ox.RdfFormat:
    return ox.RdfFormat.from_extension("rdf" if name.endswith(".owl") else Path(name).suffix[1:])


def _declared_prefixes(files: Iterable[Path]) -> dict[str, str]:
    """The prefixes the Turtle files declare; the first file to declare a prefix or a namespace wins."""
    prefixes: dict[str, str] = {}
    for path in files:
        for prefix, namespace in sorted(declared_prefixes(path.read_bytes().decode("utf-8", "replace"))):
            if prefix and prefix not in prefixes and namespace not in prefixes.values():
                prefixes[prefix] = namespace
    return prefixes


def catalog(mapping: dict[str, str]) -> str:
    """An OASIS XML catalog (``catalog-v001.xml``, as Protégé reads it) mapping IRIs to local file names."""
    root = ElementTree.Element("catalog", {"prefer": "public", "xmlns": "urn:oasis:names:tc:entity:xmlns:xml:catalog"})
    for number, (iri, file) in enumerate(sorted(mapping.items()), start=1):
        ElementTree.SubElement(root, "uri", {"id": f"iotkg-{number}", "name": iri, "uri": file})
    ElementTree.indent(root, space="    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _ontology_iris(ontology: Graph) -> list[str]:
    headers = set(ontology.subjects(RDF.type, OWL.Ontology))
    iris = {str(s) for s in headers} or {ONTOLOGY_IRI}
    iris |= {str(v) for s in headers for v in ontology.objects(s, OWL.versionIRI)}
    return sorted(iris)


def manifest(
    entries: list[dict[str, object]], ontology: Graph, sources: Sources | None = None, editions: Iterable[object] = ()
) -> str:
    """``manifest.json``: versions, editions, the inputs' digest, each file with its count (null: not RDF) and hash."""
    versions = {
        t: min((str(v) for v in ontology.objects(None, OWL[t])), default=None) for t in ("versionIRI", "versionInfo")
    }
    document = {
        "generator": f"iotkg {__version__}",
        "ontology": {"iri": ONTOLOGY_IRI, **versions},
        "data": {"iri": DATA_IRI, "versionIRI": f"{DATA_IRI}/{__version__}", "versionInfo": __version__},
        "editions": list(editions),
        "inputs_sha256": sources.digest if sources is not None else None,
        "files": entries,
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
