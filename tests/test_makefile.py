"""The quick start's two commands: `make run` installs what running needs and says where the results are; `make test`
adds the test tools."""

from __future__ import annotations

import re

from iotkg import paths


def _recipe(target: str) -> tuple[str, str]:
    """The prerequisites and the recipe of one Makefile target."""
    text = (paths.project_root() / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(target)}:([^\n]*)\n((?:\t[^\n]*\n)*)", text, re.M)
    assert found, f"no target {target}"
    return found.group(1), found.group(2)


def test_make_run_installs_the_package_without_the_test_tools_and_says_where_the_results_are() -> None:
    needs, recipe = _recipe("run")
    installed = "".join(_recipe(need)[1] for need in needs.split())
    assert "pip install" in installed and "-e ." in installed
    assert "[dev]" not in installed, "make run installs the test tools"
    assert "iotkg build" in recipe
    assert "dist/site/index.html" in recipe and "dist/graph" in recipe


def test_make_test_adds_the_test_tools() -> None:
    needs, recipe = _recipe("test")
    assert any("[dev]" in _recipe(need)[1] for need in needs.split())
    assert "pytest" in recipe and "ruff check" in recipe
