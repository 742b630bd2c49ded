"""Equivalent roles: lookup by name, the entailed equivalents, and how each equivalence was entailed."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

import pyoxigraph as ox

from iotkg import editions
from iotkg.errors import InputError
from iotkg.namespaces import IOTKG_IRI as IOTKG
from iotkg.namespaces import RDFS_IRI
from iotkg.store import ASSERTED, GraphStore

_PREFIXES = {"iotkg": IOTKG, "rdfs": RDFS_IRI, "skos": "http://www.w3.org/2004/02/skos/core#"}


@dataclass(frozen=True)
class Role:
    """A role with its protocol's short name and its name as the draft writes it."""

    iri: str
    protocol: str
    name: str

    @property
    def key(self) -> str:
        """``PROTOCOL:Name``, the form users type."""
        return f"{self.protocol}:{self.name}"


@dataclass(frozen=True)
class Step:
    """One link of an explanation: the asserted triples it rests on and the OWL 2 RL rule that uses them."""

    triples: tuple[tuple[str, str, str], ...]
    rule: str
    basis: str


@dataclass(frozen=True)
class Equivalence:
    """An entailed equivalence (to ``other``) and its explanation."""

    other: Role
    basis: str
    steps: tuple[Step, ...]


def all_roles(graph: GraphStore) -> list[Role]:
    """Every role with a protocol and a label, sorted by protocol then name (then IRI)."""
    query = "SELECT ?r ?p ?n WHERE { ?r a iotkg:Role ; iotkg:ofProtocol/iotkg:shortName ?p ; rdfs:label ?n }"
    roles = {Role(row["r"], row["p"], row["n"]) for row in graph.select(query, _PREFIXES)}
    return sorted(roles, key=lambda r: (r.protocol.lower(), r.name.lower(), r.iri))


def find_role(graph: GraphStore, query: str) -> Role:
    """A role by ``PROTOCOL:Name``, by name alone if unique, or by IRI; InputError with the closest candidates."""
    roles = all_roles(graph)
    text = query.strip()
    prefixed = ":" in text and not text.startswith(("http", "<"))
    head, _, tail = text.partition(":")
    iri = graph.prefixes[head] + tail if prefixed and head in graph.prefixes else text.strip("<>")
    if not (matches := [r for r in roles if r.iri == iri]) and not prefixed:
        matches = [r for r in roles if r.name.lower() == text.lower()]
    elif not matches:  # PROTOCOL:Name, the protocol by its short name, else by another of its labels
        name = tail.strip().lower()
        if not (matches := [r for r in roles if r.protocol.lower() == head.lower() and r.name.lower() == name]):
            short = protocol_names(graph).get(head.strip().lower(), "")
            matches = [r for r in roles if r.protocol == short and r.name.lower() == name]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise InputError(f"role {query!r} is ambiguous", hint=f"Say which one: {', '.join(r.key for r in matches)}.")
    lowered = {r.key.lower(): r.key for r in roles}
    close = difflib.get_close_matches(text.lower(), list(lowered), n=5, cutoff=0.4)
    hint = f"Closest: {', '.join(lowered[c] for c in close)}." if close else "Run 'iotkg query players' for every role."
    raise InputError(f"no role {query!r}", hint=hint + " Write roles as PROTOCOL:Name, e.g. BRSKI:Pledge.")


@dataclass(frozen=True)
class Placement:
    """A role's placement in a category: the draft's (the 3.2 listing its name matches) or iotkg's (the reason)."""

    category: str
    triples: tuple[tuple[str, str, str], ...]
    by: str  # 'the draft lists "Join Proxy"' or "iotkg's reading: <basis>"


_PLACEMENTS = """SELECT ?r ?c ?l ?name ?basis WHERE { GRAPH %s {
  { ?r iotkg:matchesListing ?l . ?l iotkg:listedIn ?c ; iotkg:nameAsWritten ?name }
  UNION { ?r iotkg:placedByIotkgIn ?c OPTIONAL { ?r iotkg:categoryBasis ?basis } } ?c iotkg:edition <%s> } }"""


def placements(graph: GraphStore, edition: str | None = None) -> dict[str, list[Placement]]:
    """Each role's asserted placements in the categories of an edition (the draft's before iotkg's)."""
    found: dict[str, list[Placement]] = {}
    for row in graph.select(_PLACEMENTS % (ASSERTED, editions.choose(graph, edition).iri), _PREFIXES):
        r, c = row["r"], row["c"]
        if row["l"] is not None:
            triples = ((r, IOTKG + "matchesListing", row["l"]), (row["l"], IOTKG + "listedIn", c))
            by = f'the draft lists "{row["name"]}"'
        else:
            triples = ((r, IOTKG + "placedByIotkgIn", c),)
            by = "iotkg's reading: " + ("(no reason given)" if row["basis"] is None else row["basis"])
        found.setdefault(r, []).append(Placement(c, triples, by))
    for listed in found.values():
        listed.sort(key=lambda p: (p.category, len(p.triples) == 1, p.triples))
    return found


def _steps(equivalences: Equivalences, role: Role, other: Role) -> tuple[Step, ...]:
    """The one-step links between two roles: each category they share, then a same-entity statement."""
    mine, theirs = equivalences.placements.get(role.iri, []), equivalences.placements.get(other.iri, [])
    steps = []
    for category in sorted({p.category for p in mine} & {p.category for p in theirs}):
        chosen = [next(p for p in side if p.category == category) for side in (mine, theirs)]
        triples = chosen[0].triples + chosen[1].triples
        rule = "prp-spo2 (chains matchesListing o listedIn, hasRoleCategory o roleInCategory), prp-inv"
        if any(len(p.triples) == 1 for p in chosen):
            rule += ", prp-spo1 (placedByIotkgIn subPropertyOf hasRoleCategory)"
        label = equivalences.labels.get(category, category)
        basis = f"same category: {label} ({role.key}: {chosen[0].by}; {other.key}: {chosen[1].by})"
        steps.append(Step(triples, rule, basis))
    for a, b in ((role, other), (other, role)):
        if (a.iri, b.iri) in equivalences.same_entity:
            triple = ((a.iri, IOTKG + "sameEntityAs", b.iri),)
            rule = "prp-spo1 (sameEntityAs subPropertyOf playsSamePartAs)" + (", prp-symp" if a is other else "")
            steps.append(Step(triple, rule, "same entity as stated in the draft"))
    return tuple(steps)


