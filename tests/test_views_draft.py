"""The fixed views reproduce the draft: expectations are parsed here from the draft's text, not taken from the graph.

Edition -02 (the views read with ``edition="02"``): the draft is
tests/golden/source/draft-irtf-t2trg-security-setup-iot-devices-02.txt (the plain-text copy the graph is built from),
with the one piece the text copy lost inside a quoted belief put back (see tests/golden/README.md).

Edition -07 (the latest, read with ``edition="07"``): the draft's markdown source
(tests/golden/source/draft-irtf-t2trg-security-setup-iot-devices-07.md), numbered as kramdown-rfc numbers its
headings; quotes are compared with ``draft_text.sections("07")`` (the markup a quote leaves out removed). -07 writes
its characteristics as prose, so its tests check that every row quotes the paragraph it comes from, and that every
item -07 lists (Section 2 headings, Terms bullets, Section 3.3 categories) is a row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from draft_text import SOURCE as SOURCES
from draft_text import flat
from draft_text import sections as edition_sections
from iotkg import views
from placement_rule import matching_listings

SOURCE = Path(__file__).parent / "golden" / "source" / "draft-irtf-t2trg-security-setup-iot-devices-02.txt"
# The text copy lost the identifier in EAP-NOOB's initial belief; the draft's source reads as below.
DRAFT = SOURCE.read_text(encoding="utf-8").replace(
    "standard identifier ( during", "standard identifier (noob@eap-noob.arpa) during"
)
HEADING = re.compile(r"^(\d+(?:\.\d+)*)\. (.+)$", re.MULTILINE)


# ---------------------------------------------------------------- reading the draft


def sections() -> dict[str, tuple[str, str]]:
    """Section number -> (heading, body), for every numbered heading of the draft."""
    found = list(HEADING.finditer(DRAFT))
    result = {}
    for match, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following else len(DRAFT)
        result[match.group(1)] = (match.group(2), DRAFT[match.end() : end])
    return result


SECTIONS = sections()


def short_name(heading: str) -> str:
    """The name Section 3 uses for a mechanism: the first parenthesised acronym of its heading, else the heading."""
    match = re.search(r"\(([^)]+)\)", heading)
    return match.group(1) if match else heading


PROTOCOLS = {
    short_name(heading): number for number, (heading, _) in SECTIONS.items() if re.fullmatch(r"2\.\d+", number)
}


def bullet(protocol: str, label: str) -> tuple[str, list[str]]:
    """A Section 2 characteristic bullet: its text after ``label:`` and the heads of its sub-bullets."""
    body = SECTIONS[PROTOCOLS[protocol]][1]
    match = re.search(rf"^  \u2022 {re.escape(label)}:(.*?)(?=^  \u2022 |\Z)", body, re.MULTILINE | re.DOTALL)
    assert match, f"{protocol}: no '{label}' bullet"
    first, _, rest = match.group(1).partition("\n")
    subs = re.findall(r"^    \u2022 ([^:]+):", rest, re.MULTILINE)
    return first.strip(), subs


def listed(text: str) -> list[str]:
    """A comma list as the draft writes it: items in order, a trailing comma or period dropped."""
    return [item.strip() for item in text.rstrip(",.").split(",") if item.strip()]


def is_prose(text: str) -> bool:
    """A bullet written as sentences (ending in a period) rather than as a list of names."""
    return text.endswith(".")


def paragraphs(number: str) -> list[str]:
    return [p.strip() for p in SECTIONS[number][1].split("\n\n") if p.strip()]


def protocols_named(text: str) -> list[str]:
    return [name for name in PROTOCOLS if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]


# ---------------------------------------------------------------- the views


def edition_rows(shipped_rows: Callable[..., views.Rows], edition: str):
    """A view's rows, as dicts of strings, for one edition (each view run once, on the shipped store: conftest.py)."""
    cache: dict[str, list[dict[str, str]]] = {}

    def rows(name: str) -> list[dict[str, str]]:
        if name not in cache:
            result = shipped_rows(name, edition)
            cache[name] = [
                {var: "" if value is None else str(value) for var, value in zip(result.variables, row, strict=True)}
                for row in result.rows
            ]
        return cache[name]

    return rows


