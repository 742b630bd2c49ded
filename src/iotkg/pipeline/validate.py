"""SHACL validation of the asserted graph, with a report a person can act on.

Inference: none. pyshacl runs with ``inference="none"`` over the ontology plus the instance files, so a type or a
value that only an ``rdfs:domain``/``rdfs:range`` axiom could infer does not satisfy a shape (it would hide
missing data). The only derivation any check uses is SHACL's own subclass walk (``sh:targetClass``,
``sh:class``) over the ``rdfs:subClassOf`` axioms asserted in ``ontology/iotkg.ttl``; ``ontology/shapes.ttl``
says, per group of shapes, what each check reads. SHACL-SPARQL constraints (``sh:sparql``) carry the checks
across nodes that plain SHACL cannot express.

A check that checks nothing is an error, never "conforms": every shape must reach at least one node of the data,
except a shape marked ``shapes:conditional true``, which checks only the nodes that state an optional property
(:func:`untargeted`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from iotkg import paths
from iotkg.errors import InputError
from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import ONTOLOGY_FILE, SHAPES_FILE, Sources, Triple, parse_turtle

SHAPES = "https://w3id.org/iotkg/shapes#"
CONDITIONAL = URIRef(SHAPES + "conditional")
TARGETS_NO_NODE = URIRef(SHAPES + "TargetsNoNode")
"""The ``sh:sourceConstraintComponent`` of the report results iotkg adds for a shape that targets no node."""

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class Finding:
    """One SHACL result, with the protocol entry it concerns and where to edit.

    ``focus``, ``shape``, ``value`` and ``component`` are prefixed names; ``path`` is a SPARQL property path
    (``^iotkg:ofProtocol/rdf:type``), empty for a node-level result; ``file``/``line`` locate the focus node.
    """

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
    """The protocol entry's node (prefixed name), or empty for a node of the shared vocabularies."""
    node: Node | None = field(default=None, compare=False, repr=False)
    """The ``sh:ValidationResult`` node in ``Validation.report``."""


@dataclass
class Validation:
    """The outcome: whether the data conforms (warnings allowed), the findings, the pyshacl report graph."""

    conforms: bool
    findings: list[Finding]
    report: Graph
    untargeted_shapes: list[str]
    untargeted_reasons: dict[str, str] = field(default_factory=dict)
    protocols: int = 0
    shapes: int = 0
    namespaces: dict[str, str] = field(default_factory=dict)

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


# ---------------------------------------------------------------- targets and the "checks nothing" guard


def _instances(data: Graph, cls: Node) -> set[Node]:
    """SHACL instances of ``cls``: nodes typed with it or with a subclass (asserted ``rdfs:subClassOf*``)."""
    classes = set(data.transitive_subjects(RDFS.subClassOf, cls))
    return {node for c in classes for node in data.subjects(RDF.type, c)}


