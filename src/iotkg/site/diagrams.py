"""Diagrams as SVG: DOT text from Jinja2 templates (every value quoted), laid out by Graphviz's ``dot``."""

from __future__ import annotations

import functools
import itertools
import re
import shutil
import subprocess
import textwrap
from typing import Any

import jinja2

from iotkg.errors import InputError
from iotkg.site import pages
from iotkg.site.data import Protocol
from iotkg.site.pages import RoleGroup

FONT = "DejaVu Sans"
TIMEOUT = 900  # seconds for the Graphviz run (the role diagram of a large graph takes a minute on a busy machine)
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
def _environment() -> jinja2.Environment:
    env = pages.environment().overlay(autoescape=False, finalize=_only_quoted)  # DOT: every value through q
    env.filters["q"] = quote
    return env


def render_dot(template: str, **context: object) -> str:
    """The DOT text of a template (``*.dot`` in ``templates/``); TypeError if it prints a value unquoted."""
    return _environment().get_template(template).render(**context)


def dot_program() -> str | None:
    """The path of Graphviz's ``dot``, or None where Graphviz is not installed."""
    return shutil.which("dot")


def to_svgs(dot_texts: list[str]) -> list[str]:
    """The SVG of each DOT text, in order, laid out by one ``dot`` run; InputError if ``dot`` is missing or fails."""
    if not dot_texts:
        return []
    if (program := dot_program()) is None:
        raise InputError("Graphviz's 'dot' is not installed", hint="Install it (Debian: apt-get install graphviz).")
    result = subprocess.run(
        [program, "-Tsvg"], input="\n".join(dot_texts).encode("utf-8"), capture_output=True, timeout=TIMEOUT
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip()
        raise InputError(f"Graphviz could not lay out a diagram: {message}")
    documents = [text for text in _DOCUMENT_START.split(result.stdout.decode("utf-8")) if text]
    if len(documents) != len(dot_texts):
        raise InputError(f"Graphviz laid out {len(documents)} diagrams of {len(dot_texts)} given to it")
    # a graph that follows another in one run names its group with the previous graph's page (page0,1_graph0)
    return [_STALE_PAGE.sub(r'id="\1graph0"', _DOCTYPE.sub("", text, count=1)) for text in documents]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _node(node_id: str, label: str, url: str, tooltip: str, **more: object) -> dict[str, Any]:
    return {"id": node_id, "label": label, "url": url, "tooltip": tooltip, **more}


def roles_dot(groups: list[RoleGroup], per_row: int = 4) -> str:
    """The DOT text of the role equivalence diagram (links relative to ``diagrams/``)."""
    dot_groups = []
    for index, group in enumerate(groups, start=1):
        nodes = []
        for entry in group.protocols:
            protocol: Any = entry["protocol"]
            names = [role["name"] for role in entry["roles"]]  # type: ignore[attr-defined]
            label, url = protocol.name + "\n" + _wrap(", ".join(names), 26), f"../protocols/{protocol.slug}.html#roles"
            tooltip = f"{protocol.name}: {', '.join(names)}"
            nodes.append(_node(f"g{index}_{protocol.slug}", label, url, tooltip, color=protocol.color))
        dot_groups.append(
            {
                "label": _wrap(group.label, 30),
                "tooltip": group.label,
                "fill": "#f7f7f7" if group.alone else "#ffffff",
                "nodes": nodes,
                "chain": [(a["id"], b["id"]) for a, b in itertools.pairwise(nodes)],
            }
        )
    links = [
        (above["nodes"][-1]["id"], below["nodes"][0]["id"])
        for above, below in zip(dot_groups, dot_groups[per_row:], strict=False)
        if above["nodes"] and below["nodes"]
    ]
    title = "Role equivalence: roles that play the same part, grouped by Section 3.2 category"
    return render_dot("roles.dot", groups=dot_groups, links=links, title=title, font=FONT)


def process_dot(protocol: Protocol, processes: list[dict[str, Any]]) -> str | None:
    """The DOT text of one protocol's processes in order with their steps (its page's), or None if it has none."""
    if not processes:
        return None
    page = f"../protocols/{protocol.slug}.html"
    nodes = []
    for index, process in enumerate(processes, start=1):
        pid = f"p{index}"
        steps = []
        for n, step in enumerate(process["steps"], start=1):
            label = _wrap(f"{step['position'] or n}. {step['name']}", 24)
            steps.append(_node(f"{pid}s{n}", label, f"{page}#{step['anchor']}", f"{step['kind']}: {step['name']}"))
        edges = [{"tail": pid, "head": steps[0]["id"], "style": "dashed", "arrowhead": "none"}] if steps else []
        edges += [
            {"tail": a["id"], "head": b["id"], "style": "solid", "arrowhead": "normal"}
            for a, b in itertools.pairwise(steps)
        ]
        label, url = _wrap(f"{process['position'] or index}. {process['name']}", 22), f"{page}#{process['anchor']}"
        tooltip = f"{process['name']}" + (f" ({process['kinds']})" if process["kinds"] else "")
        nodes.append(_node(pid, label, url, tooltip, steps=steps, edges=edges))
    order = [(a["id"], b["id"]) for a, b in itertools.pairwise(nodes)]
    title, name = f"{protocol.name}: processes in the draft's order, with their named steps", f"process-{protocol.slug}"
    return render_dot("process.dot", name=name, processes=nodes, order=order, title=title, font=FONT)
