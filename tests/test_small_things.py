"""What a new user trips on (issue 21, section 5): protocols by any label, `iotkg views` short by default, tables
broken between words, help texts, `iotkg roles` counting right."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from iotkg import roles, views
from iotkg.cli import main
from iotkg.store import GraphStore


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_lwm2m_is_found_by_each_of_its_labels(store: GraphStore) -> None:
    by_short = [r.key for r in roles.protocol_roles(store, "OMA")]
    assert len(by_short) == 7 and all(key.startswith("OMA:") for key in by_short)
    for label in ("LwM2M", "lwm2m", "Lightweight Machine to Machine"):  # rdfs:label, skos:altLabel (Section 2.4)
        assert [r.key for r in roles.protocol_roles(store, label)] == by_short
    assert roles.find_role(store, "LwM2M:user") == roles.find_role(store, "OMA:user")


def test_roles_like_in_takes_a_protocol_by_its_label() -> None:
    # -02: its Section 3.2 places the client IoT devices and the Pledge in one category (-07 has no such category)
    result = invoke("roles", "--protocol", "LwM2M", "--like-in", "BRSKI", "--edition", "02")
    assert result.exit_code == 0, result.output
    assert "OMA:client IoT devices" in result.output and "Pledge" in result.output


def test_roles_says_1_role_and_prints_each_match_once(store: GraphStore, monkeypatch) -> None:
    masa = roles.find_role(store, "BRSKI:MASA")
    first = roles.equivalents(store, masa, "02")[:1]  # no shipped role has exactly one equivalent: keep one
    monkeypatch.setattr(roles, "equivalents", lambda graph, role, edition=None: first)
    lines = roles.describe(store, masa, edition="02")
    assert lines[0].endswith("plays the same part as 1 role:")
    assert [line for line in lines if line.startswith("  ") and not line.startswith("   ")] == [lines[1]]
    monkeypatch.undo()
    many = roles.describe(store, roles.find_role(store, "BRSKI:Pledge"), explain=False, edition="02")
    assert many[0].endswith(f"plays the same part as {len(many) - 1} roles:") and len(set(many)) == len(many) > 2


def test_views_lists_one_line_per_view_and_paragraphs_with_long() -> None:
    known = views.list_views()
    short = invoke("views").output.splitlines()
    assert [line.split()[0] for line in short] == [view.name for view in known]
    long = invoke("views", "--long").output
    assert long.count("answers:") == len(known) and "answers:" not in "\n".join(short)


def test_terminal_tables_break_between_words(store: GraphStore) -> None:
    rows = views.run_view(views.find_view("comparison"), store)
    words = {word for row in rows.rows for term in row if term for word in term.value.split()}
    table = views.to_table(rows, "Comparison", width=80)
    cells = [cell.strip() for line in table.splitlines() for cell in re.split(r"│", line)[1:-1]]
    pieces = {piece for cell in cells for piece in cell.split()}
    assert "Configuration;" in pieces  # whole, where the old wrap cut it as "Configuratio" + "n;"
    assert pieces - words - set(rows.variables) == set(), "a word cut in two"


@pytest.mark.parametrize(("command", "option"), [("build", "--out"), ("reason", "--output")])
def test_output_options_have_help(command: str, option: str) -> None:
    text = invoke(command, "--help").output
    described = re.search(rf"{option} (?:\S+ )?\s*(\S.*)", text)
    assert described and len(described.group(1).split()) > 3, text


@pytest.mark.parametrize("page", ["inconsistencies.html", "editions/02/inconsistencies.html"])
def test_the_inconsistencies_page_joins_what_they_concern_without_a_stray_period(site, page: str) -> None:
    """Each edition's page (the latest at the top, -02 under editions/02/): the About column joins the labels of what
    an inconsistency concerns with "; ", never ".;" (a note may quote the draft's "...;": only the joins count)."""
    text = (site / page).read_text(encoding="utf-8")
    about = re.findall(r'<td data-label="About">(.*?)</td>', text, re.DOTALL)
    assert text.count("<tr>") > 10 and len(about) > 10 and any("; " in cell for cell in about)
    assert [cell for cell in about if ".;" in cell] == []


TYPOS = """@prefix iotkg: <https://w3id.org/iotkg/ontology#> .
@prefix ex: <https://example.org/x/> .

ex:protocol a iotkg:Protocol ;
    iotkg:shortName "X" ;
    iotkg:standOn ex:spec .
ex:term-1 a iotkg:TermUse ; iotkg:ofProtcol ex:protocol .
ex:term-2 a iotkg:TermUs .
"""


def test_a_typo_in_an_iotkg_term_is_named_with_the_closest_defined_term_its_file_and_line(tmp_path) -> None:
    from iotkg.pipeline.validate import validate_files

    entry = tmp_path / "x.ttl"
    entry.write_text(TYPOS, encoding="utf-8")
    found = {
        (f.focus, f.value, f.line, f.message.rpartition(": ")[2])
        for f in validate_files([entry]).findings
        if f.shape == "shapes:UndefinedTerm" and f.severity == "Violation" and f.file == str(entry)
    }
    assert found == {
        ("ex:protocol", "iotkg:standOn", 6, "did you mean iotkg:standsOn?"),
        ("ex:term-1", "iotkg:ofProtcol", 7, "did you mean iotkg:ofProtocol?"),
        ("ex:term-2", "iotkg:TermUs", 8, "did you mean iotkg:TermUse?"),
    }
    result = invoke("validate", "--instances", str(tmp_path))
    assert result.exit_code == 1
    assert "iotkg:ofProtcol is not a term the iotkg ontology defines: did you mean iotkg:ofProtocol?" in result.output


def test_a_folder_with_only_the_users_entry_is_told_which_shared_vocabularies_it_lacks(tmp_path) -> None:
    import shutil

    from iotkg import paths
    from iotkg.pipeline.validate import SHARED_FILES

    shutil.copy(paths.instances_dir() / "brski.ttl", tmp_path)
    result = invoke("validate", "--instances", str(tmp_path))
    first, *rest = result.output.splitlines()
    assert result.exit_code == 1 and first.startswith("note: the instances lack the shared vocabularies")
    assert all(name in first for name in SHARED_FILES) and len(SHARED_FILES) == 6
    assert any("not in the terminology scheme" in line for line in rest)  # the violations it explains follow
    for name in SHARED_FILES[:-1]:
        shutil.copy(paths.instances_dir() / name, tmp_path)
    result = invoke("validate", "--instances", str(tmp_path))
    assert result.output.startswith("note: ") and "(editions.ttl)" in result.output.splitlines()[0]
    shutil.copy(paths.instances_dir() / SHARED_FILES[-1], tmp_path)
    result = invoke("validate", "--instances", str(tmp_path))
    assert "note:" not in result.output and " 0 violations" in result.output, result.output
