"""Against real SPARQL 1.1 servers, on 127.0.0.1 only.

- ``iotkg push`` into an Oxigraph server (``oxigraph serve``, a temporary store) that these tests start, then every
  view run with ``iotkg query --endpoint`` gives the same output as the local run;
- ``iotkg serve`` answers SPARQL over HTTP and refuses updates and federated (SERVICE) queries;
- a bad endpoint (nothing listening, an HTTP error, an answer that is not SPARQL, a store that fails half-way) is a
  clear message, exit 2, and leaves the remote graph as it was (fake servers in this file play the bad stores).

Every server a test starts is stopped by its process id in the fixture's teardown.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from iotkg import views
from iotkg.errors import InputError
from iotkg.pipeline.reason import Reasoned
from iotkg.remote.push import DEFAULT_GRAPH
from iotkg.remote.serve import oxigraph_binary, refusal

pytestmark = pytest.mark.slow  # the full suite only (see pyproject.toml)

# the tests only talk to 127.0.0.1: never through a proxy the environment may name
ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


def oxigraph_or_skip() -> str:
    """The ``oxigraph`` program; in CI (``CI`` set) its absence fails the test instead of skipping it."""
    try:
        return oxigraph_binary()
    except InputError:
        if os.environ.get("CI"):
            pytest.fail("the Oxigraph server is not installed: 'make test' installs it (pyproject dependencies)")
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped (exit {process.returncode})"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def stop(process: subprocess.Popen) -> None:
    """Stop a server this test started, by its process id."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None):
    """(status, content type, body) of one request, without raising on an HTTP error status."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=60) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Content-Type", ""), error.read()


def sparql(endpoint: str, query: str, **params: str) -> tuple[int, dict | str]:
    """POST a query; the status and the parsed JSON results (or the text of a refusal)."""
    form = urlencode({"query": query, **params}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    status, _, body = http("POST", endpoint, form, headers)
    text = body.decode("utf-8", errors="replace")
    return status, (json.loads(text) if status == 200 else text)


def count(endpoint: str, pattern: str = "?s ?p ?o") -> int:
    status, result = sparql(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    assert status == 200, result
    return int(result["results"]["bindings"][0]["n"]["value"])


def iotkg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "iotkg", *args],
        capture_output=True,
        text=True,
        env={**ENV, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )


def put_turtle(store: str, graph: str, turtle: str) -> None:
    url = f"{store}?{urlencode({'graph': graph})}"
    status, _, body = http("PUT", url, turtle.encode(), {"Content-Type": "text/turtle"})
    assert status in (201, 204), body


# ---------------------------------------------------------------- a real store: oxigraph serve


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oxigraph serve`` (read-write, default graph separate from the named graphs) on a free loopback port."""
    binary = oxigraph_or_skip()
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-store")
    log = (location.parent / "oxigraph.log").open("wb")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="module")
def pushed(oxigraph: str) -> str:
    """The store after ``iotkg push`` of the built graph into the default named graph."""
    result = iotkg("push", "--endpoint", f"{oxigraph}/store")
    assert result.returncode == 0, result.stderr
    return oxigraph


def test_push_puts_the_whole_built_graph_in_its_named_graph(pushed: str, reasoned: Reasoned) -> None:
    expected = len(reasoned.combined)
    assert count(f"{pushed}/query", f"GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }}") == expected > 0
    assert count(f"{pushed}/query") == 0  # the store's own default graph is left alone


