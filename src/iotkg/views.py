"""The comparison views: SPARQL files in ``queries/`` with a header, run with bound values, written in W3C formats."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from iotkg import paths
from iotkg.errors import InputError

FORMATS = ("table", "csv", "tsv", "json", "md")
_HEADER = re.compile(r"^#\s*(title|answers|graph|params?)\s*:\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class View:
    """One saved query: its name (file stem), header fields and text."""

    name: str
    path: Path
    title: str
    answers: str
    graph: str
    text: str


@dataclass
class Rows:
    """A view's result: the variable names and the rows (``None`` where a variable is unbound)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]]


def read_view(path: Path) -> View:
    """Read a ``.rq`` file and its header comment (``# title:``, ``# answers:``, ``# graph:``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            fields[match.group(1).lower()] = match.group(2).strip()
    return View(
        name=path.stem,
        path=path,
        title=fields.get("title", path.stem),
        answers=fields.get("answers", ""),
        graph=fields.get("graph", "asserted + inferred"),
        text=text,
    )


def list_views(folder: Path | None = None) -> list[View]:
    """Every view in ``queries/``, sorted by name."""
    folder = folder or paths.queries_dir()
    return [read_view(p) for p in sorted(folder.glob("*.rq"))]


def find_view(name_or_file: str) -> View:
    """A view by name, or a ``.rq`` file by path; InputError listing the known views otherwise."""
    candidate = Path(name_or_file)
    if candidate.suffix == ".rq":
        if not candidate.is_file():
            raise InputError(f"{candidate}: no such query file")
        return read_view(candidate)
    views = list_views()
    for view in views:
        if view.name == name_or_file:
            return view
    known = ", ".join(v.name for v in views)
    raise InputError(f"unknown view {name_or_file!r}", hint=f"Known views: {known}. Or pass a .rq file.")


def parse_bindings(pairs: list[str]) -> dict[str, Node]:
    """``NAME=VALUE`` pairs as SPARQL bindings: ``<iri>`` is an IRI, anything else a plain string literal."""
    bindings: dict[str, Node] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InputError(f"--bind {pair!r}: expected NAME=VALUE with NAME a SPARQL variable name")
        if value.startswith("<") and value.endswith(">") and " " not in value:
            bindings[name] = URIRef(value[1:-1])
        else:
            bindings[name] = Literal(value)
    return bindings


def run_view(view: View, graph: Graph, bindings: dict[str, Node] | None = None) -> Rows:
    """Run a view over ``graph``; bound values are passed to the engine, never pasted into the text."""
    try:
        query = prepareQuery(view.text)
    except Exception as error:
        raise InputError(f"{view.path}: not a valid SPARQL query: {error}") from None
    result = graph.query(query, initBindings=bindings or {})
    variables = [str(v) for v in result.vars or []]
    rows = [tuple(row[v] if v in row.labels else None for v in variables) for row in result]
    return Rows(variables, rows)


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def _nt(node: Node | None) -> str:
    return "" if node is None else node.n3()


def _json_term(node: Node) -> dict[str, str]:
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    term: dict[str, str] = {"type": "literal", "value": str(node)}
    if isinstance(node, Literal):
        if node.language:
            term["xml:lang"] = node.language
        elif node.datatype:
            term["datatype"] = str(node.datatype)
    return term


def to_csv(rows: Rows) -> str:
    """W3C SPARQL 1.1 CSV results: plain values, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows.variables)
    for row in rows.rows:
        writer.writerow([_text(v) for v in row])
    return out.getvalue()


def to_tsv(rows: Rows) -> str:
    """W3C SPARQL 1.1 TSV results: ``?var`` header, RDF terms in Turtle/N-Triples syntax."""
    lines = ["\t".join("?" + v for v in rows.variables)]
    lines += ["\t".join(_nt(v) for v in row) for row in rows.rows]
    return "\n".join(lines) + "\n"


def to_json(rows: Rows) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    bindings = [
        {var: _json_term(value) for var, value in zip(rows.variables, row, strict=True) if value is not None}
        for row in rows.rows
    ]
    document = {"head": {"vars": rows.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _md_cell(value: Node | None) -> str:
    return _text(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(rows: Rows) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(rows.variables) + " |", "|" + "---|" * len(rows.variables)]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows.rows]
    return "\n".join(lines) + "\n"


def to_table(rows: Rows, title: str = "") -> str:
    """A terminal table rendered by rich."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title or None, show_lines=False)
    for var in rows.variables:
        table.add_column(var, overflow="fold")
    for row in rows.rows:
        table.add_row(*(_text(v) for v in row))
    console = Console(file=io.StringIO(), width=160, force_terminal=False, color_system=None)
    console.print(table)
    console.print(f"{len(rows.rows)} rows")
    return console.file.getvalue()  # type: ignore[attr-defined]


def render(rows: Rows, fmt: str, title: str = "") -> str:
    """The rows in one of ``FORMATS``."""
    writers = {"csv": to_csv, "tsv": to_tsv, "json": to_json, "md": to_markdown}
    if fmt == "table":
        return to_table(rows, title)
    if fmt not in writers:
        raise InputError(f"unknown format {fmt!r}", hint=f"Use one of: {', '.join(FORMATS)}.")
    return writers[fmt](rows)
