"""``iotkg validate``: the shipped graph conforms, a check that checks nothing is an error, and the output says
which entry lacks what, where, and how to add it — in plain language, Turtle or JSON-LD."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, SH, Graph, Literal, URIRef

from iotkg import paths
from iotkg.namespaces import IOTKG
from iotkg.pipeline.load import Sources, parse_turtle
from iotkg.pipeline.report import TARGETS_NO_NODE, format_plain, format_report
from iotkg.pipeline.validate import ENGINES, shapes_graph, validate, validate_graph

SHARED = ("categories.ttl", "terminology.ttl", "vocabulary.ttl", "specifications.ttl", "security-considerations.ttl")
# Files that hold no protocol entry: the editions, and -07's shared sections (instances/draft-07/).
NO_ENTRY = ("editions.ttl",)
NO_ENTRY_07 = ("comparison.ttl", "terminology.ttl", "security-considerations.ttl")
ED07 = URIRef("https://w3id.org/iotkg/id/draft/07")

PREFIXES = """\
@prefix iotkg: <https://w3id.org/iotkg/ontology#> .
@prefix matter: <https://w3id.org/iotkg/id/matter/> .
@prefix cat: <https://w3id.org/iotkg/id/category/> .
@prefix term: <https://w3id.org/iotkg/id/term/> .
@prefix pk: <https://w3id.org/iotkg/id/process-kind/> .
@prefix bc: <https://w3id.org/iotkg/id/belief-category/> .
@prefix cred: <https://w3id.org/iotkg/id/credential/> .
@prefix scope: <https://w3id.org/iotkg/id/scope/> .
@prefix spec: <https://w3id.org/iotkg/id/spec/> .
@prefix org: <https://w3id.org/iotkg/id/org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# A new entry as a user would write it for a protocol the draft does not survey, with no imparted belief.
MATTER = (
    PREFIXES
    + """
org:csa a iotkg:Organization ; rdfs:label "Connectivity Standards Alliance" .
spec:matter a iotkg:Specification ; rdfs:label "Matter Core Specification" ; iotkg:publishedBy org:csa ;
    iotkg:specificationUrl "https://csa-iot.org/all-solutions/matter/"^^xsd:anyURI .

matter:protocol a iotkg:Protocol ; rdfs:label "Matter" ; iotkg:shortName "Matter" ;
    dcterms:title "Matter commissioning" ; skos:altLabel "Project CHIP"@en ; iotkg:standsOn spec:matter ;
    iotkg:fromDraft false ; iotkg:sourceSpecification spec:matter ; iotkg:sourceSection "5" .
matter:term-1 a iotkg:TermUse ; iotkg:ofProtocol matter:protocol ; iotkg:termAsWritten "commissioning" ;
    iotkg:refersToTerm term:commissioning ; iotkg:position 1 ;
    iotkg:fromDraft false ; iotkg:sourceSpecification spec:matter ; iotkg:sourceSection "5.1" .
matter:role-commissionee a iotkg:Role ; iotkg:ofProtocol matter:protocol ; rdfs:label "Commissionee" ;
    iotkg:position 1 ; iotkg:listedAsPlayer true ; iotkg:placedByIotkgIn cat:joining-device ;
    iotkg:categoryBasis "the device being commissioned" ;
    iotkg:fromDraft false ; iotkg:sourceSpecification spec:matter ; iotkg:sourceSection "5.1" .
matter:role-commissioner a iotkg:Role ; iotkg:ofProtocol matter:protocol ; rdfs:label "Commissioner" ;
    iotkg:position 2 ; iotkg:listedAsPlayer true ; iotkg:placedByIotkgIn cat:steering-entity ;
    iotkg:categoryBasis "the node that commissions the device" ;
    iotkg:fromDraft false ; iotkg:sourceSpecification spec:matter ; iotkg:sourceSection "5.1" .
matter:initial-belief-1 a iotkg:InitialBelief ; iotkg:ofProtocol matter:protocol ; iotkg:position 1 ;
    iotkg:statement "The commissionee holds a device attestation certificate." ;
    iotkg:truster matter:role-commissioner ; iotkg:trustee matter:role-commissionee ; iotkg:basis cred:certificate ;
    iotkg:scope scope:peer ; iotkg:fromDraft false ; iotkg:sourceSpecification spec:matter ; iotkg:sourceSection "6.2" .
matter:initial-trust-classification a iotkg:InitialTrustClassification ; iotkg:ofProtocol matter:protocol ;
    iotkg:beliefCategory bc:installed-credentials ; iotkg:statement "Matter devices carry attestation certificates." ;
    iotkg:fromDraft false ; iotkg:sourceSpecification spec:matter ; iotkg:sourceSection "6.2" .
matter:process-1 a iotkg:Process ; iotkg:ofProtocol matter:protocol ; rdfs:label "Commissioning" ; iotkg:position 1 ;
    iotkg:hasProcessKind pk:trust-establishment ;
    iotkg:involvesRole matter:role-commissionee, matter:role-commissioner ;
    iotkg:fromDraft false ; iotkg:sourceSpecification spec:matter ; iotkg:sourceSection "5.5" .
"""
)

