"""A view's result held apart from any engine: ``Term`` values in ``Rows``, to and from Oxigraph's query solutions."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import pyoxigraph as ox

from iotkg.errors import InputError
from iotkg.namespaces import XSD_STRING


@dataclass(frozen=True)
class Term:
    """An RDF term of a result: ``kind`` is ``uri``, ``bnode`` or ``literal`` (as in the SPARQL JSON format)."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    def __str__(self) -> str:
        return self.value

    def to_oxigraph(self) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        """The term as Oxigraph's, e.g. to bind a query's variable to it."""
        if self.kind == "uri":
            return ox.NamedNode(self.value)
        if self.kind == "bnode":
            return ox.BlankNode(self.value)
        datatype = ox.NamedNode(self.datatype) if self.datatype else None  # (None with a language)
        return ox.Literal(self.value, language=self.language, datatype=datatype)


def _from_oxigraph(term: object) -> Term | None:
    """An Oxigraph result term as a ``Term`` (a plain string literal with no datatype, as SPARQL JSON writes it)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = None if term.language or term.datatype.value == XSD_STRING else term.datatype.value
        return Term("literal", term.value, datatype, term.language or None)
    raise InputError(f"unsupported result term {term!r}")


def _json_term(term: Term) -> dict[str, str]:
    found = {"type": term.kind, "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype:
        found["datatype"] = term.datatype
    return found


@dataclass
class Rows:
    """A view's result: the variable names and the rows (``None`` where a variable is unbound)."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]

    @classmethod
    def from_solutions(cls, solutions: ox.QuerySolutions) -> Rows:
        """The rows of Oxigraph's solutions: of a local query, or parsed by ``ox.parse_query_results``."""
        convert = functools.cache(_from_oxigraph)  # cells repeat terms: each distinct one is converted once
        rows = [tuple(map(convert, solution)) for solution in solutions]
        return cls([variable.value for variable in solutions.variables], rows)

    def records(self) -> list[dict[str, str | None]]:
        """The rows as dictionaries of variable name → value (None where unbound)."""
        return [
            {name: None if t is None else t.value for name, t in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]

    def solutions(self) -> ox.QuerySolutions:
        """The rows as Oxigraph's solutions (W3C JSON results it parses; each distinct term encoded once)."""
        encoded = functools.cache(lambda term: json.dumps(_json_term(term), ensure_ascii=False))
        keys = [json.dumps(name) + ":" for name in self.variables]
        bindings = ",".join(
            "{" + ",".join([key + encoded(term) for key, term in zip(keys, row, strict=True) if term is not None]) + "}"
            for row in self.rows
        )
        document = f'{{"head":{{"vars":{json.dumps(self.variables)}}},"results":{{"bindings":[{bindings}]}}}}'
        return ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)


Result = Rows | bool | list[ox.Triple]  # SELECT's rows, ASK's answer, CONSTRUCT's/DESCRIBE's triples
