"""The IRIs of iotkg as plain strings; ``IOTKG``, ``CAT`` and ``TERM`` as rdflib ``Namespace``s, made when asked for."""

from __future__ import annotations

from typing import Any

IOTKG_IRI = "https://w3id.org/iotkg/ontology#"
ID = "https://w3id.org/iotkg/id/"
CAT_IRI = ID + "category/"
TERM_IRI = ID + "term/"
ONTOLOGY_IRI = "https://w3id.org/iotkg/ontology"
ASSERTED_GRAPH = "https://w3id.org/iotkg/graph/asserted"
INFERRED_GRAPH = "https://w3id.org/iotkg/graph/inferred"

RDF_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_IRI = "http://www.w3.org/2000/01/rdf-schema#"
OWL_IRI = "http://www.w3.org/2002/07/owl#"
XSD_IRI = "http://www.w3.org/2001/XMLSchema#"
VOCABULARIES = (RDF_IRI, RDFS_IRI, OWL_IRI, XSD_IRI)
"""The namespaces of the RDF, RDFS, OWL and XSD vocabularies: the reasoner's axioms about them are noise."""
RDF_TYPE_TEXT = RDF_IRI + "type"
XSD_STRING = XSD_IRI + "string"

_NAMESPACES = {"IOTKG": IOTKG_IRI, "CAT": CAT_IRI, "TERM": TERM_IRI}


def __getattr__(name: str) -> Any:
    if name in _NAMESPACES:
        from rdflib import Namespace

        return Namespace(_NAMESPACES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
