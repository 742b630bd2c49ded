"""SHACL validation of the asserted graph (no inference), with findings a person can act on."""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from iotkg import paths
from iotkg.errors import InputError
from iotkg.namespaces import IOTKG, IOTKG_IRI
from iotkg.pipeline.inputs import ONTOLOGY_FILE, SHAPES_FILE, declared_prefixes
from iotkg.pipeline.load import Sources, parse_turtle
from iotkg.pipeline.report import path_text, prefixed_name

CONDITIONAL = URIRef("https://w3id.org/iotkg/shapes#conditional")
UNDEFINED_TERM = URIRef("https://w3id.org/iotkg/shapes#UndefinedTerm")
"""The shape and component of the results for a term of the iotkg namespace that the ontology does not define."""
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
SHARED_FILES = ("categories.ttl", "terminology.ttl", "vocabulary.ttl", "specifications.ttl")
SHARED_FILES += ("security-considerations.ttl", "editions.ttl")
"""The shipped instance files that every protocol entry's links point into: the shared vocabularies."""


@dataclass(frozen=True)
class Finding:
    """One SHACL result, named for people, with where to edit and its ``sh:ValidationResult`` (``node``)."""

    severity: str
    focus: str
    path: str
    shape: str
    message: str
    protocol: str
    file: str
    line: int = 0
    value: str = ""
    component: str = ""
    entry: str = ""
    node: Node | None = field(default=None, compare=False, repr=False)


@dataclass
class Validation:
    """The outcome: whether the data conforms (warnings allowed), the findings, the engine's report graph."""

    conforms: bool
    findings: list[Finding]
    report: Graph
    untargeted_shapes: list[str]
    untargeted_reasons: dict[str, str] = field(default_factory=dict)
    protocols: int = 0
    shapes: int = 0
    namespaces: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def violations(self) -> int:
        """How many findings are violations."""
        return sum(f.severity == "Violation" for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many findings are warnings (they do not fail the run)."""
        return sum(f.severity == "Warning" for f in self.findings)


def shapes_graph() -> Graph:
    """The SHACL shapes shipped in ``ontology/shapes.ttl``."""
    return parse_turtle(paths.ontology_dir() / SHAPES_FILE)


def _run_engine(module: str, data: Graph, shapes: Graph, **options: bool) -> Graph:
    """``module``'s public ``validate`` (pySHACL's API): no inference, SHACL-SPARQL on, warnings allowed."""
    library = importlib.import_module(module)
    try:
        _, report, text = library.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, **options
        )
    except (library.errors.ReportableRuntimeError, ValueError) as error:  # pyshacl-turbo: a malformed shape
        report = text = str(error)
    if not isinstance(report, Graph):  # a ValidationFailure: the shapes could not be run
        raise InputError(
            f"SHACL validation could not run: {text}", hint="Check ontology/shapes.ttl and the data it reads."
        )
    return report


ENGINES = {"fast": partial(_run_engine, "pyshacl_turbo"), "pyshacl": partial(_run_engine, "pyshacl", inplace=True)}
"""The SHACL engines by name: ``fast`` is pyshacl-turbo (Rust), ``pyshacl`` the reference; both give one report."""


def focus_nodes(shapes: Graph, data: Graph, shape: Node) -> Iterator[Node]:
    """The nodes of ``data`` that ``shape``'s targets select (subclasses' instances too), lazily."""
    for cls in shapes.objects(shape, SH.targetClass):
        for subclass in data.transitive_subjects(RDFS.subClassOf, cls):
            yield from data.subjects(RDF.type, subclass)
    for node in shapes.objects(shape, SH.targetNode):
        if (node, None, None) in data or (None, None, node) in data:
            yield node
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        yield from data.subjects(prop, None)
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        yield from data.objects(None, prop)


def targeted_shapes(shapes: Graph) -> list[Node]:
    """The shapes that declare a target, sorted."""
    return sorted({s for t in _TARGETS for s in shapes.subjects(t, None)}, key=str)


def is_conditional(shapes: Graph, shape: Node) -> bool:
    """True for a shape marked ``shapes:conditional true`` (it checks only nodes that state an optional property)."""
    return (shape, CONDITIONAL, Literal(True)) in shapes


def _target_text(shapes: Graph, shape: Node) -> str:
    """What a shape's targets look for, e.g. "no iotkg:Protocol"."""
    parts = [f"no {prefixed_name(shapes, c)}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"no node with {prefixed_name(shapes, p)}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"nothing {prefixed_name(shapes, p)} points to" for p in shapes.objects(shape, SH.targetObjectsOf)]
    parts += [f"no {prefixed_name(shapes, n)}" for n in shapes.objects(shape, SH.targetNode)]
    return " and ".join(sorted(parts)) or "nothing it targets"


