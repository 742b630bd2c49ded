"""Reasoning about equivalent roles: entailed by OWL 2 RL, explained, consistent, and kept apart from the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from iotkg import paths, roles, store
from iotkg.errors import CheckFailed
from iotkg.namespaces import CAT, IOTKG
from iotkg.pipeline.load import Sources
from iotkg.pipeline.reason import Reasoned, check_consistent, is_noise, reason

ID = "https://w3id.org/iotkg/id/"
PLEDGE = URIRef(ID + "brski/role-pledge")
ENROLLEE = URIRef(ID + "dpp/role-enrollee")
JOINER = URIRef(ID + "thread/role-joiner")


@pytest.fixture(scope="module")
def graph_store(tmp_path_factory) -> store.GraphStore:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IOTKG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return store.open_store()


def test_pledge_enrollee_joiner_are_entailed_equivalent(reasoned: Reasoned) -> None:
    for a, b in ((PLEDGE, ENROLLEE), (ENROLLEE, JOINER), (JOINER, PLEDGE), (ENROLLEE, PLEDGE)):
        assert (a, IOTKG.playsSamePartAs, b) in reasoned.inferred
        assert (a, IOTKG.playsSamePartAs, b) not in reasoned.asserted, "entailed, not listed pair by pair"


def test_equivalence_is_explained_by_asserted_triples_and_a_rule(graph_store: store.GraphStore) -> None:
    pledge = roles.find_role(graph_store, "BRSKI:Pledge")
    found = {e.other.key: e for e in roles.equivalents(graph_store, pledge, "02")}  # -02's 3.2 categories
    assert {"DPP:Enrollee", "Thread:Joiner"} <= set(found)
    enrollee = found["DPP:Enrollee"]
    assert enrollee.basis == (
        "same category: Device that intends to securely join a network "
        '(BRSKI:Pledge: the draft lists "pledge"; DPP:Enrollee: the draft lists "enrollee")'
    )
    (step,) = enrollee.steps
    assert "prp-spo2" in step.rule
    listing, listed_in, device = str(IOTKG.matchesListing), str(IOTKG.listedIn), str(CAT["joining-device"])
    assert step.triples == (
        (str(PLEDGE), listing, str(CAT["joining-device-1"])),
        (str(CAT["joining-device-1"]), listed_in, device),
        (str(ENROLLEE), listing, str(CAT["joining-device-6"])),
        (str(CAT["joining-device-6"]), listed_in, device),
    )
    joiner = found["Thread:Joiner"]
    assert "Thread:Joiner: iotkg's reading: Section 2.11: \"Joiner is the node" in joiner.basis
    assert joiner.steps[0].triples[-1] == (str(JOINER), str(IOTKG.placedByIotkgIn), device)


def test_registrar_and_jrc_are_one_entity_inside_brski(graph_store: store.GraphStore) -> None:
    registrar = roles.find_role(graph_store, "BRSKI:Domain Registrar")
    others = {e.other.key for e in roles.equivalents(graph_store, registrar, "02")}
    assert "BRSKI:JRC" in others
    assert "DPP:Configurator" in others
    assert "BRSKI:Pledge" not in others


def test_roles_of_different_categories_are_never_equivalent(reasoned: Reasoned) -> None:
    graph = reasoned.combined
    pairs = list(graph.subject_objects(IOTKG.playsSamePartAs))
    assert len(pairs) > 100
    for a, b in pairs:
        ca, cb = set(graph.objects(a, IOTKG.hasRoleCategory)), set(graph.objects(b, IOTKG.hasRoleCategory))
        assert ca & cb or (a, IOTKG.sameEntityAs, b) in graph or (b, IOTKG.sameEntityAs, a) in graph, (a, b)
    manufacturers = set(graph.subjects(IOTKG.hasRoleCategory, CAT.manufacturer))
    owners = set(graph.subjects(IOTKG.hasRoleCategory, CAT.owner))
    assert manufacturers and owners
    assert not any((m, IOTKG.playsSamePartAs, o) in graph for m in manufacturers for o in owners)


def test_inferred_triples_are_kept_apart_and_free_of_noise(shipped: Sources, reasoned: Reasoned) -> None:
    before = len(shipped.asserted)
    again = reason(shipped.asserted)
    assert len(shipped.asserted) == before, "reasoning works on a copy"
    assert len(again.inferred) == len(reasoned.inferred) > 0
    for s, p, o in reasoned.inferred:
        assert (s, p, o) not in reasoned.asserted
        assert s != o
        assert not str(s).startswith((str(RDF), str(RDFS), str(OWL)))
        assert p != OWL.sameAs


@pytest.fixture(scope="module")
def owlrl_reference(shipped: Sources) -> set[tuple]:
    """owlrl's full OWL 2 RL closure of the shipped graph (axiomatic and datatype triples too), less the noise."""
    full = Graph()
    full += shipped.asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=True, datatype_axioms=True).expand(full)
    return {t for t in full if t not in shipped.asserted and not is_noise(t)}