@pytest.fixture(scope="module")
def view(shipped_rows: Callable[..., views.Rows]):
    """The views as they read edition -02."""
    return edition_rows(shipped_rows, "02")


@pytest.fixture(scope="module")
def view07(shipped_rows: Callable[..., views.Rows]):
    """The views as they read edition -07."""
    return edition_rows(shipped_rows, "07")


def by_protocol(rows: list[dict[str, str]], column: str) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        grouped[row["protocol"]].append(row[column])
    return grouped


# ---------------------------------------------------------------- tests


def test_the_draft_has_eleven_mechanisms() -> None:
    expected = ["Bluetooth", "DPP", "EST", "OMA", "EAP-NOOB", "OCF", "FIDO", "BRSKI", "SZTP", "LPWAN", "Thread"]
    assert list(PROTOCOLS) == expected


def test_protocols_are_the_section_2_headings_in_section_order(view) -> None:
    expected = [(name, SECTIONS[number][0], number) for name, number in PROTOCOLS.items()]
    assert [(r["protocol"], r["title"], r["section"]) for r in view("protocols")] == expected


def test_protocols_cite_specifications(view) -> None:
    assert all(row["specification"] for row in view("protocols"))


def test_terms_are_each_terms_bullet_as_written(view) -> None:
    actual = by_protocol(view("terms"), "term")
    for protocol in PROTOCOLS:
        text, subs = bullet(protocol, "Terms")
        expected = listed(text) if text else [term for head in subs for term in head.split(" and ")]
        assert actual[protocol] == expected, protocol


def test_players_hold_each_protocols_full_section_2_list(view) -> None:
    actual = by_protocol(view("players"), "player")
    assert set(actual) == set(PROTOCOLS)
    for protocol in PROTOCOLS:
        text, _ = bullet(protocol, "Players")
        if is_prose(text):  # OMA and EAP-NOOB describe their players in sentences: each name is the draft's words
            assert actual[protocol], protocol
            assert all(name in text for name in actual[protocol]), protocol
        else:  # a name listed twice is one row, at its first place
            assert list(dict.fromkeys(actual[protocol])) == list(dict.fromkeys(listed(text))), protocol


def section_3_2() -> dict[str, list[str]]:
    """Section 3.2: category as written -> names listed under it, in order."""
    groups = {}
    for paragraph in paragraphs("3.2")[1:]:
        category, _, names = paragraph.partition(": ")
        groups[category] = listed(names)
    return groups


def test_role_categories_are_section_3_2_as_written(view) -> None:
    expected = [(category, name) for category, names in section_3_2().items() for name in names]
    assert len(expected) == 27
    assert [(r["category"], r["role"]) for r in view("role-categories")] == expected


def test_player_categories_follow_section_3_2_by_the_one_matching_rule(view) -> None:
    """The draft's placements of every player are exactly the 3.2 listings (read from the draft's text) that its
    name matches by the rule of docs/data-conventions.md; iotkg places a player in one more category at most."""
    listings = {f"{category}|{i}": name for category, names in section_3_2().items() for i, name in enumerate(names)}
    placed: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in view("players"):
        assert row["category"] in set(section_3_2()) | {""}, row
        placed[row["protocol"], row["player"]][row["placed_by"]].add(row["category"])
    doubles = 0
    for (_, player), by in placed.items():
        expected = {key.split("|")[0] for key in matching_listings(player, listings)}
        assert by.get("draft", set()) == expected, (player, by)
        assert len(by.get("iotkg", set())) <= 1 and not by["iotkg"] & expected, (player, by)
        doubles += len(expected) > 1
    assert doubles == 5  # both Bootstrap Servers, device owner/user, Rendezvous and Onboarding Server


def test_terminology_holds_exactly_the_pairs_of_section_3_1(view) -> None:
    expected = set()
    term = None
    for line in SECTIONS["3.1"][1].splitlines():
        if head := re.fullmatch(r"  \u2022 ([^:]+):", line):
            term = head.group(1)
        elif item := re.fullmatch(r"    \u2022 ([^:]+): (.*)", line):
            expected.add((term, item.group(1), item.group(2)))
    assert len(expected) == 35
    actual = [(r["term"], r["protocol"], r["definition"]) for r in view("terminology")]
    assert len(actual) == len(set(actual))
    assert set(actual) == expected


