"""A remote SPARQL 1.1 store over HTTP (by urllib): run a view there; every failure is an InputError."""

from __future__ import annotations

import functools
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from iotkg.errors import InputError
from iotkg.views import Result, Rows, View, query_form

TIMEOUT = 120.0
RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
RDF_TYPES = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7"


@dataclass
class Response:
    """An HTTP answer: status, media type (without parameters), body."""

    status: int
    media_type: str
    body: bytes
    etag: str | None = None

    @property
    def ok(self) -> bool:
        """A 2xx status."""
        return 200 <= self.status < 300

    def summary(self) -> str:
        """``HTTP 404`` with the first line of the body, for a message."""
        text = self.body[:300].decode("utf-8", errors="replace").strip().splitlines()
        return f"HTTP {self.status}" + (f": {text[0]}" if text else "")


def check_url(url: str, what: str = "--endpoint") -> str:
    """The URL if it is an absolute http(s) URL; InputError otherwise."""
    if (parts := urlsplit(url)).scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{what} {url!r}: not an http:// or https:// URL", hint="e.g. http://localhost:7878/query")
    return url


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or {"http": 80, "https": 443}.get(parts.scheme)


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the origin (scheme, host, port) of the request; InputError otherwise."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if _origin(newurl) != _origin(req.full_url):
            fp.close()
            raise InputError(
                f"{req.full_url}: redirected to another origin ({newurl}): refused, nothing was sent there"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """HTTP Digest that, once challenged, answers up front (a store may close on a 401 before reading a body)."""

    challenge: dict[str, str] | None = None

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str) -> object:
        parts = urllib.request.parse_http_list(auth.split(" ", 1)[1])
        self.challenge = urllib.request.parse_keqv_list(filter(None, parts))
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        answer = self.get_authorization(req, self.challenge) if self.challenge else None
        if answer and not req.has_header("Authorization"):
            req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request


@functools.cache
def _login(user: str, password: str) -> tuple[urllib.request.HTTPPasswordMgrWithPriorAuth, _Digest, object]:
    """The password manager and the Digest and Basic handlers of one login, kept for all the requests it makes."""
    passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()  # Basic goes up front once it has been accepted
    return passwords, _Digest(passwords), urllib.request.HTTPBasicAuthHandler(passwords)


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
    auth: tuple[str, str] | None = None,
) -> Response:
    """Send one HTTP request (``auth``: user and password); an HTTP error is returned, no answer is an InputError."""
    prepared = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    handlers: list = [_SameOrigin()]
    if auth:
        passwords, *handlers[1:] = _login(*auth)
        if passwords.find_user_password(None, url) == (None, None):
            passwords.add_password(None, url, *auth)
    try:
        with urllib.request.build_opener(*handlers).open(prepared, timeout=timeout) as answer:
            etag = answer.headers.get("ETag")
            return Response(answer.status, _media_type(answer.headers.get("Content-Type")), answer.read(), etag)
    except urllib.error.HTTPError as error:
        with error:
            data = error.read() if error.fp else b""
        return Response(error.code, _media_type(error.headers.get("Content-Type") if error.headers else None), data)
    except urllib.error.URLError as error:
        if isinstance(reason := error.reason, ConnectionRefusedError):
            detail = "connection refused (is the server running, on this port?)"
        elif isinstance(reason, socket.gaierror):
            detail = "unknown host"
        elif isinstance(reason, TimeoutError):
            detail = f"no answer within {timeout:g} s"
        else:
            detail = str(getattr(reason, "strerror", None) or reason)
        raise InputError(f"{url}: cannot reach the server: {detail}") from None
    except TimeoutError:
        raise InputError(f"{url}: no answer within {timeout:g} s") from None
    except (ConnectionError, OSError, ValueError) as error:  # reset mid-answer, a malformed answer
        raise InputError(f"{url}: the connection failed: {error}") from None


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def run_view(view: View, endpoint: str, *, default_graph: str | None = None, bindings: dict | None = None) -> Result:
    """Run a view at a SPARQL endpoint (``default_graph``: the named graph to query, as default-graph-uri): SELECT's
    ``Rows``, ASK's bool, or CONSTRUCT's and DESCRIBE's triples."""
    if bindings:
        raise InputError(
            "--bind cannot be used with --endpoint",
            hint="The SPARQL protocol has no way to pass bound values without editing the query; run it locally.",
        )
    graph = query_form(view) == "graph"
    check_url(endpoint)
    form = [("query", view.text)] + ([("default-graph-uri", default_graph)] if default_graph else [])
    accept = RDF_TYPES if graph else f"{RESULTS_JSON}, {RESULTS_XML};q=0.9"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    answer = request("POST", endpoint, body=urlencode(form).encode("utf-8"), headers=headers)
    hint = "Check that --endpoint is {} (Oxigraph: /query, Fuseki: /DATASET/sparql)."
    if not answer.ok:
        raise InputError(
            f"{endpoint}: the query was refused: {answer.summary()}", hint=hint.format("the store's SPARQL query URL")
        )
    not_sparql = InputError(
        f"{endpoint}: the answer is not {'RDF' if graph else 'SPARQL results'} (got {answer.media_type or 'none'})",
        hint=hint.format("a SPARQL 1.1 query endpoint"),
    )
    json, xml = ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML
    results = {RESULTS_JSON: json, "application/json": json, RESULTS_XML: xml}
    answer_format = ox.RdfFormat.from_media_type(answer.media_type) if graph else results.get(answer.media_type)
    if answer_format is None:
        raise not_sparql
    try:  # a malformed answer may be found while its rows are read
        if graph:
            return [quad.triple for quad in ox.parse(answer.body, format=answer_format)]
        solutions = ox.parse_query_results(answer.body, format=answer_format)
        return bool(solutions) if isinstance(solutions, ox.QueryBoolean) else Rows.from_solutions(solutions)
    except SyntaxError:
        raise not_sparql from None
