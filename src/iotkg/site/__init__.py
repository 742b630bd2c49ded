"""The browsable report: a static, offline web site of the comparison, generated from the graph with templates.

``write_site`` writes, into one folder:

- ``index.html``: the protocol-by-characteristic comparison (the ``comparison`` view), each cell linking to the
  protocol's page;
- ``protocols/<name>.html``: one page per protocol, every fact of it with the draft section it comes from, its
  processes and their steps in order (with a diagram), its roles with their categories and their equivalents in the
  other protocols (``iotkg.roles``);
- ``views/<view>.html`` for every view in ``queries/`` (so a view added later gets its page with no code change),
  each with its SPARQL, its first ``VIEW_PAGE_ROWS`` rows, and all its results as CSV and JSON
  (``views/<view>.csv``, ``.json``, ``.rq``);
- ``roles.html`` and ``diagrams/*.svg``: role equivalence and each protocol's process order, laid out by Graphviz;
- ``inconsistencies.html``: every draft inconsistency;
- ``ontology/index.html``: the ontology documentation by pyLODE, with the site's navigation added.

All data reaches the pages through SPARQL (the views, and the site's own queries in ``templates/queries/``) and
``iotkg.roles``; Jinja2 renders it with autoescaping on. Pages need no JavaScript and load nothing from the network.
Output is deterministic: the same graph gives the same bytes.

The work grows with the graph, not its square: ``SiteData`` runs each query once and indexes its rows (by protocol,
by fact and link, by process), the navigation's protocol links are rendered once per page depth (``ProtocolNav``),
the pieces that pages repeat (a fact's source, a list of role links, a cell of a results table) are rendered once
each (``Fragments``), and Graphviz lays the diagrams out while the protocol pages render.
"""

from __future__ import annotations

import functools
import itertools
import logging
import operator
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup

from iotkg import __version__, collector, paths, views
from iotkg import roles as role_lookup
from iotkg.errors import InputError
from iotkg.output import MARKER, write_text
from iotkg.parallel import Background
from iotkg.site import diagrams
from iotkg.store import GraphStore

TEMPLATES = Path(__file__).parent / "templates"
SITE_QUERIES = TEMPLATES / "queries"
FILE_LIST = ".iotkg-site-files"
ROLES_DIAGRAM = "diagrams/roles.svg"
FONT = "DejaVu Sans"

# The Section 3 comparisons and the "which mechanism fits" views, in the order the home page lists them; views whose
# name starts with "advise" join the second group; every other view in queries/ is listed under "More views".
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
# A page shows a view's first VIEW_PAGE_ROWS rows (every row is in its CSV and JSON); the navigation lists the
# protocols one by one up to NAV_PROTOCOLS of them, else links to the home page's list. Both keep a page readable,
# and the site's size growing with the graph rather than its square (1,100 protocol links on each of 1,100 pages).
VIEW_PAGE_ROWS = 2000
NAV_PROTOCOLS = 60
# The role diagram is drawn for up to ROLES_DIAGRAM_PROTOCOLS protocols: one box per protocol in each group of roles,
# so past that it is too large to read, and Graphviz's layout of it grows faster than the graph (0.2 CPU-seconds at
# 110 protocols, 16-31 at 1,100); the roles page lists the same groups in any case.
ROLES_DIAGRAM_PROTOCOLS = 120
# Each download format of a view, and the suffix of the file the caller of ``write_site`` wrote it to (``downloads``).
DOWNLOAD_SUFFIX = {"csv": "csv", "json": "srj"}
PALETTE = (
    "#fde2c8",
    "#d6ecd2",
    "#d4e4f7",
    "#f6d5e5",
    "#e5dcf3",
    "#fff3b8",
    "#cdeeee",
    "#f3dcc9",
    "#e0e8c8",
    "#dfe3ea",
    "#f9d0d0",
    "#d9f0e4",
)

Record = dict[str, str | None]
# The site's queries whose rows each belong to one protocol (column ``p``), as SiteData's attributes.
PROTOCOL_TABLES = ("facts", "terms", "roles", "beliefs", "classifications", "processes", "parts", "definitions")


@dataclass
class SiteSummary:
    """What ``write_site`` wrote."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    pages: int = 0
    diagrams: int = 0
    warnings: list[str] = field(default_factory=list)


class Provenance(NamedTuple):
    """Where a fact comes from: draft sections, or a specification and its section (a tuple: hashed quickly, as
    ``Fragments`` looks each one up)."""

    draft: str = ""
    source: str = ""
    source_section: str = ""


class Link(NamedTuple):
    """A link to a role's row on its protocol's page: the role's name, and the address ("" where it has no page)."""

    name: str
    href: str


class Elsewhere(NamedTuple):
    """A protocol's roles that play the same part as a role of another protocol (as HTML: ``Fragments.role_list``)."""

    protocol: str
    roles: Markup


