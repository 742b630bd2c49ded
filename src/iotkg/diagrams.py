"""Diagrams as SVG: DOT text from Jinja2 templates, laid out by Graphviz's ``dot`` (Debian package ``graphviz``).

Every value put into a DOT template goes through the ``q`` filter (a DOT quoted string); the environment refuses
to print anything else, so a name from the data cannot break the DOT syntax. The SVG is made deterministic:
Graphviz writes the same bytes for the same DOT text, and the external DTD reference is dropped.
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
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.DOTALL)


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
    """Lay out several DOT texts, one Graphviz process each, as many at once as there are CPUs; the SVGs (each
    without its DOCTYPE line) in the same order. InputError if ``dot`` is missing or fails on one of them."""
    if not dot_texts:
        return []
    program = dot_program()
    if program is None:
        raise InputError("Graphviz's 'dot' is not installed", hint="Install it (Debian: apt-get install graphviz).")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # threads wait on dot, not on Python
        return list(pool.map(lambda text: _lay_out(program, text), dot_texts))


def _lay_out(program: str, dot_text: str) -> str:
    result = subprocess.run(
        [program, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=120, check=False
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip()
        raise InputError(f"Graphviz could not lay out a diagram: {message}")
    return _DOCTYPE.sub("", result.stdout.decode("utf-8"), count=1)