def test_initial_beliefs_place_exactly_the_section_3_3_protocols_in_each_category(view) -> None:
    expected = {}
    for number in ("3.3.1", "3.3.2"):
        heading = SECTIONS[number][0]
        for paragraph in paragraphs(number):
            for protocol in protocols_named(paragraph):
                expected.setdefault(protocol, heading)
    assert set(expected) == set(PROTOCOLS)
    placed = by_protocol(view("initial-beliefs"), "category")
    actual = {protocol: set(categories) for protocol, categories in placed.items()}
    assert actual == {protocol: {category} for protocol, category in expected.items()}


def test_initial_beliefs_quote_each_protocols_initial_beliefs_bullet(view) -> None:
    for row in view("initial-beliefs"):
        text, _ = bullet(row["protocol"], "Initial beliefs assumed in the device")
        assert row["belief"] in text, row


def test_processes_are_named_in_each_processes_bullet_in_order(view) -> None:
    actual = by_protocol(view("processes"), "process")
    assert set(actual) == set(PROTOCOLS)
    for protocol in PROTOCOLS:
        text, _ = bullet(protocol, "Processes")
        names = list(dict.fromkeys(actual[protocol]))
        assert all(name in text for name in names), protocol
        assert [text.index(name) for name in names] == sorted(text.index(name) for name in names), protocol


def test_process_steps_are_named_in_the_protocols_section(view) -> None:
    for row in view("processes"):
        if row["step"]:
            assert row["step"] in SECTIONS[PROTOCOLS[row["protocol"]]][1], row


def test_imparted_quotes_section_2_and_section_3_5(view) -> None:
    in_3_5 = {}
    for paragraph in paragraphs("3.5"):
        named = protocols_named(paragraph)
        if named:
            in_3_5[named[0]] = paragraph
    assert len(in_3_5) == 8
    rows = by_protocol(view("imparted"), "belief")
    for protocol in PROTOCOLS:
        text, _ = bullet(protocol, "Beliefs imparted to the device after protocol execution")
        assert any(belief in text for belief in rows[protocol]), f"{protocol}: nothing from Section 2"
        assert all(belief in text or belief in in_3_5.get(protocol, "") for belief in rows[protocol]), protocol
        assert any(belief in in_3_5.get(protocol, "") for belief in rows[protocol]) == (protocol in in_3_5), protocol


def test_comparison_agrees_with_the_narrow_views(view) -> None:
    wide = {row["protocol"]: row for row in view("comparison")}
    assert list(wide) == list(PROTOCOLS)
    for column, name, field in (("terms", "terms", "term"), ("players", "players", "player")):
        for protocol, values in by_protocol(view(name), field).items():
            assert wide[protocol][column] == "; ".join(dict.fromkeys(values)), (column, protocol)
    for protocol, values in by_protocol(view("processes"), "process").items():
        assert wide[protocol]["processes"] == "; ".join(dict.fromkeys(values)), protocol
    for protocol, values in by_protocol(view("initial-beliefs"), "category").items():
        assert wide[protocol]["initial_trust"] == values[0], protocol
    for protocol, values in by_protocol(view("imparted"), "scope").items():
        assert set(wide[protocol]["imparted_scope"].split("; ")) == set(values), protocol


def test_term_meanings_are_the_terms_section_3_1_defines_more_than_once(view) -> None:
    terminology = view("terminology")
    counts: dict[str, int] = defaultdict(int)
    for row in terminology:
        counts[row["term"]] += 1
    columns = ("term", "protocol", "definition")
    meanings = [tuple(row[c] for c in columns) for row in view("term-meanings")]
    assert meanings == [tuple(row[c] for c in columns) for row in terminology if counts[row["term"]] > 1]
    assert meanings


def test_no_installed_credential_includes_every_section_3_3_1_protocol(view) -> None:
    no_initial_trust = {p for paragraph in paragraphs("3.3.1") for p in protocols_named(paragraph)}
    assert no_initial_trust == {"EAP-NOOB", "OCF", "Bluetooth"}
    assert no_initial_trust <= {row["protocol"] for row in view("no-installed-credential")}


