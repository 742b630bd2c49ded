"""SHACL validation of the asserted graph, with a report a person can act on.

Completeness is judged on what the files assert: pyshacl runs with ``inference="none"`` over the ontology plus
the instances, so a type or value that only a domain/range axiom could infer does not satisfy a shape.
SHACL-SPARQL constraints (``sh:sparql``) are enabled for the cross-graph checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, SH, Graph, URIRef
from rdflib.term import Node

from iotkg import paths
from iotkg.errors import InputError
from iotkg.namespaces import IOTKG
from iotkg.sources import SHAPES_FILE, Sources, parse_turtle

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Finding:
    """One SHACL result, with the protocol entry and file it concerns."""

    severity: str
    focus: str
    path: str
    shape: str
    message: str
    protocol: str
    file: str


@dataclass
class Validation:
    """The outcome: whether the data conforms (warnings allowed), the findings, the W3C report graph."""

    conforms: bool
    findings: list[Finding]
    report: Graph
    untargeted_shapes: list[str]


def shapes_graph() -> Graph:
    """The SHACL shapes shipped in ``ontology/shapes.ttl``."""
    return parse_turtle(paths.ontology_dir() / SHAPES_FILE)


def _local(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    return str(node)


def _protocol_of(data: Graph, focus: Node) -> Node | None:
    if (focus, RDF.type, IOTKG.Protocol) in data:
        return focus
    return data.value(focus, IOTKG.ofProtocol)


def untargeted(shapes: Graph, data: Graph) -> list[str]:
    """Node shapes with a ``sh:targetClass`` that no node of ``data`` has (a check that checks nothing)."""
    empty = []
    for shape, cls in shapes.subject_objects(SH.targetClass):
        if next(data.subjects(RDF.type, cls), None) is None:
            empty.append(_local(shapes, shape))
    return sorted(set(empty))


def validate(sources: Sources, shapes: Graph | None = None) -> Validation:
    """Validate ontology + instances against the shapes, on asserted data only."""
    shapes = shapes if shapes is not None else shapes_graph()
    data = sources.asserted
    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, meta_shacl=False
    )
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        protocol = _protocol_of(data, focus) if focus is not None else None
        label = data.value(protocol, IOTKG.shortName) if protocol is not None else None
        source_file = sources.subject_files.get(protocol) if isinstance(protocol, URIRef) else None
        if source_file is None and isinstance(focus, URIRef):
            source_file = sources.subject_files.get(focus)
        findings.append(
            Finding(
                severity=_local(report, report.value(result, SH.resultSeverity)).split(":")[-1],
                focus=_local(data, focus),
                path=_local(shapes, report.value(result, SH.resultPath)),
                shape=_local(shapes, report.value(result, SH.sourceShape)),
                message=str(report.value(result, SH.resultMessage) or ""),
                protocol=str(label) if label is not None else (_local(data, protocol) if protocol else ""),
                file=str(source_file) if source_file else "",
            )
        )
    findings.sort(key=lambda f: (f.protocol, _SEVERITY_ORDER.get(f.severity, 9), f.focus, f.path, f.shape))
    empty = untargeted(shapes, data)
    has_violation = any(f.severity == "Violation" for f in findings)
    return Validation(bool(conforms) and not has_violation and not empty, findings, report, empty)


def _relative(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def format_plain(validation: Validation) -> str:
    """Plain language, grouped by protocol entry."""
    lines: list[str] = []
    current = None
    for f in validation.findings:
        group = (f.protocol or "(no protocol)", f.file)
        if group != current:
            current = group
            where = f" ({_relative(f.file)})" if f.file else ""
            lines.append(f"{group[0]}{where}:")
        lines.append(f"  {f.severity.lower()}: {f.message} [{f.focus}; shape {f.shape}]")
    for shape in validation.untargeted_shapes:
        lines.append(f"error: shape {shape} targets no node: the data holds nothing it could check")
    violations = sum(f.severity == "Violation" for f in validation.findings)
    warnings = sum(f.severity == "Warning" for f in validation.findings)
    verdict = "conforms" if validation.conforms else "does not conform"
    lines.append(f"{verdict}: {violations} violations, {warnings} warnings")
    return "\n".join(lines) + "\n"


def format_report(validation: Validation, fmt: str) -> str:
    """The standard SHACL validation report as Turtle, or the findings as JSON."""
    if fmt == "turtle":
        return validation.report.serialize(format="longturtle")
    if fmt == "json":
        document = {
            "conforms": validation.conforms,
            "untargetedShapes": validation.untargeted_shapes,
            "results": [f.__dict__ for f in validation.findings],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    raise InputError(f"unknown format {fmt!r}", hint="Use plain, turtle or json.")


__all__ = ["Finding", "Validation", "format_plain", "format_report", "shapes_graph", "validate"]
