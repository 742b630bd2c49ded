"""The RDF namespaces of iotkg."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, XSD, Namespace

IOTKG = Namespace("https://w3id.org/iotkg/ontology#")
ID = "https://w3id.org/iotkg/id/"
CAT = Namespace(ID + "category/")
TERM = Namespace(ID + "term/")
ONTOLOGY_IRI = "https://w3id.org/iotkg/ontology"
ASSERTED_GRAPH = "https://w3id.org/iotkg/graph/asserted"
INFERRED_GRAPH = "https://w3id.org/iotkg/graph/inferred"

VOCABULARIES = (str(RDF), str(RDFS), str(OWL), str(XSD))
"""The namespaces of the RDF, RDFS, OWL and XSD vocabularies (for ``str.startswith``): the reasoner's axioms about
them are noise to a reader."""
RDF_TYPE_TEXT = str(RDF.type)
"""``rdf:type`` as plain text: compared with ``str.__eq__``, without rdflib's ``__eq__`` (Python, called per triple)."""