# ---------------------------------------------------------------- edition -07: reading its markdown source

MARKDOWN_07 = (SOURCES / "draft-irtf-t2trg-security-setup-iot-devices-07.md").read_text(encoding="utf-8")
MD_HEADING = re.compile(r"^(#+)\s+(.+?)\s*(?:\{#[^}]*\})?\s*$")
TEXT_07 = edition_sections("07")  # section -> its text, markup removed, whitespace collapsed


def markdown_sections() -> dict[str, tuple[str, str]]:
    """Section number -> (heading, markdown body), numbered as kramdown-rfc numbers the headings of the middle."""
    body = MARKDOWN_07.split("\n--- middle\n", 1)[1].split("\n--- back", 1)[0]
    numbers: list[int] = []
    found: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in body.splitlines():
        if heading := MD_HEADING.match(line):
            depth = len(heading.group(1))
            numbers = (numbers + [0] * depth)[:depth]
            numbers[-1] += 1
            current = ".".join(map(str, numbers))
            found[current] = (heading.group(2), [])
        elif current is not None:
            found[current][1].append(line)
    return {number: (heading, "\n".join(lines)) for number, (heading, lines) in found.items()}


SECTIONS_07 = markdown_sections()
HEADINGS_07 = {number: heading for number, (heading, _) in SECTIONS_07.items() if re.fullmatch(r"2\.\d+", number)}


def unmarked(text: str) -> str:
    """Markdown as a quote reads it (as draft_text does): citations as [ref], no emphasis, whitespace collapsed."""
    return flat(re.sub(r"\{\{([^}]+)\}\}", r"[\1]", text).replace("*", "")).strip()


def characteristic(number: str, label: str) -> str:
    """A -07 Section 2 characteristic (``  * **label**: ...``) as markdown, up to the next one. The bullet marks are
    read as the markdown renders them: 2.5 writes ``  * * **Processes**`` and ``    * **Knowledge imparted…**``."""
    body = SECTIONS_07[number][1]
    bullet = r"^ *(?:\* )+\*\*"
    match = re.search(rf"{bullet}{re.escape(label)}\*\*:(.*?)(?={bullet}|\Z)", body, re.MULTILINE | re.DOTALL)
    assert match, f"{number}: no '{label}'"
    return match.group(1)


def terms_bullets(number: str) -> list[tuple[list[str], list[str], str]]:
    """-07's Terms list of a section: per bullet, the terms it names (its italic heads, a head "A and B" read as two,
    as the -02 test reads -02's), the other italic phrases of its text, and its text after the colon (unmarked)."""
    bullets = []
    for line in re.findall(r"^    \* (.+)$", characteristic(number, "Terms"), re.MULTILINE):
        head = re.match(r"((?:\*[^*]+\*(?: and )?)+):\s*(.*)", line)
        assert head, f"{number}: a Terms bullet without an italic head: {line!r}"
        names = [term for span in re.findall(r"\*([^*]+)\*", head.group(1)) for term in span.split(" and ")]
        bullets.append((names, re.findall(r"\*([^*]+)\*", head.group(2)), unmarked(head.group(2))))
    return bullets


def named(name: str, text: str) -> bool:
    """-07 writes a name with or without its hyphens ("Wi-Fi DPP", "Wi Fi DPP"; "EAP-NOOB", "EAP NOOB")."""
    words = [re.escape(word) for word in re.split(r"[\s-]+", name)]
    return re.search(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])", text) is not None


@pytest.fixture(scope="module")
def sections_by_protocol(view07) -> dict[str, str]:
    """Each -07 protocol's short name -> its Section 2 number (the headings themselves are checked below)."""
    return {row["protocol"]: row["section"] for row in view07("protocols")}


# ---------------------------------------------------------------- edition -07: the views


def test_07_has_ten_mechanisms_in_section_2() -> None:
    assert list(HEADINGS_07) == [f"2.{n}" for n in range(1, 11)]
    assert "The ten protocols covered in Section 2" in TEXT_07["3.1"]


