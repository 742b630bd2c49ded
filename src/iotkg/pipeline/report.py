"""The validation outcome: plain sentences by protocol entry, or the W3C SHACL report as Turtle or JSON-LD."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from iotkg.errors import InputError

if TYPE_CHECKING:
    from iotkg.pipeline.validate import Finding, Validation

TARGETS_NO_NODE = URIRef("https://w3id.org/iotkg/shapes#TargetsNoNode")
"""The ``sh:sourceConstraintComponent`` of the report results iotkg adds for a shape that targets no node."""

_RESULT_TERMS = ("focusNode", "resultPath", "resultSeverity", "sourceShape", "sourceConstraintComponent", "value")
_RESULT_TERMS += ("resultMessage",)
_IRI_TERMS = ("focusNode", "resultSeverity", "sourceShape", "sourceConstraintComponent")


def prefixed_name(graph: Graph, node: Node | None) -> str:
    """A node as people read it: a prefixed name where ``graph`` binds a prefix, else the IRI or the text."""
    if isinstance(node, URIRef):
        with contextlib.suppress(Exception):  # rdflib refuses some IRIs a prefix cannot name
            return graph.namespace_manager.normalizeUri(node)
    return "" if node is None else str(node)


def path_text(graph: Graph, path: Node | None) -> str:
    """A SHACL path as a SPARQL property path (``^iotkg:ofProtocol/rdf:type``), the form the shapes are read in."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return prefixed_name(graph, path)
    if (path, RDF.first, None) in graph:
        return "/".join(_grouped(graph, p) for p in Collection(graph, path))
    if (inverse := graph.value(path, SH.inversePath)) is not None:
        return "^" + _grouped(graph, inverse)
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return "(" + "|".join(path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    for predicate, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        if (inner := graph.value(path, predicate)) is not None:
            return _grouped(graph, inner) + mark
    return str(path)


def _grouped(graph: Graph, path: Node) -> str:
    text = path_text(graph, path)
    return text if isinstance(path, URIRef) or text.startswith("(") else f"({text})"


def _plain_line(f: Finding) -> str:
    group = f.protocol or f.focus
    resolved = Path(f.file).resolve()
    file = str(resolved.relative_to(Path.cwd())) if resolved.is_relative_to(Path.cwd()) else f.file
    subject = "" if f.focus in (group, f.entry) else f"{f.focus}: "
    severity = "" if f.severity == "Violation" else f"{f.severity.lower()}: "
    value = f"value {f.value}; " if f.value and f.value != f.focus else ""
    location = f" ({file}" + (f":{f.line}" if f.line else "") + ")" if f.file else ""
    return f"{group}{location}: {severity}{subject}{f.message} ({value}shape {f.shape})"


def format_plain(validation: Validation) -> str:
    """Plain language, one line per finding, grouped by protocol entry; then errors and the verdict."""
    # one line per distinct sentence: a value that fails two constraints of one shape is reported once
    lines = validation.notes + list(dict.fromkeys(_plain_line(f) for f in validation.findings))
    for shape in validation.untargeted_shapes:
        reason = validation.untargeted_reasons.get(shape, "nothing it targets")
        lines.append(
            f"error: shape {shape} targets no node — the data holds {reason}, so it checked nothing; "
            "validate the whole instances folder, or add what the shape checks"
        )
    verdict = "conforms" if validation.conforms else "does not conform"
    errors = f", {len(validation.untargeted_shapes)} errors" if validation.untargeted_shapes else ""
    lines.append(
        f"{verdict}: {validation.protocols} protocol entries checked against {validation.shapes} shapes; "
        f"{validation.violations} violations, {validation.warnings} warnings{errors}"
    )
    return "\n".join(lines) + "\n"


def _rows(validation: Validation) -> list[tuple[Finding | None, str]]:
    return [(f, "") for f in validation.findings] + [(None, shape) for shape in validation.untargeted_shapes]


def _report_graph(validation: Validation) -> Graph:
    """The W3C SHACL validation report, with blank nodes named in the findings' order (deterministic)."""
    graph = Graph()
    graph.bind("sh", SH)
    for prefix, namespace in sorted(validation.namespaces.items()):
        graph.bind(prefix, namespace, override=False)
    report = BNode("report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(validation.conforms)))
    for number, (finding, shape) in enumerate(_rows(validation), 1):
        result = BNode(f"result{number:04d}")
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        if finding is None:
            shape_iri = graph.namespace_manager.expand_curie(shape) if ":" in shape else URIRef(shape)
            message = f"shape {shape} targets no node of the data, so it checked nothing"
            graph.add((result, SH.focusNode, shape_iri))
            graph.add((result, SH.sourceShape, shape_iri))
            graph.add((result, SH.resultSeverity, SH.Violation))
            graph.add((result, SH.sourceConstraintComponent, TARGETS_NO_NODE))
            graph.add((result, SH.resultMessage, Literal(message)))
            continue
        counter = iter(range(1, 1000))
        for term in _RESULT_TERMS:
            for obj in validation.report.objects(finding.node, SH[term]):
                graph.add((result, SH[term], _copy(validation.report, graph, obj, f"result{number:04d}-", counter)))
    return graph


def _copy(source: Graph, target: Graph, node: Node, prefix: str, counter: Iterator[int]) -> Node:
    """Copy a blank-node structure (a SHACL path) into ``target`` under deterministic names."""
    if not isinstance(node, BNode):
        return node
    copy = BNode(f"{prefix}{next(counter)}")
    for predicate, obj in sorted(source.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
        target.add((copy, predicate, _copy(source, target, obj, prefix, counter)))
    return copy


def _json_node(graph: Graph, node: Node) -> Any:
    if isinstance(node, Literal):
        if node.datatype is None and node.language is None:
            return str(node)
        if node.language:
            return {"@value": str(node), "@language": node.language}
        return {"@value": str(node), "@type": prefixed_name(graph, node.datatype)}
    if isinstance(node, URIRef):
        return {"@id": prefixed_name(graph, node)}
    if (node, RDF.first, None) in graph:
        return {"@list": [_json_node(graph, item) for item in Collection(graph, node)]}
    return {prefixed_name(graph, p): _json_node(graph, o) for p, o in sorted(graph.predicate_objects(node), key=str)}


def _format_json(validation: Validation) -> str:
    """JSON-LD with an explicit context (``sh:`` terms), plus iotkg's where-to-edit fields on each result."""
    graph = _report_graph(validation)
    context: dict[str, Any] = {prefix: ns for prefix, ns in sorted(validation.namespaces.items()) if prefix}
    context |= {"sh": str(SH), "conforms": "sh:conforms", "results": {"@id": "sh:result", "@container": "@set"}}
    for term in _RESULT_TERMS:
        context[term] = {"@id": f"sh:{term}", "@type": "@id"} if term in _IRI_TERMS else {"@id": f"sh:{term}"}
    results = []
    for number, (finding, _) in enumerate(_rows(validation), 1):
        node = BNode(f"result{number:04d}")
        entry: dict[str, Any] = {"@type": "sh:ValidationResult"}
        for term in _RESULT_TERMS:
            if (obj := graph.value(node, SH[term])) is not None:
                entry[term] = prefixed_name(graph, obj) if term in _IRI_TERMS else _json_node(graph, obj)
        if finding is not None:  # not in the context: plain JSON for tools, ignored by JSON-LD processors
            entry.update({"protocol": finding.protocol, "file": finding.file, "line": finding.line})
        results.append(entry)
    document = {
        "@context": context,
        "@type": "sh:ValidationReport",
        "conforms": validation.conforms,
        "results": results,
        "untargetedShapes": validation.untargeted_shapes,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def format_report(validation: Validation, fmt: str) -> str:
    """The standard SHACL validation report as Turtle (``turtle``) or JSON-LD (``json``)."""
    if fmt == "turtle":
        return _report_graph(validation).serialize(format="turtle")
    if fmt == "json":
        return _format_json(validation)
    raise InputError(f"unknown format {fmt!r}", hint="Use plain, turtle or json.")