class Cell(NamedTuple):
    """A cell of a results table: its column, its text, and the page it links to (or "")."""

    name: str
    value: str
    href: str


@dataclass
class Protocol:
    """A protocol as the site shows it."""

    iri: str
    name: str
    slug: str
    title: str
    section: str
    specification: str
    color: str


def _warn(message: str) -> None:
    print(f"iotkg: warning: {message}", file=sys.stderr)


# ---------------------------------------------------------------- data, through SPARQL


def records(rows: views.Rows) -> list[Record]:
    """A view's rows as dictionaries of variable name → value (None where unbound)."""
    return [
        {name: (None if value is None else value.value) for name, value in zip(rows.variables, row, strict=True)}
        for row in rows.rows
    ]


def group_rows(rows: Iterable[Record], *columns: str) -> dict[Any, list[Record]]:
    """Rows by their value in ``columns`` (a tuple of values for more than one column), each list in the rows' order."""
    key = operator.itemgetter(*columns)
    groups: dict[Any, list[Record]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


def site_query(name: str, graph: GraphStore) -> list[Record]:
    """Run one of the site's own queries (``templates/queries/NAME.rq``): its rows as ``records`` gives them, read
    straight from Oxigraph's solutions (the site binds nothing, and needs only each term's value)."""
    view = views.read_view(SITE_QUERIES / f"{name}.rq")
    solutions = graph.store.query(view.text, use_default_graph_as_union=True)
    names = [variable.value for variable in solutions.variables]
    return [
        dict(zip(names, [None if term is None else term.value for term in solution], strict=True))
        for solution in solutions
    ]


_NOT_IN_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "item") -> str:
    """A lower-case file or anchor name made of letters, digits and hyphens."""
    slug = _NOT_IN_SLUG.sub("-", text.lower()).strip("-")
    return slug or fallback


def local_name(iri: str) -> str:
    """The last segment of an IRI (after its last ``/`` or ``#``), as an HTML id."""
    trimmed = iri.rstrip("/#")
    return slugify(trimmed[max(trimmed.rfind("/"), trimmed.rfind("#")) + 1 :], "node")


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        unique.append(name if count == 1 else f"{name}-{count}")
    return unique


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def view_groups(all_views: list[views.View]) -> list[tuple[str, str, list[views.View]]]:
    """The views in three groups: Section 3's comparisons, "which mechanism fits", and the rest (each by name)."""
    by_name = {view.name: view for view in all_views}
    section_3 = [by_name[name] for name in SECTION_3_VIEWS if name in by_name]
    fit = [by_name[name] for name in FIT_VIEWS if name in by_name]
    advice = [view for view in all_views if view.name.startswith(FIT_PREFIX) and view not in fit]
    fit += sorted(advice, key=lambda view: view.name)
    rest = [view for view in all_views if view not in section_3 and view not in fit]
    return [
        ("section-3", "The draft's Section 3 comparisons", section_3),
        ("fit", "Which mechanism fits", fit),
        ("more", "More views", rest),
    ]


SITE_TABLES = (
    "protocols",
    "facts",
    "terms",
    "roles",
    "role-links",
    "beliefs",
    "classifications",
    "processes",
    "parts",
    "definitions",
    "inconsistencies",
    "categories",
)
"""The site's own queries (``templates/queries/NAME.rq``) that ``SiteData`` reads."""


def site_tables(graph: GraphStore) -> dict[str, list[Record]]:
    """The rows of each of ``SITE_TABLES`` (they can be run in another process, and handed to ``SiteData``)."""
    return {name: site_query(name, graph) for name in SITE_TABLES}


