"""The pages' contents (what each template is given) and the Jinja2 environment that renders them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
import pyoxigraph as ox

from iotkg import diff, editions, views
from iotkg.site.data import Link, Protocol, Record, SiteData, group_rows, number
from iotkg.store import ASSERTED, GraphStore
from iotkg.version import __version__

TEMPLATES = Path(__file__).parent / "templates"

# The Section 3 comparisons and the "which mechanism fits" views (and those named advise*), in the home page's order.
SECTION_3_VIEWS = {
    "terminology": "3.1",
    "role-categories": "3.2",
    "initial-beliefs": "3.3",
    "processes": "3.4",
    "imparted": "3.5",
}
FIT_VIEWS = ("no-installed-credential", "out-of-band", "third-party")
FIT_PREFIX = "advise"
# Columns of the comparison view: a heading, and the part of the protocol page a cell links to.
COMPARISON_COLUMNS = {
    "protocol": ("Protocol", ""),
    "section": ("Draft section", ""),
    "terms": ("Terms", "terms"),
    "players": ("Players", "roles"),
    "initial_trust": ("Initial beliefs (Section 3.3 category)", "initial-beliefs"),
    "processes": ("Processes", "processes"),
    "imparted_scope": ("Beliefs imparted (how far the trust reaches)", "imparted"),
}
PROTOCOL_COLUMNS = ("protocol", "equivalent_protocol")
# A view's page shows its first VIEW_PAGE_ROWS rows; the navigation lists up to NAV_PROTOCOLS protocols one by one.
VIEW_PAGE_ROWS = 2000
NAV_PROTOCOLS = 60


@dataclass
class Cell:
    """A cell of a results table: its column, its text, and the page it links to (or "")."""

    name: str
    value: str
    href: str


@dataclass
class RoleGroup:
    """Roles that play one part: a label (their Section 3.2 categories), and per protocol the roles in it."""

    label: str
    alone: bool
    protocols: list[dict[str, object]]


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the HTML templates: autoescaping on, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(version=__version__, section_3=SECTION_3_VIEWS, nav_limit=NAV_PROTOCOLS)
    return env


def view_groups(all_views: list[views.View]) -> list[tuple[str, str, list[views.View]]]:
    """The views in three groups: Section 3's comparisons, "which mechanism fits", and the rest (each by name)."""
    by_name = {view.name: view for view in all_views}
    section_3 = [by_name[name] for name in SECTION_3_VIEWS if name in by_name]
    fit = [by_name[name] for name in FIT_VIEWS if name in by_name]
    fit += sorted((v for v in all_views if v.name.startswith(FIT_PREFIX) and v not in fit), key=lambda v: v.name)
    return [
        ("section-3", "The draft's Section 3 comparisons", section_3),
        ("fit", "Which mechanism fits", fit),
        ("more", "More views", [view for view in all_views if view not in section_3 and view not in fit]),
    ]


