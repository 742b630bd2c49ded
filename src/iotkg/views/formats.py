"""The formats a view's rows are written in: W3C results formats by pyoxigraph, terminal and Markdown by tabulate."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from iotkg.errors import InputError
from iotkg.views.results import Result, Rows, Term


@dataclass(frozen=True)
class Format:
    """One way to write rows: the file suffix the build gives it, its media type, and its writer (rows, title)."""

    suffix: str
    media_type: str
    write: Callable[[Rows, str], str]


def _w3c(results_format: ox.QueryResultsFormat, rows: Rows, title: str = "") -> str:
    text = (rows.solutions() if isinstance(rows, Rows) else rows).serialize(format=results_format).decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def _columns(rows: Rows) -> list[list[str]]:
    """Each variable's cells as text, as W3C CSV writes them (``_:label`` for a blank node, "" if unbound)."""
    terms: set[Term | None] = {term for row in rows.rows for term in row}
    texts = {t: "" if t is None else f"_:{t.value}" if t.kind == "bnode" else t.value for t in terms}
    return [[texts[row[i]] for row in rows.rows] for i in range(len(rows.variables))]


def _limits(columns: list[list[str]], headers: list[str], width: int) -> list[int]:
    """Each column's wrapping width: the widest narrowed first (not below 12 or its longest word) to fit ``width``."""
    floors = [max([12, *(len(word) for value in set(column) for word in value.split())]) for column in columns]
    limits = [
        max([len(name), *(len(line) for value in set(column) for line in value.splitlines())])
        for name, column in zip(headers, columns, strict=True)
    ]
    budget = max(width - 3 * len(limits) - 1, 10 * len(limits))  # a column's borders and padding take 3 characters
    while sum(limits) > budget:
        if not (narrowable := [i for i, limit in enumerate(limits) if limit > floors[i]]):
            break
        widest = max(narrowable, key=limits.__getitem__)
        limits[widest] = max(limits[widest] - 4, floors[widest])
    return limits


def _wrapped(column: list[str], limit: int) -> list[str]:
    fill = functools.partial(textwrap.fill, width=limit, break_long_words=False, break_on_hyphens=False)
    wrap = {value: "\n".join(fill(line) for line in value.splitlines()) for value in set(column)}
    return [wrap[value] for value in column]


def to_table(rows: Rows, title: str = "", width: int = 160) -> str:
    """A terminal table with a row count, cells wrapped by textwrap (tabulate's ``maxcolwidths`` fails on "1,000")."""
    from tabulate import tabulate

    columns = _columns(rows)
    columns = [_wrapped(c, limit) for c, limit in zip(columns, _limits(columns, rows.variables, width), strict=True)]
    cells = list(zip(*columns, strict=True)) if columns else [() for _ in rows.rows]
    drawn = tabulate(cells, headers=rows.variables, tablefmt="simple_outline", disable_numparse=True)
    return (f"{title}\n" if title else "") + f"{drawn}\n{len(rows.rows)} rows\n"


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def to_markdown(rows: Rows) -> str:
    """A GitHub-flavoured Markdown table (tabulate's ``github``): ``|`` escaped, line breaks as ``<br>``."""
    from tabulate import tabulate

    cells = list(zip(*([_markdown_cell(text) for text in column] for column in _columns(rows)), strict=True))
    headers = [_markdown_cell(name) for name in rows.variables]
    return tabulate(cells, headers=headers, tablefmt="github", disable_numparse=True) + "\n"


FORMATS: dict[str, Format] = {
    "table": Format("txt", "text/plain", to_table),
    "csv": Format("csv", "text/csv", functools.partial(_w3c, ox.QueryResultsFormat.CSV)),
    "tsv": Format("tsv", "text/tab-separated-values", functools.partial(_w3c, ox.QueryResultsFormat.TSV)),
    "json": Format("srj", "application/sparql-results+json", functools.partial(_w3c, ox.QueryResultsFormat.JSON)),
    "xml": Format("srx", "application/sparql-results+xml", functools.partial(_w3c, ox.QueryResultsFormat.XML)),
    "md": Format("md", "text/markdown", lambda rows, title="": to_markdown(rows)),
}


def render(rows: Rows, fmt: str, title: str = "") -> str:
    """The rows written in the format named ``fmt`` (a key of ``FORMATS``); ``title`` heads the terminal table."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", hint=f"Use one of: {', '.join(FORMATS)}.")
    return FORMATS[fmt].write(rows, title)


GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
QUERY_FORMATS = [*FORMATS, *GRAPH_FORMATS]  # what ``iotkg query --format`` takes: rows' formats, then graphs'


def write_result(result: Result, fmt: str, title: str = "", width: int = 160, prefixes: dict | None = None) -> str:
    """A query's result (rows, yes/no, or triples in a graph format: Turtle for ``table``) in the format ``fmt``."""
    kind = "rows" if isinstance(result, Rows) else "a yes/no answer" if isinstance(result, bool) else "triples"
    if kind == "triples" and fmt in (*GRAPH_FORMATS, "table"):
        from iotkg.export.canonical import used_prefixes, with_sorted_prefixes

        rdf = GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        iris = {t.value for triple in result for t in triple if isinstance(t, ox.NamedNode)}  # type: ignore[union-attr]
        used = used_prefixes(prefixes or {}, iris) if rdf == ox.RdfFormat.TURTLE else {}
        text = with_sorted_prefixes(ox.serialize(sorted(result, key=str), format=rdf, prefixes=used), rdf, used)
        return text.decode("utf-8") if text.endswith(b"\n") else text.decode("utf-8") + "\n"
    if kind == "a yes/no answer" and fmt in FORMATS:
        if fmt in ("table", "md"):
            return "yes\n" if result else "no\n"
        answer = ox.parse_query_results(f'{{"head":{{}},"boolean":{str(result).lower()}}}', ox.QueryResultsFormat.JSON)
        return FORMATS[fmt].write(answer, title)  # type: ignore[arg-type]
    if kind == "rows" and fmt in FORMATS:
        return to_table(result, title, width) if fmt == "table" else render(result, fmt, title)  # type: ignore[arg-type]
    allowed = ", ".join(GRAPH_FORMATS if kind == "triples" else FORMATS)
    raise InputError(f"the query gives {kind}: --format {fmt} cannot write them", hint=f"Use one of: {allowed}.")