def test_push_replaces_only_its_graph(oxigraph: str, reasoned: Reasoned) -> None:
    graph, other = "https://example.org/replace-me", "https://example.org/keep-me"
    put_turtle(f"{oxigraph}/store", graph, "<https://example.org/stale> <https://example.org/p> 1 .")
    put_turtle(f"{oxigraph}/store", other, "<https://example.org/kept> <https://example.org/p> 2 .")
    for _ in range(2):  # twice: the second push replaces the first, it does not add to it
        result = iotkg("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
        assert result.returncode == 0, result.stderr
        assert "replaced" in result.stdout
        assert count(f"{oxigraph}/query", f"GRAPH <{graph}> {{ ?s ?p ?o }}") == len(reasoned.combined)
    assert count(f"{oxigraph}/query", f"GRAPH <{graph}> {{ <https://example.org/stale> ?p ?o }}") == 0
    assert count(f"{oxigraph}/query", f"GRAPH <{other}> {{ ?s ?p ?o }}") == 1


def test_every_view_at_the_endpoint_gives_the_local_output(pushed: str) -> None:
    names = [view.name for view in views.list_views()]
    assert names
    rows = 0
    for name in names:
        local = iotkg("query", name, "--format", "json")
        remote = iotkg("query", name, "--format", "json", "--endpoint", f"{pushed}/query", "--graph", DEFAULT_GRAPH)
        assert local.returncode == 0 and remote.returncode == 0, (name, local.stderr, remote.stderr)
        assert remote.stdout == local.stdout, name
        rows += len(json.loads(local.stdout)["results"]["bindings"])
    assert rows > 0
    for fmt in ("csv", "tsv", "md", "table"):
        local = iotkg("query", "players", "--format", fmt)
        remote = iotkg("query", "players", "--format", fmt, "--endpoint", f"{pushed}/query", "--graph", DEFAULT_GRAPH)
        assert remote.returncode == 0, remote.stderr
        assert remote.stdout == local.stdout, fmt


def test_a_view_on_an_empty_default_graph_says_to_name_the_graph(pushed: str) -> None:
    result = iotkg("query", "protocols", "--format", "csv", "--endpoint", f"{pushed}/query")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "protocol,title,section,specification"
    assert "--graph" in result.stderr


def test_bind_is_refused_with_an_endpoint(pushed: str) -> None:
    result = iotkg("query", "term-meanings", "--bind", "name=provisioning", "--endpoint", f"{pushed}/query")
    assert result.returncode == 2
    assert "--bind" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- bad endpoints


class FakeStore(BaseHTTPRequestHandler):
    """A store that misbehaves as ``server.state["mode"]`` says: html, json (not SPARQL), fail-first-put (keeps
    half the data, then answers 500), drop-half (keeps half and says all is well), refuse-first-put (403, nothing
    written), other-client (keeps half, another client adds a triple, 500), infer (adds a triple on read), redirect
    (GET redirects to another origin), drip (answers one byte every 0.2 s); each only on the first PUT. With
    ``state["etag"]`` it offers ETags and honours If-Match; with ``state["basic"]`` (user, password) it asks for
    HTTP Basic authentication."""

    def log_message(self, *args: object) -> None:
        pass

    @property
    def state(self) -> dict:
        return self.server.state  # type: ignore[attr-defined]

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        if self.state.get("etag") and status == 200:
            self.send_header("ETag", self._etag())
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _graph(self) -> str:
        return parse_qs(urlsplit(self.path).query).get("graph", [""])[0]

    def _disguised(self) -> bool:
        if self.state["mode"] == "html":
            self._send(200, "text/html", b"<html><body>Welcome</body></html>")
            return True
        if self.state["mode"] == "json":
            self._send(200, "application/json", b'{"status": "ok"}')
            return True
        if self.state["mode"] == "xml-results":
            self._send(200, "application/sparql-results+xml; charset=utf-8", XML_RESULTS)
            return True
        return False

    def _etag(self) -> str:
        return f'"{hash(self.state["graphs"].get(self._graph(), b""))}"'

    def _refused_login(self) -> bool:
        if "basic" not in self.state:
            return False
        login = "Basic " + base64.b64encode(":".join(self.state["basic"]).encode()).decode()
        if self.headers.get("Authorization") == login:
            return False
        self.state["log"].append("401")
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def do_GET(self) -> None:
        self.state["log"].append("GET")
        if self._disguised() or self._refused_login():
            return
        if self.state["mode"] == "redirect":
            self.send_response(302)
            self.send_header("Location", self.state["elsewhere"] + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.state["mode"] == "drip":
            with contextlib.suppress(OSError):
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/n-triples\r\n" * 10:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
            self.close_connection = True
            return
        if self._graph() not in self.state["graphs"]:
            self._send(404, "text/plain", b"no such graph")
            return
        extra = (
            b'<https://example.org/store> <https://example.org/adds> "on read" .\n'
            if self.state["mode"] == "infer"
            else b""
        )
        self._send(200, "application/n-triples", self.state["graphs"][self._graph()] + extra)
        if self.state["mode"] == "changed-after-read" and self.state["log"].count("GET") == 1:
            self.state["graphs"][self._graph()] = OTHER  # another client writes just after this read

    def do_POST(self) -> None:
        self.state["log"].append("POST")
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if not self._disguised():
            self._send(404, "text/plain", b"not here")

    def do_PUT(self) -> None:
        self.state["log"].append("PUT")
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self._disguised() or self._refused_login():
            return
        lines = body.splitlines(keepends=True)
        half = b"".join(lines[: len(lines) // 2])
        puts = self.state["log"].count("PUT")
        if self.state.get("etag") and self.headers.get("If-Match") not in (None, self._etag()):
            self._send(412, "text/plain", b"precondition failed")
            return
        if self.state["mode"] == "fail-first-put" and puts == 1:
            self.state["graphs"][self._graph()] = half
            self._send(500, "text/plain", b"disk full")
            return
        if self.state["mode"] == "refuse-first-put" and puts == 1:
            self._send(403, "text/plain", b"this account may not write")
            return
        if self.state["mode"] == "other-client" and puts == 1:
            self.state["graphs"][self._graph()] = half + OTHER
            self._send(500, "text/plain", b"conflict")
            return
        self.state["graphs"][self._graph()] = half if self.state["mode"] == "drop-half" and puts == 1 else body
        self._send(204, "text/plain", b"")

    def do_DELETE(self) -> None:
        self.state["log"].append("DELETE")
        if self.state["graphs"].pop(self._graph(), None) is None:
            self._send(404, "text/plain", b"no such graph")
        else:
            self._send(204, "text/plain", b"")


@pytest.fixture
def fake() -> Iterator[tuple[str, dict]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeStore)
    server.state = {"mode": "ok", "graphs": {}, "log": []}  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", server.state  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


XML_RESULTS = b"""<?xml version="1.0"?>
<sparql xmlns="http://www.w3.org/2005/sparql-results#">
  <head><variable name="protocol"/><variable name="player"/><variable name="category"/></head>
  <results>
    <result>
      <binding name="protocol"><literal>BRSKI</literal></binding>
      <binding name="player"><literal xml:lang="en">Pledge, "new"</literal></binding>
    </result>
  </results>
</sparql>
"""
PREVIOUS = b"<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n"
OTHER = b"<https://example.org/other> <https://example.org/client> <https://example.org/wrote-this> .\n"


def _refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_nothing_listening_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    _refused(iotkg("push", "--endpoint", f"{url}/store"), "connection refused")
    _refused(iotkg("query", "players", "--endpoint", f"{url}/query"), "connection refused")


def test_an_http_error_leaves_the_real_store_as_it_was(pushed: str, reasoned: Reasoned) -> None:
    everything = "GRAPH ?g { ?s ?p ?o }"
    before = count(f"{pushed}/query", everything)
    _refused(iotkg("push", "--endpoint", f"{pushed}/no-such-service"), "HTTP 404", "still does not exist")
    _refused(iotkg("query", "players", "--endpoint", f"{pushed}/no-such-service"), "HTTP 404")
    _refused(iotkg("push", "--endpoint", f"{pushed}/query"), "HTTP 400")  # the query URL is not the store's
    assert count(f"{pushed}/query", everything) == before
    assert count(f"{pushed}/query", f"GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }}") == len(reasoned.combined)


@pytest.mark.parametrize("mode", ["html", "json"])
def test_an_answer_that_is_not_sparql_is_refused_before_anything_is_written(fake, mode: str) -> None:
    url, state = fake
    state["mode"] = mode
    _refused(iotkg("push", "--endpoint", f"{url}/store"), "not a Graph Store Protocol endpoint")
    assert "PUT" not in state["log"] and "DELETE" not in state["log"]
    _refused(iotkg("query", "players", "--endpoint", f"{url}/sparql"), "not SPARQL results")


def test_sparql_xml_results_are_read_too(fake) -> None:
    url, state = fake
    state["mode"] = "xml-results"
    result = iotkg("query", "players", "--format", "csv", "--endpoint", f"{url}/sparql")
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'protocol,player,category\nBRSKI,"Pledge, ""new""",\n'  # text mode: CRLF read as LF


def test_a_store_that_fails_half_way_gets_its_previous_graph_back(fake) -> None:
    url, state = fake
    state["mode"] = "fail-first-put"
    state["graphs"][DEFAULT_GRAPH] = PREVIOUS
    _refused(iotkg("push", "--endpoint", f"{url}/store"), "HTTP 500", "put back")
    assert state["log"].count("PUT") == 2  # the push, then the previous content
    assert state["graphs"] == {DEFAULT_GRAPH: PREVIOUS}


def test_a_store_that_fails_half_way_on_a_new_graph_is_left_without_it(fake) -> None:
    url, state = fake
    state["mode"] = "fail-first-put"
    _refused(iotkg("push", "--endpoint", f"{url}/store"), "HTTP 500", "removed again")
    assert state["graphs"] == {}


def test_a_store_that_loses_triples_silently_is_caught_and_restored(fake, reasoned: Reasoned) -> None:
    url, state = fake
    state["mode"] = "drop-half"
    state["graphs"][DEFAULT_GRAPH] = PREVIOUS
    result = iotkg("push", "--endpoint", f"{url}/store")
    _refused(result, f"of the {len(reasoned.combined)} triples sent are not there", "put back")
    assert state["graphs"] == {DEFAULT_GRAPH: PREVIOUS}


def test_a_store_that_refuses_the_first_write_is_left_unchanged(fake) -> None:
    url, state = fake
    state["mode"] = "refuse-first-put"
    state["graphs"][DEFAULT_GRAPH] = PREVIOUS
    result = iotkg("push", "--endpoint", f"{url}/store")
    _refused(result, "refused the graph: HTTP 403", "the graph is unchanged")
    assert "failed too" not in result.stderr and "Graph Store Protocol URL" not in result.stderr
    assert state["log"].count("PUT") == 1 and state["graphs"] == {DEFAULT_GRAPH: PREVIOUS}


def test_a_store_that_adds_triples_on_read_takes_the_push(fake, reasoned: Reasoned) -> None:
    url, state = fake
    state["mode"] = "infer"
    result = iotkg("push", "--endpoint", f"{url}/store")
    assert result.returncode == 0, result.stderr
    assert len(state["graphs"][DEFAULT_GRAPH].splitlines()) == len(reasoned.combined)


def test_another_clients_write_is_never_restored_over(fake) -> None:
    url, state = fake
    state["mode"] = "other-client"
    state["graphs"][DEFAULT_GRAPH] = PREVIOUS
    _refused(iotkg("push", "--endpoint", f"{url}/store"), "HTTP 500", "another client")
    assert state["log"].count("PUT") == 1  # no restore over the other client's triple
    assert OTHER in state["graphs"][DEFAULT_GRAPH]


def test_an_etag_makes_the_store_refuse_a_push_over_a_newer_graph(fake) -> None:
    url, state = fake
    state.update(mode="changed-after-read", etag=True)
    state["graphs"][DEFAULT_GRAPH] = PREVIOUS
    _refused(iotkg("push", "--endpoint", f"{url}/store"), "another client changed the graph", "nothing was written")
    assert state["graphs"] == {DEFAULT_GRAPH: OTHER}


def test_a_redirect_to_another_origin_is_refused(fake) -> None:
    url, state = fake
    state.update(mode="redirect", elsewhere=url.replace("127.0.0.1", "localhost"))
    state["graphs"][DEFAULT_GRAPH] = PREVIOUS
    _refused(iotkg("push", "--endpoint", f"{url}/store"), "redirected to another origin", "refused")
    assert state["log"] == ["GET"] and state["graphs"] == {DEFAULT_GRAPH: PREVIOUS}


def test_one_deadline_bounds_the_whole_push(fake) -> None:
    url, state = fake
    state["mode"] = "drip"  # each byte comes well within any per-read timeout
    started = time.monotonic()
    _refused(iotkg("push", "--endpoint", f"{url}/store", "--timeout", "2"), "did not finish within 2 s")
    assert time.monotonic() - started < 15  # the drip lasts 20 s; a per-read timeout would wait for all of it
    assert "PUT" not in state["log"]


def test_push_logs_in_with_user_and_password_or_netrc(fake, tmp_path: Path, reasoned: Reasoned) -> None:
    url, state = fake
    state["basic"] = ("alice", "s3cret")
    store = f"{url}/store"
    _refused(iotkg("push", "--endpoint", store), "HTTP 401", "--user")  # no credentials
    _refused(iotkg("push", "--endpoint", store, "--user", "alice", env={"IOTKG_PASSWORD": "wrong"}), "HTTP 401")
    _refused(iotkg("push", "--endpoint", store, "--user", "alice"), "IOTKG_PASSWORD")  # no terminal to ask at
    assert "PUT" not in state["log"] and state["graphs"] == {}
    result = iotkg("push", "--endpoint", store, "--user", "alice", env={"IOTKG_PASSWORD": "s3cret"})
    assert result.returncode == 0, result.stderr
    assert len(state["graphs"][DEFAULT_GRAPH].splitlines()) == len(reasoned.combined)
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login alice password s3cret\n")
    netrc.chmod(0o600)
    result = iotkg("push", "--endpoint", store, "--graph", "https://example.org/g", env={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "https://example.org/g" in state["graphs"]


def test_push_and_serve_refuse_entries_that_fail_validation(fake, tmp_path: Path) -> None:
    import shutil

    from iotkg import paths

    url, state = fake
    folder = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    (folder / "bare.ttl").write_text(
        "@prefix iotkg: <https://w3id.org/iotkg/ontology#> .\n<https://example.org/bare> a iotkg:Protocol .\n"
    )
    result = iotkg("push", "--instances", str(folder), "--endpoint", f"{url}/store")
    assert result.returncode == 1 and "validation failed" in result.stderr, result.stderr
    assert state["log"] == []  # nothing was sent
    result = iotkg("serve", "--instances", str(folder), "--port", "0")
    assert result.returncode == 1 and "validation failed" in result.stderr, result.stderr
    assert "SPARQL endpoint" not in result.stdout


def test_bad_urls_and_iris_are_usage_errors() -> None:
    _refused(iotkg("push", "--endpoint", "ftp://127.0.0.1/store"), "not an http")
    _refused(iotkg("push", "--endpoint", "http://127.0.0.1:1/store", "--graph", "not an iri"), "--graph")
    _refused(iotkg("query", "players", "--endpoint", "localhost:7878/query"), "not an http")


# ---------------------------------------------------------------- iotkg serve


def _start_serve(folder: Path, *args: str) -> tuple[subprocess.Popen, str, int, Path]:
    """Start ``iotkg serve --port 0``; its process, base URL, Oxigraph's process id and its log file."""
    log_path = folder / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "iotkg", "serve", "--port", "0", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=ENV,
        )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 180)
        assert ready, f"iotkg serve did not start: {log_path.read_text()}"
        line = process.stdout.readline()  # type: ignore[union-attr]
        match = re.search(r"(http://\S+?)/query", line)
        assert match, (line, log_path.read_text())
        pid = re.search(r"Oxigraph server \(pid (\d+)\)", log_path.read_text())
        assert pid, log_path.read_text()
        return process, match.group(1), int(pid.group(1)), log_path
    except BaseException:
        stop(process)
        raise


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    oxigraph_or_skip()
    process, url, _, _ = _start_serve(tmp_path_factory.mktemp("serve"))
    try:
        yield url
    finally:
        stop(process)
        if process.stdout:
            process.stdout.close()


def test_serve_answers_sparql_queries_over_http(served: str, reasoned: Reasoned) -> None:
    from iotkg.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH

    assert count(f"{served}/query") == len(reasoned.combined) > 0  # the default graph: asserted + inferred
    assert count(f"{served}/query", f"GRAPH <{ASSERTED_GRAPH}> {{ ?s ?p ?o }}") == len(reasoned.asserted)
    assert count(f"{served}/query", f"GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }}") == len(reasoned.inferred)
    query = "ASK { ?p a <https://w3id.org/iotkg/ontology#Protocol> }"
    status, content_type, body = http(
        "GET", f"{served}/query?{urlencode({'query': query})}", None, {"Accept": "application/sparql-results+json"}
    )
    assert status == 200 and content_type.startswith("application/sparql-results+json")
    assert json.loads(body)["boolean"] is True
    status, content_type, _ = http("GET", f"{served}/")
    assert status == 200 and content_type.startswith("text/html")  # Oxigraph's query page


def test_serve_refuses_updates(served: str, reasoned: Reasoned) -> None:
    insert = "INSERT DATA { <https://example.org/x> <https://example.org/p> <https://example.org/y> }"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    attempts = [
        ("POST", f"{served}/update", urlencode({"update": insert}).encode(), form),
        ("POST", f"{served}/update", insert.encode(), {"Content-Type": "application/sparql-update"}),
        ("POST", f"{served}/query", urlencode({"update": insert}).encode(), form),
        ("POST", f"{served}/update", urlencode({"update": "LOAD <http://127.0.0.1:9/data.ttl>"}).encode(), form),
        ("PUT", f"{served}/store?default", b"<https://example.org/x> <https://example.org/p> 1 .", {}),
        ("POST", f"{served}/store?default", b"<https://example.org/x> <https://example.org/p> 1 .", {}),
        ("DELETE", f"{served}/store?default", None, {}),
    ]
    for method, url, body, headers in attempts:
        status, _, text = http(method, url, body, headers)
        assert status == 403, (method, url, status, text)
        assert b"read-only" in text
    assert count(f"{served}/query") == len(reasoned.combined)


SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERV\\u0049CE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } } LIMIT 1",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "PREFIX ex: <{url}> CONSTRUCT { ?s ?p ?o } WHERE { SERVICE ex: { ?s ?p ?o } }",
]


def test_serve_refuses_federated_queries_and_never_calls_out(served: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for template in SERVICE_QUERIES:
            query = template.replace("{url}", target)
            status, text = sparql(f"{served}/query", query)
            assert status == 403 and "SERVICE" in text, (query, status, text)
            status, _, _ = http("POST", f"{served}/query", query.encode(), {"Content-Type": "application/sparql-query"})
            assert status == 403, query
            status, _, _ = http("GET", f"{served}/query?{urlencode({'query': query})}")
            assert status == 403, query
        listener.settimeout(1.0)
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody called
    status, result = sparql(f"{served}/query", 'SELECT ("a service" AS ?word) WHERE {}')
    assert status == 200 and result["results"]["bindings"][0]["word"]["value"] == "a service"


def test_a_view_against_iotkg_serve_gives_the_local_output(served: str) -> None:
    local = iotkg("query", "equivalent-roles", "--format", "csv")
    remote = iotkg("query", "equivalent-roles", "--format", "csv", "--endpoint", f"{served}/query")
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and local.stdout.count("\n") > 1


def test_serve_stops_with_its_oxigraph_server(tmp_path: Path) -> None:
    oxigraph_or_skip()
    process, url, oxigraph_pid, log = _start_serve(tmp_path)
    try:
        assert count(f"{url}/query") > 0
        os.kill(oxigraph_pid, 0)  # running
    finally:
        stop(process)
        if process.stdout:
            process.stdout.close()
    assert process.returncode == 0, log.read_text()
    with pytest.raises(ProcessLookupError):
        os.kill(oxigraph_pid, 0)


def test_serve_on_a_busy_port_is_a_clear_error() -> None:
    oxigraph_or_skip()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        _refused(iotkg("serve", "--port", str(busy.getsockname()[1])), "cannot listen")


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_refusal_finds_service_wherever_it_is(template: str) -> None:
    assert refusal(template.replace("{url}", "http://example.org/sparql"))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
        'SELECT ?s WHERE { ?s ?p "service" }',
        "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "this is not SPARQL",
    ],
)
def test_refusal_lets_other_queries_through(query: str) -> None:
    assert refusal(query) is None


