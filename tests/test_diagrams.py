"""Graphviz lays all the diagrams out in one run (``iotkg.site.diagrams.to_svgs``): each SVG in its input's place and
the same bytes as its text laid out alone; errors are clear; a value cannot be printed into DOT unquoted."""

from __future__ import annotations

import re
import subprocess

import pytest

from iotkg.errors import InputError
from iotkg.site import diagrams

pytestmark = pytest.mark.skipif(diagrams.dot_program() is None, reason="Graphviz's dot is not installed")


def test_several_diagrams_come_back_in_the_order_given_each_from_its_own_text() -> None:
    texts = [f'digraph g{n} {{ label="diagram {n}"; a{n} -> b{n} }}' for n in range(6)]
    svgs = diagrams.to_svgs(texts)
    assert len(svgs) == 6
    for n, svg in enumerate(svgs):
        assert svg.lstrip().startswith("<?xml") and "<!DOCTYPE" not in svg
        assert f"diagram {n}</text>" in svg
        assert f"a{n}" in svg and all(f"a{m}<" not in svg for m in range(6) if m != n)


def test_one_bad_diagram_among_good_ones_is_an_input_error_with_graphvizs_message() -> None:
    with pytest.raises(InputError) as raised:
        diagrams.to_svgs(["digraph a { x -> y }", "digraph b { x -> ; }"])
    assert "Graphviz could not lay out a diagram" in raised.value.message
    assert "syntax error" in raised.value.message


def test_diagrams_laid_out_together_are_the_bytes_graphviz_writes_for_each_alone() -> None:
    texts = [
        f'digraph "g{n}" {{ graph [label="diagram {n}", tooltip="t{n}"]; '
        f'subgraph cluster_{n} {{ label="c{n}"; a{n} [URL="p.html#a{n}"]; b{n} }} a{n} -> b{n} }}\n'
        for n in range(5)
    ]
    alone = []
    for text in texts:
        result = subprocess.run(
            [str(diagrams.dot_program()), "-Tsvg"], input=text.encode(), capture_output=True, check=True
        )
        alone.append(re.sub(r"<!DOCTYPE[^>]*>\s*", "", result.stdout.decode(), count=1))
    assert diagrams.to_svgs(texts) == alone
    assert all('id="graph0"' in svg for svg in alone)


def test_a_dot_template_refuses_a_value_printed_without_quoting() -> None:
    assert diagrams.quote('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'
    text = diagrams.render_dot("roles.dot", groups=[], links=[], title='say "hi"', font="F")
    assert 'label="say \\"hi\\""' in text
    with pytest.raises(TypeError, match="without the q filter"):
        diagrams._environment().from_string("digraph { {{ name }} }").render(name="x; y")