class SiteData:
    """Everything the pages show, read once from the graph (``tables``: its ``site_tables``, if run already)."""

    def __init__(self, graph: GraphStore, tables: dict[str, list[Record]] | None = None) -> None:
        self.graph = graph
        tables = site_tables(graph) if tables is None else tables
        rows = tables["protocols"]
        slugs = _unique(slugify(row["protocol"] or "", "protocol") for row in rows)
        self.protocols = [
            Protocol(
                iri=row["p"] or "",
                name=row["protocol"] or "",
                slug=slug,
                title=row["title"] or row["protocol"] or "",
                section=row["section"] or "",
                specification=row["specification"] or "",
                color=PALETTE[index % len(PALETTE)],
            )
            for index, (row, slug) in enumerate(zip(rows, slugs, strict=True))
        ]
        self.by_iri = {protocol.iri: protocol for protocol in self.protocols}
        self.by_name = {protocol.name: protocol for protocol in self.protocols}
        self.protocol_order = {protocol.name: index for index, protocol in enumerate(self.protocols)}
        self.indexes: dict[str, list[int]] = {}  # each protocol IRI's places in ``protocols``
        for index, protocol in enumerate(self.protocols):
            self.indexes.setdefault(protocol.iri, []).append(index)
        self.facts = tables["facts"]
        self.provenance = {
            row["fact"] or "": Provenance(row["section"] or "", row["source"] or "", row["source_section"] or "")
            for row in self.facts
        }
        # one HTML id per fact node, unique within its protocol's page
        self.anchor: dict[str, str] = {}
        by_protocol: dict[str, list[str]] = {}
        for row in self.facts:
            by_protocol.setdefault(row["p"] or "", []).append(row["fact"] or "")
        for iris in by_protocol.values():
            ordered = sorted(set(iris))
            for iri, anchor in zip(ordered, _unique("fact-" + local_name(iri) for iri in ordered), strict=True):
                self.anchor.setdefault(iri, anchor)
        self.fact_protocol = {row["fact"] or "": row["p"] or "" for row in self.facts if row["fact"] != row["p"]}
        self.terms = tables["terms"]
        self.roles = tables["roles"]
        self.role_links = tables["role-links"]
        self.beliefs = tables["beliefs"]
        self.classifications = tables["classifications"]
        self.processes = tables["processes"]
        self.parts = tables["parts"]
        self.definitions = tables["definitions"]
        self.inconsistencies = tables["inconsistencies"]
        self.categories = tables["categories"]
        explained = role_lookup.Equivalences(graph)
        self.equivalents = {iri: explained.others(role) for iri, role in explained.roles.items()}
        # indexes, built once: the rows of each table by protocol, role links by (fact, link), steps by process
        self.by_protocol = {name: group_rows(getattr(self, name), "p") for name in PROTOCOL_TABLES}
        self.links = group_rows(self.role_links, "fact", "link")
        self.steps = group_rows(self.parts, "p", "process")
        self.inconsistencies_of = self._inconsistencies_by_protocol()
        self._role_links: dict[tuple[str, str, str], Link] = {}

    def _inconsistencies_by_protocol(self) -> dict[str | None, list[Record]]:
        """Each protocol's draft inconsistencies (those among its facts), in the order of ``inconsistencies``."""
        protocols_of: dict[str | None, dict[str | None, None]] = {}
        for row in self.facts:
            protocols_of.setdefault(row["fact"], {})[row["p"]] = None
        found: dict[str | None, list[Record]] = {}
        for row in self.inconsistencies:
            for protocol in protocols_of.get(row["fact"], {}):
                found.setdefault(protocol, []).append(row)
        return found

    def of(self, table: str, protocol: Protocol) -> list[Record]:
        """The rows of one of ``PROTOCOL_TABLES`` that belong to ``protocol``, in the query's order."""
        return self.by_protocol[table].get(protocol.iri, [])

    def role_href(self, role_iri: str, root: str) -> str:
        """The link to a role's row on its protocol's page, from a page ``root`` deep."""
        protocol = self.by_iri.get(self.fact_protocol.get(role_iri, ""))
        if protocol is None:
            return ""
        return f"{root}protocols/{protocol.slug}.html#{self.anchor.get(role_iri, 'roles')}"

    def role_link(self, name: str, role_iri: str, root: str) -> Link:
        """A link to a role (named ``name``) from a page ``root`` deep: one ``Link`` each, made once."""
        key = (name, role_iri, root)
        if key not in self._role_links:
            self._role_links[key] = Link(name, self.role_href(role_iri, root))
        return self._role_links[key]

    def links_of(self, fact: str, link: str, root: str) -> tuple[Link, ...]:
        """The roles a fact names through ``link`` (truster, trustee, involvesRole), with links to them."""
        return tuple(
            self.role_link(row["name"] or "", row["role"] or "", root) for row in self.links.get((fact, link), [])
        )


# ---------------------------------------------------------------- page contexts


