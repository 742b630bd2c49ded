"""``iotkg push``: replace one named graph of any SPARQL 1.1 store with the built graph (Graph Store Protocol).

The graph (asserted + inferred triples) goes up in one ``PUT`` of N-Triples to ``ENDPOINT?graph=IRI``: the Graph
Store Protocol's "replace this graph", a single operation (one transaction in stores such as Oxigraph and Fuseki).
Nothing is left half-done in the remote graph:

1. before writing, the graph's current content is read (``GET``): a server that does not answer, answers with an
   error other than 404 (no such graph yet) or answers with something that is not RDF is reported and left alone;
2. after the ``PUT``, the graph is read back and its triples counted;
3. if the ``PUT`` fails or the count is wrong, the previous content is put back (or the graph deleted, if it did not
   exist), and the error is reported (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from iotkg.errors import InputError
from iotkg.remote.endpoint import Response, check_url, request

DEFAULT_GRAPH = "https://w3id.org/iotkg/graph"
NTRIPLES = "application/n-triples"
_RDF_TYPES = {"application/n-triples", "text/turtle", "application/rdf+xml", "application/ld+json", "application/trig"}
_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_HINT = (
    "--endpoint must be the store's Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
    "http://localhost:3030/DATASET/data (Fuseki), http://localhost:7200/repositories/ID/rdf-graphs/service (GraphDB)."
)


@dataclass
class Pushed:
    """What a push did."""

    url: str
    graph: str
    triples: int
    replaced: bool


def built_graph(instances: Path | None = None) -> tuple[bytes, int]:
    """The asserted + inferred graph as sorted N-Triples, and its number of triples."""
    from iotkg.store import open_store

    store = open_store(instances).store
    triples = sorted({quad.triple for quad in store}, key=str)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), len(triples)


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol URL of one named graph (indirect identification: ``?graph=IRI``)."""
    check_url(endpoint)
    try:
        ox.NamedNode(graph)
    except ValueError as error:
        raise InputError(f"--graph {graph!r}: not an absolute IRI ({error})") from None
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode({"graph": graph})


def _count(answer: Response, url: str) -> int:
    """The number of triples in a GSP answer; InputError if it is not RDF."""
    media_type = answer.media_type
    format_ = ox.RdfFormat.from_media_type(media_type) if media_type in _RDF_TYPES else None
    if format_ is None:
        raise InputError(
            f"{url}: not a Graph Store Protocol endpoint (it answered with {media_type or 'no content type'})",
            hint=_HINT,
        )
    try:
        return sum(1 for _ in ox.parse(answer.body, format=format_))
    except (SyntaxError, ValueError) as error:
        raise InputError(f"{url}: the answer is not valid {media_type}: {error}", hint=_HINT) from None


def _current(url: str) -> Response | None:
    """The graph's current content (None: no such graph); InputError for anything but RDF or a 404."""
    answer = request("GET", url, headers={"Accept": _ACCEPT})
    if answer.status == 404:
        return None
    if not answer.ok:
        raise InputError(f"{url}: cannot read the graph before replacing it: {answer.summary()}", hint=_HINT)
    _count(answer, url)
    return answer


def _restore(url: str, previous: Response | None) -> str:
    """Put the previous content back (or delete a graph that did not exist); say how it went."""
    try:
        if previous is None:
            answer = request("DELETE", url)
            if answer.ok:
                return "the graph, which did not exist before, has been removed again"
            if answer.status == 404:
                return "the graph still does not exist"
        else:
            answer = request("PUT", url, body=previous.body, headers={"Content-Type": previous.media_type})
            if answer.ok:
                return "its previous content has been put back"
        return f"putting back its previous content failed too ({answer.summary()}): check the graph"
    except InputError as error:
        return f"putting back its previous content failed too ({error.message}): check the graph"


def push(endpoint: str, graph: str, data: bytes, triples: int) -> Pushed:
    """Replace ``graph`` at a GSP ``endpoint`` with ``data`` (N-Triples holding ``triples`` triples)."""
    url = graph_url(endpoint, graph)
    previous = _current(url)
    try:
        answer = request("PUT", url, body=data, headers={"Content-Type": NTRIPLES})
        if not answer.ok:
            raise InputError(f"{url}: the store refused the graph: {answer.summary()}", hint=_HINT)
        after = request("GET", url, headers={"Accept": _ACCEPT})
        if not after.ok:
            raise InputError(f"{url}: cannot read the graph back after writing it: {after.summary()}", hint=_HINT)
        found = _count(after, url)
        if found != triples:
            raise InputError(f"{url}: the store holds {found} triples after the push, not {triples}", hint=_HINT)
    except InputError as error:
        outcome = _restore(url, previous)
        raise InputError(f"{error.message}; {outcome}", hint=error.hint) from None
    return Pushed(url, graph, triples, replaced=previous is not None)
