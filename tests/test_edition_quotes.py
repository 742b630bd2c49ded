"""Every quote of edition -07 is the draft's words: each text a -07 node quotes (its statement, description, definition,
heading, the name or term as written) occurs verbatim in the section of -07 the node cites.

The -07 text is its markdown source (tests/draft_text.py: emphasis marks removed, ``{{ref}}`` read ``[ref]``,
whitespace collapsed). A short name (``iotkg:shortName``) and iotkg's own labels are not quotes and are not checked;
``rdfs:label`` is checked on the nodes whose label is the draft's word for them (processes, parts, roles -07 first
recorded)."""

from __future__ import annotations

import pytest
from rdflib import RDF, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDFS

from draft_text import flat, sections
from iotkg.pipeline.reason import Reasoned

IOTKG = Namespace("https://w3id.org/iotkg/ontology#")
ED07 = URIRef("https://w3id.org/iotkg/id/draft/07")
QUOTED = (IOTKG.statement, IOTKG.description, IOTKG.definitionText, IOTKG.nameAsWritten, IOTKG.termAsWritten)
LABEL_IS_QUOTED = (IOTKG.Process, IOTKG.ProtocolPart, IOTKG.Role)


def quotes(reasoned: Reasoned) -> list[tuple[str, str, str, str]]:
    """(node, property, section, text) for every quoted text of a node of edition -07."""
    graph = reasoned.asserted
    found = []
    for node in graph.subjects(IOTKG.edition, ED07):
        section = str(graph.value(node, IOTKG.draftSection))
        properties = [*QUOTED, DCTERMS.title]
        if any((node, RDF.type, cls) in reasoned.combined for cls in LABEL_IS_QUOTED):
            properties.append(RDFS.label)
        for prop in properties:
            found += [(str(node), str(prop), section, str(text)) for text in graph.objects(node, prop)]
    return sorted(found)


def test_the_07_source_is_read_by_section() -> None:
    text = sections("07")
    assert set(text) >= {"1", *(f"2.{n}" for n in range(1, 11)), *(f"3.{n}" for n in range(1, 6)), "4"}
    assert text["2.9"].startswith("FIDO Device Onboard (FDO) The Fast IDentity Online Alliance (FIDO) Device Onboard")
    assert text["3.1"].startswith("Comparison of terminology The ten protocols covered in Section 2 highlight")
    assert "Specific security considerations of each protocol is present" in text["4"]


def test_every_07_quote_is_in_the_section_it_cites(reasoned: Reasoned) -> None:
    found = quotes(reasoned)
    assert len(found) > 500, "too few -07 quotes: is edition -07 loaded?"
    text = sections("07")
    missing = [
        f"{node} {prop.rsplit('#', 1)[-1].rsplit('/', 1)[-1]} (section {section}): {quoted!r}"
        for node, prop, section, quoted in found
        if flat(quoted.replace("*", "")) not in text.get(section, "")
    ]
    assert not missing, f"{len(missing)} quotes not in their -07 section:\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("bad", ["Provisioning is the entire process", "the Joiner"])
def test_a_quote_that_is_not_in_its_section_is_caught(bad: str) -> None:
    # 2.10 (Thread) never says "Provisioning is the entire process"; "the Joiner" is 2.10's, not 2.1's
    assert flat(bad) not in sections("07")["2.1"]