def protocol_context(
    data: SiteData, protocol: Protocol, diagram: str | None, fragments: Fragments
) -> dict[str, object]:
    """What a protocol's page shows (each fact's provenance and each list of roles as HTML, from ``fragments``)."""
    root = "../"
    shown: set[str] = {protocol.iri}

    def fact(row: Record, **extra: object) -> dict[str, object]:
        iri = row["fact"] or ""
        shown.add(iri)
        return {
            **row,
            **extra,
            "anchor": data.anchor.get(iri, ""),
            "provenance": fragments.prov(data.provenance.get(iri)),
        }

    def roles(iri: str, link: str) -> Markup:
        return fragments.role_list(data.links_of(iri, link, root))

    terms = [fact(row) for row in data.of("terms", protocol)]
    role_rows = []
    for row in data.of("roles", protocol):
        elsewhere: dict[str, list[Link]] = {}
        here = []
        for other in data.equivalents.get(row["fact"] or "", []):
            link = data.role_link(other.name, other.iri, root)
            if other.protocol != protocol.name:
                elsewhere.setdefault(other.protocol, []).append(link)
            else:
                here.append(link)
        ordered = sorted(elsewhere.items(), key=lambda item: data.protocol_order.get(item[0], 10**6))
        role_rows.append(
            fact(
                row,
                elsewhere=[Elsewhere(name, fragments.role_list(tuple(links))) for name, links in ordered],
                here=fragments.role_list(tuple(here)),
            )
        )

    def belief(row: Record) -> dict[str, object]:
        iri = row["fact"] or ""
        return fact(row, truster=roles(iri, "truster"), trustee=roles(iri, "trustee"))

    beliefs = data.of("beliefs", protocol)
    initial = [belief(row) for row in beliefs if row["which"] == "initial"]
    imparted = [belief(row) for row in beliefs if row["which"] == "imparted"]
    classifications = [fact(row) for row in data.of("classifications", protocol)]
    processes = []
    for row in data.of("processes", protocol):
        iri = row["fact"] or ""
        steps = [
            fact(step, roles=roles(step["fact"] or "", "involvesRole"))
            for step in data.steps.get((protocol.iri, iri), [])
        ]
        steps.sort(key=lambda s: (_number(s["position"]), str(s["name"])))
        processes.append(fact(row, roles=roles(iri, "involvesRole"), steps=steps))
    groups: dict[str, list[dict[str, object]]] = {}
    for row in data.of("parts", protocol):
        if row["process"] is None and (row["fact"] or "") not in shown:
            groups.setdefault(row["kind"] or "part", []).append(
                fact(row, roles=roles(row["fact"] or "", "involvesRole"))
            )
    other_parts = [
        {
            "kind": kind,
            "alternative": any(item["alternative"] == "true" for item in items),
            "items": sorted(items, key=lambda s: (_number(s["position"]), str(s["name"]))),
        }
        for kind, items in sorted(groups.items())
    ]
    definitions = [fact(row) for row in data.of("definitions", protocol)]
    inconsistencies = [fact(row) for row in data.inconsistencies_of.get(protocol.iri, [])]
    other = [
        {
            **row,
            "anchor": data.anchor.get(row["fact"] or "", ""),
            "provenance": fragments.prov(data.provenance.get(row["fact"] or "")),
        }
        for row in data.of("facts", protocol)
        if (row["fact"] or "") not in shown
    ]
    return {
        "root": root,
        "protocol": protocol,
        "provenance": fragments.prov(data.provenance.get(protocol.iri)),
        "terms": terms,
        "roles": role_rows,
        "initial": initial,
        "classifications": classifications,
        "processes": processes,
        "other_parts": other_parts,
        "imparted": imparted,
        "definitions": definitions,
        "inconsistencies": inconsistencies,
        "other_facts": other,
        "diagram": diagram,
    }