def _protocol_of(data: Graph, focus: Node, seen: frozenset[Node] = frozenset()) -> Node | None:
    """The protocol entry a node belongs to: itself, its ``iotkg:ofProtocol``'s in its edition, or what it concerns'."""
    if any((focus, RDF.type, entry) in data for entry in (IOTKG.Protocol, IOTKG.ProtocolMention)):
        return focus
    if (protocol := _least(data, focus, IOTKG.ofProtocol)) is not None:
        edition = _least(data, focus, IOTKG.edition)
        mentions = (m for m in data.subjects(IOTKG.mentions, protocol) if (m, IOTKG.edition, edition) in data)
        return min((m for m in mentions if (m, RDF.type, IOTKG.ProtocolMention) in data), key=str, default=protocol)
    for concerned in sorted(data.objects(focus, IOTKG.concerns), key=str):
        if concerned not in seen and (found := _protocol_of(data, concerned, seen | {focus})) is not None:
            return found
    return None


def _least(data: Graph, node: Node, predicate: URIRef) -> Node | None:
    """``node``'s least value of ``predicate`` (``Graph.value`` picks one in hash order, not the same every run)."""
    return min(data.objects(node, predicate), key=str, default=None)


def _protocol_label(data: Graph, protocol: Node | None, names: Graph) -> str:
    if protocol is None:
        return ""
    labels = (_least(data, protocol, predicate) for predicate in (IOTKG.shortName, RDFS.label))
    return next((str(label) for label in labels if label is not None), prefixed_name(names, protocol))


class _Where:
    """Where to edit a node: the file that describes it (else its protocol entry's), and the line."""

    def __init__(self, subject_files: Mapping[URIRef, Path]) -> None:
        self._subject_files = subject_files
        self._files: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}

    def locate(self, node: Node | None, protocol: Node | None, term: Node | None = None) -> tuple[str, int]:
        """The file ("" if unknown) and line (0) where ``node``'s description starts, or from there uses ``term``."""
        path = next((self._subject_files[n] for n in (node, protocol) if n in self._subject_files), None)
        if path is None or not isinstance(node, URIRef):
            return (str(path or ""), 0)
        if str(path) not in self._files:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._files[str(path)] = (text.splitlines(), declared_prefixes(text))
        first = self._line(str(path), node, r"^\s*", 1)
        return (str(path), (self._line(str(path), term, r"(?<![\w:.-])", first or 1) or first) if term else first)

    def _line(self, path: str, node: Node, before: str, start: int) -> int:
        lines, prefixes = self._files[path]
        tokens = [f"<{node}>"] + [f"{p}:{node[len(ns) :]}" for p, ns in prefixes if ns and node.startswith(ns)]
        pattern = re.compile(before + "(?:" + "|".join(re.escape(t) for t in tokens) + r")(?=[\s;,.]|$)")
        return next((n for n, line in enumerate(lines[start - 1 :], start) if pattern.search(line)), 0)


def validate(sources: Sources, shapes: Graph | None = None, engine: str = "fast") -> Validation:
    """Validate the loaded sources (``engine``: a key of ``ENGINES``), noting missing shared vocabularies."""
    result = validate_graph(sources.asserted, sources.subject_files, shapes, engine)
    missing = [name for name in SHARED_FILES if name not in {path.name for path in sources.files}]
    if missing and not result.conforms:
        result.notes.append(
            f"note: the instances lack the shared vocabularies that entries link to ({', '.join(missing)}), so links "
            f"to their categories, terms and specifications fail below; copy them from {paths.instances_dir()} "
            "into the instances folder"
        )
    return result


def validate_files(files: list[Path], shapes: Graph | None = None, engine: str = "fast") -> Validation:
    """Validate the ontology with ``files`` alone (no instances folder): e.g. one self-contained example."""
    data = parse_turtle(paths.ontology_dir() / ONTOLOGY_FILE)
    subject_files: dict[URIRef, Path] = {}
    for path in files:
        graph = parse_turtle(path)
        for prefix, namespace in graph.namespaces():
            data.bind(prefix, namespace, override=False)
        subject_files |= {s: path for s in graph.subjects() if isinstance(s, URIRef) and s not in subject_files}
        data += graph
    return validate_graph(data, subject_files, shapes, engine)