IMPARTED = """
matter:imparted-belief-1 a iotkg:ImpartedBelief ; iotkg:ofProtocol matter:protocol ; iotkg:position 1 ;
    iotkg:statement "The commissionee holds an operational certificate of the fabric." ;
    iotkg:truster matter:role-commissionee ; iotkg:trustee matter:role-commissioner ; iotkg:basis cred:certificate ;
    iotkg:scope scope:peer ; iotkg:fromDraft false ; iotkg:sourceSpecification spec:matter ; iotkg:sourceSection "6.4" .
"""


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def without_nodes(graph: Graph, nodes: set) -> Graph:
    """A copy of ``graph`` without the triples of ``nodes``, as subject or object."""
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    copy += ((s, p, o) for s, p, o in graph if s not in nodes and o not in nodes)
    return copy


# ---------------------------------------------------------------- the shipped graph


def test_shipped_graph_conforms(shipped: Sources, shapes: Graph) -> None:
    validation = validate(shipped, shapes)
    violations = [f for f in validation.findings if f.severity == "Violation"]
    assert violations == [], format_plain(validation)
    assert validation.untargeted_shapes == []
    assert validation.conforms
    protocols = set(shipped.instances.subjects(RDF.type, IOTKG.Protocol))
    mentions = set(shipped.instances.subjects(RDF.type, IOTKG.ProtocolMention))  # -07's entries of -02's protocols
    assert validation.protocols == len(protocols) + len(mentions) and len(protocols) == 11 and len(mentions) == 10


def entries_by_file(shipped: Sources) -> dict[Path, list]:
    """Each instance file's protocol entries: protocols (``iotkg:Protocol``) and -07's mentions of them."""
    found: dict[Path, list] = {path: [] for path in shipped.files}
    for kind in (IOTKG.Protocol, IOTKG.ProtocolMention):
        for entry in shipped.instances.subjects(RDF.type, kind):
            found[shipped.subject_files[entry]].append(entry)
    return found


def test_one_protocol_entry_per_file(shipped: Sources) -> None:
    """-02 (instances/*.ttl): each file but the shared vocabularies and editions.ttl holds one iotkg:Protocol. -07
    (instances/draft-07/): each protocol's file holds one entry, an iotkg:ProtocolMention of a protocol -02
    recorded (or a new iotkg:Protocol of -07); comparison, terminology and security considerations hold none."""
    folder = paths.instances_dir()
    found = entries_by_file(shipped)
    assert {path.parent for path in found} == {folder, folder / "draft-07"}
    for path, entries in found.items():
        if path.parent == folder:
            if path.name in SHARED + NO_ENTRY:
                assert entries == [], path.name
            else:
                assert len(entries) == 1, (path.name, entries)
                assert (entries[0], RDF.type, IOTKG.Protocol) in shipped.instances, path.name
        elif path.name in NO_ENTRY_07:
            assert entries == [], f"draft-07/{path.name}"
        else:
            assert len(entries) == 1, (f"draft-07/{path.name}", entries)
            (entry,) = entries
            assert (entry, IOTKG.edition, ED07) in shipped.instances, f"draft-07/{path.name}"
            if (entry, RDF.type, IOTKG.ProtocolMention) in shipped.instances:
                mentioned = shipped.instances.value(entry, IOTKG.mentions)
                assert (mentioned, RDF.type, IOTKG.Protocol) in shipped.instances, f"draft-07/{path.name}"
                assert shipped.subject_files[mentioned].parent == folder, "a mention of a protocol -02 recorded"
    assert len([p for p in found if p.parent == folder / "draft-07" and p.name not in NO_ENTRY_07]) == 10


