"""The graph for other semantic tools: Turtle, N-Triples, TriG/N-Quads, JSON-LD, RDF/XML, in canonical forms.

Every file is byte-for-byte the same on every run and under every ``PYTHONHASHSEED``, so that a change of data is a
small diff. Blank nodes get their RDFC-1.0 canonical labels (pyoxigraph) before anything is written; Turtle is
rdflib's ``longturtle`` (subjects and predicates sorted); the line formats are sorted; TriG and RDF/XML are written
by pyoxigraph from the sorted triples; JSON-LD is rdflib's, with a small explicit ``@context`` (the prefixes the
files declare and the graph uses) and its nodes and values sorted.

``export`` writes the folder ``iotkg build`` puts under ``graph/``, with ``manifest.json`` listing each file, its
triple (or quad) count and its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import pyoxigraph as ox
from rdflib import OWL, RDF, BNode, Graph, Literal, URIRef

from iotkg import __version__, paths
from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_IRI
from iotkg.output import MARKER, write_text
from iotkg.reason import Reasoned

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
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"


# ---------------------------------------------------------------- terms between rdflib and pyoxigraph


def to_oxigraph(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (blank node labels kept)."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def to_rdflib(term: object) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term (blank node labels kept; ``xsd:string`` literals as plain literals)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


# ---------------------------------------------------------------- canonical forms


_CANONICAL: dict[tuple[tuple[int, int, str | None], ...], list[ox.Quad]] = {}


def canonical_quads(graphs: Sequence[tuple[Graph, str | None]]) -> list[ox.Quad]:
    """The triples of each (graph, name) pair as quads (``None``: the default graph), blank nodes relabelled by
    RDFC-1.0 over the whole dataset, sorted by graph name, then as N-Quads text.

    The last few results are remembered (by graph identity and size), since one export asks for the same graphs in
    several formats."""
    key = tuple((id(graph), len(graph), name) for graph, name in graphs)
    if key in _CANONICAL:
        return _CANONICAL[key]
    dataset = ox.Dataset()
    blank = False
    for graph, name in graphs:
        target = ox.NamedNode(name) if name else ox.DefaultGraph()
        for s, p, o in graph:
            blank = blank or isinstance(s, BNode) or isinstance(o, BNode)
            dataset.add(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target))
    if blank:  # RDFC-1.0 leaves a graph without blank nodes as it is
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    result = sorted(dataset, key=lambda q: (_graph_key(q.graph_name), str(q)))
    if len(_CANONICAL) > 16:
        _CANONICAL.clear()
    _CANONICAL[key] = result
    return result


def _graph_key(name: object) -> str:
    return "" if isinstance(name, ox.DefaultGraph) else str(name)


def canonical_triples(graph: Graph) -> list[ox.Triple]:
    """The graph's triples with RDFC-1.0 blank node labels, sorted."""
    return [quad.triple for quad in canonical_quads([(graph, None)])]


def canonical_graph(graph: Graph, prefixes: dict[str, str] | None = None) -> Graph:
    """A copy of ``graph`` with canonical blank node labels, binding only ``prefixes`` (default: the graph's own)."""
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in sorted((prefixes if prefixes is not None else _bound(graph)).items()):
        copy.bind(prefix, namespace, override=True, replace=True)
    for triple in canonical_triples(graph):
        copy.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return copy


def _bound(graph: Graph) -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}


def canonical_turtle(graph: Graph, prefixes: dict[str, str] | None = None) -> str:
    """rdflib's ``longturtle`` (subjects and predicates sorted) of the graph with canonical blank node labels."""
    return canonical_graph(graph, prefixes).serialize(format="longturtle")


def _sorted_lines(data: bytes) -> str:
    lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
    return "\n".join(lines) + ("\n" if lines else "")


def sorted_ntriples(graph: Graph) -> str:
    """N-Triples (pyoxigraph's canonical form), canonical blank node labels, lines sorted."""
    return _sorted_lines(ox.serialize(canonical_triples(graph), format=ox.RdfFormat.N_TRIPLES))


def sorted_nquads(graphs: Sequence[tuple[Graph, str | None]]) -> str:
    """N-Quads of each (graph, name) pair, canonical blank node labels, lines sorted."""
    return _sorted_lines(ox.serialize(canonical_quads(graphs), format=ox.RdfFormat.N_QUADS))


def canonical_trig(graphs: Sequence[tuple[Graph, str | None]], prefixes: dict[str, str]) -> str:
    """TriG of each (graph, name) pair, written by pyoxigraph from the sorted canonical quads."""
    quads = canonical_quads(graphs)
    used = used_prefixes(prefixes, _iris(quads))
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=used).decode("utf-8")


