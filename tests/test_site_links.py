"""A link checker over the whole site, every edition's (the latest at the top, the others under editions/<NN>/):
every internal link and anchor resolves, every page is reachable from the home page, every page links to the other
editions' home pages (the edition switch), and nothing is fetched from outside the site (no external script,
stylesheet, image or font; links to the web are only links a reader may follow)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest

XLINK = "{http://www.w3.org/1999/xlink}href"
SVG = "{http://www.w3.org/2000/svg}"
# attributes whose URL a browser fetches by itself when it shows the page
FETCHED = {"src", "srcset", "poster", "data", "background", "manifest", "xlink:href"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)|@import\s+['\"]([^'\"]+)")


@dataclass(frozen=True)
class Link:
    """A URL found in a file: ``fetched`` if the browser loads it by itself, else a link the reader may follow."""

    source: Path
    url: str
    fetched: bool
    where: str


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool, str]] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name in ("id", "name") and value and tag != "meta":
                self.ids.add(value)
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if value is None:
                continue
            if name == "href":
                self.links.append((value, tag in ("link", "image", "use"), f"<{tag} href>"))
            elif name in FETCHED:
                for part in value.split(",") if name == "srcset" else [value]:
                    self.links.append((part.strip().split(" ")[0], True, f"<{tag} {name}>"))
            elif name == "style":
                self.styles.append(value)
        if tag == "script":
            self.scripts.append(values)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _css_urls(text: str) -> Iterator[str]:
    for match in CSS_URL.finditer(text):
        yield match.group(1) or match.group(2)


@dataclass
class Scan:
    """What the checker found in the site."""

    links: list[Link]
    ids: dict[Path, set[str]]
    scripts: dict[Path, list[dict[str, str | None]]]
    handlers: dict[Path, list[str]]


def scan(site: Path) -> Scan:
    """Every URL of every HTML, SVG and CSS file of the site, and the ids each page defines."""
    result = Scan([], {}, {}, {})
    for path in sorted(site.resolve().rglob("*")):
        if path.suffix == ".html":
            collector = _Collector()
            collector.feed(path.read_text(encoding="utf-8"))
            result.ids[path] = collector.ids
            result.scripts[path] = collector.scripts
            result.handlers[path] = collector.handlers
            result.links += [Link(path, url, fetched, where) for url, fetched, where in collector.links]
            result.links += [Link(path, u, True, "CSS url()") for style in collector.styles for u in _css_urls(style)]
        elif path.suffix == ".svg":
            root = ElementTree.parse(path).getroot()
            result.ids[path] = {e.get("id") for e in root.iter() if e.get("id")}
            result.scripts[path] = [dict(e.attrib) for e in root.iter(f"{SVG}script")]
            result.handlers[path] = [f"{e.tag} {a}" for e in root.iter() for a in e.attrib if a.startswith("on")]
            for element in root.iter():
                url = element.get(XLINK) or element.get("href")
                if url:
                    followed = element.tag == f"{SVG}a"
                    result.links.append(Link(path, url, not followed, element.tag.split("}")[-1]))
            for style in root.iter(f"{SVG}style"):
                result.links += [Link(path, u, True, "CSS url()") for u in _css_urls(style.text or "")]
            text = path.read_text(encoding="utf-8")
            assert "<!DOCTYPE" not in text, f"{path}: a DOCTYPE that names an external DTD"
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            result.links += [Link(path, u, True, "CSS") for u in _css_urls(text)]
    return result


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def _target(link: Link) -> tuple[Path, str]:
    parts = urlsplit(link.url)
    path = (link.source.parent / unquote(parts.path)).resolve() if parts.path else link.source.resolve()
    return path, unquote(parts.fragment)


@pytest.fixture(scope="module")
def found(site: Path) -> Scan:
    return scan(site)


def test_nothing_is_fetched_from_outside_the_site(found: Scan) -> None:
    fetched = [link for link in found.links if link.fetched]
    assert any(link.url.endswith(".css") for link in fetched) and any(link.url.endswith(".svg") for link in fetched)
    outside = [
        f"{link.source.name}: {link.where} {link.url}"
        for link in fetched
        if _is_external(link.url) and not link.url.startswith("data:")
    ]
    assert outside == []


def test_no_page_runs_javascript(found: Scan) -> None:
    for path, scripts in found.scripts.items():
        # pyLODE's page carries the ontology's metadata as JSON-LD in a script element: data, not a program
        programs = [s for s in scripts if s.get("src") or s.get("type") != "application/ld+json"]
        assert programs == [], path
    assert [handlers for handlers in found.handlers.values() if handlers] == []
    assert [link.url for link in found.links if link.url.lower().startswith("javascript:")] == []


def test_every_internal_link_and_anchor_resolves(site: Path, found: Scan) -> None:
    internal = [link for link in found.links if not _is_external(link.url)]
    assert len(internal) > 1000
    broken = []
    for link in internal:
        assert not link.url.startswith("/"), f"{link.source}: {link.url} is an absolute path"
        path, fragment = _target(link)
        name = link.source.relative_to(site.resolve())
        if site.resolve() not in path.parents:
            broken.append(f"{name}: {link.url} leaves the site")
        elif not path.is_file():
            broken.append(f"{name}: {link.url} (no such file)")
        elif fragment and fragment not in found.ids.get(path, set()):
            broken.append(f"{name}: {link.url} (no id {fragment!r})")
    assert broken == []


def test_the_checker_reports_a_broken_link_and_an_external_fetch(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example/x.css"></head>'
        '<body><a href="missing.html">x</a><a href="#nowhere">y</a><img src="a.svg"></body></html>'
    )
    bad = scan(tmp_path)
    assert [link.url for link in bad.links if link.fetched and _is_external(link.url)] == ["https://cdn.example/x.css"]
    unresolved = [link.url for link in bad.links if not _is_external(link.url) and not _target(link)[0].is_file()]
    assert unresolved == ["missing.html", "a.svg"]
    assert "nowhere" not in bad.ids[(tmp_path / "index.html").resolve()]


def test_every_page_is_reachable_from_the_home_page(site: Path, found: Scan) -> None:
    pages = {path.resolve() for path in found.ids if path.suffix == ".html"}
    outgoing: dict[Path, set[Path]] = {}
    for link in found.links:
        if not _is_external(link.url):
            outgoing.setdefault(link.source.resolve(), set()).add(_target(link)[0])
    seen = {(site / "index.html").resolve()}
    queue = list(seen)
    while queue:
        for target in outgoing.get(queue.pop(), set()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert sorted(str(p.relative_to(site.resolve())) for p in pages - seen) == []


# Each edition's site: the latest at the top, the other under editions/<number>/.
EDITION_FOLDERS = {"07": "", "02": "editions/02/"}


def _edition_of(site: Path, page: Path) -> str:
    """The edition whose site a page belongs to, from where it is."""
    parts = page.relative_to(site.resolve()).parts
    return parts[1] if parts[0] == "editions" else "07"


def test_the_checker_covers_every_editions_site(site: Path, found: Scan) -> None:
    pages = [path for path in found.ids if path.suffix == ".html"]
    for number, folder in EDITION_FOLDERS.items():
        home = (site / folder / "index.html").resolve()
        assert home in found.ids, number
        assert len([p for p in pages if _edition_of(site, p) == number]) > 30, number
    assert {_edition_of(site, p) for p in pages} == set(EDITION_FOLDERS)


def test_every_page_links_to_the_ontology_documentation(site: Path, found: Scan) -> None:
    """Every page links to the ontology documentation of its own edition's site."""
    for page in (path for path in found.ids if path.suffix == ".html"):
        ontology = (site / EDITION_FOLDERS[_edition_of(site, page)] / "ontology" / "index.html").resolve()
        targets = {_target(link)[0] for link in found.links if link.source == page and not link.fetched}
        assert ontology in targets, page