def validate_graph(
    data: Graph, subject_files: Mapping[URIRef, Path] | None = None, shapes: Graph | None = None, engine: str = "fast"
) -> Validation:
    """Validate a merged graph (ontology + instances); ``subject_files``: where each node is written."""
    if engine not in ENGINES:
        raise InputError(f"unknown SHACL engine {engine!r}", hint=f"Use one of: {', '.join(ENGINES)}.")
    shapes = shapes if shapes is not None else shapes_graph()
    names = Graph(bind_namespaces="none")  # the data's prefixes, then the shapes'; the data keeps its own
    for prefix, namespace in data.namespaces():
        names.bind(prefix, namespace, override=True, replace=True)
    for prefix, namespace in shapes.namespaces():
        names.bind(prefix, namespace, override=False)
    report = ENGINES[engine](data, shapes)
    _undefined_terms(data, report)
    where = _Where(subject_files or {})
    results = report.subjects(RDF.type, SH.ValidationResult)
    findings = sorted((_finding(report, r, data, names, shapes, where) for r in results), key=_sort_key)
    empty = [
        s
        for s in targeted_shapes(shapes)
        if not is_conditional(shapes, s) and next(focus_nodes(shapes, data, s), None) is None
    ]
    return Validation(
        conforms=not empty and all(f.severity != "Violation" for f in findings),
        findings=findings,
        report=report,
        untargeted_shapes=sorted(prefixed_name(shapes, s) for s in empty),
        untargeted_reasons={prefixed_name(shapes, s): _target_text(shapes, s) for s in empty},
        protocols=len({*data.subjects(RDF.type, IOTKG.Protocol), *data.subjects(RDF.type, IOTKG.ProtocolMention)}),
        shapes=len(targeted_shapes(shapes)),
        namespaces={prefix: str(ns) for prefix, ns in names.namespaces()},
    )


def _finding(report: Graph, result: Node, data: Graph, names: Graph, shapes: Graph, where: _Where) -> Finding:
    focus = report.value(result, SH.focusNode)
    protocol = _protocol_of(data, focus) if focus is not None else None
    undefined = report.value(result, SH.sourceConstraintComponent) == UNDEFINED_TERM
    file, line = where.locate(focus, protocol, report.value(result, SH.value) if undefined else None)
    return Finding(
        severity=prefixed_name(report, report.value(result, SH.resultSeverity)).split(":")[-1].split("#")[-1],
        focus=prefixed_name(names, focus),
        path=path_text(report, report.value(result, SH.resultPath)),
        shape=prefixed_name(shapes, report.value(result, SH.sourceShape)),
        message=str(report.value(result, SH.resultMessage) or ""),
        protocol=_protocol_label(data, protocol, names),
        file=file,
        line=line,
        value=prefixed_name(names, report.value(result, SH.value)),
        component=prefixed_name(shapes, report.value(result, SH.sourceConstraintComponent)),
        entry=prefixed_name(names, protocol),
        node=result,
    )


def _undefined_terms(data: Graph, report: Graph) -> None:
    """Add to ``report`` a violation for each use of an iotkg term the ontology does not define, with the closest."""
    defined = sorted({str(s)[len(IOTKG_IRI) :] for s in data.subjects() if str(s).startswith(IOTKG_IRI)})
    root = report.value(None, RDF.type, SH.ValidationReport)
    for s, p, o in data:
        for term in (p, o):
            name = str(term)[len(IOTKG_IRI) :]
            if isinstance(term, URIRef) and term.startswith(IOTKG_IRI) and name not in defined:
                close = difflib.get_close_matches(name, defined, n=1)
                hint = f"did you mean iotkg:{close[0]}?" if close else "see ontology/iotkg.ttl for the terms it has"
                message = f"iotkg:{name} is not a term the iotkg ontology defines: {hint}"
                result = BNode()
                report.set((root, SH.conforms, Literal(False)))
                report.add((root, SH.result, result))
                for key, value in (
                    (RDF.type, SH.ValidationResult),
                    (SH.focusNode, s),
                    (SH.resultPath, p),
                    (SH.value, term),
                    (SH.resultSeverity, SH.Violation),
                    (SH.sourceShape, UNDEFINED_TERM),
                    (SH.sourceConstraintComponent, UNDEFINED_TERM),
                    (SH.resultMessage, Literal(message)),
                ):
                    report.add((result, key, value))


def _sort_key(f: Finding) -> tuple[Any, ...]:
    where = (f.protocol == "", f.protocol, f.file, _SEVERITY_ORDER.get(f.severity, 9), f.line)
    return (*where, f.focus, f.shape, f.path, f.value, f.component, f.message)