def test_refusal_refuses_unreadable_text_that_mentions_service() -> None:
    assert refusal("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } ")


def _count_rows(status: int, body: bytes) -> int:
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_every_protocol_way_of_sending_a_query_works_where_the_page_and_clients_send_it(
    served: str, reasoned: Reasoned
) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    accept = {"Accept": "application/sparql-results+json"}
    form = {**accept, "Content-Type": "application/x-www-form-urlencoded"}
    direct = {**accept, "Content-Type": "application/sparql-query"}
    for path in ("/query", "/sparql"):  # /sparql: where Oxigraph's query page sends its queries
        url = served + path
        assert _count_rows(*http("GET", f"{url}?{urlencode({'query': query})}", None, accept)[::2]) == len(
            reasoned.combined
        )
        assert _count_rows(*http("POST", url, urlencode({"query": query}).encode(), form)[::2]) == len(
            reasoned.combined
        )
        assert _count_rows(*http("POST", url, query.encode(), direct)[::2]) == len(reasoned.combined)
    insert = "INSERT DATA { <https://example.org/x> <https://example.org/p> <https://example.org/y> }"
    for body, headers in (
        (urlencode({"update": insert}).encode(), form),
        (insert.encode(), {"Content-Type": "application/sparql-update"}),
    ):
        status, _, text = http("POST", f"{served}/sparql", body, headers)
        assert status == 403 and b"read-only" in text, (status, text)
    assert count(f"{served}/query") == len(reasoned.combined)


