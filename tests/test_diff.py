"""``iotkg diff`` and the site's "What changed" page, on a small graph written here: two modelled editions (01, 02)
of made-up protocols, and an edition 00 that is not modelled. Foo is in both (renamed), Bar only in 01 (removed),
Baz only in 02 (added), Qux in both under the same heading (kept); Foo's terms, players, processes and beliefs
change in ways each comparison rule must see (or must not: a spelling, a case, a mention of the same role)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iotkg import diff, editions
from iotkg.cli import main
from iotkg.site import pages
from iotkg.store import GraphStore, open_store

GRAPH = """\
@prefix iotkg: <https://w3id.org/iotkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ed: <https://w3id.org/iotkg/id/draft/> .
@prefix t: <https://example.org/term/> .
@prefix c: <https://example.org/cred/> .
@prefix s: <https://example.org/scope/> .
@prefix k: <https://example.org/cls/> .
@prefix foo: <https://example.org/foo/> .
@prefix foo2: <https://example.org/foo/02/> .
@prefix bar: <https://example.org/bar/> .
@prefix baz: <https://example.org/baz/> .
@prefix qux: <https://example.org/qux/> .
@prefix qux2: <https://example.org/qux/02/> .

ed:00 a iotkg:Edition ; iotkg:editionNumber "00" ; iotkg:modelled false .
ed:01 a iotkg:Edition ; iotkg:editionNumber "01" ; iotkg:modelled true ; rdfs:label "made-up-01" .
ed:02 a iotkg:Edition ; iotkg:editionNumber "02" ; iotkg:modelled true ; rdfs:label "made-up-02" .

c:psk rdfs:label "pre-shared key" . c:cert rdfs:label "certificate" . c:netkey rdfs:label "network key" .
c:voucher rdfs:label "voucher" .

foo:protocol a iotkg:Protocol ; iotkg:shortName "Foo" ; dcterms:title "Foo Protocol" ;
    iotkg:edition ed:01 ; iotkg:draftSection "2.1" .
foo2:entry a iotkg:ProtocolMention ; iotkg:mentions foo:protocol ; iotkg:shortName "FooP" ;
    dcterms:title "Foo Onboarding (FooP)" ; iotkg:edition ed:02 ; iotkg:draftSection "2.2" .
bar:protocol a iotkg:Protocol ; iotkg:shortName "Bar" ; dcterms:title "Bar" ;
    iotkg:edition ed:01 ; iotkg:draftSection "2.2" .
baz:protocol a iotkg:Protocol ; iotkg:shortName "Baz" ; dcterms:title "Baz (BZ)" ;
    iotkg:edition ed:02 ; iotkg:draftSection "2.1" .
qux:protocol a iotkg:Protocol ; iotkg:shortName "Qux" ; dcterms:title "Qux" ;
    iotkg:edition ed:01 ; iotkg:draftSection "2.3" .
qux2:entry a iotkg:ProtocolMention ; iotkg:mentions qux:protocol ; iotkg:shortName "Qux" ; dcterms:title "Qux" ;
    iotkg:edition ed:02 ; iotkg:draftSection "2.3" .

# Terms: enrollment in both (spelled differently: unchanged), bootstrapping removed, onboarding added.
foo:term-1 a iotkg:TermUse ; iotkg:ofProtocol foo:protocol ; iotkg:termAsWritten "Enrolment" ;
    iotkg:refersToTerm t:enrollment ; iotkg:edition ed:01 .
foo:term-2 a iotkg:TermUse ; iotkg:ofProtocol foo:protocol ; iotkg:termAsWritten "Bootstrapping" ;
    iotkg:refersToTerm t:bootstrapping ; iotkg:edition ed:01 .
foo2:term-1 a iotkg:TermUse ; iotkg:ofProtocol foo:protocol ; iotkg:termAsWritten "enrollment" ;
    iotkg:refersToTerm t:enrollment ; iotkg:edition ed:02 .
foo2:term-2 a iotkg:TermUse ; iotkg:ofProtocol foo:protocol ; iotkg:termAsWritten "on-boarding" ;
    iotkg:refersToTerm t:onboarding ; iotkg:edition ed:02 .

# Players: the device is mentioned in 02 (unchanged), the server is not (removed), the owner is new in 02 (added).
foo:role-device a iotkg:Role ; iotkg:ofProtocol foo:protocol ; rdfs:label "Device" ; iotkg:edition ed:01 .
foo:role-server a iotkg:Role ; iotkg:ofProtocol foo:protocol ; rdfs:label "Server" ; iotkg:edition ed:01 .
foo2:player-device a iotkg:RoleMention ; iotkg:mentions foo:role-device ; iotkg:nameAsWritten "The device" ;
    iotkg:edition ed:02 .