class Equivalences:
    """The entailed equivalents of every role, read once; the asserted links explaining them read on demand."""

    def __init__(self, graph: GraphStore, edition: str | None = None) -> None:
        self.graph, self.edition = graph, edition
        self.roles = {r.iri: r for r in all_roles(graph)}
        self.order = {iri: index for index, iri in enumerate(self.roles)}  # all_roles's order
        self.entailed: dict[str, set[str]] = {}  # each node's playsSamePartAs objects (statements: no query to plan)
        for quad in graph.store.quads_for_pattern(None, ox.NamedNode(IOTKG + "playsSamePartAs"), None):
            self.entailed.setdefault(quad.subject.value, set()).add(quad.object.value)

    @functools.cached_property
    def placements(self) -> dict[str, list[Placement]]:
        """Each role's asserted placements in the categories of the edition read."""
        return placements(self.graph, self.edition)

    @functools.cached_property
    def same_entity(self) -> set[tuple[str, str]]:
        """The asserted sameEntityAs statements."""
        rows = self.graph.select(f"SELECT ?a ?b WHERE {{ GRAPH {ASSERTED} {{ ?a iotkg:sameEntityAs ?b }} }}", _PREFIXES)
        return {(row["a"], row["b"]) for row in rows}

    @functools.cached_property
    def labels(self) -> dict[str, str]:
        """Each role category's label."""
        rows = self.graph.select("SELECT ?c ?label WHERE { ?c a iotkg:RoleCategory ; rdfs:label ?label }", _PREFIXES)
        return {row["c"]: row["label"] for row in rows}

    def others(self, role: Role) -> list[Role]:
        """The roles the reasoner entailed to play the same part as ``role``, by protocol then name (then IRI)."""
        found = [o for o in self.entailed.get(role.iri, ()) if o != role.iri and o in self.roles]
        return [self.roles[o] for o in sorted(found, key=self.order.__getitem__)]

    def of(self, role: Role) -> list[Equivalence]:
        """The roles the reasoner entailed to play the same part as ``role`` in the edition read, each explained."""
        explained = ((other, _steps(self, role, other)) for other in self.others(role))
        return [Equivalence(other, "; ".join(s.basis for s in steps), steps) for other, steps in explained if steps]


def equivalents(graph: GraphStore, role: Role, edition: str | None = None) -> list[Equivalence]:
    """The roles the reasoner entailed to play the same part as ``role`` in an edition (the latest by default)."""
    return Equivalences(graph, edition).of(role)


def protocol_names(graph: GraphStore) -> dict[str, str]:
    """Each protocol's labels (short name, rdfs:label, SKOS labels), lower-cased, to its short name."""
    query = "SELECT ?label ?short WHERE { ?p a iotkg:Protocol ; iotkg:shortName ?short ; iotkg:shortName|rdfs:label|"
    query += "skos:prefLabel|skos:altLabel|^iotkg:mentions/iotkg:shortName ?label }"  # a later edition's name too
    rows = graph.select(query + " ORDER BY DESC(?label) DESC(?short)", _PREFIXES)
    return {row["label"].lower(): row["short"] for row in rows}


def protocol_roles(graph: GraphStore, protocol: str) -> list[Role]:
    """The roles of one protocol (by any of its labels, case-insensitive); InputError naming the known protocols."""
    roles = all_roles(graph)
    short = protocol_names(graph).get(protocol.strip().lower())
    if not (chosen := [r for r in roles if r.protocol == short]):
        known = ", ".join(sorted({r.protocol for r in roles}, key=str.lower))
        raise InputError(f"no protocol {protocol!r}", hint=f"Known protocols: {known}.")
    return chosen


def describe(graph: GraphStore, role: Role, *, explain: bool = True, edition: str | None = None) -> list[str]:
    """What ``iotkg roles ROLE`` prints: each equivalent, its basis, and (``explain``) the rule and triples."""
    found = equivalents(graph, role, edition)
    lines = [f"{role.key} <{role.iri}> plays the same part as {len(found)} role{'' if len(found) == 1 else 's'}:"]
    for equivalence in found:
        lines.append(f"  {equivalence.other.key}  ({equivalence.basis})")
        for step in equivalence.steps if explain else ():
            lines.append(f"      by {step.rule} from:")
            lines += ["        " + " ".join(graph.compact(term) for term in triple) + " ." for triple in step.triples]
    return lines


def counterparts(graph: GraphStore, protocol: str, like_in: str, edition: str | None = None) -> list[str]:
    """The lines ``iotkg roles --protocol P --like-in Q`` prints: every role of P with its counterparts in Q."""
    target_protocol = protocol_roles(graph, like_in)[0].protocol
    explained = Equivalences(graph, edition)
    lines = []
    for source in protocol_roles(graph, protocol):
        matches = [e for e in explained.of(source) if e.other.protocol == target_protocol]
        names = ", ".join(e.other.name for e in matches) or "(no counterpart)"
        basis = f"  [{matches[0].basis}]" if matches else ""
        lines.append(f"{source.key:<40} -> {names}{basis}")
    return lines
