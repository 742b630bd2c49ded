"""The comparison views: SPARQL files in ``queries/`` with a header, run with bound values, written in W3C formats.

A view is one ``.rq`` file whose leading comment lines carry its header::

    # title: Players
    # answers: Who are each protocol's Section 2 players ...
    # graph: asserted + inferred (reads asserted properties only)
    # params: name (optional) a term, e.g. provisioning
    # order: protocol by draft section, numerically; ...

Results are written as the W3C SPARQL 1.1 Query Results formats (JSON, CSV, TSV), a Markdown table, or a terminal
table laid out as tabulate draws it. Values given with ``--bind`` reach the engine as bound variables (Oxigraph's
substitutions, rdflib's ``initBindings``); they are never pasted into the query text.

Views run on Oxigraph (``iotkg.store``, the asserted + inferred graph) or on an rdflib ``Graph``; both give the same
rows (a test runs every view on both). Results are held as ``Term`` values so that rendering needs neither engine.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from iotkg import paths
from iotkg.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from rdflib import Graph

    from iotkg.store import GraphStore

FORMATS = ("table", "csv", "tsv", "json", "md")
_HEADER = re.compile(r"^#\s*(title|answers|graph|params?|order)\s*:\s*(.*)$", re.IGNORECASE)
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRI_REF = re.compile(r"<[^\x00-\x20<>\"{}|^`\\]+>")  # SPARQL IRIREF
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_ABBREVIATED = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
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


@dataclass(frozen=True)
class Term:
    """An RDF term of a result: ``kind`` is ``uri``, ``bnode`` or ``literal`` (as in the SPARQL JSON format)."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    def __str__(self) -> str:
        return self.value


@dataclass
class Rows:
    """A view's result: the variable names and the rows (``None`` where a variable is unbound)."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]

    def __post_init__(self) -> None:
        # rows built from rdflib terms (tests, callers holding an rdflib result) are held as Terms too
        if any(v is not None and not isinstance(v, Term) for row in self.rows for v in row):
            self.rows = [tuple(v if v is None or isinstance(v, Term) else from_rdflib(v) for v in r) for r in self.rows]


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


def parse_bindings(pairs: list[str]) -> dict[str, Term]:
    """``NAME=VALUE`` pairs as SPARQL bindings: ``<iri>`` is an IRI, anything else a plain string literal."""
    bindings: dict[str, Term] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _VARIABLE_NAME.fullmatch(name):
            raise InputError(f"--bind {pair!r}: expected NAME=VALUE with NAME a SPARQL variable name")
        if _IRI_REF.fullmatch(value):
            bindings[name] = Term("uri", value[1:-1])
        else:
            bindings[name] = Term("literal", value)
    return bindings


_COMMENT = re.compile(r"#[^\n]*")
_STRING = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_IRI_IN_QUERY = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def mentioned_variables(view: View) -> set[str]:
    """Every variable the query text mentions (outside comments, strings and IRIs)."""
    text = _STRING.sub(" ", view.text)
    text = _IRI_IN_QUERY.sub(" ", text)
    text = "\n".join(_COMMENT.sub("", line) for line in text.splitlines())
    return set(_VARIABLE.findall(text))


def check_bindings(view: View, bindings: dict[str, Term]) -> None:
    """InputError if a bound name is not one of the view's variables."""
    variables = mentioned_variables(view)
    unknown = sorted(set(bindings) - variables)
    if unknown:
        known = ", ".join("?" + name for name in sorted(variables))
        raise InputError(
            f"view {view.name!r} has no variable {', '.join('?' + name for name in unknown)}",
            hint=f"Bind one of its variables: {known}.",
        )


def _from_oxigraph(term: object) -> Term | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language:
            return Term("literal", term.value, language=term.language)
        return Term("literal", term.value, datatype=None if datatype == _XSD_STRING else datatype)
    raise InputError(f"unsupported result term {term!r}")


def _to_oxigraph(term: Term) -> object:
    import pyoxigraph as ox

    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)