foo:role-owner a iotkg:Role ; iotkg:ofProtocol foo:protocol ; rdfs:label "Device owner" ; iotkg:edition ed:02 .

# Processes: discovery in both (another case: unchanged), enrolment removed, ownership transfer added.
foo:process-1 a iotkg:Process ; iotkg:ofProtocol foo:protocol ; rdfs:label "Discovery" ; iotkg:edition ed:01 .
foo:process-2 a iotkg:Process ; iotkg:ofProtocol foo:protocol ; rdfs:label "Enrolment" ; iotkg:edition ed:01 .
foo2:process-1 a iotkg:Process ; iotkg:ofProtocol foo:protocol ; rdfs:label "discovery" ; iotkg:edition ed:02 .
foo2:process-2 a iotkg:Process ; iotkg:ofProtocol foo:protocol ; rdfs:label "Ownership transfer" ; iotkg:edition ed:02 .

# Beliefs: the initial basis changes from a PSK to a certificate; the imparted network key stays (another scope),
# a voucher is imparted in 02 only.
foo:initial-belief-1 a iotkg:InitialBelief ; iotkg:ofProtocol foo:protocol ; iotkg:basis c:psk ; iotkg:edition ed:01 .
foo2:initial-belief-1 a iotkg:InitialBelief ; iotkg:ofProtocol foo:protocol ; iotkg:basis c:cert ; iotkg:edition ed:02 .
foo:imparted-belief-1 a iotkg:ImpartedBelief ; iotkg:ofProtocol foo:protocol ; iotkg:basis c:netkey ;
    iotkg:scope s:peer ; iotkg:edition ed:01 .
foo2:imparted-belief-1 a iotkg:ImpartedBelief ; iotkg:ofProtocol foo:protocol ; iotkg:basis c:netkey, c:voucher ;
    iotkg:scope s:domain ; iotkg:edition ed:02 .

# Qux: the same in both editions.
qux:term-1 a iotkg:TermUse ; iotkg:ofProtocol qux:protocol ; iotkg:termAsWritten "Imprint" ;
    iotkg:refersToTerm t:imprint ; iotkg:edition ed:01 .
qux2:term-1 a iotkg:TermUse ; iotkg:ofProtocol qux:protocol ; iotkg:termAsWritten "Imprint" ;
    iotkg:refersToTerm t:imprint ; iotkg:edition ed:02 .

# Classifications: 02's replaces 01's; 01 has one nothing replaces, 02 one that replaces nothing.
k:01-beliefs a iotkg:Classification ; rdfs:label "Two groups" ; iotkg:edition ed:01 ; iotkg:draftSection "3.3" .
k:none a iotkg:BeliefCategory ; rdfs:label "No trust" ; iotkg:position 1 ; iotkg:inClassification k:01-beliefs .
k:installed a iotkg:BeliefCategory ; rdfs:label "Installed" ; iotkg:position 2 ; iotkg:inClassification k:01-beliefs .
foo:itc a iotkg:InitialTrustClassification ; iotkg:ofProtocol foo:protocol ; iotkg:beliefCategory k:installed ;
    iotkg:edition ed:01 .
bar:itc a iotkg:InitialTrustClassification ; iotkg:ofProtocol bar:protocol ; iotkg:beliefCategory k:none ;
    iotkg:edition ed:01 .
k:01-roles a iotkg:Classification ; rdfs:label "Roles" ; iotkg:edition ed:01 ; iotkg:draftSection "3.2" .
k:02-beliefs a iotkg:Classification ; rdfs:label "Four groups" ; iotkg:replaces k:01-beliefs ; iotkg:edition ed:02 ;
    iotkg:draftSection "3.3" .
k:blank a iotkg:BeliefCategory ; rdfs:label "Blank slate" ; iotkg:position 1 ; iotkg:inClassification k:02-beliefs .
k:certs a iotkg:BeliefCategory ; rdfs:label "Certificates" ; iotkg:position 2 ; iotkg:inClassification k:02-beliefs .
foo2:itc-1 a iotkg:InitialTrustClassification ; iotkg:ofProtocol foo:protocol ; iotkg:beliefCategory k:certs ;
    iotkg:edition ed:02 .
foo2:itc-2 a iotkg:InitialTrustClassification ; iotkg:ofProtocol foo:protocol ; iotkg:beliefCategory k:blank ;
    iotkg:modeAsWritten "Just Works" ; iotkg:edition ed:02 .
baz:itc a iotkg:InitialTrustClassification ; iotkg:ofProtocol baz:protocol ; iotkg:beliefCategory k:blank ;
    iotkg:edition ed:02 .
