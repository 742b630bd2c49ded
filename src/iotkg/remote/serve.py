"""``iotkg serve``: the Oxigraph server behind a guard that refuses updates and ``SERVICE`` queries."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from iotkg.errors import InputError, IotkgError
from iotkg.store import from_reasoned

MAX_BODY = 16 * 1024 * 1024
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer"}
_HOP_BY_HOP |= {"transfer-encoding", "upgrade", "host", "content-length"}
_QUERY_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")
_READ_ONLY = "this endpoint is read-only: it refuses updates"


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program: beside this Python (a virtual environment's ``bin``), else on ``PATH``."""
    found = shutil.which(
        "oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', os.defpath)}"
    )
    if found:
        return found
    raise InputError(
        "the Oxigraph server (the 'oxigraph' program) is not installed",
        hint="Install it into iotkg's environment: pip install oxigraph (make run and make test do).",
    )


def _has_service(node: object) -> bool:
    """Whether rdflib's parse tree ``node`` holds a SERVICE pattern (a ``CompValue``: an ordered dict with a name)."""
    if isinstance(node, dict):
        return getattr(node, "name", None) == "ServiceGraphPattern" or any(map(_has_service, node.values()))
    try:
        return not isinstance(node, (str, bytes)) and any(map(_has_service, node))  # type: ignore[call-overload]
    except TypeError:
        return False


