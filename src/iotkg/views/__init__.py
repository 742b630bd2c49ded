"""The comparison views: ``.rq`` files in ``queries/`` with a header of comment lines, run on the Oxigraph store."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from iotkg import editions, paths
from iotkg.errors import InputError
from iotkg.store import GraphStore
from iotkg.views.formats import FORMATS, QUERY_FORMATS, Format, render, to_table, write_result  # noqa: F401 (the views' public names)
from iotkg.views.results import Result, Rows, Term

_HEADER = re.compile(r"^#\s*(title|answers|graph|params?|order)\s*:\s*(.*)$", re.IGNORECASE)
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRI_REF = re.compile(r"<[^\x00-\x20<>\"{}|^`\\]+>")  # SPARQL IRIREF


@dataclass(frozen=True)
class View:
    """One saved query: its name (file stem), header fields and text."""

    name: str
    path: Path
    title: str
    text: str
    answers: str = ""
    graph: str = "asserted + inferred"
    params: str = ""
    order: str = ""


def read_view(path: Path) -> View:
    """Read a ``.rq`` file and its header comment (``# title:``, ``# answers:``, ``# graph:``, ...)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text", hint="Save the query as UTF-8.") from None
    fields: dict[str, str] = {}
    header = itertools.takewhile(lambda line: line.startswith("#"), text.splitlines())
    for match in filter(None, map(_HEADER.match, header)):
        key = match.group(1).lower()
        fields["params" if key == "param" else key] = match.group(2).strip()
    return View(name=path.stem, path=path, text=text, **{"title": path.stem, **fields})


def list_views(folder: Path | None = None) -> list[View]:
    """Every view in ``queries/``, sorted by name."""
    return [read_view(p) for p in sorted((folder or paths.queries_dir()).glob("*.rq"))]


def find_view(name_or_file: str) -> View:
    """A view by name, or a ``.rq`` file by path; InputError listing the known views otherwise."""
    if (candidate := Path(name_or_file)).suffix == ".rq":
        if not candidate.is_file():
            raise InputError(f"{candidate}: no such query file")
        return read_view(candidate)
    if name_or_file in (views := {view.name: view for view in list_views()}):
        return views[name_or_file]
    raise InputError(f"unknown view {name_or_file!r}", hint=f"Known views: {', '.join(views)}. Or pass a .rq file.")


def parse_bindings(pairs: list[str]) -> dict[str, Term]:
    """``NAME=VALUE`` pairs as SPARQL bindings: ``<iri>`` is an IRI, anything else a plain string literal."""
    bindings: dict[str, Term] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _VARIABLE_NAME.fullmatch(name):
            raise InputError(f"--bind {pair!r}: expected NAME=VALUE with NAME a SPARQL variable name")
        if (iri := _IRI_REF.fullmatch(value)) and not re.match(r"<[A-Za-z][A-Za-z0-9+.-]*:", value):
            raise InputError(f"--bind {pair!r}: {value} is not an absolute IRI", hint="e.g. <https://…>.")
        bindings[name] = Term("uri", value[1:-1]) if iri else Term("literal", value)
    return bindings


def query_form(view: View) -> str:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT, DESCRIBE), as Oxigraph parses the query (on an empty store)."""
    try:
        parsed = ox.Store().query(view.text)
    except SyntaxError as error:
        raise InputError(f"{view.path}: not a valid SPARQL query: {error}") from None
    return {ox.QuerySolutions: "select", ox.QueryBoolean: "ask"}.get(type(parsed), "graph")


def check_bindings(view: View, bindings: dict[str, Term]) -> None:
    """InputError if the query is not valid SPARQL, or does not select a bound name (as Oxigraph binds)."""
    if query_form(view) != "select" and bindings:
        raise InputError(f"view {view.name!r} is not a SELECT query: --bind binds variables a SELECT selects")
    selected = [v.value for v in ox.Store().query(view.text).variables] if bindings else []  # type: ignore[union-attr]
    if unknown := [name for name in bindings if name not in selected]:
        raise InputError(
            f"view {view.name!r} selects no variable {', '.join('?' + name for name in sorted(unknown))}",
            hint=f"Bind one of the variables it selects: {', '.join('?' + name for name in selected)}.",
        )


def run_query(
    view: View, store: GraphStore, bindings: dict[str, Term] | None = None, edition: str | None = None
) -> Result:
    """Run a query of any form on the store, ``bindings`` and ``?edition`` substituted; InputError if refused."""
    if not isinstance(store, GraphStore):
        raise TypeError(f"a view runs on an iotkg.store.GraphStore, not {type(store).__name__}")
    bindings = bindings or {}
    check_bindings(view, bindings)
    if "service" in view.text.lower():  # Oxigraph would call the other host: refused, as the endpoint refuses it
        from iotkg.remote.serve import refusal

        if refusal(view.text):
            raise InputError(f"{view.path}: a federated (SERVICE) query", hint="A view reads the local graph only.")
    substitutions = {ox.Variable(name): term.to_oxigraph() for name, term in bindings.items()}
    try:
        text = view.text
        if editions.reads_edition(text):
            text = editions.bind(text, editions.choose(store, edition).iri)
        result = store.store.query(text, use_default_graph_as_union=True, substitutions=substitutions)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return list(result) if isinstance(result, ox.QueryTriples) else Rows.from_solutions(result)
    except (SyntaxError, RuntimeError, OSError) as error:  # Oxigraph's errors when it evaluates the query
        raise InputError(f"{view.path}: {error}") from None


def run_view(
    view: View, store: GraphStore, bindings: dict[str, Term] | None = None, edition: str | None = None
) -> Rows:
    """The rows of a SELECT view (``run_query``); InputError for another query form."""
    if not isinstance(result := run_query(view, store, bindings, edition), Rows):
        raise InputError(f"{view.path}: not a SELECT query", hint="Views give rows: write it as a SELECT query.")
    return result
