"""RDF terms between rdflib and pyoxigraph."""

from __future__ import annotations

import logging

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from iotkg.namespaces import XSD_STRING

# rdflib logs a traceback for an ill-typed literal ("abc"^^xsd:integer); the shapes report it as a finding instead
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


def to_oxigraph(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (blank node labels kept)."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):  # (rdflib gives a language-tagged literal no datatype)
        datatype = ox.NamedNode(str(node.datatype)) if node.datatype else None
        return ox.Literal(str(node), language=node.language, datatype=datatype)
    raise TypeError(f"not an RDF term: {node!r}")


def to_rdflib(term: object) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term (blank node labels kept; ``xsd:string`` literals as plain literals)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        plain = term.language or term.datatype.value == XSD_STRING
        return Literal(term.value, lang=term.language, datatype=None if plain else URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")