def refusal(query: str) -> str | None:
    """Why the endpoint refuses this query (it would call out to another host), or None to let it run."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery

    try:
        tree = parseQuery(query)
    except Exception:  # pyparsing and rdflib raise assorted errors for a query they cannot read
        text = query
        with contextlib.suppress(Exception):
            text = expandUnicodeEscapes(query)
        if "service" in text.lower():
            return "this endpoint refuses federated queries (SERVICE), and could not check this query for one"
        return None
    if _has_service(tree):
        return "this endpoint refuses federated queries (SERVICE): it does not call out to other hosts"
    return None


class _Refused(Exception):
    """A request the guard refuses: (HTTP status, why)."""


class Guard(BaseHTTPRequestHandler):
    """Forwards requests to Oxigraph at ``upstream``, refusing updates and federated queries (``cors``: CORS)."""

    upstream: tuple[str, int] = ("127.0.0.1", 7878)
    server_version = "iotkg-serve"
    timeout: float = 60.0
    cors = False

    def do_GET(self) -> None:
        try:
            body = self._read_body() if self.command == "POST" else None
            self._check(body)
        except _Refused as refused:
            self._refuse(*refused.args)
        else:
            self._forward(body)

    do_HEAD = do_POST = do_GET

    def do_PUT(self) -> None:
        self._refuse(403, _READ_ONLY)

    do_DELETE = do_PATCH = do_PUT

    def do_OPTIONS(self) -> None:
        if not self.cors:
            self._refuse(405, "OPTIONS is not supported (iotkg serve --cors answers it)")
            return
        self.send_response(204)
        for key, value in (("Allow-Methods", "GET, HEAD, POST, OPTIONS"), ("Allow-Headers", "Accept, Content-Type")):
            self.send_header(f"Access-Control-{key}", value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def end_headers(self) -> None:
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise _Refused(411, "send the request body with a Content-Length")
        if self.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
            raise _Refused(415, "compressed request bodies are not accepted")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise _Refused(400, "bad Content-Length") from None
        if not 0 <= length <= MAX_BODY:
            raise _Refused(413, f"request bodies are limited to {MAX_BODY} bytes")
        return self.rfile.read(length)

    def _check(self, body: bytes | None) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path.rstrip("/").endswith("/update") or "update" in params:
            raise _Refused(403, _READ_ONLY)
        queries = list(params.get("query", []))
        if self.command == "POST":
            content_types = self.headers.get_all("Content-Type") or []
            kind = content_types[0].split(";")[0].strip().lower() if len(content_types) == 1 else ""
            if url.path not in ("/query", "/sparql") or kind == "application/sparql-update":
                raise _Refused(
                    403, "this endpoint is read-only: only SPARQL queries may be POSTed (to /query or /sparql)"
                )
            if kind not in _QUERY_TYPES:
                raise _Refused(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")
            text = (body or b"").decode("utf-8", errors="replace")
            if kind == "application/sparql-query":
                queries.append(text)
            else:
                form = parse_qs(text, keep_blank_values=True)
                if "update" in form:
                    raise _Refused(403, _READ_ONLY)
                queries += form.get("query", [])
        for query in queries:
            if reason := refusal(query):
                raise _Refused(403, reason)

    def _forward(self, body: bytes | None) -> None:
        url = urlsplit(self.path)
        target = url.path + (f"?{url.query}" if url.query else "")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        connection = http.client.HTTPConnection(*self.upstream, timeout=self.timeout + 30)
        try:
            connection.request(self.command, target, body=body, headers=headers)
            response = connection.getresponse()
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in _HOP_BY_HOP | {"server", "date"} or key.lower() == "content-length":
                    self.send_header(key, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                while chunk := response.read(65536):
                    self.wfile.write(chunk)
        except OSError as error:
            with contextlib.suppress(OSError):
                self._refuse(502, f"the Oxigraph server did not answer: {error}")
        finally:
            connection.close()

    def _refuse(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _die_with_parent() -> None:
    """In the child, before exec (Linux): have the kernel stop Oxigraph if iotkg dies without cleaning up."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def load_store(binary: str, nquads: bytes, location: Path) -> None:
    """Load N-Quads into a new Oxigraph store at ``location`` with Oxigraph's own loader (atomic; fails loudly)."""
    result = subprocess.run(
        [binary, "load", "--location", str(location), "--format", "nq"], input=nquads, capture_output=True, timeout=600
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise InputError(f"Oxigraph could not load the graph: {message[-1] if message else result.returncode}")


@contextlib.contextmanager
def oxigraph_server(
    binary: str, location: Path, *, timeout: float = 60.0, startup: float = 60.0
) -> Iterator[tuple[subprocess.Popen, int]]:
    """Run ``oxigraph serve-read-only`` on a free loopback port (log: ``oxigraph.log``); yield (process, port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = [binary, "serve-read-only", "--location", str(location), "--timeout-s", str(max(1, round(timeout)))]
    with (location.parent / "oxigraph.log").open("wb") as log:
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
    try:
        deadline = time.monotonic() + startup
        while True:
            if process.poll() is not None:
                raise InputError(f"the Oxigraph server stopped at start: {_last_words(process, location)}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline:
                raise InputError("the Oxigraph server did not start in time")
            time.sleep(0.1)
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _last_words(process: subprocess.Popen, location: Path) -> str:
    lines = (location.parent / "oxigraph.log").read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return f"exit status {process.returncode}" + (f"; its last message: {lines[-1]}" if lines else "")


def _openable(host: str) -> str:
    """``host`` as a URL shows it; for 0.0.0.0 or ::, this machine's outward address (else loopback) to open."""
    if host in ("0.0.0.0", "::"):
        v6 = ":" in host
        family, host = (socket.AF_INET6, "::1") if v6 else (socket.AF_INET, "127.0.0.1")
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(("2001:db8::1" if v6 else "192.0.2.1", 9))  # sends nothing
            host = str(probe.getsockname()[0])
    return f"[{host}]" if ":" in host else host


def serve(
    host: str,
    port: int,
    instances: Path | None = None,
    *,
    timeout: float = 60.0,
    cors: bool = False,
    announce: Callable[[str], None] = print,
    log: Callable[[str], None] = lambda _: None,
) -> None:
    """Serve the validated graph until Ctrl-C, SIGTERM or Oxigraph stops; ``announce`` gets the query URL."""
    from iotkg.pipeline.checked import load_checked

    binary = oxigraph_binary()
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family, "daemon_threads": True})
        server = server_class((host, port), Guard)
    except OSError as error:
        raise InputError(
            f"cannot listen on {host}:{port}: {error.strerror or error}",
            hint="Choose another --port (0 picks a free one), or stop what is using it.",
        ) from None
    try:
        graph = from_reasoned(load_checked(instances).reasoned)
        store = graph.store
        # the default graph holds the union, so that a Graph Store read of it (/store?default) sees what queries see
        union, _ = graph.union_ntriples()
        with tempfile.TemporaryDirectory(prefix="iotkg-serve-") as folder:
            location = Path(folder) / "store"
            load_store(binary, store.dump(format=ox.RdfFormat.N_QUADS) + union, location)
            with oxigraph_server(binary, location, timeout=timeout) as (process, upstream_port):
                bound = {"upstream": ("127.0.0.1", upstream_port), "timeout": timeout, "cors": cors}
                server.RequestHandlerClass = type("BoundGuard", (Guard,), bound)
                server.service_actions = functools.partial(_check_alive, process, location)  # type: ignore[method-assign]
                log(f"Oxigraph server (pid {process.pid}) read-only on 127.0.0.1:{upstream_port}: {len(store)} quads")
                if host in ("0.0.0.0", "::"):
                    log(f"warning: listening on every interface ({host}): anyone who can reach this machine can query")
                base = f"http://{_openable(host)}:{server.server_port}"
                announce(f"SPARQL endpoint: {base}/query  (query page: {base}/, graph store: {base}/store)")
                previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
                try:
                    server.serve_forever(poll_interval=0.2)
                except KeyboardInterrupt:
                    log("stopping")
                finally:
                    signal.signal(signal.SIGTERM, previous)
    finally:
        server.server_close()


def _check_alive(process: subprocess.Popen, location: Path) -> None:
    """Between requests: stop serving, with a message, if the Oxigraph server has stopped."""
    if process.poll() is not None:
        raise IotkgError(f"the Oxigraph server stopped ({_last_words(process, location)}), so iotkg serve stops too")
