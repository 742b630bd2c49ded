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
from rdflib import OWL, RDF, SH, Graph, Literal, Namespace, URIRef
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

LATER_EDITION_CLASSES = {"Mention", "ProtocolMention", "RoleMention", "Consequence"}
"""The classes only a later edition has: their shapes are conditional (a graph of -02 alone has none of them)."""
ENTRY_NODES = {"https://w3id.org/iotkg/id/example/protocol", "https://w3id.org/iotkg/id/example/07/entry"}
"""The base entries (-02's protocol, -07's mention of it) that cross-node checks start from."""
IOTKG_NS = "https://w3id.org/iotkg/ontology#"

REFERENCE = "pyshacl"
"""The reference engine (pySHACL): its twin of a case the fast engine checks in the edit loop runs in the full
suite only (``-m slow``), except for the few cases kept here so that the edit loop still runs it."""
REFERENCE_IN_THE_EDIT_LOOP = {"edition_XFAIL.ttl"}


def engine_cases(examples: list[Path]) -> list:
    """(example, engine) for every example and engine, each id ``<example>-<engine>``: the reference engine's twin
    is slow unless the example is one of ``REFERENCE_IN_THE_EDIT_LOOP``."""
    return [
        pytest.param(
            example,
            engine,
            id=f"{example.name}-{engine}",
            marks=[pytest.mark.slow] if engine == REFERENCE and example.name not in REFERENCE_IN_THE_EDIT_LOOP else [],
        )
        for example in examples
        for engine in ENGINES
    ]


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
    editions = {
        "Edition",
        "Mention",
        "ProtocolMention",
        "RoleMention",
        "Membership",
        "Group",
        "Grouping",
        "Consequence",
    }
    assert editions <= names
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
    ontology = parse_turtle(paths.ontology_dir() / "iotkg.ttl")
    for shape in conditional:
        classes = list(shapes.objects(shape, SH.targetClass))
        if classes:  # a class only a later edition has, and one the ontology defines (no typo targets nothing)
            assert {str(c).removeprefix(IOTKG_NS) for c in classes} <= LATER_EDITION_CLASSES, shape
            assert all((c, RDF.type, OWL.Class) in ontology for c in classes), shape
            assert not list(shapes.objects(shape, SH.targetSubjectsOf)), shape
        else:
            assert list(shapes.objects(shape, SH.targetSubjectsOf)), shape


def test_every_shape_of_a_later_edition_class_is_conditional(shapes: Graph) -> None:
    """The other way round: a graph of -02 alone (no mention, no consequence) is complete."""
    for shape in named_shapes(shapes):
        classes = {str(c).removeprefix(IOTKG_NS) for c in shapes.objects(shape, SH.targetClass)}
        if classes and classes <= LATER_EDITION_CLASSES:
            assert is_conditional(shapes, shape), shape


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


@pytest.mark.parametrize(("example", "engine"), engine_cases(PASSES))
def test_passing_example_conforms(example: Path, engine: str, shapes: Graph) -> None:
    validation = validate_files([BASE, example], shapes, engine)
    assert validation.findings == []
    assert validation.conforms
    assert len(set(parse_turtle(example).subjects())) > 0


# ---------------------------------------------------------------- failing examples


@pytest.mark.parametrize(("example", "engine"), engine_cases(XFAILS))
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
    own = {n.n3() for n in parse_turtle(example).subjects()} | {URIRef(n).n3() for n in ENTRY_NODES}
    assert {row[0] for row in result_rows(actual)} <= own


def test_every_shape_has_a_failing_example(shapes: Graph) -> None:
    caught = set()
    for example in XFAILS:
        report = Graph().parse(example.with_name(example.stem + "_validation.ttl"), format="turtle")
        caught |= set(report.objects(None, SH.sourceShape))
    assert set(named_shapes(shapes)) - caught == set()
    assert caught <= set(named_shapes(shapes)), "results come from named shapes, so messages are the shapes'"


# ---------------------------------------------------------------- inference


@pytest.mark.slow  # pySHACL with RDFS inference: the full suite only
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


# ------------------------------------------------------------ editions: each new or changed shape, on data written here

