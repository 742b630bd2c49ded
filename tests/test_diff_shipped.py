"""``iotkg diff --from 02 --to 07 --format json`` on the shipped graph, against expectations checked by hand.

Each expectation below was read from the two editions' texts (tests/golden/source/), not from the graph:

- mechanisms: -07's Section 2 has ten headings; -02's LPWAN (2.10) is gone; "Bluetooth" (2.1) is now "Bluetooth Mesh
  Provisioning" (2.1) and "Fast IDentity Online (FIDO) alliance" (2.7) "FIDO Device Onboard (FDO)" (2.9); the other
  eight headings are unchanged (their sections move where FDO moved after SZTP).
- terms: each -02 "Terms" bullet against each -07 "Terms" list, by the term each word stands for (-07's Bluetooth
  "Beaconing and discovery" is two terms; FDO's italic "late binding" in its Onboarding term is one; "Re-provisioning"
  is FDO's and Bluetooth's "Reprovisioning").
- processes: where -07's paragraph is -02's word for word (LwM2M).
- players: where -07 names no player by a new name and drops -02's by name (the words are absent from -07's section:
  DPP's Authenticator, Client, Controller, Initiator, Persona, Responder; EST's Peer), and where -07's LwM2M players
  sentence is -02's word for word.
- Section 3.3: -02's two groups and their members (3.3.1, 3.3.2) against -07's four and theirs, modes as written.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from iotkg.cli import main

# mechanism (the -07 short name) -> (terms added, terms removed), as written in -07 / -02
TERMS = {
    "Bluetooth Mesh": ({"Beaconing", "Reprovisioning"}, set()),
    "Wi-Fi DPP": ({"Reconfiguration"}, set()),
    "EST": (set(), {"configuration"}),
    "LwM2M": (set(), set()),
    "EAP-NOOB": (set(), set()),
    "OCF": (set(), set()),
    "BRSKI": ({"Join", "Imprint"}, set()),
    "SZTP": (set(), {"configuration"}),
    "FDO": ({"late binding", "Resale", "Re-provisioning"}, {"commissioning"}),
    "Thread": ({"Petitioning", "Entrust", "Attach", "Join"}, set()),
}
PLAYERS = {
    "Wi-Fi DPP": (set(), {"Authenticator", "Client", "Controller", "Initiator", "Persona", "Responder"}),
    "EST": (set(), {"Peer"}),
    "LwM2M": (set(), set()),
}
# -07's LwM2M Processes paragraph is -02's word for word ("LwM2M does not require any actions from the device
# owner/user. Once the device is registered with the LwM2M server, ..."): no process added or removed
PROCESSES = {"LwM2M": (set(), set())}
SECTION_3_3 = {
    "02": {
        "No initial trust established": ["Bluetooth", "EAP-NOOB", "OCF"],
        "Initial trust based on the credentials installed": [
            "BRSKI", "DPP", "EST", "FIDO", "LPWAN", "OMA", "SZTP", "Thread",
        ],
    },
    "07": {
        "The Blank Slate (No Cryptographic Secrets)": ["EAP-NOOB", "OCF: Just Works", "OCF: Random PIN"],
        "Static Symmetric Secrets": ["LwM2M: Factory or Smartcard modes", "Thread"],
        "Raw Asymmetric Keys": [
            "Bluetooth Mesh: Static OOB authentication", "LwM2M: Raw Public Key (RPK) mode", "Wi-Fi DPP",
        ],
        "Certificates and Supporting Infrastructure": [
            "Bluetooth Mesh: v1.1 certificate provisioning", "BRSKI", "EST", "FDO",
            "OCF: certificate-based modes", "SZTP",
        ],
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def result() -> dict:
    run = CliRunner().invoke(main, ["diff", "--from", "02", "--to", "07", "--format", "json"])
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def test_mechanisms_removed_renamed_and_none_added(result: dict) -> None:
    mechanisms = result["mechanisms"]
    assert mechanisms["added"] == []
    assert [(m["from"]["heading"], m["from"]["section"], m["to"]) for m in mechanisms["removed"]] == [
        ("LPWAN", "2.10", None)
    ]
    renamed = [
        (m["from"]["heading"], m["from"]["section"], m["to"]["heading"], m["to"]["section"])
        for m in mechanisms["renamed"]
    ]
    assert renamed == [
        ("Bluetooth", "2.1", "Bluetooth Mesh Provisioning", "2.1"),
        ("Fast IDentity Online (FIDO) alliance", "2.7", "FIDO Device Onboard (FDO)", "2.9"),
    ]
    assert {c["to"]["name"] for c in result["changes"]} == set(TERMS)  # the ten both editions record


def changes_of(result: dict, name: str) -> dict:
    return next(c for c in result["changes"] if c["to"]["name"] == name)


@pytest.mark.parametrize("name", sorted(TERMS))
def test_terms_added_and_removed_per_mechanism(result: dict, name: str) -> None:
    terms = changes_of(result, name)["terms"]
    added, removed = TERMS[name]
    assert ({t["name"] for t in terms["added"]}, {t["name"] for t in terms["removed"]}) == (added, removed)


@pytest.mark.parametrize("name", sorted(PLAYERS))
def test_players_added_and_removed_where_the_words_decide(result: dict, name: str) -> None:
    players = changes_of(result, name)["players"]
    added, removed = PLAYERS[name]
    assert ({p["name"] for p in players["added"]}, {p["name"] for p in players["removed"]}) == (added, removed)


def test_processes_where_the_paragraph_did_not_change(result: dict) -> None:
    for name, (added, removed) in PROCESSES.items():
        processes = changes_of(result, name)["processes"]
        assert ({p["name"] for p in processes["added"]}, {p["name"] for p in processes["removed"]}) == (added, removed)


def test_section_3_3_two_groups_against_four(result: dict) -> None:
    pair = next(p for p in result["classifications"] if p["from"] and p["to"] and p["to"]["section"] == "3.3")
    for edition, side in (("02", pair["from"]), ("07", pair["to"])):
        groups = {g["label"]: set(g["members"]) for g in side["groups"]}
        assert groups == {label: set(members) for label, members in SECTION_3_3[edition].items()}, edition


def test_the_json_is_canonical(result: dict) -> None:
    text = CliRunner().invoke(main, ["diff", "--from", "02", "--to", "07", "--format", "json"]).stdout
    assert text == json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