def test_07_protocols_are_the_section_2_headings_in_section_order(view07) -> None:
    rows = view07("protocols")
    assert [(r["title"], r["section"]) for r in rows] == [(heading, number) for number, heading in HEADINGS_07.items()]
    assert all(row["specification"] for row in rows)
    section_3 = " ".join(text for number, text in TEXT_07.items() if number.split(".")[0] == "3")
    for row in rows:  # the short name is the one -07's Section 3 uses
        assert named(row["protocol"], section_3), row["protocol"]


def test_07_terms_are_each_terms_bullet_as_written(view07, sections_by_protocol) -> None:
    """Each term a Terms bullet names is a row, in the list's order; the only others are a phrase the bullet's text
    itself sets in italics as a term (FDO's "late binding"), right after the bullet's own terms."""
    actual = by_protocol(view07("terms"), "term")
    assert set(actual) == set(sections_by_protocol)
    for protocol, number in sections_by_protocol.items():
        rest = list(actual[protocol])
        for names, italics, _ in terms_bullets(number):
            assert rest[: len(names)] == names, (protocol, names, rest)
            rest = rest[len(names) :]
            while rest and rest[0] in italics:
                rest.pop(0)
        assert rest == [], (protocol, rest)


def test_07_terminology_quotes_each_terms_bullet(view07, sections_by_protocol) -> None:
    """-07 defines its terms in Section 2: a term a bullet names is defined by the bullet's text after the colon; a
    term the text sets in italics, by the sentence of that text that names it."""
    rows = {(r["term"], r["protocol"]): r["definition"] for r in view07("terminology")}
    assert len(rows) == len(view07("terminology")), "one definition per term and protocol"
    expected = {}
    for protocol, number in sections_by_protocol.items():
        for names, italics, text in terms_bullets(number):
            expected.update({(name, protocol): text for name in names})
            for name in italics:
                if (name, protocol) in rows:
                    assert name in rows[name, protocol] and rows[name, protocol] in text, (name, protocol)
                    expected[name, protocol] = rows[name, protocol]
    assert rows == expected


def test_07_term_meanings_hold_every_term_defined_more_than_once(view07) -> None:
    terminology = [(r["term"], r["protocol"], r["definition"]) for r in view07("terminology")]
    meanings = [(r["term"], r["protocol"], r["definition"]) for r in view07("term-meanings")]
    assert meanings and set(meanings) <= set(terminology)
    counts: dict[str, int] = defaultdict(int)
    for term, _, _ in terminology:
        counts[term.lower()] += 1
    assert {row for row in terminology if counts[row[0].lower()] > 1} <= set(meanings)


def test_07_players_are_named_in_their_protocols_section(view07, sections_by_protocol) -> None:
    actual = by_protocol(view07("players"), "player")
    assert set(actual) == set(sections_by_protocol)
    for protocol, number in sections_by_protocol.items():
        assert actual[protocol], protocol
        for name in actual[protocol]:
            assert name in TEXT_07[number], (protocol, name)


def test_07_role_categories_are_named_in_section_3_2(view07) -> None:
    rows = view07("role-categories")
    assert rows
    for row in rows:
        assert row["category"] in TEXT_07["3.2"] and row["role"] in TEXT_07["3.2"], row


def section_3_3_categories() -> dict[str, str]:
    """-07's Section 3.3 categories: the bold head of each of its four bullets -> the bullet's text (unmarked)."""
    body = SECTIONS_07["3.3"][1].split("The nature of the initial beliefs")[0]
    bullets = re.findall(r"^ ?\* \*\*([^*]+)\*\*:(.*?)(?=^ ?\* \*\*|\Z)", body, re.MULTILINE | re.DOTALL)
    return {head: unmarked(text) for head, text in bullets}


