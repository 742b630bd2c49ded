"""What the site shows: the rows of its SPARQL queries (``templates/queries/*.rq``) and the roles' equivalences."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from iotkg import editions, roles, views
from iotkg.store import GraphStore

SITE_QUERIES = Path(__file__).parent / "templates" / "queries"
PALETTE = ("#fde2c8", "#d6ecd2", "#d4e4f7", "#f6d5e5", "#e5dcf3", "#fff3b8")  # one colour per protocol, in turn
PALETTE += ("#cdeeee", "#f3dcc9", "#e0e8c8", "#dfe3ea", "#f9d0d0", "#d9f0e4")
# The site's queries whose rows each belong to one protocol (column ``p``).
PROTOCOL_TABLES = ("facts", "terms", "roles", "beliefs", "classifications", "processes", "parts", "definitions")

Record = dict[str, str | None]


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


class Provenance(NamedTuple):
    """Where a fact comes from: draft sections, or a specification and its section."""

    draft: str = ""
    source: str = ""
    source_section: str = ""


class Link(NamedTuple):
    """A link to a role's row on its protocol's page: the role's name, and the address ("" where it has no page)."""

    name: str
    href: str


def group_rows(rows: Iterable[Record], *columns: str) -> dict[Any, list[Record]]:
    """Rows by their value in ``columns`` (a tuple of values for more than one column), each list in the rows' order."""
    key = operator.itemgetter(*columns)
    groups: dict[Any, list[Record]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


_NOT_IN_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "item") -> str:
    """A lower-case file or anchor name made of letters, digits and hyphens."""
    return _NOT_IN_SLUG.sub("-", text.lower()).strip("-") or fallback


def local_name(iri: str) -> str:
    """The last segment of an IRI (after its last ``/`` or ``#``), as an HTML id."""
    trimmed = iri.rstrip("/#")
    return slugify(trimmed[max(trimmed.rfind("/"), trimmed.rfind("#")) + 1 :], "node")


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return unique


def number(value: object) -> float:
    """A position as a number for sorting (infinity where there is none)."""
    try:
        return float(str(value))
    except ValueError:
        return float("inf")


class SiteData:
    """Everything the pages show: the rows of each of the site's queries, read once from the graph and indexed."""

    def __init__(self, graph: GraphStore, edition: editions.Edition | None = None) -> None:
        self.edition = edition or editions.choose(graph)
        self.tables = {
            path.stem: graph.select(editions.bind(views.read_view(path).text, self.edition.iri))
            for path in sorted(SITE_QUERIES.glob("*.rq"))
        }
        self.tables["roles"] = _one_row_per_role(self.tables["roles"])
        # each role's name as the edition gives it on its protocol's page
        self.role_name = {row["fact"] or "": row["name"] or "" for row in self.tables["roles"]}
        rows = self.tables["protocols"]
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
        self.order = {protocol.name: index for index, protocol in enumerate(self.protocols)}
        facts = self.tables["facts"]
        self.provenance = {
            row["fact"] or "": Provenance(row["section"] or "", row["source"] or "", row["source_section"] or "")
            for row in facts
        }
        self.anchor: dict[str, str] = {}  # one HTML id per fact, unique within its protocol's page
        for iris in group_rows(facts, "p").values():
            ordered = sorted({row["fact"] or "" for row in iris})
            for iri, anchor in zip(ordered, _unique("fact-" + local_name(iri) for iri in ordered), strict=True):
                self.anchor.setdefault(iri, anchor)
        self.fact_protocol = {row["fact"] or "": row["p"] or "" for row in facts if row["fact"] != row["p"]}
        self.mentions = {row["fact"] or "": (row["mentions"] or "").split() for row in facts}  # the edition's mentions
        explained = roles.Equivalences(graph, self.edition.number)
        self.equivalents = {iri: [e.other for e in explained.of(role)] for iri, role in explained.roles.items()}
        self.by_protocol = {name: group_rows(self.tables[name], "p") for name in PROTOCOL_TABLES}
        self.links = group_rows(self.tables["role-links"], "fact", "link")
        self.steps = group_rows(self.tables["parts"], "p", "process")
        facts_by_iri = group_rows(facts, "fact")
        self.inconsistencies_of: dict[str | None, list[Record]] = {}
        for row in self.tables["inconsistencies"]:
            for protocol in dict.fromkeys(fact["p"] for fact in facts_by_iri.get(row["fact"], [])):
                self.inconsistencies_of.setdefault(protocol, []).append(row)

    def of(self, table: str, protocol: Protocol) -> list[Record]:
        """The rows of one of ``PROTOCOL_TABLES`` that belong to ``protocol``, in the query's order."""
        return self.by_protocol[table].get(protocol.iri, [])

    def role_href(self, role_iri: str, root: str) -> str:
        """The link to a role's row on its protocol's page, from a page ``root`` deep ("" where it has none)."""
        protocol = self.by_iri.get(self.fact_protocol.get(role_iri, ""))
        return f"{root}protocols/{protocol.slug}.html#{self.anchor.get(role_iri, 'roles')}" if protocol else ""

    def links_of(self, fact: str, link: str, root: str) -> list[Link]:
        """The roles a fact names through ``link`` (truster, trustee, involvesRole), each once, with links."""
        roles = dict.fromkeys(row["role"] or "" for row in self.links.get((fact, link), []))
        names = {row["role"] or "": row["name"] or "" for row in reversed(self.links.get((fact, link), []))}
        return [Link(self.role_name.get(role) or names[role], self.role_href(role, root)) for role in roles]


def _one_row_per_role(rows: list[Record]) -> list[Record]:
    """One row per role: the first of its names kept, the others' its ``also``."""
    kept: dict[tuple[str | None, str | None], Record] = {}
    for row in rows:
        first = kept.setdefault((row["p"], row["fact"]), {**row, "also": None})
        if row["name"] not in [first["name"], *(first["also"] or "").split("; ")]:
            first["also"] = "; ".join(filter(None, [first["also"], row["name"]]))
    return list(kept.values())
