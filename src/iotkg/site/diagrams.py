"""Diagrams as SVG: DOT text from Jinja2 templates, laid out by Graphviz's ``dot`` (Debian package ``graphviz``).

Every value put into a DOT template goes through the ``q`` filter (a DOT quoted string); the environment refuses
to print anything else, so a name from the data cannot break the DOT syntax. The SVG is made deterministic:
Graphviz writes the same bytes for the same DOT text, and the external DTD reference is dropped. One Graphviz
process lays out many texts in turn (``to_svgs``), each SVG the same as that text laid out alone.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jinja2

from iotkg.errors import InputError

TEMPLATES = Path(__file__).parent / "templates"
BATCH = 64  # DOT texts laid out by one Graphviz process
TIMEOUT = 900  # seconds for one Graphviz process (the role diagram of a large graph takes a minute on a busy machine)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.DOTALL)
_DOCUMENT_START = re.compile(r"^(?=<\?xml )", re.MULTILINE)  # each SVG document of a run; text in one is escaped
_STALE_PAGE = re.compile(r'id="(a_)?page\d+,\d+_graph0"')


class Quoted(str):
    """A value already written as a DOT quoted string."""


def quote(value: object) -> Quoted:
    """``value`` as a DOT double-quoted string (backslashes and quotes escaped, line breaks as ``\\n``)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n").replace("\n", "\\n")
    return Quoted(f'"{text}"')


def _only_quoted(value: object) -> object:
    if isinstance(value, Quoted | int) and not isinstance(value, bool):
        return value
    raise TypeError(f"a DOT template printed {value!r} without the q filter")


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment for ``*.dot`` templates (made once): strict, and every printed value must be quoted."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # DOT, not HTML: values are quoted by the q filter, which finalize enforces
        undefined=jinja2.StrictUndefined,
        finalize=_only_quoted,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["q"] = quote
    return env


def dot_program() -> str | None:
    """The path of Graphviz's ``dot``, or None where Graphviz is not installed."""
    return shutil.which("dot")


def render_dot(template: str, **context: object) -> str:
    """The DOT text of a template."""
    return environment().get_template(template).render(**context)


def to_svgs(dot_texts: list[str]) -> list[str]:
    """Lay out several DOT texts, ``BATCH`` to a Graphviz process (its start-up costs more than a small layout), as
    many processes at once as there are CPUs; the SVGs (each without its DOCTYPE line) in the same order, each as
    Graphviz lays its text out alone. InputError if ``dot`` is missing or fails on one of them."""
    if not dot_texts:
        return []
    program = dot_program()
    if program is None:
        raise InputError("Graphviz's 'dot' is not installed", hint="Install it (Debian: apt-get install graphviz).")
    batches = [dot_texts[start : start + BATCH] for start in range(0, len(dot_texts), BATCH)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # threads wait on dot, not on Python
        laid_out = list(pool.map(lambda batch: _lay_out(program, batch), batches))
    return [svg for svgs in laid_out for svg in svgs]


def _lay_out(program: str, dot_texts: list[str]) -> list[str]:
    """The SVGs of one ``dot`` run over the texts, one after the other."""
    result = subprocess.run(
        [program, "-Tsvg"],
        input="\n".join(dot_texts).encode("utf-8"),
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip()
        raise InputError(f"Graphviz could not lay out a diagram: {message}")
    documents = [text for text in _DOCUMENT_START.split(result.stdout.decode("utf-8")) if text]
    if len(documents) != len(dot_texts):
        raise InputError(f"Graphviz laid out {len(documents)} diagrams of {len(dot_texts)} given to it")
    return [_alone(_DOCTYPE.sub("", document, count=1)) for document in documents]


def _alone(svg: str) -> str:
    """The SVG as Graphviz writes it for its graph laid out alone: a graph that follows another in one run has its
    own group named with the previous graph's stale page number (``page0,1_graph0``), else just ``graph0``."""
    return _STALE_PAGE.sub(r'id="\1graph0"', svg)