def from_rdflib(node: object) -> Term | None:
    """An rdflib term as a ``Term``."""
    from rdflib import BNode, Literal, URIRef

    if node is None:
        return None
    if isinstance(node, URIRef):
        return Term("uri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        if node.language:
            return Term("literal", str(node), language=node.language)
        datatype = str(node.datatype) if node.datatype and str(node.datatype) != _XSD_STRING else None
        return Term("literal", str(node), datatype=datatype)
    raise InputError(f"unsupported result term {node!r}")


def _to_rdflib(term: Term) -> object:
    from rdflib import Literal, URIRef

    if term.kind == "uri":
        return URIRef(term.value)
    return Literal(term.value, lang=term.language, datatype=URIRef(term.datatype) if term.datatype else None)


def run_view(view: View, source: GraphStore | Graph, bindings: dict[str, Term] | None = None) -> Rows:
    """Run a view over an Oxigraph ``GraphStore`` (asserted + inferred) or an rdflib ``Graph``.

    Bound values are passed to the engine, never pasted into the text."""
    from iotkg.store import GraphStore

    bindings = {k: v if isinstance(v, Term) else from_rdflib(v) for k, v in (bindings or {}).items()}
    check_bindings(view, bindings)
    if isinstance(source, GraphStore):
        return _run_oxigraph(view, source, bindings)
    return _run_rdflib(view, source, bindings)


def _run_oxigraph(view: View, source: GraphStore, bindings: dict[str, Term]) -> Rows:
    import pyoxigraph as ox

    substitutions = {ox.Variable(name): _to_oxigraph(term) for name, term in bindings.items()}
    try:
        solutions = source.store.query(view.text, use_default_graph_as_union=True, substitutions=substitutions)
    except SyntaxError as error:
        raise InputError(f"{view.path}: not a valid SPARQL query: {error}") from None
    except RuntimeError:
        # Oxigraph substitutes only variables the query projects; rdflib binds any variable: use it for the rest.
        return _run_rdflib(view, source.as_rdflib(), bindings)
    convert = functools.cache(_from_oxigraph)  # many cells repeat a term: convert each distinct term once
    rows = [tuple(map(convert, solution)) for solution in solutions]
    return Rows([v.value for v in solutions.variables], rows)


def _run_rdflib(view: View, graph: Graph, bindings: dict[str, Term]) -> Rows:
    from rdflib.plugins.sparql import prepareQuery

    try:
        query = prepareQuery(view.text)
    except Exception as error:  # pyparsing and rdflib raise assorted errors for a malformed query
        raise InputError(f"{view.path}: not a valid SPARQL query: {error}") from None
    result = graph.query(query, initBindings={name: _to_rdflib(term) for name, term in bindings.items()})
    variables = [str(v) for v in result.vars or []]
    rows = [tuple(from_rdflib(row[v]) if v in row.labels else None for v in variables) for row in result]
    return Rows(variables, rows)


# ---------------------------------------------------------------- W3C SPARQL 1.1 result formats


def _csv_value(node: Term | None) -> str:
    """SPARQL CSV: the string value of the term (``STR()``), blank nodes as ``_:label``, empty when unbound."""
    if node is None:
        return ""
    if node.kind == "bnode":
        return f"_:{node}"
    return str(node)


def _tsv_value(node: Term | None) -> str:
    """SPARQL TSV: the term in Turtle syntax, single-quoted literal forms only, numbers abbreviated."""
    if node is None:
        return ""
    if node.kind == "uri":
        return f"<{node}>"
    if node.kind == "bnode":
        return f"_:{node}"
    lexical = node.value
    pattern = _ABBREVIATED.get(node.datatype) if node.datatype else None
    if pattern is not None and pattern.fullmatch(lexical):
        return lexical
    quoted = '"' + lexical.translate(_TURTLE_ESCAPES) + '"'
    if node.language:
        return f"{quoted}@{node.language}"
    if node.datatype and node.datatype not in (_XSD_STRING, _RDF_LANG_STRING):
        return f"{quoted}^^<{node.datatype}>"
    return quoted


def _json_term(node: Term) -> dict[str, str]:
    term: dict[str, str] = {"type": node.kind, "value": node.value}
    if node.language:
        term["xml:lang"] = node.language
    elif node.datatype:
        term["datatype"] = node.datatype
    return term


def to_csv(rows: Rows) -> str:
    """W3C SPARQL 1.1 CSV results: header of variable names, string values, RFC 4180 quoting, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows.variables)
    writer.writerows(_text_rows(rows, _csv_value))
    return out.getvalue()


def to_tsv(rows: Rows) -> str:
    """W3C SPARQL 1.1 TSV results: ``?var`` header, terms in Turtle syntax separated by tabs, LF line ends."""
    lines = ["\t".join("?" + v for v in rows.variables)]
    lines += map("\t".join, _text_rows(rows, _tsv_value))
    return "\n".join(lines) + "\n"


def _json_at(value: object, depth: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it nested ``depth`` levels deep (strings escape their newlines)."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * depth)


def _json_bindings(rows: Rows) -> list[str]:
    """``results.bindings`` laid out as ``json.dumps(indent=2)`` does two levels deep, in pieces to join once.

    The indenting encoder is pure Python: each distinct member (variable and term) is encoded only once."""
    if not rows.rows:
        return ["[]"]
    keys = ["\n        " + json.dumps(var, ensure_ascii=False) + ": " for var in rows.variables]
    member = functools.cache(lambda i, term: keys[i] + _json_at(_json_term(term), 4))
    parts: list[str] = []
    for row in rows.rows:
        parts.append(",\n      " if parts else "[\n      ")
        before = "{"  # the object opens before its first member, a comma comes before each later one
        for i, term in enumerate(row):
            if term is not None:
                parts += (before, member(i, term))
                before = ","
        parts.append("{}" if before == "{" else "\n      }")
    parts.append("\n    ]")
    return parts


def to_json(rows: Rows) -> str:
    """W3C SPARQL 1.1 Query Results JSON: ``head.vars`` and ``results.bindings`` (unbound variables omitted).

    Laid out byte for byte as ``json.dumps(document, indent=2, ensure_ascii=False)``."""
    head = _json_at({"vars": rows.variables}, 1)
    return "".join(['{\n  "head": ', head, ',\n  "results": {\n    "bindings": ', *_json_bindings(rows), "\n  }\n}\n"])


def _md_cell(value: Term | None) -> str:
    text = _csv_value(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def to_markdown(rows: Rows) -> str:
    """A GitHub-flavoured Markdown table (``|`` escaped, line breaks as ``<br>``)."""
    lines = ["| " + " | ".join(rows.variables) + " |", "| " + " | ".join("---" for _ in rows.variables) + " |"]
    lines += ["| " + " | ".join(cells) + " |" for cells in _text_rows(rows, _md_cell)]
    return "\n".join(lines) + "\n"


def _text_columns(rows: Rows) -> list[tuple[str, ...]]:
    """Each variable's column of cells as text (the SPARQL CSV string values)."""
    return [_column(rows, i, _csv_value) for i in range(len(rows.variables))]


def _column(rows: Rows, index: int, text: Callable[[Term | None], str]) -> tuple[str, ...]:
    """The cells of one variable as ``text`` writes them, each distinct term object written once: the rows of a
    query share one object per term (``_run_oxigraph``), and ``id`` finds it faster than a Term's own hash."""
    cells = list(map(itemgetter(index), rows.rows))
    distinct = dict(zip(map(id, cells), cells, strict=True))  # (the rows keep each term alive: ids stay unique)
    written = {key: text(term) for key, term in distinct.items()}
    return tuple(map(written.__getitem__, map(id, cells)))


def _text_rows(rows: Rows, text: Callable[[Term | None], str]) -> Iterable[tuple[str, ...]]:
    """Each row's cells as ``text`` writes them (see ``_column``)."""
    if not rows.variables:
        return [() for _ in rows.rows]
    return zip(*(_column(rows, i, text) for i in range(len(rows.variables))), strict=True)


def _wrap_columns(columns: list[tuple[str, ...]], limits: list[int | None]) -> list[tuple[str, ...]]:
    """The columns wrapped as tabulate's ``maxcolwidths`` wraps them (``None``: a column left as it is)."""
    return [
        column if limit is None else _wrap_column(column, limit) for column, limit in zip(columns, limits, strict=True)
    ]


def _wrap_column(column: tuple[str, ...], limit: int) -> tuple[str, ...]:
    """The column wrapped to ``limit`` as tabulate's ``maxcolwidths`` wraps it, each distinct value once.

    tabulate wraps every cell of a limited column anew, which dominates drawing a long table whose cells repeat.
    Its own (private) wrapping function is used so that the text is the same, quirks included (it writes a ``False``
    cell as ``True``); tests/test_views_render.py checks the result against ``maxcolwidths``."""
    by_value = {value: _wrap_value(value, limit) for value in dict.fromkeys(column)}
    return tuple(map(by_value.__getitem__, column))


def _wrap_value(value: str, limit: int) -> str:
    """One value wrapped as tabulate's ``maxcolwidths`` wraps it; where tabulate fails on it (it reads ``1,000`` as an
    integer, then ``int()`` refuses the comma: ``maxcolwidths`` raises ValueError too), wrapped as the text it is."""
    import tabulate

    try:
        return tabulate._wrap_text_to_colwidths([[value]], [limit], numparses=[False])[0][0]
    except ValueError:
        wrapper = tabulate._CustomTextWrap(
            width=limit, break_long_words=tabulate._BREAK_LONG_WORDS, break_on_hyphens=tabulate._BREAK_ON_HYPHENS
        )
        return "\n".join("\n".join(wrapper.wrap(line)) for line in value.splitlines() if line.strip() != "")


def _one_column_each(cells: Iterable[Iterable[str]]) -> bool:
    """Whether every character but the line breaks is printable ASCII, so wcwidth would measure text as ``len``."""
    text = "".join("".join(row) for row in cells).replace("\n", "")
    return text.isascii() and text.isprintable()


def _draw(columns: list[tuple[str, ...]], headers: list[str]) -> str:
    """The columns as a tabulate ``simple_outline`` table (strings left-aligned, no number parsing).

    Plain text is laid out here as tabulate lays it out, tabulate's generality costing ten times as much on a long
    table (tests/test_views_render.py compares the two); anything else is drawn by tabulate."""
    distinct = [dict.fromkeys(column) for column in columns]
    if _is_plain(columns, headers, distinct):
        return _draw_outline(columns, distinct, headers)
    return _draw_with_tabulate([list(row) for row in zip(*columns, strict=True)], headers)


def _is_plain(columns: list[tuple[str, ...]], headers: list[str], distinct: list[dict[str, None]]) -> bool:
    """Whether tabulate would measure each line of the table by its length: a column a header, one line a header,
    nothing but printable text and line breaks, each character one column wide."""
    if not headers or len(columns) != len(headers) or "\n" in "".join(headers):
        return False
    text = "".join(headers) + "".join("".join(values) for values in distinct)
    if not text.replace("\n", "").isprintable():
        return False
    if text.isascii():
        return True
    lines = {line for values in distinct for value in values for line in value.strip().splitlines()}
    return all(_one_column_a_character(line) for line in lines.union(headers) if not line.isascii())


def _one_column_a_character(line: str) -> bool:
    """Whether tabulate measures the line's width (wcwidth's, with its wide-character mode on) as its length."""
    import tabulate

    if tabulate.wcwidth is None or not tabulate.WIDE_CHARS_MODE:
        return True
    return tabulate.wcwidth.wcswidth(line) == len(line)


def _draw_with_tabulate(cells: list[list[str]], headers: list[str]) -> str:
    """The cells drawn by tabulate, measured without wcwidth when that gives the same widths."""
    import tabulate

    wide = tabulate.WIDE_CHARS_MODE  # tabulate's documented switch for wide-character support
    tabulate.WIDE_CHARS_MODE = wide and not _one_column_each([headers, *cells])
    try:
        return tabulate.tabulate(cells, headers=headers, tablefmt="simple_outline", disable_numparse=True)
    finally:
        tabulate.WIDE_CHARS_MODE = wide


def _draw_outline(columns: list[tuple[str, ...]], distinct: list[dict[str, None]], headers: list[str]) -> str:
    """A ``simple_outline`` table of plain text laid out as tabulate does: each cell stripped of the whitespace around
    it, each of its lines padded on the right to the column's width (its widest line, at least the header's width plus
    two). Once any cell has a line break, a row is as tall as its tallest cell, the others filled with blank lines,
    and a row of empty cells is left out; before that, an empty cell is one blank line."""
    empty: list[str] = [] if any("\n" in value for values in distinct for value in values) else [""]
    lines_of = [{value: value.strip().splitlines() or empty for value in values} for values in distinct]
    widths = [
        max([len(name) + 2] + [len(line) for lines in cell_lines.values() for line in lines])
        for name, cell_lines in zip(headers, lines_of, strict=True)
    ]
    ends = [" │ "] * (len(widths) - 1) + [" │"]  # each line of a cell is drawn with the bar to its right
    framed = [
        {value: tuple(line.ljust(width) + end for line in lines) for value, lines in cell_lines.items()}
        for cell_lines, width, end in zip(lines_of, widths, ends, strict=True)
    ]
    blanks = [" " * width + end for width, end in zip(widths, ends, strict=True)]
    return "\n".join(
        [
            _outline_rule(widths, "┌", "┬", "┐"),
            "│ " + "".join(name.ljust(width) + end for name, width, end in zip(headers, widths, ends, strict=True)),
            _outline_rule(widths, "├", "┼", "┤"),
            *_drawn_rows(columns, framed, blanks),
            _outline_rule(widths, "└", "┴", "┘"),
        ]
    )


def _drawn_rows(
    columns: list[tuple[str, ...]], framed: list[dict[str, tuple[str, ...]]], blanks: list[str]
) -> Iterator[str]:
    """Each row's lines (joined by line breaks), as many as its tallest cell has; a row of no lines is left out.

    The rows of each height are drawn together a column at a time, not cell by cell in Python."""
    heights = _row_heights(columns, framed)
    drawn = [""] * len(heights)
    for height in set(heights) - {0}:
        at = [i for i, h in enumerate(heights) if h == height]
        cells = [
            _cells_at(column, at, lines, blank, height)
            for column, lines, blank in zip(columns, framed, blanks, strict=True)
        ]
        for i, text in zip(at, _joined_lines(cells, height), strict=True):
            drawn[i] = text
    return compress(drawn, heights)


def _row_heights(columns: list[tuple[str, ...]], framed: list[dict[str, tuple[str, ...]]]) -> list[int]:
    """Each row's height in lines: its tallest cell's."""
    heights = (map(len, map(lines.__getitem__, column)) for lines, column in zip(framed, columns, strict=True))
    return list(map(max, repeat(0), *heights))


def _cells_at(
    column: tuple[str, ...], at: list[int], framed: dict[str, tuple[str, ...]], blank: str, height: int
) -> list[tuple[str, ...]]:
    """The column's cells in the rows ``at``, each ``height`` lines tall (blank lines below its own)."""
    filled = {value: lines + (blank,) * (height - len(lines)) for value, lines in framed.items()}
    return [filled[column[i]] for i in at]


def _joined_lines(cells: list[list[tuple[str, ...]]], height: int) -> Iterator[str]:
    """Each row's lines from its cells (given a column at a time, ``height`` lines each), joined by line breaks."""
    lines = [
        map("│ ".__add__, map("".join, zip(*(map(itemgetter(k), column) for column in cells), strict=True)))
        for k in range(height)
    ]
    return map("\n".join, zip(*lines, strict=True))


def _outline_rule(widths: list[int], left: str, middle: str, right: str) -> str:
    """A horizontal line of the outline across each column's width and padding."""
    return left + middle.join("─" * (width + 2) for width in widths) + right


def _column_limits(columns: list[tuple[str, ...]], headers: list[str], width: int) -> list[int | None]:
    """Each column's wrapping width (``None``: not wrapped), the widest narrowed first until the table fits."""
    longest = [max([len(name), *map(len, column)]) for name, column in zip(headers, columns, strict=True)]
    budget = max(width - 3 * len(longest) - 1, 10 * len(longest))
    limits: list[int | None] = [None] * len(longest)
    while sum(min(n, lim or n) for n, lim in zip(longest, limits, strict=True)) > budget:
        widest = max(range(len(longest)), key=lambda i: min(longest[i], limits[i] or longest[i]))
        current = limits[widest] or longest[widest]
        if current <= 12:
            break
        limits[widest] = current - 4
    return limits


def to_table(rows: Rows, title: str = "", width: int = 160) -> str:
    """A plain-text table as tabulate draws it, long cells wrapped so the table fits ``width`` columns."""
    columns = _text_columns(rows)
    columns = _wrap_columns(columns, _column_limits(columns, rows.variables, width))
    drawn = _draw(columns, rows.variables)
    heading = f"{title}\n" if title else ""
    return f"{heading}{drawn}\n{len(rows.rows)} rows\n"


def render(rows: Rows, fmt: str, title: str = "") -> str:
    """The rows in one of ``FORMATS``."""
    writers = {"csv": to_csv, "tsv": to_tsv, "json": to_json, "md": to_markdown}
    if fmt == "table":
        return to_table(rows, title)
    if fmt not in writers:
        raise InputError(f"unknown format {fmt!r}", hint=f"Use one of: {', '.join(FORMATS)}.")
    return writers[fmt](rows)
