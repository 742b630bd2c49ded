"""The comparison views: SPARQL files in ``queries/`` with a header, run with bound values, written in W3C formats.

A view is one ``.rq`` file whose leading comment lines carry its header::

    # title: Players
    # answers: Who are each protocol's Section 2 players ...
    # graph: asserted + inferred (reads asserted properties only)
    # params: name (optional) a term, e.g. provisioning
    # order: protocol by draft section, numerically; ...

Results are written as the W3C SPARQL 1.1 Query Results formats (JSON, CSV, TSV), a Markdown table, or a terminal
table drawn by rich. Values given with ``--bind`` reach the engine as bound variables (``initBindings``); they are
never pasted into the query text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import XSD, BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from iotkg import paths
from iotkg.errors import InputError

if TYPE_CHECKING:
    from rich.table import Table

FORMATS = ("table", "csv", "tsv", "json", "md")
_HEADER = re.compile(r"^#\s*(title|answers|graph|params?|order)\s*:\s*(.*)$", re.IGNORECASE)
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRI_REF = re.compile(r"<[^\x00-\x20<>\"{}|^`\\]+>")  # SPARQL IRIREF
_ABBREVIATED = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}
_TURTLE_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


@dataclass(frozen=True)
class View:
    """One saved query: its name (file stem), header fields and text."""

    name: str
    path: Path
    title: str
    answers: str
    graph: str
    text: str
    params: str = ""
    order: str = ""


@dataclass
class Rows:
    """A view's result: the variable names and the rows (``None`` where a variable is unbound)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]]


def read_view(path: Path) -> View:
    """Read a ``.rq`` file and its header comment (``# title:``, ``# answers:``, ``# graph:``, ...)."""
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
            key = match.group(1).lower()
            fields["params" if key == "param" else key] = match.group(2).strip()
    return View(
        name=path.stem,
        path=path,
        title=fields.get("title", path.stem),
        answers=fields.get("answers", ""),
        graph=fields.get("graph", "asserted + inferred"),
        text=text,
        params=fields.get("params", ""),
        order=fields.get("order", ""),
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
        if not sep or not _VARIABLE_NAME.fullmatch(name):
            raise InputError(f"--bind {pair!r}: expected NAME=VALUE with NAME a SPARQL variable name")
        if _IRI_REF.fullmatch(value):
            bindings[name] = URIRef(value[1:-1])
        else:
            bindings[name] = Literal(value)
    return bindings


def _prepare(view: View) -> Query:
    try:
        return prepareQuery(view.text)
    except Exception as error:  # pyparsing and rdflib raise assorted errors for a malformed query
        raise InputError(f"{view.path}: not a valid SPARQL query: {error}") from None


def _mentioned_variables(query: Query) -> set[str]:
    """Every variable the query's algebra mentions (in patterns, filters, projections, subqueries)."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, Variable):
            found.add(str(node))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple, set)):
            for value in node:
                walk(value)

    walk(query.algebra)
    return found


def check_bindings(view: View, bindings: dict[str, Node]) -> Query:
    """The view's parsed query; InputError if it is not valid SPARQL or if a bound name is not one of its variables."""
    query = _prepare(view)
    unknown = sorted(set(bindings) - _mentioned_variables(query))
    if unknown:
        known = ", ".join("?" + name for name in sorted(_mentioned_variables(query)) if not name.startswith("__"))
        raise InputError(
            f"view {view.name!r} has no variable {', '.join('?' + name for name in unknown)}",
            hint=f"Bind one of its variables: {known}.",
        )
    return query


def run_view(view: View, graph: Graph, bindings: dict[str, Node] | None = None) -> Rows:
    """Run a view over ``graph``; bound values are passed to the engine, never pasted into the text."""
    bindings = bindings or {}
    query = check_bindings(view, bindings)
    result = graph.query(query, initBindings=bindings)
    variables = [str(v) for v in result.vars or []]
    rows = [tuple(row[v] if v in row.labels else None for v in variables) for row in result]
    return Rows(variables, rows)


# ---------------------------------------------------------------- W3C SPARQL 1.1 result formats


def _csv_value(node: Node | None) -> str:
    """SPARQL CSV: the string value of the term (``STR()``), blank nodes as ``_:label``, empty when unbound."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _tsv_value(node: Node | None) -> str:
    """SPARQL TSV: the term in Turtle syntax, single-quoted literal forms only, numbers abbreviated."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        lexical = str(node)
        pattern = _ABBREVIATED.get(node.datatype) if node.datatype else None
        if pattern is not None and pattern.fullmatch(lexical):
            return lexical
        quoted = '"' + lexical.translate(_TURTLE_ESCAPES) + '"'
        if node.language:
            return f"{quoted}@{node.language}"
        if node.datatype and node.datatype != XSD.string:
            return f"{quoted}^^<{node.datatype}>"
        return quoted
    return str(node)


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
    """W3C SPARQL 1.1 CSV results: header of variable names, string values, RFC 4180 quoting, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows.variables)
    for row in rows.rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def to_tsv(rows: Rows) -> str:
    """W3C SPARQL 1.1 TSV results: ``?var`` header, terms in Turtle syntax separated by tabs, LF line ends."""
    lines = ["\t".join("?" + v for v in rows.variables)]
    lines += ["\t".join(_tsv_value(v) for v in row) for row in rows.rows]
    return "\n".join(lines) + "\n"


def to_json(rows: Rows) -> str:
    """W3C SPARQL 1.1 Query Results JSON: ``head.vars`` and ``results.bindings`` (unbound variables omitted)."""
    bindings = [
        {var: _json_term(value) for var, value in zip(rows.variables, row, strict=True) if value is not None}
        for row in rows.rows
    ]
    document = {"head": {"vars": rows.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _md_cell(value: Node | None) -> str:
    text = _csv_value(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def to_markdown(rows: Rows) -> str:
    """A GitHub-flavoured Markdown table (``|`` escaped, line breaks as ``<br>``)."""
    lines = ["| " + " | ".join(rows.variables) + " |", "| " + " | ".join("---" for _ in rows.variables) + " |"]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows.rows]
    return "\n".join(lines) + "\n"


def table(rows: Rows, title: str = "") -> Table:
    """The rows as a rich ``Table`` (for printing to a terminal)."""
    from rich.table import Table

    result = Table(title=title or None, caption=f"{len(rows.rows)} rows", show_lines=False)
    for var in rows.variables:
        result.add_column(var, overflow="fold")
    for row in rows.rows:
        result.add_row(*(_csv_value(v) for v in row))
    return result


def to_table(rows: Rows, title: str = "", width: int = 160) -> str:
    """A plain-text table rendered by rich at a fixed ``width`` (no colour), e.g. for a file."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False, legacy_windows=False)
    console.print(table(rows, title))
    return console.file.getvalue()  # type: ignore[attr-defined]


def render(rows: Rows, fmt: str, title: str = "") -> str:
    """The rows in one of ``FORMATS``."""
    writers = {"csv": to_csv, "tsv": to_tsv, "json": to_json, "md": to_markdown}
    if fmt == "table":
        return to_table(rows, title)
    if fmt not in writers:
        raise InputError(f"unknown format {fmt!r}", hint=f"Use one of: {', '.join(FORMATS)}.")
    return writers[fmt](rows)
