"""``iotkg query`` with every SPARQL query form (issue 21, section 2): ASK answers in the W3C boolean results formats
(yes/no in the table format); CONSTRUCT and DESCRIBE write RDF (Turtle by default, N-Triples, JSON-LD on request),
locally and against an endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from iotkg import views
from iotkg.errors import InputError
from iotkg.namespaces import IOTKG_IRI
from iotkg.store import GraphStore

PLEDGE = "https://w3id.org/iotkg/id/brski/role-pledge"
QUERIES = {
    "ask-yes": f"ASK {{ <{PLEDGE}> a <{IOTKG_IRI}Role> }}",
    "ask-no": f"ASK {{ <{PLEDGE}> a <{IOTKG_IRI}Protocol> }}",
    "construct": f"CONSTRUCT {{ ?p <{IOTKG_IRI}shortName> ?n }} WHERE {{ ?p a <{IOTKG_IRI}Protocol> ; "
    f"<{IOTKG_IRI}shortName> ?n }}",
    "describe": f"DESCRIBE <{PLEDGE}>",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("queries")
    for name, text in QUERIES.items():
        (folder / f"{name}.rq").write_text(text + "\n", encoding="utf-8")
    return {name: folder / f"{name}.rq" for name in QUERIES}


def run(files: dict[str, Path], name: str, store: GraphStore) -> views.Result:
    return views.run_query(views.find_view(str(files[name])), store)


def test_ask_answers_yes_or_no_in_the_table_and_w3c_boolean_results(files, store: GraphStore) -> None:
    yes, no = run(files, "ask-yes", store), run(files, "ask-no", store)
    assert yes is True and no is False
    assert views.write_result(yes, "table") == "yes\n" and views.write_result(no, "table") == "no\n"
    assert json.loads(views.write_result(yes, "json")) == {"head": {}, "boolean": True}
    assert "<boolean>false</boolean>" in views.write_result(no, "xml")
    parsed = ox.parse_query_results(views.write_result(no, "xml"), format=ox.QueryResultsFormat.XML)
    assert isinstance(parsed, ox.QueryBoolean) and not bool(parsed)


def test_construct_writes_turtle_by_default_and_ntriples_and_jsonld_on_request(files, store: GraphStore) -> None:
    triples = run(files, "construct", store)
    assert isinstance(triples, list) and len(triples) == 11  # the draft's eleven mechanisms (Section 2)
    turtle = views.write_result(triples, "table", prefixes=store.prefixes)
    assert turtle.startswith("@prefix ") and 'iotkg:shortName "OMA"' in turtle
    assert set(ox.parse(turtle, format=ox.RdfFormat.TURTLE)) == {ox.Quad(*t) for t in triples}
    assert views.write_result(triples, "turtle", prefixes=store.prefixes) == turtle
    ntriples = views.write_result(triples, "ntriples")
    assert len(ntriples.splitlines()) == 11 and set(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)) == {
        ox.Quad(*t) for t in triples
    }
    jsonld = views.write_result(triples, "jsonld")
    assert {ox.Quad(*t) for t in triples} == set(ox.parse(jsonld, format=ox.RdfFormat.JSON_LD))
    assert views.write_result(list(reversed(triples)), "turtle", prefixes=store.prefixes) == turtle  # sorted


def test_describe_writes_the_resources_statements(files, store: GraphStore) -> None:
    triples = run(files, "describe", store)
    assert isinstance(triples, list) and {t.subject.value for t in triples} == {PLEDGE}
    assert (
        ox.Triple(
            ox.NamedNode(PLEDGE),
            ox.NamedNode(f"{IOTKG_IRI}hasRoleCategory"),
            ox.NamedNode("https://w3id.org/iotkg/id/category/joining-device"),
        )
        in triples
    )


def test_a_format_that_cannot_write_the_result_is_a_usage_error(files, store: GraphStore) -> None:
    with pytest.raises(InputError, match="gives triples: --format csv"):
        views.write_result(run(files, "construct", store), "csv")
    with pytest.raises(InputError, match="gives a yes/no answer: --format turtle"):
        views.write_result(True, "turtle")
    with pytest.raises(InputError, match="gives rows: --format jsonld"):
        views.write_result(views.run_query(views.find_view("protocols"), store), "jsonld")
    with pytest.raises(InputError, match="not a SELECT query"):
        views.run_view(views.find_view(str(files["ask-yes"])), store)
    with pytest.raises(InputError, match="not a SELECT query"):
        views.check_bindings(views.find_view(str(files["ask-yes"])), {"x": views.Term("literal", "y")})


def test_the_command_runs_every_form(files, cli) -> None:
    for name, expected in (("ask-yes", "yes\n"), ("ask-no", "no\n")):
        result = cli("query", str(files[name]))
        assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")
    result = cli("query", str(files["construct"]), "--format", "ntriples")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 11, result.stderr
    result = cli("query", str(files["describe"]))
    assert result.returncode == 0 and "brski:role-pledge" in result.stdout, result.stderr
    result = cli("query", str(files["ask-yes"]), "--format", "ntriples")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--format" in result.stderr


@pytest.mark.slow
def test_every_form_at_an_endpoint_gives_the_local_output(files, cli) -> None:
    import subprocess

    from test_endpoint import DEFAULT_GRAPH, free_port, iotkg, oxigraph_or_skip, stop, wait_for_port

    binary, port = oxigraph_or_skip(), free_port()
    process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        assert iotkg("push", "--endpoint", f"http://127.0.0.1:{port}/store").returncode == 0
        remote = ("--endpoint", f"http://127.0.0.1:{port}/query", "--graph", DEFAULT_GRAPH)
        for name, fmt in [(n, f) for n in ("ask-yes", "ask-no") for f in ("table", "json", "xml")] + [
            (n, f) for n in ("construct", "describe") for f in ("ntriples", "jsonld")
        ]:
            local, there = (
                cli("query", str(files[name]), "--format", fmt),
                iotkg("query", str(files[name]), "--format", fmt, *remote),
            )
            assert there.returncode == local.returncode == 0, (name, fmt, there.stderr)
            if fmt == "jsonld":
                assert set(ox.parse(there.stdout, format=ox.RdfFormat.JSON_LD)) == set(
                    ox.parse(local.stdout, format=ox.RdfFormat.JSON_LD)
                )
            else:
                assert there.stdout == local.stdout, (name, fmt)
        there = iotkg("query", str(files["construct"]), *remote)
        assert there.returncode == 0 and there.stdout.count("shortName") == 11, there.stderr
    finally:
        stop(process)
