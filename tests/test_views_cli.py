"""``iotkg views`` and ``iotkg query``: listing, binding values safely, errors, and byte-stable output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from iotkg import paths, views
from iotkg.errors import InputError
from iotkg.namespaces import INFERRED_GRAPH
from iotkg.pipeline.reason import Reasoned
from iotkg.store import GraphStore, from_reasoned
from iotkg.views import Term

# Pasted into a query as text, this value would close the pattern and match every triple of the graph.
HOSTILE = 'x" } UNION { ?s ?p ?o } #'


def literal(value: str) -> Term:
    return Term("literal", value)


def headers(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line.lstrip("# ").partition(":")
        found[key.strip()] = value.strip()
    return found


def views_with(variable: str) -> list[str]:
    return [view.name for view in views.list_views() if re.search(rf"SELECT[^{{]*\?{variable}\b", view.text)]


# ---------------------------------------------------------------- headers and listing


def test_every_view_has_a_title_what_it_answers_and_which_graph_it_reads() -> None:
    files = sorted(paths.queries_dir().glob("*.rq"))
    assert files
    for path in files:
        fields = headers(path)
        assert fields.get("title") and fields.get("answers"), path.name
        assert "asserted" in fields.get("graph", ""), path.name


@pytest.fixture(scope="module")
def asserted_only(reasoned: Reasoned) -> GraphStore:
    """The shipped graph's store without its inferred graph, built once for the module: the tests only read it."""
    asserted = from_reasoned(reasoned)
    asserted.store.remove_graph(ox.NamedNode(INFERRED_GRAPH))
    return asserted


@pytest.mark.parametrize("name", [v.name for v in views.list_views() if "asserted properties only" in v.graph])
def test_a_view_that_says_it_reads_asserted_properties_only_gives_the_same_rows_without_inference(
    name: str, asserted_only: GraphStore, store: GraphStore, shipped_rows: Callable[..., views.Rows]
) -> None:
    asserted = asserted_only
    assert len(asserted.store) < len(store.store)
    view = views.find_view(name)
    assert views.run_view(view, asserted).rows == shipped_rows(name).rows  # (views.run_view on the shipped store)


def test_views_lists_every_view_by_name_and_title(cli) -> None:
    result = cli("views")
    assert result.returncode == 0, result.stderr
    for path in paths.queries_dir().glob("*.rq"):
        assert re.search(rf"^{re.escape(path.stem)} +{re.escape(headers(path)['title'])}$", result.stdout, re.MULTILINE)


def test_an_unknown_view_name_lists_the_known_ones_and_exits_2(cli) -> None:
    result = cli("query", "no-such-view")
    assert result.returncode == 2
    assert "unknown view 'no-such-view'" in result.stderr
    for view in views.list_views():
        assert view.name in result.stderr


# ---------------------------------------------------------------- binding


# Views that give no rows in the latest edition (-07), read in -02 where a test needs rows.
NO_ROWS_IN_THE_LATEST = {"third-party": "-07's Section 3.2 has neither the external third party nor -02's manufacturer"}


@pytest.mark.parametrize("name", views_with("protocol"))
def test_binding_protocol_keeps_exactly_that_protocols_rows(
    name: str, store: GraphStore, shipped_rows: Callable[..., views.Rows]
) -> None:
    view = views.find_view(name)
    edition = "02" if name in NO_ROWS_IN_THE_LATEST else None
    everything = shipped_rows(name, edition)  # views.run_view on the shipped store (conftest.py)
    column = everything.variables.index("protocol")
    assert everything.rows, f"{name}: no rows to compare"
    protocol = everything.rows[-1][column]
    expected = [row for row in everything.rows if row[column] == protocol]
    assert views.run_view(view, store, {"protocol": protocol}, edition=edition).rows == expected