class _Switch(HTMLParser):
    """The links of a page's edition switch (``<nav class="editions">``) and the edition it marks as the page's."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.current: list[str] = []
        self.depth = 0
        self._in_current = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "nav" and "editions" in (values.get("class") or "").split():
            self.depth += 1
        elif self.depth and tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif self.depth and values.get("aria-current") == "page":
            self._in_current = True
            self.current.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth:
            self.depth -= 1
        self._in_current = False

    def handle_data(self, data: str) -> None:
        if self._in_current:
            self.current[-1] += data


def test_every_page_of_each_edition_links_to_the_other_editions_home_page(site: Path, found: Scan) -> None:
    """The edition switch: on every page of every edition's site (the ontology documentation and What changed pages
    too), one link to each other edition's home page, none to its own, and its own edition marked current."""
    pages = [path for path in found.ids if path.suffix == ".html"]
    homes = {number: (site / folder / "index.html").resolve() for number, folder in EDITION_FOLDERS.items()}
    for page in pages:
        switch = _Switch()
        switch.feed(page.read_text(encoding="utf-8"))
        number = _edition_of(site, page)
        assert [text.strip().split(" ")[0] for text in switch.current] == [f"-{number}"], page
        targets = [_target(Link(page, url, False, "a"))[0] for url in switch.links]
        assert targets == [home for other, home in homes.items() if other != number], page
    assert len(pages) > 60