@pytest.mark.slow
def test_both_engines_find_the_same_warnings_on_the_shipped_graph(shipped: Sources, shapes: Graph) -> None:
    fast = validate(shipped, shapes, "fast")
    reference = validate(shipped, shapes, "pyshacl")
    assert fast.findings == reference.findings
    assert fast.conforms and reference.conforms
    # Every shipped specification now states its URL (-07's reference lists): take the URLs away for warnings to
    # compare, as the shipped graph had before.
    without_urls = Graph()
    without_urls += ((s, p, o) for s, p, o in shipped.asserted if p != IOTKG.specificationUrl)
    fast = validate_graph(without_urls, shipped.subject_files, shapes, "fast")
    reference = validate_graph(without_urls, shipped.subject_files, shapes, "pyshacl")
    assert fast.findings == reference.findings
    assert len(fast.findings) > 0, "specifications without a URL are warnings to compare"
    assert {f.severity for f in fast.findings} == {"Warning"}
    assert fast.conforms and reference.conforms


def test_an_unknown_engine_is_a_clear_input_error(shipped: Sources, shapes: Graph) -> None:
    from iotkg.errors import InputError

    with pytest.raises(InputError, match="unknown SHACL engine 'jena'"):
        validate(shipped, shapes, "jena")


# ---------------------------------------------------------------- a check that checks nothing


def test_ontology_alone_is_an_error_never_conforms(shapes: Graph) -> None:
    ontology = parse_turtle(paths.ontology_dir() / "iotkg.ttl")
    validation = validate_graph(ontology, {}, shapes)
    assert validation.findings == []
    assert not validation.conforms
    assert "shapes:Protocol-term" in validation.untargeted_shapes
    text = format_plain(validation)
    assert "error: shape shapes:Protocol-term targets no node — the data holds no iotkg:Protocol" in text
    assert text.splitlines()[-1].startswith("does not conform")


def test_a_shape_that_targets_no_node_is_reported_in_every_format(shipped: Sources, shapes: Graph) -> None:
    data = shipped.asserted
    inconsistencies = set(data.subjects(RDF.type, IOTKG.DraftInconsistency))
    assert inconsistencies
    validation = validate_graph(without_nodes(data, inconsistencies), shipped.subject_files, shapes)
    assert not validation.conforms
    assert validation.untargeted_shapes == [
        "shapes:Inconsistency-concerns",
        "shapes:Inconsistency-kind",
        "shapes:Inconsistency-note",
    ]
    report = Graph().parse(data=format_report(validation, "turtle"), format="turtle")
    assert (None, SH.conforms, Literal(False)) in report
    flagged = {report.value(r, SH.sourceShape) for r in report.subjects(SH.sourceConstraintComponent, TARGETS_NO_NODE)}
    assert len(flagged) == 3
    document = json.loads(format_report(validation, "json"))
    assert document["conforms"] is False
    assert document["untargetedShapes"] == validation.untargeted_shapes


def test_folder_without_a_protocol_entry_is_an_error(tmp_path: Path, cli) -> None:
    folder = tmp_path / "instances"
    folder.mkdir()
    (folder / "empty.ttl").write_text("# nothing yet\n")
    result = cli("validate", "--instances", str(folder))
    assert result.returncode == 1, result.stderr
    assert "error: shape shapes:Protocol-term targets no node — the data holds no iotkg:Protocol" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("does not conform: 0 protocol entries")
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- what a person reads