@pytest.mark.parametrize("name", views_with("protocol"))
def test_a_hostile_bound_value_is_only_a_value(name: str, store: GraphStore) -> None:
    result = views.run_view(views.find_view(name), store, views.parse_bindings([f"protocol={HOSTILE}"]))
    assert result.rows == []


NAMES = """\
PREFIX iotkg: <https://w3id.org/iotkg/ontology#>
SELECT ?p ?protocol WHERE { ?p iotkg:shortName ?protocol } ORDER BY ?protocol
"""


def test_an_iri_is_bound_as_an_iri(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "names.rq"
    path.write_text(NAMES, encoding="utf-8")
    view = views.read_view(path)
    brski = views.parse_bindings(["p=<https://w3id.org/iotkg/id/brski/protocol>"])
    assert views.run_view(view, store, brski).rows == [(brski["p"], literal("BRSKI"))]
    as_text = {"p": literal("https://w3id.org/iotkg/id/brski/protocol")}
    assert views.run_view(view, store, as_text).rows == []
    assert len(views.run_view(view, store).rows) > 1


def test_term_meanings_takes_a_term_in_any_case(store: GraphStore) -> None:
    view = views.find_view("term-meanings")
    rows = views.run_view(view, store, {"name": literal("PROVISIONING")}).rows
    everything = views.run_view(view, store).rows
    assert rows and all(row[3] == literal("PROVISIONING") for row in rows)
    assert [row[:3] for row in rows] == [row[:3] for row in everything if str(row[0]).lower() == "provisioning"]
    assert views.run_view(view, store, {"name": literal(HOSTILE)}).rows == []


def test_parse_bindings() -> None:
    assert views.parse_bindings(["protocol=BRSKI", "?p=<https://example.org/x>", "q=<not an iri>"]) == {
        "protocol": views.Term("literal", "BRSKI"),
        "p": views.Term("uri", "https://example.org/x"),
        "q": views.Term("literal", "<not an iri>"),
    }
    assert views.parse_bindings([f"protocol={HOSTILE}"]) == {"protocol": views.Term("literal", HOSTILE)}
    for bad in ("protocol", "1x=a", "=a", "a b=c"):
        with pytest.raises(InputError):
            views.parse_bindings([bad])


def test_binding_a_variable_the_view_does_not_have_is_refused(store: GraphStore) -> None:
    with pytest.raises(InputError, match=r"view 'players' selects no variable \?nosuch"):
        views.run_view(views.find_view("players"), store, {"nosuch": literal("x")})


UNPROJECTED = """\
# title: names of one protocol's roles
# answers: the protocol is bound but not selected
# graph: asserted
PREFIX iotkg: <https://w3id.org/iotkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name WHERE { ?r a iotkg:Role ; rdfs:label ?name ; iotkg:ofProtocol/iotkg:shortName ?protocol } ORDER BY ?name
"""


def test_binding_a_variable_the_query_does_not_select_is_refused(tmp_path: Path, store: GraphStore) -> None:
    """Oxigraph binds only the variables a query selects: binding another is refused, never run another way."""
    path = tmp_path / "unprojected.rq"
    path.write_text(UNPROJECTED, encoding="utf-8")
    view = views.read_view(path)
    assert views.run_view(view, store).rows
    with pytest.raises(InputError, match=r"view 'unprojected' selects no variable \?protocol") as raised:
        views.run_view(view, store, {"protocol": literal("BRSKI")})
    assert raised.value.hint == "Bind one of the variables it selects: ?name."


def test_a_query_oxigraph_cannot_parse_is_an_error_naming_the_file(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("SELECT ?x WHERE { ?x ", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.rq: not a valid SPARQL query"):
        views.run_view(views.read_view(path), store)
    path.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.rq: not a SELECT query"):
        views.run_view(views.read_view(path), store)


def test_a_view_does_not_run_on_an_rdflib_graph(reasoned: Reasoned) -> None:
    with pytest.raises(TypeError, match="GraphStore"):
        views.run_view(views.find_view("players"), reasoned.combined)


def test_query_with_a_hostile_bind_prints_only_the_header() -> None:
    command = [sys.executable, "-m", "iotkg", "query", "players", "--format", "csv", "--bind", f"protocol={HOSTILE}"]
    result = subprocess.run(command, capture_output=True, cwd=paths.project_root(), timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"protocol,player,category,placed_by\r\n"


def test_query_refuses_an_unknown_variable_with_exit_2(cli) -> None:
    result = cli("query", "players", "--bind", "nosuch=1")
    assert result.returncode == 2
    assert "no variable ?nosuch" in result.stderr


# ---------------------------------------------------------------- formats from the command line


def test_query_runs_a_query_file_and_writes_sparql_json(cli, tmp_path: Path) -> None:
    query = tmp_path / "names.rq"
    query.write_text(
        "PREFIX iotkg: <https://w3id.org/iotkg/ontology#>\n"
        "SELECT ?protocol WHERE { ?p iotkg:shortName ?protocol } ORDER BY ?protocol\n",
        encoding="utf-8",
    )
    result = cli("query", str(query), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["head"]["vars"] == ["protocol"]
    names = [b["protocol"]["value"] for b in document["results"]["bindings"]]
    assert "BRSKI" in names and names == sorted(names)


def test_query_draws_a_table_by_default(cli) -> None:
    result = cli("query", "protocols")  # the latest edition, -07: ten mechanisms, BRSKI in 2.7
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("iotkg: reading edition -07")
    assert "Protocols" in result.stdout and "10 rows" in result.stdout
    assert re.search(r"BRSKI.*2\.7", result.stdout)


# ---------------------------------------------------------------- determinism

ALL_OUTPUTS = """
import hashlib, sys
from iotkg import views
from iotkg.pipeline.reason import reason
from iotkg.pipeline.load import load
from iotkg.store import from_reasoned
graph = from_reasoned(reason(load()))
for view in views.list_views():
    rows = views.run_view(view, graph)
    for fmt in views.FORMATS:
        print(view.name, fmt, hashlib.sha256(views.render(rows, fmt, view.title).encode()).hexdigest())
"""


def seeded(seed: str) -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": seed}


@pytest.mark.slow
def test_every_view_in_every_format_is_byte_identical_across_hash_seeds() -> None:
    outputs = [
        subprocess.run(
            [sys.executable, "-c", ALL_OUTPUTS], capture_output=True, text=True, env=seeded(seed), timeout=300
        )
        for seed in ("0", "4242")
    ]
    for output in outputs:
        assert output.returncode == 0, output.stderr
    assert len(outputs[0].stdout.splitlines()) == len(views.list_views()) * len(views.FORMATS)
    assert outputs[0].stdout == outputs[1].stdout


@pytest.mark.slow
def test_query_output_is_byte_identical_across_runs_and_hash_seeds(cli) -> None:
    first = cli("query", "comparison", "--format", "tsv", env=seeded("1"))
    second = cli("query", "comparison", "--format", "tsv", env=seeded("987654"))
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout
    assert first.stdout.startswith("?protocol\t?section\t")


@pytest.mark.slow
def test_a_repeated_query_reads_the_cache_without_importing_rdflib(tmp_path: Path) -> None:
    """The cache's point: the second query on unchanged data loads no rdflib (nor owlrl, pyshacl)."""
    env = {**os.environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run(
        [sys.executable, "-m", "iotkg", "query", "players", "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=paths.project_root(),
        env=env,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    probe = (
        "import sys\n"
        "from iotkg.cli import main\n"
        "try:\n"
        "    main(['query', 'players', '--format', 'csv'])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "print(sorted(m for m in ('rdflib', 'owlrl', 'pyshacl', 'pyshacl_turbo') if m in sys.modules))\n"
    )
    second = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=paths.project_root(), env=env, timeout=300
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith(first.stdout)  # the same rows
    assert second.stdout.rstrip().splitlines()[-1] == "[]"