@pytest.mark.slow
def test_the_inferred_graph_is_owlrls_full_closure_less_the_noise(owlrl_reference: set, reasoned: Reasoned) -> None:
    role_pairs = {t for t in owlrl_reference if t[1] == IOTKG.playsSamePartAs}
    types = {t for t in owlrl_reference if t[1] == RDF.type and str(t[2]).startswith(str(IOTKG))}
    assert len(role_pairs) > 1000 and len(types) > 500
    assert set(reasoned.inferred_triples) == owlrl_reference
    assert len(reasoned.inferred) == len(reasoned.inferred_triples)


def owlrl_errors(graph: Graph) -> list[str]:
    closed = Graph()
    closed += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    return sorted(str(message) for message in closed.objects(None, ERRNS.error))


@pytest.mark.slow
def test_a_category_with_no_source_is_reported(shipped: Sources) -> None:
    """Two categories are not a clash (a role may play a part in each), but one stated with no source is."""
    graph = Graph()
    graph += shipped.asserted
    graph.add((PLEDGE, IOTKG.hasRoleCategory, CAT.manufacturer))
    reasoned = reason(graph)
    assert reasoned.errors == [] == owlrl_errors(graph)
    with pytest.raises(CheckFailed, match="a category with no source") as failure:
        check_consistent(reasoned)
    assert f"<{PLEDGE}> <{IOTKG.hasRoleCategory}> <{CAT.manufacturer}> ." in str(failure.value)


@pytest.mark.slow
def test_disjoint_classes_are_reported_as_owlrl_reports_them(shipped: Sources) -> None:
    graph = Graph()
    graph += shipped.asserted
    belief = URIRef(ID + "brski/initial-belief-1")
    graph.add((belief, RDF.type, IOTKG.ImpartedBelief))
    errors = reason(graph).errors
    assert len(errors) == 1
    assert str(belief) in errors[0] and "isjoint" in errors[0]
    assert errors == owlrl_errors(graph)


def test_a_same_entity_link_across_categories_is_reported_as_the_cause(shipped: Sources) -> None:
    graph = Graph()
    graph += shipped.asserted
    jrc = URIRef(ID + "brski/role-jrc")
    graph.add((PLEDGE, IOTKG.sameEntityAs, jrc))
    reasoned = reason(graph)
    assert reasoned.errors == [], "no role has two categories: only the chain joins the two groups"
    with pytest.raises(CheckFailed) as failure:
        check_consistent(reasoned)
    message = str(failure.value)
    assert f"<{PLEDGE}> iotkg:sameEntityAs <{jrc}> . joins" in message
    assert "plays the same part as" not in message, "the cause is named, not each of the pairs it makes"


def test_cross_category_pairs_are_reported_when_no_link_is_the_cause(shipped: Sources) -> None:
    graph = Graph()
    graph += shipped.asserted
    jrc = URIRef(ID + "brski/role-jrc")
    graph.add((PLEDGE, IOTKG.playsSamePartAs, jrc))
    with pytest.raises(CheckFailed) as failure:
        check_consistent(reason(graph))
    assert f"<{jrc}> (<{CAT}" in str(failure.value) and "plays the same part as" in str(failure.value)


def write_user_copy(tmp_path: Path, extra: str, name: str = "matter.ttl") -> Path:
    folder = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    (folder / name).write_text(extra)
    return folder


