"""``iotkg advise``: which mechanisms fit a device and its deployment, by the SPARQL of ``queries/advise*.rq``."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from iotkg import views
from iotkg.errors import InputError
from iotkg.store import GraphStore

SELECTOR = "advise"
DETAIL = "advise-detail"
OPTIONS = "advise-options"
# the view parameters, in the order of the aspects' positions in the vocabulary
PARAMETERS = ("credentials", "oob", "network", "infrastructure", "user", "device_class", "internet")
NONE = "none"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
COLUMNS = ("rank", "protocol", "section", "verdict", "why_it_fits", "what_it_requires", "what_it_leaves_open")
COLUMNS += ("ruled_out_by",)


@dataclass(frozen=True)
class Facts:
    """What the device and deployment offer, by view parameter: the words offered, or None where not stated."""

    values: dict[str, tuple[str, ...] | None] = field(default_factory=dict)

    def stated(self, parameter: str) -> tuple[str, ...] | None:
        """The words offered for one parameter, or None when not stated."""
        return self.values.get(parameter)

    def bindings(self) -> dict[str, views.Term]:
        """The stated facts as the views' bound parameters: the words joined with spaces ("" offers none)."""
        return {
            name: views.Term("literal", " ".join(words))
            for name in PARAMETERS
            if (words := self.values.get(name)) is not None
        }


@dataclass(frozen=True)
class Aspect:
    """One requirement aspect as the graph declares it: its label and the words it knows."""

    label: str
    words: dict[str, str]


@dataclass
class Mechanism:
    """The advice on one mechanism: the selector's verdict and the detail view's reasons, as text items."""

    protocol: str
    section: str
    verdict: str
    ruled_out_by: str
    rank: int | None = None
    fits_because: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    leaves_open: list[str] = field(default_factory=list)


def _records(rows: views.Rows) -> list[dict[str, str]]:
    return [{name: value or "" for name, value in record.items()} for record in rows.records()]


def aspects(source: GraphStore) -> dict[str, Aspect]:
    """The aspects the advisor checks, by view parameter, with the words each accepts (from advise-options)."""
    found: dict[str, Aspect] = {}
    for record in _records(views.run_view(views.find_view(OPTIONS), source)):
        found.setdefault(record["parameter"], Aspect(record["aspect"], {})).words[record["value"]] = record["meaning"]
    return found


def facts_from_options(
    known: dict[str, Aspect],
    lists: dict[str, tuple[str, ...]],
    switches: dict[str, bool | None],
    *,
    none_given: set[str] | None = None,
) -> Facts:
    """Option values checked against the words the graph knows, as Facts (``switches``: True, False or None)."""
    values: dict[str, tuple[str, ...] | None] = {}
    none_given = none_given or set()
    for parameter in sorted(set(lists) | none_given):
        words = lists.get(parameter, ())
        aspect = _aspect(known, parameter)
        if parameter in none_given and words:
            raise InputError(
                f"{parameter}: values given together with a flag that says there are none ({', '.join(words)})"
            )
        if parameter in none_given or NONE in {word.lower() for word in words}:
            if len(words) > 1:
                raise InputError(f"{parameter}: '{NONE}' given together with other values ({', '.join(words)})")
            values[parameter] = ()
            continue
        if not words:
            continue
        spelled = {_spelling(word): word for word in aspect.words}
        words = tuple(spelled.get(_spelling(word), word) for word in words)
        if unknown := [word for word in words if word not in aspect.words]:
            raise InputError(
                f"{aspect.label}: unknown value {', '.join(repr(w) for w in unknown)}",
                hint=f"Use one of: {', '.join(sorted(aspect.words))}.",
            )
        values[parameter] = tuple(sorted(set(words)))
    for parameter, switch in switches.items():
        aspect = _aspect(known, parameter)
        if switch is not None:
            values[parameter] = tuple(sorted(aspect.words)) if switch else ()
    return Facts(values)


def _spelling(word: str) -> str:
    return re.sub(r"[-_\s]", "", word.lower())


def _aspect(known: dict[str, Aspect], parameter: str) -> Aspect:
    if parameter not in known:
        raise InputError(f"the graph declares no advisor aspect with view parameter {parameter!r}")
    return known[parameter]