PREFIXES = """\
@prefix iotkg: <https://w3id.org/iotkg/ontology#> .
@prefix ed: <https://w3id.org/iotkg/id/draft/> .
@prefix ex: <https://w3id.org/iotkg/id/example/> .
@prefix ex07: <https://w3id.org/iotkg/id/example/07/> .
@prefix cls: <https://w3id.org/iotkg/id/classification/> .
@prefix term: <https://w3id.org/iotkg/id/term/> .
@prefix bc: <https://w3id.org/iotkg/id/belief-category/> .
@prefix cat: <https://w3id.org/iotkg/id/category/> .
@prefix spec: <https://w3id.org/iotkg/id/spec/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""
MENTION_09 = """ed:09 a iotkg:Edition ; iotkg:modelled true .
ex07:e9 a iotkg:ProtocolMention ; iotkg:mentions ex:protocol ; dcterms:title "T" ; iotkg:shortName "E9" ;
    iotkg:standsOn spec:example ; iotkg:edition ed:09 ; iotkg:draftSection "2.1" ."""

# (shape, Turtle added to base_PASS.ttl, focus, words the message must contain)
EDITION_CASES = [
    ("Protocol-title", "ex07:m a iotkg:ProtocolMention ; iotkg:mentions ex:protocol .", "ex07:m", "add dcterms:title"),
    (
        "Protocol-shortName",
        "ex07:m a iotkg:ProtocolMention ; iotkg:mentions ex:protocol .",
        "ex07:m",
        "add one iotkg:shortName",
    ),
    ("Protocol-spec", "ex07:m a iotkg:ProtocolMention ; iotkg:mentions ex:protocol .", "ex07:m", "add iotkg:standsOn"),
    (
        "Protocol-section",
        'ex07:m a iotkg:ProtocolMention ; iotkg:draftSection "3.3" .',
        "ex07:m",
        'write iotkg:draftSection "2.N"',
    ),
    ("Protocol-term", MENTION_09, "ex07:e9", "add an iotkg:TermUse"),
    ("Protocol-player", MENTION_09, "ex07:e9", "an iotkg:RoleMention"),
    ("Protocol-initialBelief", MENTION_09, "ex07:e9", "add an iotkg:InitialBelief"),
    ("Protocol-process", MENTION_09, "ex07:e9", "add an iotkg:Process"),
    ("Protocol-impartedBelief", MENTION_09, "ex07:e9", "add an iotkg:ImpartedBelief"),
    ("Protocol-classification", MENTION_09, "ex07:e9", "add an iotkg:InitialTrustClassification"),
    (
        "Protocol-shortNameUnique",
        'ex07:m a iotkg:ProtocolMention ; iotkg:shortName "EOP" ; iotkg:edition ed:07 .',
        "ex07:m",
        "same short name",
    ),
    (
        "ProtocolMention-unique",
        "ex07:m a iotkg:ProtocolMention ; iotkg:mentions ex:protocol ; iotkg:edition ed:07 .",
        "ex07:m",
        "another entry",
    ),
    (
        "ProtocolMention-protocol",
        "ex07:m a iotkg:ProtocolMention ; iotkg:mentions ex:role-device .",
        "ex07:m",
        "point iotkg:mentions at the X:protocol",
    ),
    (
        "Protocol-entryPerEdition",
        "ed:09 a iotkg:Edition ; iotkg:modelled true .\n"
        "ex07:t a iotkg:TermUse ; iotkg:ofProtocol ex:protocol ; iotkg:edition ed:09 .",
        "ex:protocol",
        "add that edition's entry",
    ),
    (
        "Definition-entrySection",
        "ex07:d a iotkg:TermDefinition ; iotkg:ofProtocol ex:protocol ; "
        'iotkg:edition ed:07 ; iotkg:draftSection "3.1" .',
        "ex07:d",
        "not in its protocol's Section 2 entry",
    ),
    (
        "Definition-section",
        'ex:d a iotkg:TermDefinition ; iotkg:ofProtocol ex:protocol ; iotkg:edition ed:02 ; iotkg:draftSection "2.1" .',
        "ex:d",
        'add iotkg:draftSection "3.1"',
    ),
    ("Role-category", "ex:r a iotkg:Role ; iotkg:edition ed:02 .", "ex:r", "add iotkg:matchesListing"),
    ("Process-kindStated", "ex:p a iotkg:Process ; iotkg:edition ed:02 .", "ex:p", "add iotkg:hasProcessKind"),
    (
        "Process-kind",
        "ex:p a iotkg:Process ; iotkg:hasProcessKind ex:role-device .",
        "ex:p",
        "point iotkg:hasProcessKind",
    ),
    (
        "Classification-section",
        'ex:c a iotkg:InitialTrustClassification ; iotkg:edition ed:02 ; iotkg:draftSection "3.3" .',
        "ex:c",
        'write iotkg:draftSection "3.3.1"',
    ),
    (
        "Classification-sectionMatchesCategory",
        'ex07:c a iotkg:GroupMembership ; iotkg:inGroup bc:blank-slate ; iotkg:draftSection "3.4" .',
        "ex07:c",
        "not its group's section",
    ),
    ("Classification-protocol", "ex07:c a iotkg:GroupMembership .", "ex07:c", "add iotkg:ofProtocol"),
    ("Classification-statement", "ex07:c a iotkg:GroupMembership .", "ex07:c", "add iotkg:statement"),
    (
        "Classification-category",
        "ex07:c a iotkg:InitialTrustClassification ; iotkg:beliefCategory cls:07-initial-beliefs .",
        "ex07:c",
        "add one iotkg:beliefCategory",
    ),
    ("Membership-group", "ex07:c a iotkg:GroupMembership .", "ex07:c", "add one iotkg:inGroup"),
    ("Grouping-label", "cls:x a iotkg:Classification .", "cls:x", "add rdfs:label"),
    ("Grouping-label", "cls:g a iotkg:ComparisonGroup .", "cls:g", "add rdfs:label"),
    (
        "Group-classificationStated",
        "cls:g a iotkg:ComparisonGroup ; iotkg:edition ed:07 .",
        "cls:g",
        "add iotkg:inClassification",
    ),
    (
        "Group-classification",
        "cls:g a iotkg:ComparisonGroup ; iotkg:inClassification bc:blank-slate .",
        "cls:g",
        "keep one iotkg:inClassification",
    ),
    (
        "Classification-replaces",
        "cls:x a iotkg:Classification ; iotkg:replaces bc:blank-slate .",
        "cls:x",
        "point iotkg:replaces",
    ),
    ("Consequence-label", "ex07:q a iotkg:Consequence .", "ex07:q", "add rdfs:label"),
    ("Consequence-statement", "ex07:q a iotkg:Consequence .", "ex07:q", "add iotkg:statement"),
    (
        "Consequence-protocol",
        "ex07:q a iotkg:Consequence ; iotkg:concerns ex:role-device .",
        "ex07:q",
        "point iotkg:concerns",
    ),
    (
        "Role-categoryOrNone",
        "ex:role-configurator iotkg:matchesListing cat:joining-device-2 .",
        "ex:role-configurator",
        "not both",
    ),
    (
        "Role-categoryOrNone",
        "ex:r a iotkg:Role ; iotkg:noCategoryInDraft true ; iotkg:matchesListing cat:joining-device-2 .",
        "ex:r",
        "not both",
    ),
    ("Mention-mentions", "ex07:n a iotkg:Mention .", "ex07:n", "add one iotkg:mentions"),
    ("Mention-edition", "ex07:n a iotkg:Mention .", "ex07:n", "add iotkg:edition"),
    (
        "Mention-term",
        "ex07:n a iotkg:Mention ; iotkg:mentions ex:protocol .",
        "ex07:n",
        "point iotkg:mentions at a term: concept",
    ),
    (
        "RoleMention-role",
        "ex07:n a iotkg:RoleMention ; iotkg:mentions ex:protocol .",
        "ex07:n",
        "point iotkg:mentions at the X:role-",
    ),
    ("RoleMention-name", "ex07:n a iotkg:RoleMention .", "ex07:n", "add iotkg:nameAsWritten"),
    ("RoleMention-description", "ex07:n a iotkg:RoleMention .", "ex07:n", "add iotkg:description"),
    ("Edition-one", "ex:l a iotkg:CategoryListing ; iotkg:edition ed:02, ed:07 .", "ex:l", "keep one iotkg:edition"),
    (
        "Edition-modelled",
        "ed:06 a iotkg:Edition ; iotkg:modelled false .\nex:l a iotkg:CategoryListing ; iotkg:edition ed:06 .",
        "ex:l",
        "iotkg:modelled true",
    ),
    ("Edition-section", "ex:l a iotkg:CategoryListing ; iotkg:edition ed:07 .", "ex:l", "add iotkg:draftSection"),
    ("Section-edition", 'ex:l a iotkg:CategoryListing ; iotkg:draftSection "3.2" .', "ex:l", "add iotkg:edition"),
    ("Fact-provenance", "ex:l a iotkg:CategoryListing .", "ex:l", "add iotkg:edition ed:NN ; iotkg:draftSection"),
    (
        "Fact-fromDraft",
        "ex:l a iotkg:CategoryListing ; iotkg:fromDraft false ; iotkg:sourceSpecification spec:elsewhere ; "
        'iotkg:edition ed:07 ; iotkg:draftSection "3.2" .',
        "ex:l",
        "neither iotkg:edition nor iotkg:draftSection",
    ),
]


@pytest.mark.parametrize(
    "engine", [pytest.param(e, marks=[pytest.mark.slow] if e == REFERENCE else []) for e in ENGINES]
)  # the reference engine's twin of each case: the full suite only
@pytest.mark.parametrize(
    ("shape", "turtle", "focus", "says"), EDITION_CASES, ids=[f"{c[0]}-{c[2]}" for c in EDITION_CASES]
)
def test_each_edition_shape_catches_data_that_breaks_it(
    shape: str, turtle: str, focus: str, says: str, engine: str, tmp_path: Path, shapes: Graph
) -> None:
    example = tmp_path / "case.ttl"
    example.write_text(PREFIXES + turtle + "\n", encoding="utf-8")
    validation = validate_files([BASE, example], shapes, engine)
    hits = [f for f in validation.findings if f.shape == f"shapes:{shape}" and f.focus == focus]
    assert hits, [(f.focus, f.shape) for f in validation.findings]
    assert all(says in f.message for f in hits), hits[0].message
    assert {f.severity for f in hits} == {"Warning" if shape in WARNING_SHAPES else "Violation"}


# The same shapes leave -07's form alone where -02's fields do not apply: each node here breaks only a rule of -02.
LATER_FORM = [
    ("Process-kindStated", "ex07:p a iotkg:Process ; iotkg:ofProtocol ex:protocol ; iotkg:edition ed:07 .", "ex07:p"),
    ("Role-category", "ex07:r a iotkg:Role ; iotkg:ofProtocol ex:protocol ; iotkg:edition ed:07 .", "ex07:r"),
    (
        "Definition-section",
        "ex07:d a iotkg:TermDefinition ; iotkg:ofProtocol ex:protocol ; "
        'iotkg:edition ed:07 ; iotkg:draftSection "2.3" .',
        "ex07:d",
    ),
    (
        "Classification-section",
        "ex07:c a iotkg:InitialTrustClassification ; iotkg:beliefCategory bc:blank-slate ; "
        'iotkg:edition ed:07 ; iotkg:draftSection "3.3" .',
        "ex07:c",
    ),
]


def test_a_later_editions_listing_stands_beside_no_category_in_the_roles_own_edition(
    tmp_path: Path, shapes: Graph
) -> None:
    """-07's Section 3.2 names a role -02 had no listing for: the -02 role's iotkg:noCategoryInDraft stays true."""
    example = tmp_path / "listing.ttl"
    example.write_text(
        PREFIXES + "cat:joining-device-07 a iotkg:CategoryListing ; iotkg:listedIn cat:joining-device ; "
        'iotkg:nameAsWritten "configurator" ; iotkg:edition ed:07 ; iotkg:draftSection "3.2" .\n'
        "ex:role-configurator iotkg:matchesListing cat:joining-device-07 .\n",
        encoding="utf-8",
    )
    assert [f.shape for f in validate_files([BASE, example], shapes).findings] == []
    consequence = tmp_path / "consequence.ttl"
    consequence.write_text(PREFIXES + "ex07:consequence-privacy iotkg:concerns bc:blank-slate .\n", encoding="utf-8")
    assert [f.shape for f in validate_files([BASE, consequence], shapes).findings] == []


@pytest.mark.parametrize(("shape", "turtle", "focus"), LATER_FORM, ids=[c[0] for c in LATER_FORM])
def test_a_rule_of_02s_form_does_not_apply_to_a_later_edition_but_does_to_02(
    shape: str, turtle: str, focus: str, tmp_path: Path, shapes: Graph
) -> None:
    later = tmp_path / "later.ttl"
    later.write_text(PREFIXES + turtle + "\n", encoding="utf-8")
    assert not [f for f in validate_files([BASE, later], shapes).findings if f.shape == f"shapes:{shape}"]
    earlier = tmp_path / "earlier.ttl"  # the same node in -02: the rule applies
    earlier.write_text(PREFIXES + turtle.replace("ed:07", "ed:02").replace("ex07:", "ex:e02-") + "\n", encoding="utf-8")
    hits = [f for f in validate_files([BASE, earlier], shapes).findings if f.shape == f"shapes:{shape}"]
    assert [f.focus for f in hits] == [focus.replace("ex07:", "ex:e02-")]


def test_a_group_names_its_classification_once_its_editions_classifications_are_recorded(
    tmp_path: Path, shapes: Graph
) -> None:
    """-02's groups in a graph with no -02 classification (the shipped -02 data before cls:02-initial-beliefs) pass;
    with one recorded, a -02 group without iotkg:inClassification is caught."""
    example = tmp_path / "group.ttl"
    example.write_text(
        PREFIXES + 'ex:g a iotkg:ComparisonGroup ; rdfs:label "G" ; iotkg:edition ed:02 ; iotkg:draftSection "3.3" .\n'
    )
    stripped = tmp_path / "base.ttl"  # the base without its -02 classification
    text = BASE.read_text(encoding="utf-8").replace("iotkg:replaces cls:02-initial-beliefs ;", "")
    stripped.write_text(
        "\n".join(line for line in text.splitlines() if "cls:02-initial-beliefs" not in line), encoding="utf-8"
    )
    assert "cls:02-initial-beliefs" not in stripped.read_text(encoding="utf-8")
    assert not [f for f in validate_files([stripped, example], shapes).findings if f.shape.startswith("shapes:Group-")]
    hits = [
        f for f in validate_files([BASE, example], shapes).findings if f.shape == "shapes:Group-classificationStated"
    ]
    assert [f.focus for f in hits] == ["ex:g"]
