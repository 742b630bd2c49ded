"""``iotkg push`` into Virtuoso (Debian's ``virtuoso-opensource``), the store people use when they outgrow one machine:
the test starts it on loopback ports with a temporary database and its own ini file; its Graph Store endpoint
``/sparql-graph-crud-auth`` asks for HTTP Digest authentication (a fresh database's ``dba``/``dba``)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from iotkg.pipeline.reason import Reasoned
from iotkg.remote.push import DEFAULT_GRAPH
from test_endpoint import free_port, iotkg, stop, wait_for_port

pytestmark = pytest.mark.slow

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {db}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {db}
ServerThreads = 5
[SPARQL]
ResultSetMaxRows = 1000000
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Virtuoso server with a new database on free loopback ports; its base URL. Stopped by its process id."""
    if not Path(VIRTUOSO).is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must run the Virtuoso test: install virtuoso-opensource (scripts/system-deps.sh test)")
        pytest.skip("Virtuoso is not installed (Debian package virtuoso-opensource)")
    db = tmp_path_factory.mktemp("virtuoso")
    port = free_port()
    (db / "virtuoso.ini").write_text(INI.format(db=db, sql=free_port(), http=port))
    with (db / "out.log").open("wb") as log:
        process = subprocess.Popen(
            [VIRTUOSO, "-f", "-c", str(db / "virtuoso.ini")], cwd=db, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
    try:
        wait_for_port(port, process, timeout=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)


def triples_in(base: str, graph: str, pattern: str = "?s ?p ?o") -> int:
    """The number of triples matching ``pattern`` in ``graph``, asked at Virtuoso's public query endpoint."""
    query = urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(f"{base}/sparql?{query}", headers={"Accept": "application/sparql-results+json"})
    with opener.open(request, timeout=60) as answer:
        return int(json.loads(answer.read())["results"]["bindings"][0]["n"]["value"])


def test_push_to_virtuoso_with_digest_authentication(virtuoso: str, reasoned: Reasoned) -> None:
    store = f"{virtuoso}/sparql-graph-crud-auth"
    wrong = iotkg("push", "--endpoint", store, "--user", "dba", env={"IOTKG_PASSWORD": "not-the-password"})
    assert wrong.returncode == 2, wrong.stderr
    assert "HTTP 401" in wrong.stderr and "--user" in wrong.stderr and "Traceback" not in wrong.stderr
    assert triples_in(virtuoso, DEFAULT_GRAPH) == 0  # nothing changed
    stale = "<https://example.org/stale> <https://example.org/p> <https://example.org/o>"
    for attempt in range(2):  # twice: the second push replaces the first (and a triple added in between)
        result = iotkg("push", "--endpoint", store, "--user", "dba", env={"IOTKG_PASSWORD": "dba"})
        assert result.returncode == 0, result.stderr
        assert ("replaced" if attempt else "created") in result.stdout
        assert triples_in(virtuoso, DEFAULT_GRAPH) == len(reasoned.combined) > 0
        if not attempt:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, virtuoso, "dba", "dba")
            opener = urllib.request.build_opener(
                urllib.request.ProxyHandler({}), urllib.request.HTTPDigestAuthHandler(passwords)
            )
            post = urllib.request.Request(
                f"{store}?{urlencode({'graph': DEFAULT_GRAPH})}",
                data=f"{stale} .\n".encode(),
                method="POST",
                headers={"Content-Type": "application/n-triples"},
            )
            with opener.open(post, timeout=60) as answer:
                assert answer.status in (200, 201, 204)
            assert triples_in(virtuoso, DEFAULT_GRAPH, stale) == 1
    assert triples_in(virtuoso, DEFAULT_GRAPH, stale) == 0


def test_a_view_against_virtuoso_gives_the_local_output(virtuoso: str) -> None:
    result = iotkg(
        "push", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth", "--user", "dba", env={"IOTKG_PASSWORD": "dba"}
    )
    assert result.returncode == 0, result.stderr
    local = iotkg("query", "players", "--format", "csv")
    remote = iotkg("query", "players", "--format", "csv", "--endpoint", f"{virtuoso}/sparql", "--graph", DEFAULT_GRAPH)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and local.stdout.count("\n") > 10