def rdf_xml(graph: Graph, prefixes: dict[str, str]) -> str:
    """RDF/XML (for Protégé and other OWL tools), written by pyoxigraph from the sorted canonical triples."""
    triples = canonical_triples(graph)
    used = used_prefixes(prefixes, _iris(triples))
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=used).decode("utf-8")


def jsonld_context(graph: Graph, prefixes: dict[str, str]) -> dict[str, object]:
    """The ``@context`` of the JSON-LD export: the declared prefixes that the graph uses, nothing else."""
    return {"@context": used_prefixes(prefixes, _iris(canonical_triples(graph)))}


def canonical_jsonld(graph: Graph, context: dict[str, object]) -> str:
    """JSON-LD compacted with ``context`` (given inline; nothing is fetched), nodes and values in a fixed order.

    The context defines prefixes only (no ``@container``), so every array except an ``@list`` is a set of values
    and can be sorted."""
    document = json.loads(canonical_graph(graph, {}).serialize(format="json-ld", context=context["@context"]))
    document.pop("@context", None)
    nodes = document.pop("@graph", None)
    if nodes is None:
        nodes = [document] if document else []
    ordered = sorted((_ordered(node) for node in nodes), key=_sort_key)
    return json.dumps({**context, "@graph": ordered}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _sort_key(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _ordered(value: object) -> object:
    """Arrays of values sorted (sets in JSON-LD), ``@list`` arrays kept in order, recursively."""
    if isinstance(value, dict):
        return {
            key: [_ordered(v) for v in item]
            if key == "@list" and isinstance(item, list)
            else sorted((_ordered(v) for v in item), key=_sort_key)
            if isinstance(item, list)
            else _ordered(item)
            for key, item in value.items()
        }
    return value


def _iris(statements: Iterable[ox.Triple | ox.Quad]) -> set[str]:
    iris: set[str] = set()
    for statement in statements:
        for term in (statement.subject, statement.predicate, statement.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
        if isinstance(statement, ox.Quad) and isinstance(statement.graph_name, ox.NamedNode):
            iris.add(statement.graph_name.value)
    return iris


def used_prefixes(prefixes: dict[str, str], iris: set[str]) -> dict[str, str]:
    """The prefixes under which at least one of ``iris`` falls, sorted by prefix."""
    return {p: ns for p, ns in sorted(prefixes.items()) if any(iri.startswith(ns) for iri in iris)}


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
    """N-Quads, lines sorted: asserted triples in the asserted named graph, inferred ones in the inferred graph."""
    lines: list[str] = []
    for graph, name in ((reasoned.asserted, ASSERTED_GRAPH), (reasoned.inferred, INFERRED_GRAPH)):
        context = URIRef(name).n3()
        for line in graph.serialize(format="nt").splitlines():
            if line.strip():
                lines.append(f"{line[:-1].rstrip()} {context} .")
    lines.sort()
    return "\n".join(lines) + "\n"


def _ontology_iris(ontology: Graph) -> list[str]:
    headers = set(ontology.subjects(RDF.type, OWL.Ontology))
    iris = {str(s) for s in headers} or {ONTOLOGY_IRI}
    iris |= {str(v) for s in headers for v in ontology.objects(s, OWL.versionIRI)}
    return sorted(iris)


def _split(reasoned: Reasoned, sources: Sources | None) -> tuple[Graph, Graph, list[Path]]:
    """The ontology alone, the instances alone, and the input files (for their prefixes)."""
    from iotkg.sources import ONTOLOGY_FILE, parse_turtle

    if sources is not None:
        return sources.ontology, sources.instances, [paths.ontology_dir() / ONTOLOGY_FILE, *sources.files]
    ontology = parse_turtle(paths.ontology_dir() / ONTOLOGY_FILE)
    instances = Graph()
    for triple in reasoned.asserted:
        if triple not in ontology:
            instances.add(triple)
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
    _CANONICAL.clear()
    prefixes = declared_prefixes(files + ([shapes[1]] if shapes else []))
    asserted, inferred, merged = reasoned.asserted, reasoned.inferred, reasoned.combined
    named = [(asserted, ASSERTED_GRAPH), (inferred, INFERRED_GRAPH)]
    # (file name, text, statement count, media type)
    outputs: list[tuple[str, str, int | None, str]] = []
    if "turtle" in chosen:
        for name, graph in (
            ("ontology.ttl", ontology),
            ("instances.ttl", instances),
            ("iotkg.ttl", asserted),
            ("inferred.ttl", inferred),
            ("merged.ttl", merged),
        ):
            outputs.append((name, canonical_turtle(graph, prefixes), len(graph), "text/turtle"))
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
        outputs.append(("merged.jsonld", canonical_jsonld(merged, context), len(merged), "application/ld+json"))
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
    _CANONICAL.clear()
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
