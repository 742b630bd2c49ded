"""The equivalent-roles view lists exactly the pairs the hand-checked players golden implies (a shared category, one
row per category), says who placed each role there, and never crosses two categories: for edition -02 (its nine
Section 3.2 categories and tests/golden/02/players.csv); for edition -07, the pairs its players view implies."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from iotkg import views

GOLDEN = Path(__file__).parent / "golden" / "02" / "players.csv"
STEER = "Entity that steers the process for the IoT device to securely join the network"
HELP = "Entity that aids in the process"
OWN = "Entity that owns the device"


def view_rows(shipped_rows: Callable[..., views.Rows], name: str, edition: str) -> list[dict[str, str]]:
    """A view's rows as dicts of its CSV's strings (``shipped_rows``: views.run_view on the shipped store)."""
    text = views.render(shipped_rows(name, edition), "csv")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def rows(shipped_rows: Callable[..., views.Rows]) -> list[dict[str, str]]:
    """The pairs of edition -02."""
    return view_rows(shipped_rows, "equivalent-roles", "02")


def pairs_sharing_a_category(players: list[dict[str, str]]) -> set[tuple[str, ...]]:
    """Every two players (protocol, name) of the players rows placed in one category, with that category."""
    return {
        (a["protocol"], a["player"], b["protocol"], b["player"], a["category"])
        for a in players
        for b in players
        if a["category"]
        and a["category"] == b["category"]
        and (a["protocol"], a["player"]) != (b["protocol"], b["player"])
    }


def test_equivalent_roles_among_listed_players_follow_the_players_golden(rows: list[dict[str, str]]) -> None:
    players = list(csv.DictReader(GOLDEN.open(encoding="utf-8", newline="")))
    expected = pairs_sharing_a_category(players)
    assert len(expected) > 1000
    listed = {(p["protocol"], p["player"]) for p in players}
    assert list(rows[0]) == ["protocol", "role", "equivalent_protocol", "equivalent_role", "category", "basis"]
    got = {
        (r["protocol"], r["role"], r["equivalent_protocol"], r["equivalent_role"], r["category"])
        for r in rows
        if (r["protocol"], r["role"]) in listed and (r["equivalent_protocol"], r["equivalent_role"]) in listed
    }
    assert got == expected


def test_no_pair_crosses_two_categories(rows: list[dict[str, str]]) -> None:
    """Every row names a category both roles are placed in (or is the draft's same-entity link): a role placed in two
    groups does not merge them."""
    for r in rows:
        assert r["category"] or r["basis"] == "same entity as stated in the draft", r
    pairs = {(r["protocol"], r["role"], r["equivalent_protocol"], r["equivalent_role"]) for r in rows}
    assert ("BRSKI", "Server", "DPP", "Configurator") not in pairs  # Rendezvous Server is in both groups
    assert ("SZTP", "Redirect Server", "BRSKI", "Join Proxy") not in pairs  # Bootstrap Server is in both groups
    assert ("BRSKI", "Owner", "DPP", "User") not in pairs  # device owner/user is in both groups


def test_the_draft_double_placements_play_a_part_in_each_group(rows: list[dict[str, str]]) -> None:
    found = {(r["protocol"], r["role"], r["equivalent_protocol"], r["equivalent_role"], r["category"]) for r in rows}
    for other in (("DPP", "Configurator"), ("BRSKI", "JRC"), ("Thread", "Commissioner")):
        assert ("FIDO", "Rendezvous Server", *other, STEER) in found
    for bootstrap in (("SZTP", "Bootstrap Server"), ("OMA", "LwM2M Bootstrap-Server")):
        for helper in (("BRSKI", "Join Proxy"), ("Thread", "Border Router"), ("LPWAN", "Border Router")):
            assert (*bootstrap, *helper, HELP) in found
    for owner in (("BRSKI", "Owner"), ("Bluetooth", "Manager"), ("EAP-NOOB", "device owner")):
        assert ("EAP-NOOB", "device owner/user", *owner, OWN) in found


def test_the_basis_says_who_placed_each_role(rows: list[dict[str, str]]) -> None:
    row = next(
        r
        for r in rows
        if (r["protocol"], r["role"], r["equivalent_protocol"]) == ("Thread", "Joiner", "BRSKI")
        and r["equivalent_role"] == "Pledge"
    )
    assert row["basis"].startswith('Joiner: placed by iotkg: Section 2.11: "Joiner is the node that intends')
    assert row["basis"].endswith('Pledge: placed by the draft (3.2 lists "pledge")')


def test_brski_registrar_and_jrc_pair_names_the_same_entity_basis(rows: list[dict[str, str]]) -> None:
    (row,) = [
        r for r in rows if (r["protocol"], r["role"], r["equivalent_role"]) == ("BRSKI", "Domain Registrar", "JRC")
    ]
    assert row["category"] == STEER
    assert row["basis"].endswith("same entity as stated in the draft")


def test_the_masa_is_brski_s_by_rfc_8995_not_by_the_draft(reasoned) -> None:
    """Section 2.8 never names the MASA; attaching it to BRSKI is RFC 8995's, so it is not marked as the draft's."""
    from rdflib import Literal, URIRef

    from iotkg.namespaces import IOTKG

    masa = URIRef("https://w3id.org/iotkg/id/brski/role-masa")
    graph = reasoned.asserted
    assert graph.value(masa, IOTKG.fromDraft) == Literal(False)
    assert graph.value(masa, IOTKG.draftSection) is None
    assert str(graph.value(masa, IOTKG.sourceSection)) == "1.2"
    assert graph.value(masa, IOTKG.matchesListing) == URIRef(
        "https://w3id.org/iotkg/id/category/external-third-party-2"
    )


def test_07_pairs_are_the_players_that_share_a_07_category(shipped_rows: Callable[..., views.Rows]) -> None:
    """-07's equivalences are per -07 category: exactly the pairs of players its players view places in one -07
    Section 3.2 group (named as -07 writes them), one row per shared category, and no pair crosses two groups."""
    players = view_rows(shipped_rows, "players", "07")
    rows07 = view_rows(shipped_rows, "equivalent-roles", "07")
    expected = pairs_sharing_a_category(players)
    assert expected
    listed = {(p["protocol"], p["player"]) for p in players}
    got = {
        (r["protocol"], r["role"], r["equivalent_protocol"], r["equivalent_role"], r["category"])
        for r in rows07
        if r["category"]
        and (r["protocol"], r["role"]) in listed
        and (r["equivalent_protocol"], r["equivalent_role"]) in listed
    }
    assert got == expected
    categories07 = {r["category"] for r in view_rows(shipped_rows, "role-categories", "07")}
    assert all(r["category"] in categories07 for r in rows07 if r["category"]), "a category of another edition"