def focus_nodes(shapes: Graph, data: Graph, shape: Node) -> set[Node]:
    """The nodes of ``data`` that ``shape``'s targets (class, node, subjects-of, objects-of) select."""
    nodes: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        nodes |= _instances(data, cls)
    for node in shapes.objects(shape, SH.targetNode):
        if (node, None, None) in data or (None, None, node) in data:
            nodes.add(node)
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes |= set(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes |= set(data.objects(None, prop))
    return nodes


def targeted_shapes(shapes: Graph) -> list[Node]:
    """The shapes that declare a target, sorted."""
    return sorted({s for t in _TARGETS for s in shapes.subjects(t, None)}, key=str)


def is_conditional(shapes: Graph, shape: Node) -> bool:
    """True for a shape marked ``shapes:conditional true`` (it checks only nodes that state an optional property)."""
    return (shape, CONDITIONAL, Literal(True)) in shapes


def _untargeted_nodes(shapes: Graph, data: Graph) -> list[Node]:
    return [s for s in targeted_shapes(shapes) if not is_conditional(shapes, s) and not focus_nodes(shapes, data, s)]


def untargeted(shapes: Graph, data: Graph) -> list[str]:
    """Shapes with a target that reaches no node of ``data`` (a check that would check nothing), sorted.

    Conditional shapes (:func:`is_conditional`) are left out: they apply only where a node states an optional
    property. Every other shape must reach at least one node, or validation reports an error.
    """
    return sorted(_name(shapes, s) for s in _untargeted_nodes(shapes, data))


def _target_text(shapes: Graph, shape: Node) -> str:
    """What a shape's targets look for, e.g. "no iotkg:Protocol"."""
    parts = [f"no {_name(shapes, c)}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"no node with {_name(shapes, p)}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"nothing {_name(shapes, p)} points to" for p in shapes.objects(shape, SH.targetObjectsOf)]
    parts += [f"no {_name(shapes, n)}" for n in shapes.objects(shape, SH.targetNode)]
    return " and ".join(sorted(parts)) or "nothing it targets"


class _Index:
    """What the report reads from the data, gathered in one pass over its statements: the predicates and the
    classes in use (does a shape reach any node?), the subclass axioms, the protocol entries, the links from a node
    to its entry (``iotkg:ofProtocol``, ``iotkg:concerns``) and the entries' names.

    Where a node states a property twice, the first statement counts, as ``Graph.value`` reads it. Built from a list
    of statements in a fraction of the time an rdflib graph of them takes to build (the build validates the loaded
    statements without making that graph)."""

    _FIRST = (IOTKG.ofProtocol, IOTKG.shortName, RDFS.label)

    def __init__(self, statements: Iterable[Triple]) -> None:
        self._statements = statements
        self.predicates: set[Node] = set()
        self.classes: set[Node] = set()
        self.protocols: set[Node] = set()
        self.subclasses: dict[Node, set[Node]] = {}
        self.concerned: dict[Node, dict[Node, None]] = {}
        self.first: dict[Node, dict[Node, Node]] = {predicate: {} for predicate in self._FIRST}
        read = {RDF.type: self._typed, RDFS.subClassOf: self._subclass, IOTKG.concerns: self._concerns}
        read.update(dict.fromkeys(self._FIRST, self._first))
        for subject, predicate, obj in statements:  # a dict finds the predicate: rdflib's == is slow Python
            self.predicates.add(predicate)
            reader = read.get(predicate)
            if reader is not None:
                reader(subject, predicate, obj)

    def _typed(self, subject: Node, _: Node, cls: Node) -> None:
        self.classes.add(cls)
        if cls == IOTKG.Protocol:
            self.protocols.add(subject)

    def _subclass(self, subclass: Node, _: Node, cls: Node) -> None:
        self.subclasses.setdefault(cls, set()).add(subclass)

    def _concerns(self, subject: Node, _: Node, obj: Node) -> None:
        self.concerned.setdefault(subject, {})[obj] = None

    def _first(self, subject: Node, predicate: Node, obj: Node) -> None:
        self.first[predicate].setdefault(subject, obj)

    def value(self, node: Node, predicate: URIRef) -> Node | None:
        """The first value ``node`` states for ``predicate`` (one of ``_FIRST``), or None."""
        return self.first[predicate].get(node)

    def concerns(self, node: Node) -> list[Node]:
        """What ``node`` says it ``iotkg:concerns``, in IRI order."""
        return sorted(self.concerned.get(node, ()), key=str)

    def untargeted(self, shapes: Graph) -> list[Node]:
        """The shapes, conditional ones left out, that reach no node (as :func:`untargeted`, in order)."""
        return [
            s for s in targeted_shapes(shapes) if not is_conditional(shapes, s) and not self.reaches_a_node(shapes, s)
        ]

    def reaches_a_node(self, shapes: Graph, shape: Node) -> bool:
        """True if a target of ``shape`` selects at least one node (:func:`focus_nodes` is not empty)."""
        if any(self._subclasses_of(cls) & self.classes for cls in shapes.objects(shape, SH.targetClass)):
            return True
        properties = [*shapes.objects(shape, SH.targetSubjectsOf), *shapes.objects(shape, SH.targetObjectsOf)]
        if any(prop in self.predicates for prop in properties):
            return True
        return any(self._mentions(node) for node in shapes.objects(shape, SH.targetNode))

    def _subclasses_of(self, cls: Node) -> set[Node]:
        """``cls`` and its subclasses (asserted ``rdfs:subClassOf*``)."""
        found, pending = {cls}, [cls]
        while pending:
            for subclass in self.subclasses.get(pending.pop(), ()):
                if subclass not in found:
                    found.add(subclass)
                    pending.append(subclass)
        return found

    def _mentions(self, node: Node) -> bool:
        return any(node in (subject, obj) for subject, _, obj in self._statements)


@dataclass
class _Data:
    """The data to validate: its statements (iterated more than once), a graph with its prefixes bound, and how to
    make it an rdflib graph, for the engines that read one."""

    statements: Iterable[Triple]
    names: Graph
    graph: Callable[[], Graph]

    @classmethod
    def of_graph(cls, graph: Graph) -> _Data:
        return cls(_in_graph_order(graph), graph, lambda: graph)

    @classmethod
    def of_sources(cls, sources: Sources) -> _Data:
        """The asserted statements as loaded (``sources.asserted`` is made only if an engine asks for a graph)."""
        return cls([*sources.instance_triples, *sources.ontology], sources.prefixes_graph(), lambda: sources.asserted)


def _in_graph_order(graph: Graph) -> list[Triple]:
    """The graph's statements, the values of a node's property in the order ``Graph.value`` reads them (a graph's
    own iteration follows no order)."""
    return [(s, p, o) for s in set(graph.subjects()) for p, o in graph.predicate_objects(s)]


# ---------------------------------------------------------------- running pyshacl


@contextmanager
def _prepared_sparql() -> Iterator[None]:
    """Parse each SHACL-SPARQL query once per validation instead of once per focus node.

    pyshacl hands rdflib the same query text for every focus node (``$this`` goes in as an initial binding),
    and rdflib parses a query string on every call; parsing was most of the validation time. This keeps the
    translated query, as ``rdflib.plugins.sparql.prepareQuery`` would, and reuses it with each binding.
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    original = SPARQLProcessor.query
    prepared: dict[tuple[str, str | None, frozenset[tuple[str, Any]]], Any] = {}

    def query(
        self: Any,
        strOrQuery: Any,  # rdflib's parameter names
        initBindings: Any = None,
        initNs: Any = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Any:
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, frozenset((initNs or {}).items()))
            if key not in prepared:
                prepared[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]


ENGINES = ("fast", "pyshacl")
"""``fast``: pyshacl-turbo (Rust, pySHACL's API and report); ``pyshacl``: pySHACL itself, the reference. The tests
run every example through both and require the same report, result for result."""


def run_shacl(data: Graph, shapes: Graph, engine: str = "fast") -> tuple[bool, Graph]:
    """SHACL over ``data`` with no inference, SHACL-SPARQL enabled and warnings allowed.

    Neither engine modifies ``data`` (pySHACL runs ``inplace``: with no inference and no rules it adds nothing).
    The fast engine falls back to pySHACL where pyshacl-turbo is not installed (no wheel for the platform).
    """
    return _run_shacl(_Data.of_graph(data), shapes, engine)


def _run_shacl(data: _Data, shapes: Graph, engine: str) -> tuple[bool, Graph]:
    if engine not in ENGINES:
        raise InputError(f"unknown SHACL engine {engine!r}", hint=f"Use one of: {', '.join(ENGINES)}.")
    turbo = _turbo() if engine == "fast" else None
    if turbo is not None:
        errors: tuple[type[Exception], ...] = (turbo.ReportableRuntimeError, turbo.ValidationFailure)
    else:  # pySHACL (and rdflib's SPARQL parser) only imported when used: a third of a second less to start
        from pyshacl import validate as shacl_validate
        from pyshacl.errors import ReportableRuntimeError, ValidationFailure

        errors = (ReportableRuntimeError, ValidationFailure)
    try:
        if turbo is not None:
            compiled = turbo.compile_shapes(shared_targets(shapes), advanced=True)  # 10-30 ms: not worth a cache
            conforms, report, _ = compiled.validate(_turbo_input(data), inference="none", allow_warnings=True)
        else:
            with _prepared_sparql():
                conforms, report, _ = shacl_validate(
                    data.graph(), shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, inplace=True
                )
    except errors as error:
        raise InputError(
            f"SHACL validation could not run: {error}", hint="Check ontology/shapes.ttl and the data it reads."
        ) from None
    if isinstance(report, errors):
        raise InputError(
            f"SHACL validation could not run: {report}", hint="Check ontology/shapes.ttl and the data it reads."
        )
    return bool(conforms), report


def shared_targets(shapes: Graph) -> Graph:
    """The same checks, with each target selected once: every property shape whose only target is one
    ``sh:targetClass``, ``sh:targetSubjectsOf`` or ``sh:targetObjectsOf`` loses it to one node shape (a blank node)
    per target, which lists it under ``sh:property``.

    SHACL gives the same results either way (a property shape reached through ``sh:property`` validates the node
    shape's focus nodes, and reports itself as ``sh:sourceShape``); pyshacl-turbo selects a target's nodes once per
    shape that declares it, and 78 property shapes of ``ontology/shapes.ttl`` share 22 targets. A copy: ``shapes``
    is left as it is."""
    grouped = Graph(bind_namespaces="none")
    for prefix, namespace in shapes.namespaces():
        grouped.bind(prefix, namespace)
    grouped += shapes
    holders: dict[tuple[Node, Node], BNode] = {}
    for shape in sorted(set(shapes.subjects(RDF.type, SH.PropertyShape)), key=str):
        targets = [(kind, value) for kind in _TARGETS for value in shapes.objects(shape, kind)]
        if len(targets) != 1 or targets[0][0] == SH.targetNode:
            continue
        kind, value = targets[0]
        if targets[0] not in holders:
            holder = holders[targets[0]] = BNode()
            grouped.add((holder, RDF.type, SH.NodeShape))
            grouped.add((holder, kind, value))
        grouped.add((holders[targets[0]], SH.property, shape))
        grouped.remove((shape, kind, value))
    return grouped


def _turbo_input(data: _Data) -> Any:
    """The statements in pyshacl-turbo's own transfer form: a table of terms, and each statement as three rows of
    it (what pyshacl-turbo makes of an rdflib graph, read straight from the statements).

    Each term object gets its row once, found by identity: rdflib terms hash and compare in Python, so looking
    them up by value was most of the transfer. A term met again as another object gets a second, equal row,
    which the engine merges."""
    from pyshacl_turbo.rdf import Input  # the dataclass pyshacl-turbo reads an rdflib graph into (version pinned)

    rows: list[tuple[int, str, str | None, str | None]] = []
    row_of: dict[int, int] = {}
    kept: list[Node] = []  # each term stays alive, so no other term can take its id
    blank_nodes: dict[str, BNode] = {}

    def row(term: Node) -> int:
        found = row_of.get(id(term))
        if found is None:
            found = row_of[id(term)] = len(rows)
            rows.append(_term_row(term, blank_nodes))
            kept.append(term)
        return found

    quads = [(row(s), row(p), row(o), None) for s, p, o in data.statements]
    return Input((rows, quads), "terms", None, blank_nodes, dict(data.names.namespaces()))


def _term_row(term: Node, blank_nodes: dict[str, BNode]) -> tuple[int, str, str | None, str | None]:
    """One term as pyshacl-turbo encodes it: kind (IRI, blank node, literal), text, datatype, language."""
    if isinstance(term, URIRef):
        return (0, str(term), None, None)
    if isinstance(term, BNode):
        blank_nodes[str(term)] = term
        return (1, str(term), None, None)
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype and not term.language else None
        return (2, str(term), datatype, term.language)
    raise TypeError(f"not an RDF term: {term!r}")


def _turbo() -> Any:
    try:
        import pyshacl_turbo
    except ImportError:
        return None
    return pyshacl_turbo


# ---------------------------------------------------------------- naming things for people


def _name(graph: Graph, node: Node | None) -> str:
    """A prefixed name where a prefix is bound, else the IRI or the literal's text."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    return str(node)


def _list(graph: Graph, node: Node) -> list[Node]:
    return list(Collection(graph, node))


def path_text(graph: Graph, path: Node | None) -> str:
    """A SHACL path as a SPARQL property path (``^iotkg:ofProtocol/rdf:type``)."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _name(graph, path)
    if (path, RDF.first, None) in graph:
        return "/".join(_grouped(graph, p) for p in _list(graph, path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _grouped(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, p) for p in _list(graph, alternatives)) + ")"
    for predicate, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return _grouped(graph, inner) + mark
    return str(path)


def _grouped(graph: Graph, path: Node) -> str:
    text = path_text(graph, path)
    return text if isinstance(path, URIRef) or text.startswith("(") else f"({text})"


def _protocol_of(data: _Index, focus: Node, seen: frozenset[Node] = frozenset()) -> Node | None:
    """The protocol entry a node belongs to: itself, its ``iotkg:ofProtocol``, or that of what it concerns."""
    if focus in data.protocols:
        return focus
    protocol = data.value(focus, IOTKG.ofProtocol)
    if protocol is not None:
        return protocol
    for concerned in data.concerns(focus):
        if concerned not in seen:
            found = _protocol_of(data, concerned, seen | {focus})
            if found is not None:
                return found
    return None


def _protocol_label(data: _Index, protocol: Node | None, names: Graph) -> str:
    if protocol is None:
        return ""
    for predicate in (IOTKG.shortName, RDFS.label):
        label = data.value(protocol, predicate)
        if label is not None:
            return str(label)
    return _name(names, protocol)


_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


class _Lines:
    """Finds the line of a file where a node's description starts, reading each file once."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}

    def _read(self, path: str) -> tuple[list[str], list[tuple[str, str]]]:
        if path not in self._files:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            prefixes = [(m.group(1) or "", m.group(2)) for m in _PREFIX.finditer(text)]
            self._files[path] = (text.splitlines(), prefixes)
        return self._files[path]

    def line_of(self, path: str, node: Node) -> int:
        """The first line of ``path`` that starts with ``node`` (as a subject), or 0."""
        if not isinstance(node, URIRef) or not path:
            return 0
        lines, prefixes = self._read(path)
        tokens = [f"<{node}>"] + [f"{p}:{node[len(ns) :]}" for p, ns in prefixes if ns and node.startswith(ns)]
        pattern = re.compile(r"^\s*(?:" + "|".join(re.escape(t) for t in tokens) + r")(?=[\s;,.]|$)")
        return next((number for number, line in enumerate(lines, 1) if pattern.match(line)), 0)


def line_of(path: str, node: Node) -> int:
    """The first line of the Turtle file ``path`` that starts a description of ``node``, or 0."""
    return _Lines().line_of(path, node)


# ---------------------------------------------------------------- validate


def validate(sources: Sources, shapes: Graph | None = None, engine: str = "fast") -> Validation:
    """Validate ontology + instances against the shapes, on asserted data only (``engine``: one of ``ENGINES``).

    The fast engine reads the loaded statements as they are: no rdflib graph of them is made."""
    return _validate(_Data.of_sources(sources), sources.subject_files, shapes, engine)


def validate_files(files: list[Path], shapes: Graph | None = None, engine: str = "fast") -> Validation:
    """Validate the ontology with ``files`` alone (no instances folder): e.g. one self-contained example."""
    data = parse_turtle(paths.ontology_dir() / ONTOLOGY_FILE)
    subject_files: dict[URIRef, Path] = {}
    for path in files:
        graph = parse_turtle(path)
        for prefix, namespace in graph.namespaces():
            data.bind(prefix, namespace, override=False)
        for subject in graph.subjects():
            if isinstance(subject, URIRef):
                subject_files.setdefault(subject, path)
        data += graph
    return validate_graph(data, subject_files, shapes, engine)


def validate_graph(
    data: Graph,
    subject_files: Mapping[URIRef, Path] | None = None,
    shapes: Graph | None = None,
    engine: str = "fast",
) -> Validation:
    """Validate an already merged graph (ontology + instances); ``subject_files`` says where each node is written."""
    return _validate(_Data.of_graph(data), subject_files or {}, shapes, engine)


def _validate(data: _Data, subject_files: Mapping[URIRef, Path], shapes: Graph | None, engine: str) -> Validation:
    shapes = shapes if shapes is not None else shapes_graph()
    names = _naming(data.names, shapes)
    _, report = _run_shacl(data, shapes, engine)
    index = _Index(data.statements)
    lines = _Lines()
    results = report.subjects(RDF.type, SH.ValidationResult)
    findings = sorted(
        (_finding(report, result, index, subject_files, names, shapes, lines) for result in results), key=_sort_key
    )
    empty = index.untargeted(shapes)
    has_violation = any(f.severity == "Violation" for f in findings)
    return Validation(
        conforms=not has_violation and not empty,
        findings=findings,
        report=report,
        untargeted_shapes=sorted(_name(shapes, s) for s in empty),
        untargeted_reasons={_name(shapes, s): _target_text(shapes, s) for s in empty},
        protocols=len(index.protocols),
        shapes=len(targeted_shapes(shapes)),
        namespaces={prefix: str(ns) for prefix, ns in names.namespaces()},
    )


def _finding(
    report: Graph,
    result: Node,
    data: _Index,
    subject_files: Mapping[URIRef, Path],
    names: Graph,
    shapes: Graph,
    lines: _Lines,
) -> Finding:
    """One result of the report as a finding: named for people, with its protocol entry, file and line."""
    focus = report.value(result, SH.focusNode)
    protocol = _protocol_of(data, focus) if focus is not None else None
    where = subject_files.get(focus) if isinstance(focus, URIRef) else None
    if where is None and isinstance(protocol, URIRef):
        where = subject_files.get(protocol)
    file = str(where) if where else ""
    return Finding(
        severity=_name(report, report.value(result, SH.resultSeverity)).split(":")[-1].split("#")[-1],
        focus=_name(names, focus),
        path=path_text(report, report.value(result, SH.resultPath)),
        shape=_name(shapes, report.value(result, SH.sourceShape)),
        message=str(report.value(result, SH.resultMessage) or ""),
        protocol=_protocol_label(data, protocol, names),
        file=file,
        line=lines.line_of(file, focus) if focus is not None else 0,
        value=_name(names, report.value(result, SH.value)),
        component=_name(shapes, report.value(result, SH.sourceConstraintComponent)),
        entry=_name(names, protocol),
        node=result,
    )


def _naming(data: Graph, shapes: Graph) -> Graph:
    """An empty graph that names nodes with the data's prefixes and then the shapes' (the data is left as it is:
    the loaded graph is shared with reasoning)."""
    names = Graph(bind_namespaces="none")
    for prefix, namespace in data.namespaces():
        names.bind(prefix, namespace, override=True, replace=True)
    for prefix, namespace in shapes.namespaces():
        names.bind(prefix, namespace, override=False)
    return names


def _sort_key(f: Finding) -> tuple[Any, ...]:
    return (
        f.protocol == "",
        f.protocol,
        f.file,
        _SEVERITY_ORDER.get(f.severity, 9),
        f.line,
        f.focus,
        f.shape,
        f.path,
        f.value,
        f.component,
        f.message,
    )


# ---------------------------------------------------------------- output


def _relative(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def plain_line(f: Finding) -> str:
    """One finding as a sentence: who, where, what is missing, what to add, which shape."""
    group = f.protocol or f.focus
    where = _relative(f.file) + (f":{f.line}" if f.line else "") if f.file else ""
    subject = "" if f.focus in (group, f.entry) else f"{f.focus}: "
    severity = "" if f.severity == "Violation" else f"{f.severity.lower()}: "
    value = f"value {f.value}; " if f.value and f.value != f.focus else ""
    location = f" ({where})" if where else ""
    return f"{group}{location}: {severity}{subject}{f.message} ({value}shape {f.shape})"


def format_plain(validation: Validation) -> str:
    """Plain language, one line per finding, grouped by protocol entry; then errors and the verdict."""
    # one line per distinct sentence: a value that fails two constraints of one shape is reported once
    lines = list(dict.fromkeys(plain_line(f) for f in validation.findings))
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


def _result_nodes(validation: Validation) -> list[tuple[Finding | None, str]]:
    """The findings in order, then one entry per shape that targets no node."""
    rows: list[tuple[Finding | None, str]] = [(f, "") for f in validation.findings]
    rows += [(None, shape) for shape in validation.untargeted_shapes]
    return rows


def _no_target_message(shape: str) -> str:
    return f"shape {shape} targets no node of the data, so it checked nothing"


def report_graph(validation: Validation) -> Graph:
    """The W3C SHACL validation report, with blank nodes named in the findings' order (deterministic)."""
    source = validation.report
    graph = Graph()
    graph.bind("sh", SH)
    for prefix, namespace in sorted(validation.namespaces.items()):
        graph.bind(prefix, namespace, override=False)
    report = BNode("report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(validation.conforms)))
    for number, (finding, shape) in enumerate(_result_nodes(validation), 1):
        result = BNode(f"result{number:04d}")
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        if finding is None:
            shape_iri = graph.namespace_manager.expand_curie(shape) if ":" in shape else URIRef(shape)
            graph.add((result, SH.focusNode, shape_iri))
            graph.add((result, SH.sourceShape, shape_iri))
            graph.add((result, SH.resultSeverity, SH.Violation))
            graph.add((result, SH.sourceConstraintComponent, TARGETS_NO_NODE))
            graph.add((result, SH.resultMessage, Literal(_no_target_message(shape))))
            continue
        counter = iter(range(1, 1000))
        for predicate in (
            SH.focusNode,
            SH.resultPath,
            SH.resultSeverity,
            SH.sourceShape,
            SH.sourceConstraintComponent,
            SH.value,
            SH.resultMessage,
        ):
            for obj in source.objects(finding.node, predicate):
                graph.add((result, predicate, _copy(source, graph, obj, f"result{number:04d}-", counter)))
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
    """A node of the report as JSON-LD (prefixed IRIs; paths as nested objects and lists)."""
    if isinstance(node, Literal):
        if node.datatype is None and node.language is None:
            return str(node)
        if node.language:
            return {"@value": str(node), "@language": node.language}
        return {"@value": str(node), "@type": _name(graph, node.datatype)}
    if isinstance(node, URIRef):
        return {"@id": _name(graph, node)}
    if (node, RDF.first, None) in graph:
        return {"@list": [_json_node(graph, item) for item in _list(graph, node)]}
    return {_name(graph, p): _json_node(graph, o) for p, o in sorted(graph.predicate_objects(node), key=str)}


def format_json(validation: Validation) -> str:
    """The validation report as JSON-LD (``sh:`` terms via the context) with iotkg's where-to-edit fields."""
    graph = report_graph(validation)
    context: dict[str, Any] = {prefix: ns for prefix, ns in sorted(validation.namespaces.items()) if prefix}
    context["sh"] = str(SH)
    context.update(
        {
            "conforms": "sh:conforms",
            "results": {"@id": "sh:result", "@container": "@set"},
            "focusNode": {"@id": "sh:focusNode", "@type": "@id"},
            "resultPath": {"@id": "sh:resultPath"},
            "resultSeverity": {"@id": "sh:resultSeverity", "@type": "@id"},
            "sourceShape": {"@id": "sh:sourceShape", "@type": "@id"},
            "sourceConstraintComponent": {"@id": "sh:sourceConstraintComponent", "@type": "@id"},
            "value": {"@id": "sh:value"},
            "resultMessage": {"@id": "sh:resultMessage"},
        }
    )
    results = []
    for number, (finding, _) in enumerate(_result_nodes(validation), 1):
        node = BNode(f"result{number:04d}")
        entry: dict[str, Any] = {"@type": "sh:ValidationResult"}
        for key, predicate in (
            ("focusNode", SH.focusNode),
            ("resultPath", SH.resultPath),
            ("resultSeverity", SH.resultSeverity),
            ("sourceShape", SH.sourceShape),
            ("sourceConstraintComponent", SH.sourceConstraintComponent),
            ("value", SH.value),
            ("resultMessage", SH.resultMessage),
        ):
            obj = graph.value(node, predicate)
            if obj is None:
                continue
            if key in ("focusNode", "resultSeverity", "sourceShape", "sourceConstraintComponent"):
                entry[key] = _name(graph, obj)
            else:
                entry[key] = _json_node(graph, obj)
        if finding is not None:
            # not mapped in the context: plain JSON for tools, ignored by JSON-LD processors
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
        return report_graph(validation).serialize(format="turtle")
    if fmt == "json":
        return format_json(validation)
    raise InputError(f"unknown format {fmt!r}", hint="Use plain, turtle or json.")


__all__ = [
    "Finding",
    "Validation",
    "focus_nodes",
    "format_json",
    "format_plain",
    "format_report",
    "is_conditional",
    "line_of",
    "path_text",
    "plain_line",
    "report_graph",
    "run_shacl",
    "shapes_graph",
    "targeted_shapes",
    "untargeted",
    "validate",
    "validate_files",
    "validate_graph",
]
