"""The site's shortcuts give what the long way gives: dict rows looked up as Jinja2 looks them up, repeated pieces
rendered once, the site's queries read straight from Oxigraph, the views' downloads copied from the caller's files,
the roles' equivalents without their explanations, and the garbage collector paused only while the site is written."""

from __future__ import annotations

import gc
from pathlib import Path

import jinja2
import pytest

from iotkg import roles, views
from iotkg.pipeline.reason import Reasoned
from iotkg.site import (
    DOWNLOAD_SUFFIX,
    SITE_QUERIES,
    Cell,
    Fragments,
    Link,
    environment,
    local_name,
    records,
    site_query,
    write_site,
)
from iotkg.store import GraphStore, from_reasoned


@pytest.fixture(scope="module")
def store(reasoned: Reasoned, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IOTKG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return from_reasoned(reasoned)


def plain_jinja() -> jinja2.Environment:
    """Jinja2's own environment with the site's settings."""
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


@pytest.mark.parametrize(
    "source",
    [
        "{{ row.name }}",
        "{{ row.items is callable }}|{{ row['items'] }}",  # a key named like a dict method: the method, as in Jinja2
        "{{ row.keys is callable }}",
        "{{ row.position or '-' }}",
        "{{ row.tags.first }}",
        "{{ link.name }}: {{ link.href }}",
    ],
)
def test_a_dict_row_is_looked_up_as_jinja2_looks_it_up(source: str) -> None:
    context = {
        "row": {"name": "<b>R&D</b>", "items": "the key", "keys": 3, "position": None, "tags": {"first": "x"}},
        "link": Link("A & B", "p.html#a"),
    }
    site = environment().from_string(source).render(**context)
    assert site == plain_jinja().from_string(source).render(**context)
    assert "<b>" not in site


def test_a_missing_key_of_a_dict_row_is_an_error_as_in_jinja2() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'dict object' has no attribute 'missing'"):
        environment().from_string("{{ row.missing }}").render(row={"name": "x"})


def test_role_lists_join_each_escaped_link_with_a_comma_and_reuse_the_html() -> None:
    fragments = Fragments(environment())
    links = (Link("A & B", "../protocols/x.html#fact-a"), Link("C<D", ""), Link("E", "e.html"))
    html = fragments.role_list(links)
    assert html == '<a href="../protocols/x.html#fact-a">A &amp; B</a>, C&lt;D, <a href="e.html">E</a>'
    assert fragments.role_list(links) is html
    assert fragments.role_list(()) == ""


def test_a_results_row_is_its_cells_each_escaped_and_linked_where_they_link() -> None:
    fragments = Fragments(environment())
    row = [Cell("protocol", "BRSKI", "../protocols/brski.html"), Cell("note", 'a "quoted" <i>', "")]
    assert fragments.cells(row) == (
        '<td data-label="protocol"><a href="../protocols/brski.html">BRSKI</a></td>'
        '<td data-label="note">a &#34;quoted&#34; &lt;i&gt;</td>'
    )


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


def test_each_site_query_read_from_oxigraph_gives_the_rows_the_views_module_gives(store: GraphStore) -> None:
    for path in sorted(SITE_QUERIES.glob("*.rq")):
        expected = records(views.run_view(views.read_view(path), store))
        assert site_query(path.stem, store) == expected, path.stem
        assert expected, path.stem


def test_the_downloads_the_caller_wrote_are_copied_the_others_rendered_and_the_collector_rests_meanwhile(
    store: GraphStore, site: Path, tmp_path: Path
) -> None:
    given = {name: views.run_view(views.find_view(name), store) for name in ("comparison", "players")}
    downloads = tmp_path / "views"
    downloads.mkdir()
    for name, rows in given.items():
        (downloads / f"{name}.csv").write_text(views.render(rows, "csv") + "copied\n", encoding="utf-8")
        (downloads / f"{name}.srj").write_text(views.render(rows, "json") + "copied\n", encoding="utf-8")
    folder = tmp_path / "site"
    collecting: list[bool] = []
    assert gc.isenabled()
    summary = write_site(
        store, folder, results=given, downloads=downloads, step=lambda _: collecting.append(gc.isenabled())
    )
    assert collecting and not any(collecting)  # the collector rests while the site is written, and comes back
    assert gc.isenabled()
    for name in given:
        for fmt, suffix in (("csv", "csv"), ("json", "srj")):
            assert (folder / "views" / f"{name}.{fmt}").read_bytes() == (downloads / f"{name}.{suffix}").read_bytes()
            assert folder / "views" / f"{name}.{fmt}" in summary.files
    for fmt in ("csv", "json"):
        rendered = (folder / "views" / f"terminology.{fmt}").read_bytes()
        assert rendered == (site / "views" / f"terminology.{fmt}").read_bytes()
        assert not rendered.endswith(b"copied\n")


def test_each_roles_equivalents_are_the_explained_ones_by_protocol_then_name(store: GraphStore) -> None:
    explained = roles.Equivalences(store)
    assert "links" not in vars(explained)  # the asserted links are read for an explanation only
    seen = 0
    for role in explained.roles.values():
        others = explained.others(role)
        assert others == [e.other for e in explained.of(role)]
        assert role not in others
        keys = [(o.protocol.lower(), o.name.lower()) for o in others]
        assert keys == sorted(keys)
        seen += len(others)
    assert seen > 0


def test_the_site_waits_for_the_downloads_before_it_copies_them(store: GraphStore, tmp_path: Path) -> None:
    """The build writes the CSV and JSON files beside the site: ``downloads_ready`` returns once they are there."""
    given = {"players": views.run_view(views.find_view("players"), store)}
    downloads = tmp_path / "views"
    downloads.mkdir()
    calls: list[int] = []

    def write_them() -> None:
        calls.append(len(calls))
        for fmt, suffix in DOWNLOAD_SUFFIX.items():
            (downloads / f"players.{suffix}").write_text(views.render(given["players"], fmt), encoding="utf-8")

    write_site(store, tmp_path / "site", results=given, downloads=downloads, downloads_ready=write_them)
    assert calls  # asked (more than once is allowed: it returns at once when the files are there)
    for fmt, suffix in DOWNLOAD_SUFFIX.items():
        assert (tmp_path / "site" / "views" / f"players.{fmt}").read_bytes() == (
            downloads / f"players.{suffix}"
        ).read_bytes()


def test_the_site_asks_for_the_ontologys_page_once_after_the_views_pages(store: GraphStore, tmp_path: Path) -> None:
    """The build makes pyLODE's page in another process: the site waits for it only when it writes that page."""
    folder = tmp_path / "site"
    views_written: list[bool] = []

    def made_elsewhere() -> str:
        views_written.append((folder / "views" / "index.html").is_file())
        return "<html><head></head><body><p>made elsewhere</p></body></html>"

    write_site(store, folder, ontology_html=made_elsewhere)
    assert views_written == [True]  # asked once, once the views' pages were written
    page = (folder / "ontology" / "index.html").read_text(encoding="utf-8")
    assert "made elsewhere" in page and '<html lang="en">' in page and 'href="ontology.css"' in page