MATTER = """@prefix iotkg: <https://w3id.org/iotkg/ontology#> .
@prefix cat: <https://w3id.org/iotkg/id/category/> .
@prefix matter: <https://w3id.org/iotkg/id/matter/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
matter:protocol a iotkg:Protocol ; rdfs:label "Matter" ; iotkg:shortName "Matter" .
matter:role-commissionee a iotkg:Role ; iotkg:ofProtocol matter:protocol ; rdfs:label "Commissionee" ;
    iotkg:placedByIotkgIn cat:joining-device ; iotkg:categoryBasis "the device being commissioned" .
"""


@pytest.mark.slow
def test_a_new_role_with_a_category_joins_its_equivalents(tmp_path: Path, cli) -> None:
    folder = write_user_copy(tmp_path, MATTER)
    env = {**__import__("os").environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    # cat:joining-device is a category of -02's Section 3.2 (-07 has none for the joining device)
    result = cli("roles", "Matter:Commissionee", "--edition", "02", "--instances", str(folder), env=env)
    assert result.returncode == 0, result.stderr
    assert "BRSKI:Pledge" in result.stdout
    assert "DPP:Enrollee" in result.stdout
    assert "Thread:Joiner" in result.stdout
    assert "DPP:Configurator" not in result.stdout
    mapped = cli(
        "roles", "--protocol", "Matter", "--like-in", "BRSKI", "--edition", "02", "--instances", str(folder), env=env
    )
    assert mapped.returncode == 0, mapped.stderr
    assert "Matter:Commissionee" in mapped.stdout and "Pledge" in mapped.stdout


@pytest.mark.slow
def test_a_role_in_two_categories_with_no_source_for_one_is_an_error(tmp_path: Path, cli, shipped: Sources) -> None:
    clash = MATTER.replace("cat:joining-device ;", "cat:joining-device ; iotkg:hasRoleCategory cat:owner ;")
    assert clash != MATTER
    folder = write_user_copy(tmp_path, clash)
    env = {**__import__("os").environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    for command in (["reason"], ["roles", "BRSKI:Pledge"]):
        result = cli(*command, "--instances", str(folder), env=env)
        assert result.returncode == 1, (command, result.stderr)
        assert "inconsistent" in result.stderr and "no source" in result.stderr
        assert "matter:role-commissionee iotkg:hasRoleCategory cat:owner ." in result.stderr
        assert "cat:joining-device ." not in result.stderr, "iotkg's placement has a source"


@pytest.mark.slow
def test_unknown_and_ambiguous_roles_get_candidates(cli, tmp_path: Path) -> None:
    env = {**__import__("os").environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    unknown = cli("roles", "BRSKI:Pldge", env=env)
    assert unknown.returncode == 2
    assert "BRSKI:Pledge" in unknown.stderr
    ambiguous = cli("roles", "Configurator", env=env)
    assert ambiguous.returncode == 2
    assert "BRSKI:Configurator" in ambiguous.stderr and "DPP:Configurator" in ambiguous.stderr


@pytest.mark.slow
def test_reason_writes_the_inferred_graph_alone(tmp_path: Path, cli, reasoned: Reasoned) -> None:
    out = tmp_path / "inferred.ttl"
    result = cli("reason", "-o", str(out))
    assert result.returncode == 0, result.stderr
    written = Graph().parse(out)
    assert len(written) == len(reasoned.inferred)
    assert not any(t in reasoned.asserted for t in written)
    again = cli("reason", "-o", str(out))
    assert again.returncode == 2, "an existing file is not overwritten without --force"


@pytest.mark.slow
def test_cache_is_reused_and_invalidated_by_any_input_change(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache"))
    folder = write_user_copy(tmp_path, MATTER)
    saved: list[str] = []
    real = store.save
    monkeypatch.setattr(store, "save", lambda graph, key: (saved.append(key), real(graph, key)))
    store.open_store(folder)
    store.open_store(folder)
    assert len(saved) == 1, "the second open reads the cache"
    (folder / "matter.ttl").write_text(MATTER.replace('"Commissionee"', '"Commissionee device"'))
    third = store.open_store(folder)
    assert len(saved) == 2 and saved[1] != saved[0]
    labels = {r.name for r in roles.all_roles(third) if r.protocol == "Matter"}
    assert labels == {"Commissionee device"}