def test_plain_line_names_entry_file_line_what_is_missing_and_how_to_add_it(shipped: Sources, shapes: Graph) -> None:
    data = shipped.asserted
    brski = URIRef("https://w3id.org/iotkg/id/brski/protocol")
    imparted = {b for b in data.subjects(IOTKG.ofProtocol, brski) if (b, RDF.type, IOTKG.ImpartedBelief) in data}
    imparted = {b for b in imparted if (b, IOTKG.edition, URIRef("https://w3id.org/iotkg/id/draft/02")) in data}
    assert imparted
    validation = validate_graph(without_nodes(data, imparted), shipped.subject_files, shapes)
    assert not validation.conforms
    brski_file = shipped.subject_files[brski]
    line = next(i for i, text in enumerate(brski_file.read_text().splitlines(), 1) if text.startswith("brski:protocol"))
    expected = (
        f"BRSKI ({brski_file}:{line}): no imparted belief stated — add an iotkg:ImpartedBelief (X:imparted-belief-1 "
        'a iotkg:ImpartedBelief ; iotkg:ofProtocol X:protocol ; iotkg:statement "…" ; iotkg:truster … ; '
        'iotkg:trustee … ; iotkg:basis cred:… ; iotkg:scope scope:… ; iotkg:position 1) from the "Beliefs imparted" '
        "bullet (shape shapes:Protocol-impartedBelief)"
    )
    lines = format_plain(validation).splitlines()
    assert any(text.replace(str(Path.cwd()) + "/", "") == expected.replace(str(Path.cwd()) + "/", "") for text in lines)
    assert [f.shape for f in validation.findings if f.severity == "Violation" and f.protocol == "BRSKI"] == [
        "shapes:Protocol-impartedBelief"
    ]


def test_findings_are_grouped_by_entry_and_sorted(shipped: Sources, shapes: Graph) -> None:
    data = shipped.asserted
    terms = set(data.subjects(RDF.type, IOTKG.TermUse))
    validation = validate_graph(without_nodes(data, terms), shipped.subject_files, shapes)
    protocols = [f.protocol for f in validation.findings if f.shape == "shapes:Protocol-term"]
    assert protocols == sorted(protocols) and len(protocols) == validation.protocols
    groups = [f.protocol for f in validation.findings]
    assert groups == sorted(groups, key=lambda p: (p == "", p)), "one block per entry, shared vocabularies last"


