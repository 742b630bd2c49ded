"""The equivalent-roles view lists exactly the pairs the hand-checked players golden implies (same category)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from iotkg import views
from iotkg.store import GraphStore

GOLDEN = Path(__file__).parent / "golden" / "players.csv"


def test_equivalent_roles_among_listed_players_follow_the_players_golden(store: GraphStore) -> None:
    players = list(csv.DictReader(GOLDEN.open(encoding="utf-8", newline="")))
    expected = {
        (a["protocol"], a["player"], b["protocol"], b["player"])
        for a in players
        for b in players
        if a["category"]
        and a["category"] == b["category"]
        and (a["protocol"], a["player"]) != (b["protocol"], b["player"])
    }
    assert len(expected) > 1000
    listed = {(p["protocol"], p["player"]) for p in players}
    text = views.render(views.run_view(views.find_view("equivalent-roles"), store), "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["protocol", "role", "equivalent_protocol", "equivalent_role", "basis"]
    got = {
        (r["protocol"], r["role"], r["equivalent_protocol"], r["equivalent_role"])
        for r in rows
        if (r["protocol"], r["role"]) in listed and (r["equivalent_protocol"], r["equivalent_role"]) in listed
    }
    assert got == expected
    category = {(p["protocol"], p["player"]): p["category"] for p in players}
    for r in rows:
        key = (r["protocol"], r["role"])
        if key in listed and category[key]:
            assert r["basis"].startswith("same category: " + category[key])


def test_brski_registrar_and_jrc_pair_names_the_same_entity_basis(store: GraphStore) -> None:
    rows = views.run_view(views.find_view("equivalent-roles"), store)
    text = views.render(rows, "csv")
    line = next(line for line in text.splitlines() if line.startswith("BRSKI,Domain Registrar,BRSKI,JRC,"))
    assert line.endswith("same entity as stated in the draft")
