"""``iotkg diff``: what changed between two modelled editions of the draft (``queries/diff/*.rq``)."""

from __future__ import annotations

import json
from typing import Any

from iotkg import editions, paths, views
from iotkg.errors import InputError
from iotkg.store import GraphStore

COMPARED_BY = {
    "mechanisms": "by IRI, recorded in an edition by its own node or an iotkg:ProtocolMention of it; renamed where "
    "the Section 2 heading differs",
    "terms": "by the term concept (iotkg:refersToTerm), shown as written",
    "players": "by role IRI (the role's own iotkg:edition, or an iotkg:RoleMention of the edition), shown as written",
    "processes": "by case-folded rdfs:label (processes keep no IRI across editions), shown as written",
    "initial beliefs": "by basis credential kind (iotkg:basis; a belief with several counts under each): what the "
    "device holds before the protocol runs",
    "imparted beliefs": "by basis credential kind (iotkg:basis), as initial beliefs: what the protocol gives it",
    "classifications": "by pairing a Section 3 classification with the one it replaces (iotkg:replaces), then those "
    "of one edition only; groups with their members",
}
ASPECTS = ("terms", "players", "processes", "initial beliefs", "imparted beliefs")


def _records(name: str, store: GraphStore, **editions: str) -> list[dict[str, Any]]:
    view = views.read_view(paths.queries_dir() / "diff" / f"{name}.rq")
    return views.run_view(view, store, {k: views.Term("uri", v) for k, v in editions.items()}).records()


def choose(store: GraphStore, old: str | None, new: str | None) -> tuple[str, str]:
    """The editions to compare (by default the latest modelled one and the one before); InputError if unknown."""
    known = [edition.number for edition in editions.editions(store)]
    hint = f"Modelled editions: {', '.join(known) or 'none'} (iotkg:editionNumber, iotkg:modelled true)."
    old, new = (v.zfill(2) if v and v.isdigit() else v for v in (old, new))
    for option, value in (("--from", old), ("--to", new)):
        if value is not None and value not in known:
            raise InputError(f"{option} {value}: the graph models no such edition", hint=hint)
    new = new or (known[-1] if known else None)
    old = old or next((n for n in reversed(known) if new and n < new), None)
    if old is None or new is None or old == new:
        raise InputError("two different modelled editions are needed to compare", hint=hint)
    return old, new


def diff(store: GraphStore, old: str, new: str) -> dict[str, Any]:
    """What changed from edition ``old`` to ``new``: mechanisms, each one's aspects, the classifications."""
    known = {edition.number: {"iri": edition.iri, "label": edition.label} for edition in editions.editions(store)}
    bound = {"from": known[old]["iri"], "to": known[new]["iri"]}
    mechanisms: dict[str, list] = {"added": [], "removed": [], "renamed": []}
    changes: dict[str, dict] = {}
    for row in _records("mechanisms", store, **bound):
        sides = {s: {k: row[f"{s}_{k}"] for k in ("name", "heading", "section")} for s in ("from", "to")}
        entry = {"protocol": row["p"], **{s: v if v["heading"] else None for s, v in sides.items()}}
        mechanisms.get(row["change"], []).append(entry)
        if row["change"] in ("kept", "renamed"):
            changes[row["p"]] = {**entry, **{a: {"added": [], "removed": []} for a in ASPECTS}}
    for row in _records("items", store, **bound):
        if row["p"] in changes:
            changes[row["p"]][row["aspect"]][row["change"]].append({"key": row["key"], "name": row["name"]})
    pairs: dict[tuple, dict] = {}
    for row in _records("classifications", store, **bound):
        pair = pairs.setdefault((row["before"], row["after"]), {"from": None, "to": None})
        keys = {"classification": row["c"], "label": row["label"], "section": row["section"], "groups": {}}
        side = pair[row["side"]] = pair[row["side"]] or keys
        if row["g"]:
            group = side["groups"].setdefault(row["g"], {"group": row["g"], "label": row["group"], "members": []})
            group["members"] += [row["member"]] if row["member"] else []
    for side in (s for pair in pairs.values() for s in pair.values() if s):
        side["groups"] = list(side["groups"].values())
    return {
        "from": {"edition": old, **known[old]},
        "to": {"edition": new, **known[new]},
        "compared_by": COMPARED_BY,
        "mechanisms": mechanisms,
        "changes": list(changes.values()),
        "classifications": list(pairs.values()),
    }


def _name(side: dict | None, key: str = "heading") -> str:
    return f"{side[key]}" + (f" (§{side['section']})" if side["section"] else "") if side else "—"


def tables(result: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The result as titled tables (title, headers, rows of cells): mechanisms, items, classifications."""
    old, new = (f"-{result[side]['edition']}" for side in ("from", "to"))
    mechanisms = [[change, _name(m["from"]), _name(m["to"])] for change, ms in result["mechanisms"].items() for m in ms]
    changes = [
        (c["to"]["name"], a, change, c[a][change]) for c in result["changes"] for a in ASPECTS for change in c[a]
    ]
    items = [[*change[:3], item["name"]] for change in changes for item in change[3]]
    pairs = [(" → ".join(_name(s, "label") for s in p.values()), p) for p in result["classifications"]]
    sides = [(label, e, s) for label, p in pairs for e, s in zip((old, new), p.values(), strict=True) if s]
    empty = [{"label": "—", "group": "", "members": []}]
    groups = [
        [lab, e, g["label"] or g["group"], ", ".join(g["members"])] for lab, e, s in sides for g in s["groups"] or empty
    ]
    arrow = f"({old} → {new})"
    return [
        (f"Mechanisms added, removed, renamed {arrow}", ["change", old, new], mechanisms),
        (f"Changes in the mechanisms both record {arrow}", ["mechanism", "aspect", "change", "name"], items),
        (f"Classifications before and after {arrow}", ["classification", "edition", "group", "members"], groups),
    ]


def render(result: dict[str, Any], fmt: str, width: int = 160) -> str:
    """The result as ``table`` (terminal tables), ``md`` (Markdown) or ``json`` (canonical: sorted keys)."""
    if fmt == "json":
        return json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    drawn = [
        (title, views.Rows(headers, [tuple(views.Term("literal", cell) for cell in row) for row in rows]))
        for title, headers, rows in tables(result)
    ]
    if fmt == "md":
        return "\n".join(f"## {title}\n\n{views.render(rows, 'md')}" for title, rows in drawn)
    return "\n".join(views.to_table(rows, title, width) for title, rows in drawn)