def _number(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        return float("inf")


def comparison_context(data: SiteData, comparison: views.Rows) -> dict[str, object]:
    """The home page's table: the comparison view's rows, each cell linking to the part of its protocol's page."""
    result = records(comparison)
    variables = list(result[0]) if result else []
    columns = [
        {"name": name, "heading": COMPARISON_COLUMNS.get(name, (name.replace("_", " ").capitalize(), ""))[0]}
        for name in variables
    ]
    rows = []
    for row in result:
        protocol = data.by_name.get(row.get("protocol") or "")
        cells = []
        for name in variables:
            anchor = COMPARISON_COLUMNS.get(name, ("", ""))[1]
            href = f"protocols/{protocol.slug}.html" + (f"#{anchor}" if anchor else "") if protocol else ""
            cells.append(Cell(name, row[name] or "", href))
        rows.append(cells)
    return {"view": views.find_view("comparison"), "columns": columns, "rows": rows}


def view_context(data: SiteData, view: views.View, rows: views.Rows, fragments: Fragments) -> dict[str, object]:
    """A view's page: header, table (protocol names linked to their pages; each row as HTML), SPARQL, downloads."""
    table = []
    for row in rows.rows[:VIEW_PAGE_ROWS]:
        cells = []
        for name, value in zip(rows.variables, row, strict=True):
            text = "" if value is None else value.value
            protocol = data.by_name.get(text) if name in PROTOCOL_COLUMNS else None
            href = f"../protocols/{protocol.slug}.html" if protocol else ""
            cells.append(Cell(name, text, href))
        table.append(fragments.cells(cells))
    return {"root": "../", "view": view, "variables": rows.variables, "rows": table, "total": len(rows.rows)}


@dataclass
class RoleGroup:
    """Roles that play one part: a label (their Section 3.2 categories), and per protocol the roles in it."""

    label: str
    alone: bool
    protocols: list[dict[str, object]]


def role_groups(data: SiteData) -> list[RoleGroup]:
    """Roles grouped by the part they play: each role with every role the reasoner entailed to play the same part
    (iotkg:playsSamePartAs), in the order of the Section 3.2 categories; roles that share no part come last."""
    info = {row["fact"] or "": row for row in data.roles}
    order = {row["category"] or "": index for index, row in enumerate(data.categories)}
    labels = {row["category"] or "": row["name"] or "" for row in data.categories}
    known = set(info)
    members: dict[frozenset[str], None] = {}
    alone: list[str] = []
    for iri in sorted(info):
        group = frozenset({iri, *(other.iri for other in data.equivalents.get(iri, []))} & known)
        if len(group) == 1 and not info[iri]["category_iri"]:
            alone.append(iri)
        else:
            members.setdefault(group, None)

    def categories(group: frozenset[str]) -> list[str]:
        found = {info[iri]["category_iri"] or "" for iri in group} - {""}
        return sorted(found, key=lambda c: (order.get(c, len(order)), c))

    ordered = sorted(members, key=lambda g: ([order.get(c, len(order)) for c in categories(g)], sorted(g)))
    parts = []
    for group in ordered:
        label = "; ".join(labels.get(c, c) for c in categories(group)) or "Same entity, no category"
        parts.append((label, False, group))
    if alone:
        parts.append(("No category in the draft", True, frozenset(alone)))
    return [
        RoleGroup(label, is_alone, _per_protocol(data, [info[iri] for iri in group]))
        for label, is_alone, group in parts
    ]


def _per_protocol(data: SiteData, rows: list[Record]) -> list[dict[str, object]]:
    """Roles (rows of ``roles``) by protocol, in the protocols' order; in each, the players first, by position."""
    found = group_rows(rows, "p")
    indexes = sorted(index for iri in found for index in data.indexes.get(iri, []))
    entries = []
    for index in indexes:
        protocol = data.protocols[index]
        chosen = sorted(found[protocol.iri], key=_player_order)
        roles = [{"name": r["name"] or "", "href": data.role_href(r["fact"] or "", "")} for r in chosen]
        entries.append({"protocol": protocol, "roles": roles})
    return entries


def _player_order(row: Record) -> tuple[bool, float, str]:
    return row["player"] != "true", _number(row["position"]), (row["name"] or "").lower()


# ---------------------------------------------------------------- diagrams


def roles_dot(groups: list[RoleGroup], per_row: int = 4) -> str:
    """The DOT text of the role equivalence diagram (links relative to ``diagrams/``)."""
    dot_groups = []
    for index, group in enumerate(groups, start=1):
        nodes = []
        for entry in group.protocols:
            protocol: Protocol = entry["protocol"]  # type: ignore[assignment]
            names = [role["name"] for role in entry["roles"]]  # type: ignore[attr-defined]
            nodes.append(
                {
                    "id": f"g{index}_{protocol.slug}",
                    "label": protocol.name + "\n" + _wrap(", ".join(names), 26),
                    "color": protocol.color,
                    "url": f"../protocols/{protocol.slug}.html#roles",
                    "tooltip": f"{protocol.name}: {', '.join(names)}",
                }
            )
        chain = [(a["id"], b["id"]) for a, b in itertools.pairwise(nodes)]
        dot_groups.append(
            {
                "label": _wrap(group.label, 30),
                "tooltip": group.label,
                "fill": "#f7f7f7" if group.alone else "#ffffff",
                "nodes": nodes,
                "chain": chain,
            }
        )
    links = []
    for index in range(len(dot_groups) - per_row):
        above, below = dot_groups[index]["nodes"], dot_groups[index + per_row]["nodes"]
        if above and below:
            links.append((above[-1]["id"], below[0]["id"]))
    title = "Role equivalence: roles that play the same part, grouped by Section 3.2 category"
    return diagrams.render_dot("roles.dot", groups=dot_groups, links=links, title=title, font=FONT)


def process_dot(protocol: Protocol, context: dict[str, object]) -> str | None:
    """The DOT text of one protocol's process order, or None if it has no processes."""
    processes = context["processes"]
    if not processes:
        return None
    page = f"../protocols/{protocol.slug}.html"
    nodes = []
    for index, process in enumerate(processes, start=1):  # type: ignore[union-attr]
        pid = f"p{index}"
        steps = [
            {
                "id": f"{pid}s{number}",
                "label": _wrap(f"{step['position'] or number}. {step['name']}", 24),
                "url": f"{page}#{step['anchor']}",
                "tooltip": f"{step['kind']}: {step['name']}",
            }
            for number, step in enumerate(process["steps"], start=1)
        ]
        edges = []
        if steps:
            edges.append({"tail": pid, "head": steps[0]["id"], "style": "dashed", "arrowhead": "none"})
        edges += [
            {"tail": a["id"], "head": b["id"], "style": "solid", "arrowhead": "normal"}
            for a, b in itertools.pairwise(steps)
        ]
        kinds = process["kinds"] or ""
        nodes.append(
            {
                "id": pid,
                "label": _wrap(f"{process['position'] or index}. {process['name']}", 22),
                "url": f"{page}#{process['anchor']}",
                "tooltip": f"{process['name']}" + (f" ({kinds})" if kinds else ""),
                "steps": steps,
                "edges": edges,
            }
        )
    order = [(a["id"], b["id"]) for a, b in itertools.pairwise(nodes)]
    title = f"{protocol.name}: processes in the draft's order, with their named steps"
    return diagrams.render_dot(
        "process.dot", name=f"process-{protocol.slug}", processes=nodes, order=order, title=title, font=FONT
    )


def process_dots(data: SiteData, contexts: list[dict[str, object]]) -> dict[str, str]:
    """The DOT text of each protocol's process diagram by its file in the site (``contexts``: the protocols' page
    contexts), for the protocols that have processes."""
    processes = {
        f"diagrams/process-{protocol.slug}.svg": process_dot(protocol, context)
        for protocol, context in zip(data.protocols, contexts, strict=True)
    }
    return {name: text for name, text in processes.items() if text is not None}


# ---------------------------------------------------------------- ontology documentation


def ontology_documentation(nav: str, html: str | None = None) -> str:
    """The ontology's documentation page by pyLODE (OntPub profile), with the site's navigation, a language, a
    viewport and the site's small stylesheet added, and pyLODE's duplicate ids (the functional properties, listed
    twice) made unique. ``html``: pyLODE's page made beforehand (``pylode_html``), e.g. in another process."""
    html = pylode_html() if html is None else html
    html = html.replace("<html>", '<html lang="en">', 1)
    html = html.replace("<head>", '<head>\n    <meta name="viewport" content="width=device-width, initial-scale=1">', 1)
    html = html.replace("</head>", '  <link rel="stylesheet" href="ontology.css">\n  </head>', 1)
    html = html.replace("<body>", "<body>\n" + nav, 1)
    return _unique_functional_ids(html)


def pylode_html() -> str:
    """pyLODE's documentation of ``ontology/iotkg.ttl`` (OntPub profile, with its CSS), as pyLODE writes it."""
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    try:
        from pylode import OntPub  # pyLODE configures the root logger when imported: undone below
    finally:
        for handler in list(root_logger.handlers):
            if handler not in handlers:
                root_logger.removeHandler(handler)
        root_logger.setLevel(level)
    from iotkg.pipeline.load import ONTOLOGY_FILE

    path = paths.ontology_dir() / ONTOLOGY_FILE
    try:
        return OntPub(ontology=str(path), sort_subjects=True).make_html(destination=None, include_css=True)
    except OSError as error:  # pyLODE caches its background ontologies in its own package folder
        raise InputError(
            f"pyLODE could not document {path}: {error}",
            hint="pyLODE writes a cache file into its installed package folder: make that folder writable once.",
        ) from None


def _unique_functional_ids(html: str) -> str:
    """pyLODE lists a functional property both under its kind and under "Functional Properties", with one id twice:
    the second listing's ids (and its table-of-contents links) get a ``functional-`` prefix."""
    section = re.search(r'<div class="section" id="functionalproperties">.*?(?=<div class="section"|$)', html, re.S)
    if section is None:
        return html
    renamed = re.sub(r'(<div class="property entity" id=")([^"]+)"', r'\1functional-\2"', section.group(0))
    html = html[: section.start()] + renamed + html[section.end() :]
    toc = re.search(r'<a href="#functionalproperties">.*?</ul>', html, re.S)
    if toc is None:
        return html
    links = re.sub(r'href="#([^"]+)"', lambda m: f'href="#functional-{m.group(1)}"', toc.group(0))
    links = links.replace('href="#functional-functionalproperties"', 'href="#functionalproperties"', 1)
    return html[: toc.start()] + links + html[toc.end() :]


# ---------------------------------------------------------------- writing


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja2's environment, with ``row.name`` on a plain dict looked up as ``row["name"]`` straight away.

    Jinja2 tries ``getattr`` first and falls back to the item: on the site's many dict rows every lookup raised and
    caught an AttributeError. A name that a dict has as an attribute (``items``, ``keys``, ...) still goes Jinja2's
    way, so every lookup gives what Jinja2 gives."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` in a template."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the HTML templates: autoescaping on, undefined names are errors; each template is
    read once (not checked for changes at every page)."""
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(version=__version__, section_3=SECTION_3_VIEWS)
    return env


class Fragments:
    """The pieces of HTML that pages repeat most, each rendered once by a macro of ``macros.html`` and then reused: a
    fact's source (``prov``: ``provenance``), a list of links to roles (``role_list``: ``role_link`` of each
    ``Link``, joined with ", "), and a row of a results table (``cells``: ``result_cell`` of each ``Cell``)."""

    def __init__(self, env: jinja2.Environment) -> None:
        macros = env.get_template("macros.html").module
        self.prov = functools.cache(macros.provenance)  # type: ignore[attr-defined]
        self.role_link = functools.cache(macros.role_link)  # type: ignore[attr-defined]
        self.cell = functools.cache(macros.result_cell)  # type: ignore[attr-defined]
        self.lists: dict[tuple[Link, ...], Markup] = {}

    def cells(self, row: Iterable[Cell]) -> Markup:
        """A row of a results table: each cell as ``result_cell`` renders it."""
        return Markup("").join(map(self.cell, row))

    def role_list(self, links: tuple[Link, ...]) -> Markup:
        """The links, each as ``role_link`` renders it, separated by ", "."""
        if links not in self.lists:
            self.lists[links] = Markup(", ").join(map(self.role_link, links))
        return self.lists[links]


class ProtocolNav:
    """The navigation's links to the protocol pages (``protocol_links`` of ``nav.html``): each link is rendered once
    per page depth, and a protocol's own page marks its link as the current page."""

    def __init__(self, env: jinja2.Environment, protocols: list[Protocol]) -> None:
        macros = env.get_template("macros.html").module
        self.link = macros.protocol_link  # type: ignore[attr-defined]
        self.all_link = macros.all_protocols_link  # type: ignore[attr-defined]
        self.protocols = protocols
        self.own_page: dict[str, list[int]] = {}
        for index, protocol in enumerate(protocols):
            self.own_page.setdefault(f"protocols/{protocol.slug}.html", []).append(index)
        self.rendered: dict[str, list[str]] = {}  # the links by root, none of them current

    def __call__(self, root: str, page_name: str) -> str:
        """The links on the page ``page_name``, ``root`` deep: HTML, one link a line (one link to the home page's
        list of protocols when there are more than ``NAV_PROTOCOLS``)."""
        if len(self.protocols) > NAV_PROTOCOLS:
            return str(self.all_link(len(self.protocols), root))
        if root not in self.rendered:
            self.rendered[root] = [self.link(protocol, root, False) for protocol in self.protocols]
        links = list(self.rendered[root])
        for index in self.own_page.get(page_name, []):
            links[index] = self.link(self.protocols[index], root, True)
        return "\n".join(links)