def test_the_graph_store_read_of_the_default_graph_agrees_with_queries(served: str, reasoned: Reasoned) -> None:
    import pyoxigraph as ox

    status, content_type, body = http("GET", f"{served}/store?default", None, {"Accept": "application/n-triples"})
    assert status == 200 and content_type.startswith("application/n-triples"), (status, content_type)
    triples = {quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
    assert len(triples) == count(f"{served}/query") == len(reasoned.combined) > 0


def test_cors_is_off_by_default_and_on_with_the_flag(served: str, tmp_path: Path) -> None:
    preflight = {"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"}
    status, _, _ = http("OPTIONS", f"{served}/query", None, preflight)
    assert status == 405
    process, url, _, _ = _start_serve(tmp_path, "--cors")
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(urllib.request.Request(f"{url}/query", method="OPTIONS", headers=preflight)) as answer:
            assert answer.status == 204
            assert answer.headers["Access-Control-Allow-Origin"] == "*"
            assert "POST" in answer.headers["Access-Control-Allow-Methods"]
            assert "content-type" in answer.headers["Access-Control-Allow-Headers"].lower()
        query = urlencode({"query": "ASK {}"})
        with opener.open(
            urllib.request.Request(f"{url}/query?{query}", headers={"Origin": "http://x.example"})
        ) as answer:
            assert answer.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        stop(process)
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(f"{served}/query?{query}") as answer:
        assert answer.headers.get("Access-Control-Allow-Origin") is None


def test_queries_and_idle_connections_have_a_time_limit(tmp_path: Path) -> None:
    process, url, _, _ = _start_serve(tmp_path, "--timeout", "2")
    try:
        cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # ~25 s without the limit
        started = time.monotonic()
        _, _, body = http(
            "POST",
            f"{url}/query",
            urlencode({"query": cross}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert time.monotonic() - started < 30
        assert b'"value"' not in body, body  # no count: the query was stopped
        host, port = urlsplit(url).hostname, urlsplit(url).port
        with socket.create_connection((host, port)) as idle:
            idle.settimeout(20)
            started = time.monotonic()
            assert idle.recv(100) == b""  # the server closed the idle connection
            assert time.monotonic() - started < 10
        assert count(f"{url}/query") > 0  # and still answers
    finally:
        stop(process)


def test_serve_stops_and_says_so_when_its_oxigraph_server_dies(tmp_path: Path) -> None:
    process, url, oxigraph_pid, log = _start_serve(tmp_path)
    try:
        assert count(f"{url}/query") > 0
        os.kill(oxigraph_pid, signal.SIGKILL)
        process.wait(timeout=15)
    finally:
        stop(process)
    assert process.returncode == 2
    assert "the Oxigraph server stopped" in log.read_text() and "Traceback" not in log.read_text()


def test_serve_on_every_interface_warns_and_prints_an_address_to_open(tmp_path: Path) -> None:
    process, url, _, log = _start_serve(tmp_path, "--host", "0.0.0.0")
    try:
        assert "0.0.0.0" not in url
        assert "warning: listening on every interface" in log.read_text()
        assert count(f"{url}/query") > 0
    finally:
        stop(process)


def test_serve_on_ipv6_loopback(tmp_path: Path) -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    process, url, _, _ = _start_serve(tmp_path, "--host", "::1")
    try:
        assert url.startswith("http://[::1]:")
        assert count(f"{url}/query") > 0
    finally:
        stop(process)
