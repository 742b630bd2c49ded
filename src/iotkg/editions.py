"""The editions of the draft the graph records; a view that mentions ``?edition`` reads the one chosen."""

from __future__ import annotations

import re
from dataclasses import dataclass

from iotkg.errors import InputError
from iotkg.namespaces import ID, IOTKG_IRI
from iotkg.store import GraphStore

EDITION_IRI = ID + "draft/"
_EDITION_VARIABLE = re.compile(r"[?$]edition\b")
_EDITIONS = f"""PREFIX iotkg: <{IOTKG_IRI}>
SELECT ?iri ?number ?label ?issued WHERE {{
  ?iri a iotkg:Edition ; iotkg:modelled true ; iotkg:editionNumber ?number ;
    <http://www.w3.org/2000/01/rdf-schema#label> ?label .
  OPTIONAL {{ ?iri <http://purl.org/dc/terms/issued> ?issued }}
}} ORDER BY ?issued ?number"""


@dataclass(frozen=True)
class Edition:
    """One modelled edition: its IRI, number ("07"), name and date (ISO)."""

    iri: str
    number: str
    label: str
    issued: str

    def __str__(self) -> str:
        return f"edition -{self.number} ({self.label}, {self.issued})"


def editions(store: GraphStore) -> list[Edition]:
    """The modelled editions in the graph, oldest first."""
    return [Edition(**{name: value or "" for name, value in row.items()}) for row in store.select(_EDITIONS)]


def choose(store: GraphStore, number: str | None = None) -> Edition:
    """The edition numbered ``number`` ("07", "7" or "-07"), or the latest when None; InputError if there is none."""
    if not (known := editions(store)):
        raise InputError("the graph records no edition of the draft", hint="Load instances/editions.ttl with the data.")
    if number is None:
        return known[-1]
    wanted = number.lstrip("-").zfill(2)
    for edition in known:
        if edition.number == wanted:
            return edition
    raise InputError(
        f"no edition {number!r} in the graph",
        hint=f"Choose one of: {', '.join(edition.number for edition in known)}.",
    )


def reads_edition(query: str) -> bool:
    """Whether a query reads one edition (it mentions ``?edition``)."""
    return bool(_EDITION_VARIABLE.search(query))


def bind(query: str, iri: str) -> str:
    """The query with ``?edition`` standing for the edition ``iri`` (an IRI, never user text pasted in)."""
    return _EDITION_VARIABLE.sub(f"<{iri}>", query)