def test_new_entry_missing_one_characteristic_gets_told_which_and_how(tmp_path: Path, cli) -> None:
    entry = tmp_path / "matter.ttl"
    entry.write_text(MATTER)
    result = cli("validate", str(entry), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    line = next(i for i, text in enumerate(MATTER.splitlines(), 1) if text.startswith("matter:protocol"))
    matter_lines = [text for text in result.stdout.splitlines() if text.startswith("Matter (")]
    assert matter_lines == [
        f"Matter (matter.ttl:{line}): no imparted belief stated — add an iotkg:ImpartedBelief (X:imparted-belief-1 "
        'a iotkg:ImpartedBelief ; iotkg:ofProtocol X:protocol ; iotkg:statement "…" ; iotkg:truster … ; '
        'iotkg:trustee … ; iotkg:basis cred:… ; iotkg:scope scope:… ; iotkg:position 1) from the "Beliefs imparted" '
        "bullet (shape shapes:Protocol-impartedBelief)"
    ]
    assert result.stdout.splitlines()[-1].startswith("does not conform")

    entry.write_text(MATTER + IMPARTED)
    fixed = cli("validate", str(entry), cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout
    assert not [text for text in fixed.stdout.splitlines() if text.startswith("Matter (")]
    assert fixed.stdout.splitlines()[-1].startswith("conforms:")


def test_warnings_alone_do_not_fail_the_run(tmp_path: Path, cli) -> None:
    extra = tmp_path / "spec.ttl"
    extra.write_text(PREFIXES + 'spec:new a iotkg:Specification ; rdfs:label "A new specification" .\n')
    line = len(PREFIXES.splitlines()) + 1
    result = cli("validate", str(extra), cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert (
        f"spec:new (spec.ttl:{line}): warning: no specification URL stated — add iotkg:specificationUrl"
        in result.stdout
    )
    assert f"spec:new (spec.ttl:{line}): warning: the specification names no publisher" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("conforms:")


def test_unreadable_extra_file_exits_2_with_file_and_line(tmp_path: Path, cli) -> None:
    entry = tmp_path / "matter.ttl"
    entry.write_text(MATTER.replace('rdfs:label "Matter" ;', 'rdfs:label "Matter ;', 1))
    result = cli("validate", str(entry), cwd=tmp_path)
    assert result.returncode == 2
    line = next(i for i, text in enumerate(MATTER.splitlines(), 1) if text.startswith("matter:protocol"))
    assert f"matter.ttl:{line}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------- reports for tools


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
def test_turtle_and_json_ld_carry_the_same_standard_report(tmp_path: Path, cli) -> None:
    entry = tmp_path / "matter.ttl"
    entry.write_text(MATTER)
    turtle = cli("validate", "--format", "turtle", str(entry), cwd=tmp_path)
    as_json = cli("validate", "--format", "json", str(entry), cwd=tmp_path)
    assert turtle.returncode == as_json.returncode == 1

    from_turtle = Graph().parse(data=turtle.stdout, format="turtle")
    from_json = Graph().parse(data=as_json.stdout, format="json-ld")

    def rows(graph: Graph) -> set:
        return {
            tuple(graph.value(r, p) for p in (SH.focusNode, SH.sourceShape, SH.resultSeverity, SH.value))
            for r in graph.subjects(RDF.type, SH.ValidationResult)
        }

    assert rows(from_turtle) == rows(from_json)
    matter = URIRef("https://w3id.org/iotkg/id/matter/protocol")
    shape = URIRef("https://w3id.org/iotkg/shapes#Protocol-impartedBelief")
    assert (matter, shape, SH.Violation, matter) in rows(from_turtle)  # SHACL-SPARQL: the entry is the value too
    assert (None, SH.conforms, Literal(False)) in from_json
    document = json.loads(as_json.stdout)
    entry_result = next(r for r in document["results"] if r["focusNode"] == "matter:protocol")
    assert entry_result["protocol"] == "Matter"
    assert entry_result["file"].endswith("matter.ttl")
    # the entry's completeness is a SHACL-SPARQL constraint (the facts of the entry's own edition): no result path
    assert "resultPath" not in entry_result and "no imparted belief stated" in entry_result["resultMessage"]


@pytest.mark.slow
def test_output_is_the_same_on_every_run(tmp_path: Path, cli) -> None:
    folder = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    (folder / "matter.ttl").write_text(MATTER)
    for fmt in ("plain", "turtle", "json"):
        first, second = (
            cli("validate", "--instances", str(folder), "--format", fmt, env={**os.environ, "PYTHONHASHSEED": seed})
            for seed in ("1", "2")
        )
        assert first.returncode == second.returncode == 1
        assert first.stdout == second.stdout, fmt


@pytest.mark.parametrize(  # pySHACL on the whole shipped graph takes ~11 s: its twin runs in the full suite only
    "engine", [pytest.param(e, marks=[pytest.mark.slow] if e == "pyshacl" else []) for e in ENGINES]
)
def test_validation_leaves_the_loaded_graph_as_it_is(engine: str, shipped: Sources, shapes: Graph) -> None:
    """Validation and reasoning share the loaded graph: validating adds neither triples nor the shapes' prefixes."""
    data = shipped.asserted
    before = (len(data), sorted(data.namespaces()))
    validation = validate(shipped, shapes, engine)
    assert "shapes" in validation.namespaces and "shapes" not in dict(data.namespaces())
    assert (len(data), sorted(data.namespaces())) == before
