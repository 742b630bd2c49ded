"""The RDF namespaces of iotkg."""

from __future__ import annotations

from rdflib import Namespace

IOTKG = Namespace("https://w3id.org/iotkg/ontology#")
ID = "https://w3id.org/iotkg/id/"
CAT = Namespace(ID + "category/")
TERM = Namespace(ID + "term/")
ONTOLOGY_IRI = "https://w3id.org/iotkg/ontology"
ASSERTED_GRAPH = "https://w3id.org/iotkg/graph/asserted"
INFERRED_GRAPH = "https://w3id.org/iotkg/graph/inferred"
