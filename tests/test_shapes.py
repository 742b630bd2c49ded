"""The shapes themselves: SHACL-for-SHACL, readable names and messages, and each one proven by examples.

``tests/examples/base_PASS.ttl`` is a complete minimal entry that every shape targets and passes; each
``*_XFAIL.ttl`` is validated with it and must give exactly the results committed in ``*_XFAIL_validation.ttl``
(focus node, path, source shape, severity, constraint component, value, message). Regenerate the reports with
``tests/examples/make_reports.py`` and review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from pyshacl.entrypoints import meta_validate
from rdflib import RDF, SH, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from iotkg import paths
from iotkg.errors import InputError
from iotkg.pipeline.load import parse_turtle
from iotkg.pipeline.report import format_report, path_text
from iotkg.pipeline.validate import (
    ENGINES,
    focus_nodes,
    is_conditional,
    shapes_graph,
    targeted_shapes,
    validate_files,
)

EXAMPLES = Path(__file__).resolve().parent / "examples"
BASE = EXAMPLES / "base_PASS.ttl"
XFAILS = sorted(EXAMPLES.glob("*_XFAIL.ttl"))
PASSES = sorted(p for p in EXAMPLES.glob("*_PASS.ttl") if p != BASE)
SHAPES = Namespace("https://w3id.org/iotkg/shapes#")

WARNING_SHAPES = {
    "Protocol-altLabel",
    "Protocol-classification",
    "Fact-sourceSection",
    "Specification-url",
    "Specification-publisher",
}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def named_shapes(shapes: Graph) -> list[URIRef]:
    """Every shape declared with a name in the shapes namespace."""
    found = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        found |= {s for s in shapes.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return sorted(found)


def local(node: Node) -> str:
    return str(node).removeprefix(str(SHAPES))


def result_rows(report: Graph) -> list[tuple[str, ...]]:
    """The results of a report as comparable rows, sorted."""
    rows = []
    for result in report.subjects(RDF.type, SH.ValidationResult):

        def value(predicate: URIRef, result: Node = result) -> str:
            node = report.value(result, predicate)
            return "" if node is None else node.n3()

        rows.append(
            (
                value(SH.focusNode),
                path_text(report, report.value(result, SH.resultPath)),
                value(SH.sourceShape),
                value(SH.resultSeverity),
                value(SH.sourceConstraintComponent),
                value(SH.value),
                value(SH.resultMessage),
            )
        )
    return sorted(rows)


# ---------------------------------------------------------------- the shapes graph


@pytest.mark.slow
def test_shapes_pass_shacl_for_shacl(shapes: Graph) -> None:
    conforms, _, text = meta_validate(shapes)
    assert conforms, text


@pytest.mark.slow
def test_shacl_for_shacl_would_catch_a_malformed_shape(shapes: Graph) -> None:
    broken = Graph() + shapes
    broken.add((SHAPES["Protocol-label"], SH.minCount, Literal("one")))
    conforms, _, _ = meta_validate(broken)
    assert not conforms


def test_there_are_shapes_for_every_node_kind(shapes: Graph) -> None:
    names = {local(s).split("-")[0] for s in named_shapes(shapes)}
    kinds = {"Protocol", "Role", "TermUse", "Belief", "Classification", "Process", "Part", "Definition"}
    assert kinds | {"Inconsistency", "Fact", "Section", "Position", "Specification"} <= names
    assert len(named_shapes(shapes)) == len(targeted_shapes(shapes)), "every named shape has its own target"


def test_every_shape_is_named_readably_and_says_what_to_add(shapes: Graph) -> None:
    for shape in named_shapes(shapes):
        assert re.fullmatch(r"[A-Z][A-Za-z]*-[a-z][A-Za-z]*", local(shape)), shape
        messages = list(shapes.objects(shape, SH.message))
        assert len(messages) == 1, shape
        missing, _, fix = str(messages[0]).partition(" — ")
        assert missing and fix, f"{shape}: say what is missing, then — what to add"
        assert re.match(r"(add|write|point|keep|give|state)\b", fix), f"{shape}: {fix}"
        assert re.search(r"\b(iotkg|rdfs|dcterms|skos):[A-Za-z]", fix), f"{shape}: name the property to add"


def test_severities_violation_unless_an_optional_nicety(shapes: Graph) -> None:
    warnings = {local(s) for s in named_shapes(shapes) if shapes.value(s, SH.severity) == SH.Warning}
    assert warnings == WARNING_SHAPES
    for shape in named_shapes(shapes):
        assert shapes.value(shape, SH.severity) in (None, SH.Warning), shape


def test_only_shapes_on_an_optional_property_may_target_nothing(shapes: Graph) -> None:
    conditional = [s for s in named_shapes(shapes) if is_conditional(shapes, s)]
    assert conditional, "the exemption is used"
    for shape in conditional:
        assert list(shapes.objects(shape, SH.targetSubjectsOf)), shape
        assert not list(shapes.objects(shape, SH.targetClass)), shape


@pytest.mark.parametrize("engine", ENGINES)
def test_a_malformed_shape_is_an_input_error_on_every_engine(engine: str, shapes: Graph) -> None:
    broken = Graph() + shapes
    broken.remove((SHAPES["Protocol-label"], SH.minCount, None))
    broken.add((SHAPES["Protocol-label"], SH.minCount, Literal("one")))
    with pytest.raises(InputError, match=r"SHACL validation could not run: .*minCount"):
        validate_files([BASE], broken, engine)


# ---------------------------------------------------------------- passing examples


def test_base_example_conforms_and_every_shape_checks_one_of_its_nodes(shapes: Graph) -> None:
    validation = validate_files([BASE], shapes)
    assert validation.findings == []
    assert validation.untargeted_shapes == []
    assert validation.conforms
    own = set(parse_turtle(BASE).subjects())
    data = parse_turtle(paths.ontology_dir() / "iotkg.ttl") + parse_turtle(BASE)
    for shape in named_shapes(shapes):
        assert set(focus_nodes(shapes, data, shape)) & own, f"{local(shape)} has no passing example in base_PASS.ttl"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", PASSES, ids=lambda p: p.name)
def test_passing_example_conforms(example: Path, engine: str, shapes: Graph) -> None:
    validation = validate_files([BASE, example], shapes, engine)
    assert validation.findings == []
    assert validation.conforms
    assert len(set(parse_turtle(example).subjects())) > 0


# ---------------------------------------------------------------- failing examples


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", XFAILS, ids=lambda p: p.name)
def test_failing_example_gives_exactly_the_committed_report(example: Path, engine: str, shapes: Graph) -> None:
    """Both engines (pyshacl-turbo, the default, and pySHACL, the reference) give the committed report."""
    expected_file = example.with_name(example.stem + "_validation.ttl")
    assert expected_file.is_file(), "run tests/examples/make_reports.py and review the report"
    validation = validate_files([BASE, example], shapes, engine)
    assert not validation.conforms
    actual = Graph().parse(data=format_report(validation, "turtle"), format="turtle")
    expected = Graph().parse(expected_file, format="turtle")
    assert result_rows(actual) == result_rows(expected)
    assert (None, SH.conforms, Literal(False)) in expected
    # every result concerns a node of the example, or the base protocol a cross-node check starts from
    own = {n.n3() for n in parse_turtle(example).subjects()} | {
        URIRef("https://w3id.org/iotkg/id/example/protocol").n3()
    }
    assert {row[0] for row in result_rows(actual)} <= own


def test_every_shape_has_a_failing_example(shapes: Graph) -> None:
    caught = set()
    for example in XFAILS:
        report = Graph().parse(example.with_name(example.stem + "_validation.ttl"), format="turtle")
        caught |= set(report.objects(None, SH.sourceShape))
    assert set(named_shapes(shapes)) - caught == set()
    assert caught <= set(named_shapes(shapes)), "results come from named shapes, so messages are the shapes'"


# ---------------------------------------------------------------- inference


def test_a_range_axiom_would_hide_the_missing_protocol_so_validation_uses_none(shapes: Graph) -> None:
    """ex:role-of-ghost points at an undeclared protocol: RDFS (range of iotkg:ofProtocol) would "prove" it is one."""
    ghost = URIRef("https://w3id.org/iotkg/id/example/role-of-ghost")
    validation = validate_files([BASE, EXAMPLES / "role_XFAIL.ttl"], shapes)
    assert any(f.focus == "ex:role-of-ghost" and f.shape == "shapes:Role-protocol" for f in validation.findings)

    data = (
        parse_turtle(paths.ontology_dir() / "iotkg.ttl")
        + parse_turtle(BASE)
        + parse_turtle(EXAMPLES / "role_XFAIL.ttl")
    )
    _, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="rdfs", advanced=True, allow_warnings=True)
    with_rdfs = {
        (report.value(r, SH.focusNode), report.value(r, SH.sourceShape))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    assert (ghost, SHAPES["Role-protocol"]) not in with_rdfs