def _by_position(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return sorted(rows, key=lambda row: (number(row["position"]), str(row["name"])))


def protocol_context(data: SiteData, protocol: Protocol) -> dict[str, object]:
    """What a protocol's page shows: each fact with its anchor and provenance, each role named with its link."""
    root = "../"
    shown: set[str] = {protocol.iri}

    def fact(row: Record, again: str = "again", **extra: object) -> dict[str, object]:
        """A fact's row; a fact shown twice (a -07 term is a TermUse and a TermDefinition) gets a second id."""
        iri = row["fact"] or ""
        anchor = data.anchor.get(iri, "")
        if iri in shown and anchor:
            anchor = f"{anchor}-{again}"
        shown.add(iri)
        return {**row, **extra, "anchor": anchor, "provenance": data.provenance.get(iri)}

    def with_roles(row: Record, link: str = "involvesRole") -> dict[str, object]:
        return fact(row, roles=data.links_of(row["fact"] or "", link, root))

    role_rows = []
    for row in data.of("roles", protocol):
        by_protocol: dict[str, list[Link]] = {}
        for other in data.equivalents.get(row["fact"] or "", []):
            shown_as = data.by_iri.get(data.fact_protocol.get(other.iri, ""))  # the edition's name of its protocol
            name = shown_as.name if shown_as else other.protocol
            named = data.role_name.get(other.iri) or other.name  # as the edition names it
            by_protocol.setdefault(name, []).append(Link(named, data.role_href(other.iri, root)))
        here = by_protocol.pop(protocol.name, [])
        ordered = sorted(by_protocol.items(), key=lambda item: data.order.get(item[0], 10**6))
        role_rows.append(fact(row, elsewhere=ordered, here=here))

    def belief(row: Record) -> dict[str, object]:
        iri = row["fact"] or ""
        return fact(row, truster=data.links_of(iri, "truster", root), trustee=data.links_of(iri, "trustee", root))

    beliefs = data.of("beliefs", protocol)
    initial = [belief(row) for row in beliefs if row["which"] == "initial"]
    imparted = [belief(row) for row in beliefs if row["which"] == "imparted"]
    terms = [fact(row) for row in data.of("terms", protocol)]
    classifications = [fact(row) for row in data.of("classifications", protocol)]
    processes = []
    for row in data.of("processes", protocol):
        steps = [with_roles(step) for step in data.steps.get((protocol.iri, row["fact"]), [])]
        processes.append({**with_roles(row), "steps": _by_position(steps)})
    groups: dict[str, list[dict[str, object]]] = {}
    for row in data.of("parts", protocol):
        if row["process"] is None and (row["fact"] or "") not in shown:
            groups.setdefault(row["kind"] or "part", []).append(with_roles(row))
    other_parts = [
        {"kind": kind, "alternative": any(i["alternative"] == "true" for i in items), "items": _by_position(items)}
        for kind, items in sorted(groups.items())
    ]
    return {  # (the facts of no other part last: made after all the others)
        "root": root,
        "protocol": protocol,
        "provenance": data.provenance.get(protocol.iri),
        "terms": terms,
        "roles": role_rows,
        "initial": initial,
        "classifications": classifications,
        "processes": processes,
        "other_parts": other_parts,
        "imparted": imparted,
        "diagram": None,
        "definitions": [fact(row, "definition") for row in data.of("definitions", protocol)],
        "inconsistencies": [fact(row) for row in data.inconsistencies_of.get(protocol.iri, [])],
        "other_facts": [fact(row) for row in data.of("facts", protocol) if (row["fact"] or "") not in shown],
    }


def statements_jsonld(graph: GraphStore, iris: list[str]) -> str:
    """The asserted statements about ``iris`` as JSON-LD for a ``<script>`` (RDFC-1.0, sorted; ``<`` escaped)."""
    found = (graph.store.quads_for_pattern(ox.NamedNode(iri), None, None, ASSERTED) for iri in sorted(set(iris)))
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for quads in found for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return ox.serialize(sorted(dataset, key=str), format=ox.RdfFormat.JSON_LD).decode().replace("<", "\\u003c")


def comparison_context(data: SiteData, comparison: views.Rows) -> dict[str, object]:
    """The home page's table: the comparison view's rows, each cell linking to the part of its protocol's page."""
    columns = [
        {"name": name, "heading": COMPARISON_COLUMNS.get(name, (name.replace("_", " ").capitalize(), ""))[0]}
        for name in comparison.variables
    ]
    rows = []
    for row in comparison.records():
        protocol = data.by_name.get(row.get("protocol") or "")
        cells = []
        for name, value in row.items():
            anchor = COMPARISON_COLUMNS.get(name, ("", ""))[1]
            href = f"protocols/{protocol.slug}.html" + (f"#{anchor}" if anchor else "") if protocol else ""
            cells.append(Cell(name, value or "", href))
        rows.append(cells)
    return {"view": views.find_view("comparison"), "columns": columns, "rows": rows}


def view_context(data: SiteData, view: views.View, rows: views.Rows) -> dict[str, object]:
    """A view's page: its first ``VIEW_PAGE_ROWS`` rows as cells (protocol names linked to their pages)."""

    def cell(name: str, value: views.Term | None) -> Cell:
        text = "" if value is None else value.value
        protocol = data.by_name.get(text) if name in PROTOCOL_COLUMNS else None
        return Cell(name, text, f"../protocols/{protocol.slug}.html" if protocol else "")

    return {
        "root": "../",
        "view": view,
        "variables": rows.variables,
        "rows": [[cell(*pair) for pair in zip(rows.variables, row, strict=True)] for row in rows.rows[:VIEW_PAGE_ROWS]],
        "total": len(rows.rows),
        "reads_edition": editions.reads_edition(view.text),
    }


def inconsistencies_context(data: SiteData) -> dict[str, object]:
    """The draft's inconsistencies, each with its protocol and its anchor on that protocol's page."""
    rows = [
        {**r, "protocol": data.by_iri.get(r["p"] or ""), "anchor": data.anchor.get(r["fact"] or "", "")}
        for r in data.tables["inconsistencies"]
    ]
    return {"inconsistencies": rows}


def changes_context(graph: GraphStore, edition: str | None = None) -> dict[str, object]:
    """The "What changed" page: ``iotkg diff`` of ``edition`` (the latest by default) against the one before."""
    known = [modelled.number for modelled in editions.editions(graph)]  # (oldest first)
    new = edition or (known[-1] if known else None)
    old = known[known.index(new) - 1] if new in known and known.index(new) > 0 else None
    result = diff.diff(graph, old, new) if old and new else None
    return {
        "changes": result,
        "tables": diff.tables(result) if result else [],
        "compared_by": diff.COMPARED_BY,
        "later": known[known.index(new) + 1 :] if new in known else [],
    }


def edition_switch(known: list[editions.Edition], current: editions.Edition) -> list[dict[str, object]]:
    """The links of the edition switch on ``current``'s pages, the latest first, relative to its site's folder."""
    bases = {edition.number: edition_folder(known, edition) for edition in known}
    up = "../" * bases[current.number].count("/")
    return [
        {
            "label": f"-{other.number}" + (f" ({other.issued})" if other.issued else ""),  # (a date where known)
            "number": other.number,
            "current": other == current,
            "folder": up + bases[other.number],  # (the home page: its index.html)
        }
        for other in reversed(known)
    ]


def edition_folder(known: list[editions.Edition], edition: editions.Edition) -> str:
    """Where an edition's site goes in the site's folder: "" for the latest, ``editions/<number>/`` for the others."""
    return "" if edition == known[-1] else f"editions/{edition.number}/"


def role_groups(data: SiteData) -> list[RoleGroup]:
    """Roles by the part they play: a group per Section 3.2 category, then the roles with no category."""
    rows = sorted(data.tables["roles"], key=lambda row: row["fact"] or "")
    groups = []
    for category in data.tables["categories"]:
        if members := [row for row in rows if category["category"] in (row["categories"] or "").split()]:
            groups.append(RoleGroup(category["name"] or "", False, _per_protocol(data, members)))
    if alone := [row for row in rows if not row["categories"]]:
        groups.append(RoleGroup("No category in the draft", True, _per_protocol(data, alone)))
    return groups


def _per_protocol(data: SiteData, rows: list[Record]) -> list[dict[str, object]]:
    """Roles (rows of ``roles``) by protocol, in the protocols' order; in each, the players first, by position."""
    found = group_rows(rows, "p")
    entries = []
    for protocol in data.protocols:
        if protocol.iri in found:
            chosen = sorted(found[protocol.iri], key=lambda r: (number(r["position"]), (r["name"] or "").lower()))
            chosen.sort(key=lambda r: r["player"] != "true")  # the players first (a stable sort)
            roles = [{"name": r["name"] or "", "href": data.role_href(r["fact"] or "", "")} for r in chosen]
            entries.append({"protocol": protocol, "roles": roles})
    return entries