def test_07_initial_beliefs_place_exactly_the_section_3_3_protocols_in_each_category(
    view07, sections_by_protocol
) -> None:
    categories = section_3_3_categories()
    assert list(categories) == [
        "The Blank Slate (No Cryptographic Secrets)",
        "Static Symmetric Secrets",
        "Raw Asymmetric Keys",
        "Certificates and Supporting Infrastructure",
    ]
    expected = {
        protocol: {head for head, text in categories.items() if named(protocol, text)}
        for protocol in sections_by_protocol
    }
    assert all(expected.values()), expected  # every -07 mechanism is in a 3.3 category
    actual: dict[str, set[str]] = defaultdict(set)
    for row in view07("initial-beliefs"):
        for placed in row["category"].split("; "):
            head = next((h for h in categories if placed.startswith(h)), None)
            assert head, (row["protocol"], placed)
            mode = placed.removeprefix(head).strip()
            if mode:  # a mode, in parentheses, as the category's bullet writes it
                assert mode.startswith("(") and mode.endswith(")") and mode[1:-1] in categories[head], placed
            actual[row["protocol"]].add(head)
    assert actual == expected


def test_07_initial_beliefs_quote_each_protocols_initial_beliefs_paragraph(view07, sections_by_protocol) -> None:
    rows = by_protocol(view07("initial-beliefs"), "belief")
    assert set(rows) == set(sections_by_protocol)
    for protocol, number in sections_by_protocol.items():
        text = unmarked(characteristic(number, "Initial beliefs assumed in the device"))
        assert all(belief in text for belief in rows[protocol]), protocol


def sentences(text: str) -> list[str]:
    """A paragraph's sentences: a period and a space before a capital letter end one."""
    return [s for s in re.split(r"(?<=\.) (?=[A-Z])", text) if s]


def test_07_imparted_quotes_each_sentence_of_knowledge_imparted(view07, sections_by_protocol) -> None:
    """Each sentence of a protocol's "Knowledge imparted" paragraph is a row, and every row quotes that paragraph or
    Section 3.5."""
    rows = by_protocol(view07("imparted"), "belief")
    assert set(rows) == set(sections_by_protocol)
    for protocol, number in sections_by_protocol.items():
        text = unmarked(characteristic(number, "Knowledge imparted to the device after protocol execution"))
        assert all(belief in text or belief in TEXT_07["3.5"] for belief in rows[protocol]), protocol
        assert [s for s in sentences(text) if s not in rows[protocol]] == [], protocol


def test_07_processes_are_named_in_each_processes_paragraph_in_order(view07, sections_by_protocol) -> None:
    actual = by_protocol(view07("processes"), "process")
    assert set(actual) == set(sections_by_protocol)
    for protocol, number in sections_by_protocol.items():
        text = unmarked(characteristic(number, "Processes"))
        at = 0
        for name in dict.fromkeys(actual[protocol]):  # in the paragraph's order (a later use of a word counts)
            found = text.find(name, at)
            assert found >= 0, (protocol, name)
            at = found


def test_07_process_steps_are_named_in_the_protocols_section(view07, sections_by_protocol) -> None:
    for row in view07("processes"):
        if row["step"]:
            assert row["step"] in TEXT_07[sections_by_protocol[row["protocol"]]], row


def test_07_comparison_agrees_with_the_narrow_views(view07) -> None:
    wide = {row["protocol"]: row for row in view07("comparison")}
    assert list(wide) == [row["protocol"] for row in view07("protocols")]
    for column, name, field in (("terms", "terms", "term"), ("players", "players", "player")):
        for protocol, values in by_protocol(view07(name), field).items():
            assert wide[protocol][column] == "; ".join(dict.fromkeys(values)), (column, protocol)
    for protocol, values in by_protocol(view07("processes"), "process").items():
        assert wide[protocol]["processes"] == "; ".join(dict.fromkeys(values)), protocol
    for protocol, values in by_protocol(view07("initial-beliefs"), "category").items():
        assert wide[protocol]["initial_trust"] == values[0], protocol
    for protocol, values in by_protocol(view07("imparted"), "scope").items():
        assert set(wide[protocol]["imparted_scope"].split("; ")) == set(values), protocol


def test_07_no_installed_credential_includes_every_blank_slate_protocol(view07, sections_by_protocol) -> None:
    blank = section_3_3_categories()["The Blank Slate (No Cryptographic Secrets)"]
    blank_slate = {protocol for protocol in sections_by_protocol if named(protocol, blank)}
    assert blank_slate == {"EAP NOOB", "OCF"} or blank_slate == {"EAP-NOOB", "OCF"}
    assert blank_slate <= {row["protocol"] for row in view07("no-installed-credential")}