def write_site(
    graph: GraphStore,
    folder: Path,
    *,
    step: Callable[[str], None] = lambda _: None,
    warn: Callable[[str], None] = _warn,
    results: dict[str, views.Rows] | None = None,
    ontology_html: str | Callable[[], str] | None = None,
    downloads: Path | None = None,
    downloads_ready: Callable[[], object] = lambda: None,
    tables: dict[str, list[Record]] | None = None,
) -> SiteSummary:
    """Write the site into ``folder`` (which the caller made ready with ``iotkg.output.prepare``).

    ``results`` holds the rows of views the caller has already run on ``graph`` (by view name); ``ontology_html``
    pyLODE's page of the ontology, if the caller has made it (``pylode_html``), or what returns it (called when the
    ontology's page is written, after the views' pages: it may be being made in another process); ``downloads`` a
    folder where the caller has written each view of ``results`` as CSV and JSON, named as ``DOWNLOAD_SUFFIX`` says
    (as ``iotkg.build`` writes them): the site copies those files rather than render the rows again, after
    ``downloads_ready()`` returns (it waits for them if they are being written beside the site; the site copies
    them after writing its pages); ``tables`` the rows of the site's own queries, if the caller has run them
    (``site_tables``)."""
    with collector.paused():
        return _write_site(graph, folder, step, warn, results, ontology_html, downloads, downloads_ready, tables)