def advise(source: GraphStore, facts: Facts, edition: str | None = None) -> list[Mechanism]:
    """Run the selector and the detail view with the facts bound; the mechanisms in the selector's order."""
    bindings = facts.bindings()
    selected = _records(views.run_view(views.find_view(SELECTOR), source, bindings, edition))
    details: dict[str, list[dict[str, str]]] = defaultdict(list)
    for record in _records(views.run_view(views.find_view(DETAIL), source, bindings, edition)):
        details[record["protocol"]].append(record)
    mechanisms = []
    ranks = itertools.count(1)
    for record in selected:
        rank = next(ranks) if record["verdict"] == "fits" else None
        mechanism = Mechanism(record["protocol"], record["section"], record["verdict"], record["ruled_out_by"], rank)
        _explain(mechanism, details[mechanism.protocol], facts)
        mechanisms.append(mechanism)
    return mechanisms


def _explain(mechanism: Mechanism, rows: list[dict[str, str]], facts: Facts) -> None:
    """File the detail rows of one mechanism under why it fits, what it requires, and what it leaves open."""
    unstated, provisions_unstated, provisions_stated = [], [], []  # (requirements; Section 4's, not stated and stated)
    for row in rows:
        status = row["status"]
        said = f"{row['requirement']}: {row['needs']} ({row['source']})"
        if not row["parameter"]:  # a Section 4 provision
            provision = row["requirement"].removeprefix("Section 4: ")
            if status == "stated":
                provisions_stated.append(f"Section 4, {provision}: the draft says: {row['needs']} ({row['source']})")
            else:
                provisions_unstated.append(provision)
        elif status == "met":
            mechanism.fits_because.append(said)
        elif status in ("to provide", "not asked", "not met"):
            mechanism.requires.append(f"{said} [{status}]")
        elif status == "cannot check":
            mechanism.leaves_open.append(f"{said} [cannot check: the draft names a value no option states]")
        elif status == "not stated in the draft" and facts.stated(row["parameter"]) is not None:
            unstated.append(row["requirement"])
    if unstated:
        mechanism.leaves_open.append(f"not stated in the draft: {', '.join(unstated)}")
    if provisions_unstated:
        mechanism.leaves_open.append(f"Section 4, not stated in the draft: {', '.join(provisions_unstated)}")
    mechanism.leaves_open.extend(provisions_stated)


def _lines(mechanism: Mechanism) -> tuple[str, str, str]:
    return ("\n".join(mechanism.fits_because), "\n".join(mechanism.requires), "\n".join(mechanism.leaves_open))


def _text(value: str) -> views.Term | None:
    return views.Term("literal", value) if value else None


def to_rows(mechanisms: list[Mechanism]) -> views.Rows:
    """One row per mechanism (lists as lines of one cell), for the W3C result formats and Markdown."""
    ranks = [None if m.rank is None else views.Term("literal", str(m.rank), datatype=_XSD_INTEGER) for m in mechanisms]
    cells = [(m.protocol, m.section, m.verdict, *_lines(m), m.ruled_out_by) for m in mechanisms]
    return views.Rows(list(COLUMNS), [(rank, *map(_text, row)) for rank, row in zip(ranks, cells, strict=True)])


def describe_facts(known: dict[str, Aspect], facts: Facts) -> list[str]:
    """One line per aspect: what was stated, or that it is not checked."""

    def note(parameter: str, words: tuple[str, ...] | None) -> str:
        if words is None:
            return "none listed" if parameter == "infrastructure" else "not stated, not checked"
        return ", ".join(words) if words else NONE

    return [f"  {known[p].label}: {note(p, facts.stated(p))}" for p in PARAMETERS if p in known]


def render_listing(mechanisms: list[Mechanism], known: dict[str, Aspect], facts: Facts, width: int = 160) -> str:
    """The terminal answer: the stated facts, a ranked table of the mechanisms that fit, a table of those excluded."""
    fitting = [m for m in mechanisms if m.verdict == "fits"]
    excluded = [m for m in mechanisms if m.verdict != "fits"]
    parts = ["Device and deployment", *describe_facts(known, facts), ""]
    if fitting:
        headers = ["rank", "mechanism", "why it fits", "what it requires", "what it leaves open"]
        rows = views.Rows(headers, [tuple(map(_text, (str(m.rank), m.protocol, *_lines(m)))) for m in fitting])
        parts.append(views.to_table(rows, "Mechanisms that fit, best first", width=width))
    else:
        parts.append("No mechanism fits these facts.\n")
    if excluded:
        rows = views.Rows(["mechanism", "ruled out by"], [(_text(m.protocol), _text(m.ruled_out_by)) for m in excluded])
        parts.append(views.to_table(rows, "Mechanisms excluded", width=width))
    return "\n".join(parts)
