"""The ontology's documentation page: pyLODE's page of ``ontology/iotkg.ttl`` with the site's navigation added."""

from __future__ import annotations

import hashlib
import logging
import re
from importlib.metadata import version

from iotkg import cache, paths
from iotkg.errors import InputError
from iotkg.pipeline.inputs import ONTOLOGY_FILE


def ontology_page(nav: str) -> str:
    """pyLODE's documentation of the ontology with the site's ``nav`` added, made valid HTML."""
    html = _pylode_html()
    html = html.replace("<html>", '<html lang="en">', 1)
    html = html.replace("<head>", '<head>\n    <meta name="viewport" content="width=device-width, initial-scale=1">', 1)
    html = html.replace("</head>", '  <link rel="stylesheet" href="ontology.css">\n  </head>', 1)
    return _unique_functional_ids(html.replace("<body>", "<body>\n" + nav, 1))


def _pylode_html() -> str:
    """pyLODE's page (OntPub, with CSS), cached under the ontology's bytes and pyLODE's version (it takes a second)."""
    key = hashlib.sha256((paths.ontology_dir() / ONTOLOGY_FILE).read_bytes() + version("pylode").encode()).hexdigest()
    if (html := cache.read(f"pylode-{key}.html")) is None:
        cache.write(f"pylode-{key}.html", html := _make_pylode_html().encode("utf-8"))
    return html.decode("utf-8")


def _make_pylode_html() -> str:
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    try:
        from pylode import OntPub  # pyLODE configures the root logger when imported: undone below
    finally:
        root_logger.handlers[:] = handlers
        root_logger.setLevel(level)
    path = paths.ontology_dir() / ONTOLOGY_FILE
    try:
        return OntPub(ontology=str(path), sort_subjects=True).make_html(destination=None, include_css=True)
    except OSError as error:  # pyLODE caches its background ontologies in its own package folder
        raise InputError(
            f"pyLODE could not document {path}: {error}",
            hint="pyLODE writes a cache file into its installed package folder: make that folder writable once.",
        ) from None


def _unique_functional_ids(html: str) -> str:
    """The ids (and contents links) of pyLODE's second listing of functional properties, prefixed ``functional-``."""
    section = re.search(r'<div class="section" id="functionalproperties">.*?(?=<div class="section"|$)', html, re.S)
    if section is None:
        return html
    renamed = re.sub(r'(<div class="property entity" id=")([^"]+)"', r'\1functional-\2"', section.group(0))
    html = html[: section.start()] + renamed + html[section.end() :]
    if (toc := re.search(r'<a href="#functionalproperties">.*?</ul>', html, re.S)) is None:
        return html
    links = re.sub(r'href="#([^"]+)"', lambda m: f'href="#functional-{m.group(1)}"', toc.group(0))
    links = links.replace('href="#functional-functionalproperties"', 'href="#functionalproperties"', 1)
    return html[: toc.start()] + links + html[toc.end() :]
