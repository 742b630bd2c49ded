"""Graphviz layouts run side by side (``iotkg.diagrams.to_svgs``): each SVG in its input's place, errors clear."""

from __future__ import annotations

import pytest

from iotkg import diagrams
from iotkg.errors import InputError

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