k:02-discovery a iotkg:DistinguishingFactor ; rdfs:label "Discovery" ; iotkg:edition ed:02 ; iotkg:draftSection "3.4" .
k:local a iotkg:ComparisonGroup ; rdfs:label "Local" ; iotkg:inClassification k:02-discovery .
foo2:m-1 a iotkg:GroupMembership ; iotkg:ofProtocol foo:protocol ; iotkg:inGroup k:local ; iotkg:edition ed:02 .
"""

EX = "https://example.org/"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    found = tmp_path_factory.mktemp("diff")
    (found / "instances").mkdir()
    (found / "instances" / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    return found


@pytest.fixture(scope="module")
def store(folder: Path) -> GraphStore:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IOTKG_CACHE_DIR", str(folder / "cache"))
        return open_store(folder / "instances")


@pytest.fixture(scope="module")
def result(store: GraphStore) -> dict:
    return diff.diff(store, "01", "02")


def invoke(folder: Path, *args: str):
    env = {"IOTKG_CACHE_DIR": str(folder / "cache")}
    return CliRunner().invoke(main, ["diff", "--instances", str(folder / "instances"), *args], env=env)


def test_mechanisms_added_removed_renamed(result: dict) -> None:
    assert result["mechanisms"] == {
        "added": [
            {
                "protocol": EX + "baz/protocol",
                "from": None,
                "to": {"name": "Baz", "heading": "Baz (BZ)", "section": "2.1"},
            }
        ],
        "removed": [
            {"protocol": EX + "bar/protocol", "from": {"name": "Bar", "heading": "Bar", "section": "2.2"}, "to": None}
        ],
        "renamed": [
            {
                "protocol": EX + "foo/protocol",
                "from": {"name": "Foo", "heading": "Foo Protocol", "section": "2.1"},
                "to": {"name": "FooP", "heading": "Foo Onboarding (FooP)", "section": "2.2"},
            }
        ],
    }
    assert [c["protocol"] for c in result["changes"]] == [EX + "foo/protocol", EX + "qux/protocol"]  # in -02's order


def test_items_of_a_mechanism_in_both(result: dict) -> None:
    foo = result["changes"][0]
    found = {
        aspect: {change: [(i["key"], i["name"]) for i in items] for change, items in foo[aspect].items()}
        for aspect in diff.ASPECTS
    }
    assert found == {
        "terms": {
            "added": [(EX + "term/onboarding", "on-boarding")],
            "removed": [(EX + "term/bootstrapping", "Bootstrapping")],
        },
        "players": {
            "added": [(EX + "foo/role-owner", "Device owner")],
            "removed": [(EX + "foo/role-server", "Server")],
        },
        "processes": {"added": [("ownership transfer", "Ownership transfer")], "removed": [("enrolment", "Enrolment")]},
        "initial beliefs": {
            "added": [(EX + "cred/cert", "certificate")],
            "removed": [(EX + "cred/psk", "pre-shared key")],
        },
        "imparted beliefs": {"added": [(EX + "cred/voucher", "voucher")], "removed": []},
    }
    qux = result["changes"][1]
    assert all(qux[aspect] == {"added": [], "removed": []} for aspect in diff.ASPECTS)


def test_classifications_before_and_after(result: dict) -> None:
    shown = [
        {
            side: s and (s["label"], s["section"], [(g["label"], g["members"]) for g in s["groups"]])
            for side, s in pair.items()
        }
        for pair in result["classifications"]
    ]
    assert shown == [
        {"from": ("Roles", "3.2", []), "to": None},
        {
            "from": ("Two groups", "3.3", [("No trust", ["Bar"]), ("Installed", ["Foo"])]),
            "to": ("Four groups", "3.3", [("Blank slate", ["Baz", "FooP: Just Works"]), ("Certificates", ["FooP"])]),
        },
        {"from": None, "to": ("Discovery", "3.4", [("Local", ["FooP"])])},
    ]


def test_the_other_way_round_swaps_added_and_removed(store: GraphStore, result: dict) -> None:
    back = diff.diff(store, "02", "01")
    assert back["mechanisms"]["added"] == [
        {**m, "from": m["to"], "to": m["from"]} for m in result["mechanisms"]["removed"]
    ]
    assert back["mechanisms"]["removed"] == [
        {**m, "from": m["to"], "to": m["from"]} for m in result["mechanisms"]["added"]
    ]
    foo = next(c for c in back["changes"] if c["protocol"] == EX + "foo/protocol")
    assert foo["processes"] == {
        "added": [{"key": "enrolment", "name": "Enrolment"}],
        "removed": [{"key": "ownership transfer", "name": "Ownership transfer"}],
    }
    assert [p["to"] and p["to"]["label"] for p in back["classifications"]] == [
        "Roles",
        "Two groups",
        None,
    ]  # by section


def test_editions_default_and_bad_values(store: GraphStore, folder: Path) -> None:
    assert diff.choose(store, None, None) == ("01", "02")
    assert diff.choose(store, "2", "1") == ("02", "01")
    for args, message in (
        (("--from", "00"), "--from 00: the graph models no such edition"),  # named, not modelled
        (("--to", "03"), "--to 03: the graph models no such edition"),
        (("--from", "02", "--to", "02"), "two different modelled editions are needed"),
    ):
        run = invoke(folder, *args)
        assert run.exit_code == 2, run.output
        assert message in run.output and "Modelled editions: 01, 02" in run.output


def test_formats(folder: Path, result: dict) -> None:
    run = invoke(folder, "--from", "01", "--to", "02", "--format", "json")
    assert run.exit_code == 0, run.output
    assert json.loads(run.output) == result
    assert run.output == json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert invoke(folder, "--format", "json").output == run.output  # the defaults: the latest and the one before
    markdown = invoke(folder, "--format", "md").output
    assert "## Mechanisms added, removed, renamed (-01 → -02)" in markdown
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in markdown.splitlines() if line.startswith("|")]
    assert ["renamed", "Foo Protocol (§2.1)", "Foo Onboarding (FooP) (§2.2)"] in cells
    assert ["FooP", "players", "removed", "Server"] in cells
    assert ["FooP", "imparted beliefs", "added", "voucher"] in cells
    assert not [row for row in cells if row[0] == "Qux"]  # unchanged
    table = invoke(folder).output
    assert "Classifications before and after (-01 → -02)" in table and "Baz, FooP: Just Works" in table


def test_the_what_changed_page(store: GraphStore, result: dict) -> None:
    """Each edition's site has a What changed page: the latest's compares it with the modelled edition before it; the
    first modelled edition's has nothing before it, says so, and links to the later editions' pages."""
    known = editions.editions(store)
    assert [edition.number for edition in known] == ["01", "02"]  # (00 is not modelled)
    context = pages.changes_context(store)
    assert context["changes"] == result and pages.changes_context(store, "02")["changes"] == result
    shared = {"protocols": [], "view_groups": [], "root": "", "page_name": "changes.html", "edition": known[-1]}
    switch = pages.edition_switch(known, known[-1])
    html = pages.environment().get_template("changes.html").render(**shared, switch=switch, **context)
    assert "What edition -02 of the draft (made-up-02) adds, removes and renames against" in html
    assert '<td data-label="-02">Foo Onboarding (FooP) (§2.2)</td>' in html
    assert '<td data-label="name">Device owner</td>' in html
    assert '<nav class="editions"' in html and '<a href="editions/01/index.html">-01</a>' in html
    assert "Generated by iotkg" in html and "the knowledge graph of made-up-02" in html
    first = pages.changes_context(store, "01")
    assert first["changes"] is None and first["tables"] == [] and first["later"] == ["02"]
    switch = pages.edition_switch(known, known[0])
    html = (
        pages.environment()
        .get_template("changes.html")
        .render(**{**shared, "edition": known[0]}, switch=switch, **first)
    )
    assert "Edition -01 (made-up-01) is the first edition of the draft the graph models" in html
    assert '<a href="../../changes.html">What changed in edition -02</a>' in html
    assert "<table" not in html
    index = (pages.TEMPLATES / "index.html").read_text(encoding="utf-8")
    assert '<a href="changes.html">What changed</a>' in index


def test_the_defaults_are_the_latest_edition_and_the_one_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "instances").mkdir()
    third = '\ned:03 a iotkg:Edition ; iotkg:editionNumber "03" ; iotkg:modelled true ; rdfs:label "made-up-03" .\n'
    (tmp_path / "instances" / "graph.ttl").write_text(GRAPH + third, encoding="utf-8")
    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache"))
    store = open_store(tmp_path / "instances")
    assert diff.choose(store, None, None) == ("02", "03")
    assert diff.choose(store, None, "02") == ("01", "02")
    assert diff.choose(store, "01", None) == ("01", "03")
    changes = pages.changes_context(store)["changes"]
    assert (changes["from"]["edition"], changes["to"]["edition"]) == ("02", "03")
    assert [m["protocol"] for m in changes["mechanisms"]["removed"]] == [
        EX + "baz/protocol",
        EX + "foo/protocol",
        EX + "qux/protocol",
    ]
