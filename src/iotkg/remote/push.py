"""``iotkg push``: replace one named graph of a SPARQL 1.1 store with the built graph (Graph Store Protocol)."""

from __future__ import annotations

import contextlib
import functools
import netrc
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from iotkg.errors import InputError
from iotkg.pipeline.checked import load_checked
from iotkg.remote.endpoint import TIMEOUT, Response, check_url, request
from iotkg.store import from_reasoned

DEFAULT_GRAPH = "https://w3id.org/iotkg/graph"
NTRIPLES = "application/n-triples"
_RDF_TYPES = {"application/n-triples", "text/turtle", "application/rdf+xml", "application/ld+json", "application/trig"}
_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_HINT = (
    "--endpoint must be the store's Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
    "http://localhost:3030/DATASET/data (Fuseki), http://localhost:8890/sparql-graph-crud-auth (Virtuoso)."
)
_AUTH_HINT = "Check --user and its password ($IOTKG_PASSWORD or the prompt), or the host's entry in ~/.netrc."
Keys = Counter[tuple[str, str, str]]
Send = Callable[..., Response]
Login = tuple[str, str] | None


@dataclass
class Pushed:
    """What a push did."""

    graph: str
    triples: int
    replaced: bool


class _Expired(Exception):
    """The push's deadline has passed (raised by the alarm wherever the push was)."""


def built_graph(instances: Path | None = None) -> tuple[bytes, int]:
    """The validated asserted + inferred graph as sorted N-Triples, and its size (CheckFailed if it fails a check)."""
    return from_reasoned(load_checked(instances).reasoned).union_ntriples()


def credentials(endpoint: str, user: str | None, ask: Callable[[str], str]) -> Login:
    """(user, password): ``user`` with ``$IOTKG_PASSWORD`` or what ``ask`` gets, else the host's ``~/.netrc`` entry."""
    if user:
        if (password := os.environ.get("IOTKG_PASSWORD")) is None and not sys.stdin.isatty():
            raise InputError(f"--user {user}: no password", hint="Set IOTKG_PASSWORD, or run push at a terminal.")
        return user, password if password is not None else ask(f"Password for {user} at {endpoint}")
    try:
        entry = netrc.netrc().authenticators(urlsplit(endpoint).hostname or "")
    except OSError:  # no ~/.netrc (or no home)
        return None
    except netrc.NetrcParseError as error:
        raise InputError(f"{error.filename}:{error.lineno}: {error.msg}", hint="Fix it, or give --user.") from None
    return (entry[0], entry[2] or "") if entry else None


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Expired wherever the code inside is after ``seconds`` (SIGALRM in the main thread; else no-op)."""

    def expire(signum: int, frame: object) -> None:
        raise _Expired

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except (AttributeError, ValueError):  # no SIGALRM (Windows), or not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol URL of one named graph (indirect identification: ``?graph=IRI``)."""
    check_url(endpoint)
    try:
        ox.NamedNode(graph)
    except ValueError as error:
        raise InputError(f"--graph {graph!r}: not an absolute IRI ({error})") from None
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode({"graph": graph})


def _keys(body: bytes, media_type: str, url: str) -> Keys:
    """An RDF answer's triples as keys, blank nodes blanked and language tags lower-cased; InputError if not RDF."""
    if (format_ := ox.RdfFormat.from_media_type(media_type) if media_type in _RDF_TYPES else None) is None:
        raise InputError(
            f"{url}: not a Graph Store Protocol endpoint (it answered with {media_type or 'no content type'})",
            hint=_HINT,
        )

    def key(term: object) -> str:
        if isinstance(term, ox.BlankNode):
            return "_:"
        if isinstance(term, ox.Literal) and term.language:
            return str(ox.Literal(term.value, language=term.language.lower()))
        return str(term)

    try:
        return Counter((key(t.subject), key(t.predicate), key(t.object)) for t in ox.parse(body, format=format_))
    except (SyntaxError, ValueError) as error:
        raise InputError(f"{url}: the answer is not valid {media_type}: {error}", hint=_HINT) from None


def _hint(status: int) -> str:
    return _AUTH_HINT if status in (401, 403) else _HINT if status in (400, 404, 405, 415) else ""


def _read(send: Send, url: str, what: str) -> tuple[Response | None, Keys]:
    """The graph's current content and its keys (None and nothing: no such graph); InputError for anything else."""
    if (answer := send("GET", url, headers={"Accept": _ACCEPT})).status == 404:
        return None, Counter()
    if not answer.ok:
        raise InputError(f"{url}: {what}: {answer.summary()}", hint=_hint(answer.status))
    return answer, _keys(answer.body, answer.media_type, url)


def _put_back(send: Send, url: str, previous: Response | None, before: Keys, sent: Keys, after: Keys | None) -> str:
    """After a failed push: put the previous content back unless another client wrote; say what happened."""
    current, now = _read(send, url, "cannot read the graph to put its previous content back")
    if now == before:
        return "the graph still does not exist" if previous is None else "the graph is unchanged"
    if (after is not None and now != after) or now - (before + sent):
        return "and another client has written to the graph meanwhile: it is left as it is now; check it"
    condition = {"If-Match": current.etag} if current is not None and current.etag else {}
    if previous is None:
        if (answer := send("DELETE", url, headers=condition)).ok or answer.status == 404:
            return "the graph, which did not exist before, has been removed again"
    else:
        answer = send("PUT", url, body=previous.body, headers={"Content-Type": previous.media_type, **condition})
        if answer.ok:
            return "its previous content has been put back"
    return f"putting back its previous content failed too ({answer.summary()}): check the graph"


def push(
    endpoint: str, graph: str, data: bytes, triples: int, *, auth: Login = None, timeout: float = TIMEOUT
) -> Pushed:
    """Replace ``graph`` at a GSP ``endpoint`` with ``data`` (``triples`` N-Triples) within ``timeout`` seconds."""
    url = graph_url(endpoint, graph)
    send = functools.partial(request, auth=auth, timeout=timeout)
    late = f"{url}: the push did not finish within {timeout:g} s"
    try:
        with _deadline(timeout):
            previous, before = _read(send, url, "cannot read the graph before replacing it")
    except _Expired:
        raise InputError(f"{late}: nothing was written") from None
    sent = _keys(data, NTRIPLES, url)
    condition = {"If-Match": previous.etag} if previous is not None and previous.etag else {}
    answer, after, hint = None, None, _HINT
    try:
        with _deadline(timeout):
            if (answer := send("PUT", url, body=data, headers={"Content-Type": NTRIPLES, **condition})).ok:
                after = _read(send, url, "cannot read the graph back after writing it")[1]
    except _Expired:
        failure = late
    except InputError as error:
        failure, hint = error.message, error.hint
    else:
        if answer.status == 412:
            raise InputError(f"{url}: another client changed the graph since it was read: nothing was written")
        if after is not None and not (missing := sent - after):
            return Pushed(graph, triples, replaced=previous is not None)
        if after is None:
            failure, hint = f"{url}: the store refused the graph: {answer.summary()}", _hint(answer.status)
        else:
            failure = f"{url}: {sum(missing.values())} of the {triples} triples sent are not there after the push"
            hint = ""
    try:
        with _deadline(timeout):
            outcome = _put_back(send, url, previous, before, sent, after)
    except _Expired:
        outcome = f"putting back its previous content did not finish within {timeout:g} s: check the graph"
    except InputError as error:
        outcome = f"putting back its previous content failed too ({error.message}): check the graph"
    raise InputError(f"{failure}; {outcome}", hint=hint)