def _write_site(
    graph: GraphStore,
    folder: Path,
    step: Callable[[str], None],
    warn: Callable[[str], None],
    results: dict[str, views.Rows] | None,
    ontology_html: str | Callable[[], str] | None,
    downloads: Path | None,
    downloads_ready: Callable[[], object],
    tables: dict[str, list[Record]] | None,
) -> SiteSummary:
    summary = SiteSummary(folder)
    env = environment()
    data = SiteData(graph, tables)
    all_views = views.list_views()
    known = dict(results or {})

    def rows_of(view: views.View) -> views.Rows:
        if view.name not in known:
            known[view.name] = views.run_view(view, graph)
        return known[view.name]

    groups = view_groups(all_views)
    nav = ProtocolNav(env, data.protocols)
    fragments = Fragments(env)
    written: list[Path] = []

    def render(name: str, template: str, **context: object) -> Path:
        root = str(context.setdefault("root", "../" if "/" in name else ""))
        text = env.get_template(template).render(
            protocols=data.protocols, protocol_links=nav(root, name), view_groups=groups, page_name=name, **context
        )
        return write_text(folder / name, text)

    def page(name: str, template: str, **context: object) -> None:
        written.append(render(name, template, **context))
        summary.pages += 1

    def asset(name: str, text: str) -> None:
        written.append(write_text(folder / name, text))

    def download(view: views.View, fmt: str) -> None:
        name = f"views/{view.name}.{fmt}"
        if downloads is None or results is None or view.name not in results:
            asset(name, views.render(rows_of(view), fmt))
            return
        downloads_ready()  # (called after all the pages: the files may be being written meanwhile)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        written.append(Path(shutil.copyfile(downloads / f"{view.name}.{DOWNLOAD_SUFFIX[fmt]}", folder / name)))

    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / MARKER).exists():
        (folder / MARKER).write_text("This folder is written by iotkg; its files are regenerated.\n")
    can_draw = diagrams.dot_program() is not None
    if not can_draw:
        message = "Graphviz's 'dot' is not installed: the site has no diagrams (Debian: apt-get install graphviz)"
        summary.warnings.append(message)
        warn(message)

    equivalence = role_groups(data)
    draw_roles = can_draw and len(data.protocols) <= ROLES_DIAGRAM_PROTOCOLS
    step("site: protocols")
    contexts = [protocol_context(data, protocol, None, fragments) for protocol in data.protocols]
    dots = process_dots(data, contexts) if can_draw else {}
    protocol_pages: list[tuple[str, dict[str, object]]] = []
    for protocol, context in zip(data.protocols, contexts, strict=True):
        if f"diagrams/process-{protocol.slug}.svg" in dots:
            context["diagram"] = f"../diagrams/process-{protocol.slug}.svg"
        protocol_pages.append((f"protocols/{protocol.slug}.html", context))
    # the protocol pages are rendered in a forked process (forked before Graphviz's threads start) while this one
    # renders the other pages
    with (
        Background(lambda: [render(name, "protocol.html", **context) for name, context in protocol_pages]) as pages,
        ThreadPoolExecutor(max_workers=2) as background,  # Graphviz lays the diagrams out while the pages render
    ):
        # the role diagram first: by far the longest layout
        roles_layout = background.submit(diagrams.to_svgs, [roles_dot(equivalence)] if draw_roles else [])
        layouts = background.submit(diagrams.to_svgs, list(dots.values()))
        step("site: views")
        for view in all_views:
            asset(f"views/{view.name}.rq", view.text)
            page(f"views/{view.name}.html", "view.html", **view_context(data, view, rows_of(view), fragments))
        page("views/index.html", "views.html")
        inconsistencies = [
            {
                **row,
                "protocol": data.by_iri.get(row["p"] or ""),
                "anchor": data.anchor.get(row["fact"] or "", ""),
            }
            for row in data.inconsistencies
        ]
        page("inconsistencies.html", "inconsistencies.html", inconsistencies=inconsistencies)
        page("index.html", "index.html", comparison=comparison_context(data, rows_of(views.find_view("comparison"))))
        asset("style.css", (TEMPLATES / "style.css").read_text(encoding="utf-8"))

        step("site: ontology")
        name = "ontology/index.html"
        header = env.get_template("nav.html").render(root="../", page_name=name, protocol_links=nav("../", name))
        asset(name, ontology_documentation(header, ontology_html() if callable(ontology_html) else ontology_html))
        asset("ontology/ontology.css", (TEMPLATES / "ontology.css").read_text(encoding="utf-8"))
        summary.pages += 1

        written.extend(pages.result())
        summary.pages += len(protocol_pages)
        for view in all_views:
            download(view, "csv")
            download(view, "json")
        svgs = {ROLES_DIAGRAM: roles_layout.result()[0]} if draw_roles else {}
        svgs.update(zip(dots, layouts.result(), strict=True))
    for name, svg in svgs.items():
        asset(name, svg)
        summary.diagrams += 1

    step("site: roles")
    roles_svg = ROLES_DIAGRAM if ROLES_DIAGRAM in svgs else None
    too_many = len(data.protocols) if can_draw and not draw_roles else None
    page(
        "roles.html",
        "roles.html",
        groups=equivalence,
        diagram=roles_svg,
        too_many=too_many,
        limit=ROLES_DIAGRAM_PROTOCOLS,
    )

    _remove_stale(folder, written)
    summary.files = written
    return summary


def _remove_stale(folder: Path, written: list[Path]) -> None:
    """Delete the files an earlier run wrote (listed in ``.iotkg-site-files``) that this run did not, then list this
    run's files; a file iotkg did not write is never touched."""
    listing = folder / FILE_LIST
    now = {path.relative_to(folder).as_posix() for path in written}
    if listing.is_file():
        for name in listing.read_text(encoding="utf-8").splitlines():
            if name and name not in now and ".." not in Path(name).parts:
                (folder / name).unlink(missing_ok=True)
    write_text(listing, "".join(f"{name}\n" for name in sorted(now)))


def build_site(folder: Path, instances: Path | None = None, *, force: bool = False) -> SiteSummary:
    """Validate and reason, then write the site into ``folder`` (refusing a folder iotkg did not write, unless
    ``force``); CheckFailed if the data fails validation or is inconsistent."""
    from iotkg.output import prepare
    from iotkg.pipeline.checked import load_checked
    from iotkg.store import from_reasoned

    reasoned = load_checked(instances).reasoned
    prepare(folder, force=force)
    return write_site(from_reasoned(reasoned, instances), folder)
