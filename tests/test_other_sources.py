"""An entry whose facts come from another source than the draft appears in every view, for every edition, with its
source shown instead of a draft section (issue 20 §5).

The entries are built here, in a temporary folder: copies of the shipped -02 EAP-NOOB and BRSKI entries under new
IRIs and short names, each fact citing the protocol's own RFC (``iotkg:fromDraft false``, a source specification
and section) instead of an edition and draft section; the copies' draft inconsistencies are left out (they are about
the draft). EAP-NOOB's copy reaches the views that need no installed credential or an out-of-band channel, BRSKI's
the third-party view (its MASA)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

import iotkg
from iotkg import paths, views

IOTKG = Namespace("https://w3id.org/iotkg/ontology#")
SPEC = Namespace("https://w3id.org/iotkg/id/spec/")
COPIES = {  # shipped file: (its namespace, the copy's namespace, the copy's short name, the source it cites)
    "eap-noob.ttl": ("https://w3id.org/iotkg/id/eap-noob/", "https://example.org/noob-rfc/", "NOOB-RFC", "rfc9140"),
    "brski.ttl": ("https://w3id.org/iotkg/id/brski/", "https://example.org/brski-rfc/", "BRSKI-RFC", "rfc8995"),
}
# Views without a protocol column: an entry cannot show there (role-categories lists Section 3.2's names, advise-options
# the advisor's values).
NO_PROTOCOL_COLUMN = {"role-categories", "advise-options"}
# What the other views show of the copies, where it is not NOOB-RFC: third-party needs BRSKI's MASA, an external
# third party of -02's Section 3.2 categories, so in -07 (whose categories the copies' -02 placements are not in) it
# shows neither; in -07 equivalent-roles shows BRSKI-RFC by its own same-entity statement (registrar/JRC), which holds
# in every edition, and no NOOB-RFC role (placed in -02's categories only).
EXPECTED = {
    ("third-party", "02"): {"BRSKI-RFC"},
    ("third-party", "07"): set(),
    ("equivalent-roles", "07"): {"BRSKI-RFC"},
}


def other_source_copy(path: Path, old: str, new: str, name: str, spec: str) -> Graph:
    """The entry of ``path`` under the namespace ``new``, short name ``name``, every fact citing ``spec``."""
    shipped = Graph().parse(path)
    inconsistencies = set(shipped.subjects(RDF.type, IOTKG.DraftInconsistency))

    def moved(term: object) -> object:
        return URIRef(new + str(term)[len(old) :]) if isinstance(term, URIRef) and str(term).startswith(old) else term

    copy = Graph()
    for s, p, o in shipped:
        if s in inconsistencies or p in (IOTKG.edition, IOTKG.draftSection):
            continue
        copy.add((moved(s), p, Literal(name) if p == IOTKG.shortName else moved(o)))
    for fact in {s for s, p, o in shipped if p == IOTKG.draftSection} - inconsistencies:
        copy.add((moved(fact), IOTKG.fromDraft, Literal(False)))
        copy.add((moved(fact), IOTKG.sourceSpecification, SPEC[spec]))
        copy.add((moved(fact), IOTKG.sourceSection, Literal("3")))
    return copy


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> iotkg.KnowledgeGraph:
    folder = tmp_path_factory.mktemp("other-sources") / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    for file, (old, new, name, spec) in COPIES.items():
        copy = other_source_copy(paths.instances_dir() / file, old, new, name, spec)
        assert (None, IOTKG.edition, None) not in copy and len(copy) > 100
        copy.serialize(folder / f"copy-of-{file}", format="turtle")
    return iotkg.load(folder)  # validates (CheckFailed if the copies do not conform) and reasons


def test_the_copies_conform_and_cite_their_own_specification(graph: iotkg.KnowledgeGraph) -> None:
    rows = graph.query("protocols", edition="02")
    copies = {row["protocol"]: row for row in rows if row["protocol"] in ("NOOB-RFC", "BRSKI-RFC")}
    assert copies["NOOB-RFC"]["section"] == "RFC 9140, section 3"
    assert copies["BRSKI-RFC"]["section"] == "RFC 8995, section 3"
    assert [row["protocol"] for row in rows][-2:] == ["BRSKI-RFC", "NOOB-RFC"]  # after the draft's, by name


@pytest.mark.parametrize("edition", ["02", "07"])
@pytest.mark.parametrize("view", views.list_views(), ids=lambda view: view.name)
def test_an_entry_from_another_source_is_in_every_view(
    graph: iotkg.KnowledgeGraph, view: views.View, edition: str
) -> None:
    rows = graph.query(view.name, edition=edition)
    columns = {column for row in rows[:1] for column in row if "protocol" in column}
    if view.name in NO_PROTOCOL_COLUMN:
        assert rows and not columns, f"{view.name} now has a protocol column: the copies must show there"
        return
    shown = {row[column] for row in rows for column in columns} & {"NOOB-RFC", "BRSKI-RFC"}
    expected = EXPECTED.get((view.name, edition), {"NOOB-RFC"})
    assert expected <= shown, f"{view.name} (-{edition}) does not show {expected}"
    if (view.name, edition) in EXPECTED:
        assert shown == expected, f"{view.name} (-{edition}) shows {shown}"


@pytest.mark.slow  # writes a whole second site (both editions) of the graph with the copies: the full suite only
def test_the_site_shows_the_entry_with_its_source_in_each_edition(graph: iotkg.KnowledgeGraph, tmp_path: Path) -> None:
    from iotkg.site import write_site

    write_site(graph.store, tmp_path / "site", warn=lambda message: None)
    for edition_root in (tmp_path / "site", tmp_path / "site" / "editions" / "02"):
        page = (edition_root / "protocols" / "noob-rfc.html").read_text(encoding="utf-8")
        assert "From RFC 9140, section 3 (not from the draft)." in page, edition_root
        assert "Section ? of the draft" not in page and "of the draft." not in page.split("From RFC 9140")[0]
        assert 'href="protocols/noob-rfc.html"' in (edition_root / "index.html").read_text(encoding="utf-8")
