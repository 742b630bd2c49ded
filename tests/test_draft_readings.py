"""Issue 19, sections 2 and 3: iotkg's readings say only what draft -02 supports, and what it states is not left out.

Each test first asserts the draft's words it rests on (in the plain-text copy the graph is built from), then the graph.
The readings are of edition -02: the graph's nodes of edition -02 (``iotkg:edition ed:02``) and the views read with
``edition="02"``; where edition -07 says the same kind of thing, a test checks its nodes against -07's text.
"""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, RDFS, SKOS, Literal, Namespace, URIRef

from draft_text import sections
from iotkg import advise, views
from iotkg.pipeline.reason import Reasoned
from iotkg.store import GraphStore
from test_advise import SECTIONS, ask, flat, says

IOTKG = Namespace("https://w3id.org/iotkg/ontology#")
ID = "https://w3id.org/iotkg/id/"
CRED = Namespace(ID + "credential/")
OOB = Namespace(ID + "oob/")
SEC = Namespace(ID + "security/")
CMP = Namespace(ID + "comparison/")
ED02, ED07 = URIRef(ID + "draft/02"), URIRef(ID + "draft/07")
SECTIONS_07 = sections("07")


def of_edition(graph, subject, edition: URIRef) -> bool:
    return (subject, IOTKG.edition, edition) in graph


def node(local: str) -> URIRef:
    return URIRef(ID + local)


@pytest.fixture(scope="module")
def graph(reasoned: Reasoned):
    return reasoned.asserted


@pytest.fixture(scope="module")
def known(store: GraphStore) -> dict[str, advise.Aspect]:
    return advise.aspects(store)


# ---------------------------------------------------------------- section 2: readings the draft does not support


def test_fido_initial_belief_2_rests_on_what_di_embeds_not_on_the_voucher(graph) -> None:
    says("2.7", "This protocol embeds initial ownership and manufacturing credentials into a Restricted Operation")
    says("2.7", "After DI is executed, the manufacturer has an ownership voucher")
    belief = node("fido/initial-belief-2")
    assert set(graph.objects(belief, IOTKG.basis)) == {CRED["ownership-credential"]}
    assert str(graph.value(CRED["ownership-credential"], RDFS.label)) == "ownership and manufacturing credentials"


@pytest.mark.parametrize("number", ["2", "3", "4"])
def test_fido_to_kinds_are_iotkgs_reading_from_the_fido_specification(graph, number: str) -> None:
    says("2.7", "Protocols (TO0, TO1, and TO2) between the device, the rendezvous server, and the new owner")
    process = node(f"fido/process-{number}")
    assert list(graph.objects(process, IOTKG.hasProcessKind)), "the kinds stay, as a reading"
    basis = str(graph.value(process, IOTKG.kindBasis))
    assert "iotkg's reading" in basis and "[fidospec]" in basis and "not from the draft" in basis
    assert "Process kind" not in str(graph.value(process, IOTKG.note) or ""), "the reading is not hidden in a note"


def test_a_process_kind_reading_names_its_source_only_where_the_draft_describes_the_processes_together(graph) -> None:
    with_basis = {str(s).removeprefix(ID) for s in graph.subjects(IOTKG.kindBasis, None)}
    assert with_basis == {"fido/process-2", "fido/process-3", "fido/process-4"}


def test_the_processes_view_shows_whose_reading_the_kinds_are_and_its_source(graph, store) -> None:
    result = views.run_view(views.find_view("processes"), store, edition="02")
    column = result.variables.index("kind_basis")
    shown = {(str(r[0]), str(r[1])): str(r[column]) for r in result.rows if r[column] is not None and str(r[column])}
    read = {
        ("FIDO", str(graph.value(p, RDFS.label))): str(b).split(". ")[0]
        for p, b in graph.subject_objects(IOTKG.kindBasis)
    }
    assert shown == read and len(shown) == 3
    assert all(
        s.startswith("iotkg's reading") and "[fidospec]" in s and "not from the draft" in s for s in shown.values()
    )


def test_ocf_imparted_belief_rests_on_the_security_credentials_the_cms_provisions(graph) -> None:
    says("2.6", "the CMS provisions security credentials necessary for device operation")
    assert set(graph.objects(node("ocf/imparted-belief-1"), IOTKG.basis)) == {CRED["security-credentials"]}


def test_est_initial_belief_rests_on_the_initial_information_the_draft_names(graph) -> None:
    says("2.3", "There is a process of distribution of initial information which provides both the EST client")
    assert set(graph.objects(node("est/initial-belief-1"), IOTKG.basis)) == {CRED["initial-information"]}


def test_thread_imparted_belief_rests_on_no_key_the_draft_never_names(graph) -> None:
    assert "key" not in re.sub(r"Pair-wise key|pair-wise key", "", SECTIONS["2.11"]).lower()
    for belief in graph.subjects(IOTKG.ofProtocol, node("thread/protocol")):
        if (belief, RDF.type, IOTKG.ImpartedBelief) in graph and of_edition(graph, belief, ED02):
            assert CRED["network-key"] not in set(graph.objects(belief, IOTKG.basis)), belief
    assert set(graph.objects(node("thread/imparted-belief-2"), IOTKG.basis)) == {CRED["network-parameters"]}


def test_thread_07_imparted_network_key_rests_on_the_network_key_the_draft_names(graph) -> None:
    """-07 names the key -02 never did: the -07 belief quoting it rests on it."""
    assert "The device is also provided with the Thread Network Key" in SECTIONS_07["2.10"]
    beliefs = [
        b
        for b in graph.subjects(IOTKG.ofProtocol, node("thread/protocol"))
        if (b, RDF.type, IOTKG.ImpartedBelief) in graph and of_edition(graph, b, ED07)
    ]
    assert beliefs
    for belief in beliefs:
        statement = str(graph.value(belief, IOTKG.statement))
        assert statement in SECTIONS_07["2.10"], belief
        if "Network Key" in statement:
            assert CRED["network-key"] in set(graph.objects(belief, IOTKG.basis)), belief
    assert any("Thread Network Key" in str(graph.value(b, IOTKG.statement)) for b in beliefs)


def test_bluetooth_is_not_shown_providing_keys_for_each_group(graph, store) -> None:
    says("4", "a common group key may not be scalable and the same network may need to be split into separate groups")
    assert "group" not in SECTIONS["2.1"].lower()
    provisions = [
        s
        for s in graph.subjects(IOTKG.providesFor, SEC["group-keys-distribution"])
        if (s, IOTKG.ofProtocol, node("bluetooth/protocol")) in graph
    ]
    assert provisions == []
    matrix = views.run_view(views.find_view("advise-matrix"), store, edition="02")
    row = next(r for r in matrix.rows if str(r[0]) == "Bluetooth")
    assert str(row[matrix.variables.index("group_keys")]).startswith("not stated")


def quoted(note: str) -> list[str]:
    return re.findall(r'"([^"]+)"', note)


def test_eap_noob_connectivity_belief_rests_on_the_identifier_and_credentials_the_draft_names(graph) -> None:
    says("2.5", "the device also obtains identifier and credentials for network and Internet connectivity")
    assert "session key" not in SECTIONS["2.5"].lower()
    assert set(graph.objects(node("eap-noob/imparted-belief-2"), IOTKG.basis)) == {CRED["connectivity-credentials"]}
    label = str(graph.value(CRED["connectivity-credentials"], RDFS.label))
    assert label == "identifier and credentials for network and Internet connectivity" and label in SECTIONS["2.5"]


@pytest.mark.parametrize("number", ["1", "3"])
def test_sztp_beliefs_rest_on_the_onboarding_information_the_draft_names(graph, number: str) -> None:
    says("2.9", "provides the device with all the necessary information (onboarding information) to create a trust")
    says("3.5", "SZTP after running, the device has obtained onboarding information and is equipped")
    sentence = next(s for s in SECTIONS["3.5"].split(". ") if s.startswith("SZTP after running"))
    assert "certificate" not in sentence and "anchor" not in sentence
    assert set(graph.objects(node(f"sztp/imparted-belief-{number}"), IOTKG.basis)) == {CRED["onboarding-information"]}
    assert str(graph.value(CRED["onboarding-information"], RDFS.label)) == "onboarding information"


def test_sztp_enrollment_information_is_read_as_the_onboarding_information_and_says_so(graph) -> None:
    says("2.9", "The enrollment information will allow a device to be bootstrapped")
    belief = node("sztp/imparted-belief-2")
    assert set(graph.objects(belief, IOTKG.basis)) == {CRED["onboarding-information"]}
    note = str(graph.value(belief, IOTKG.note))
    assert "iotkg reads" in note and quoted(note) and all(q in SECTIONS["2.9"] for q in quoted(note))


def test_lpwan_3_5_belief_rests_on_the_specific_keys_the_draft_names_not_on_session_keys(graph) -> None:
    says("3.5", "LPWAN has a more limited scope and they usually have specific keys for applications and network")
    assert set(graph.objects(node("lpwan/imparted-belief-2"), IOTKG.basis)) == {CRED["application-and-network-keys"]}
    label = str(graph.value(CRED["application-and-network-keys"], RDFS.label))
    assert label == "specific keys for applications and network communications" and label in SECTIONS["3.5"]


def test_fido_imparted_belief_1_says_the_voucher_is_iotkgs_reading_and_why(graph) -> None:
    says("2.7", "the first in a chain to create an ownership voucher that will be used to perform the transfer of")
    belief = node("fido/imparted-belief-1")
    assert set(graph.objects(belief, IOTKG.basis)) == {CRED["ownership-voucher"]}
    note = str(graph.value(belief, IOTKG.note) or "")
    assert "iotkg reads" in note and "does not name" in note
    assert any("transfer of ownership" in q for q in quoted(note)) and all(q in SECTIONS["2.7"] for q in quoted(note))


# ---------------------------------------------------------------- section 3: what was left out


def test_thread_leader_is_commissioned_out_of_band_and_thread_is_in_the_out_of_band_view(graph, store, known) -> None:
    says("2.11", "Leader is the first device in Thread network that must be commissioned using out-of-band process")
    leader = node("thread/role-leader")
    assert "must be commissioned using out-of-band process" in str(graph.value(leader, IOTKG.description))
    oob = views.run_view(views.find_view("out-of-band"), store, edition="02")
    assert ("Thread", "an out-of-band channel the draft does not name") in {(str(a), str(b)) for a, b in oob.rows}
    answer = ask(store, known)
    assert not [item for item in answer["Thread"].leaves_open if "out-of-band" in item and "not stated" in item]
    assert answer["Thread"].verdict == "fits"
    assert ask(store, known, oob=["none"])["Thread"].verdict == "fits", "a Joiner needs no channel the draft states"


def test_section_4_keeps_the_rerun_sentence_the_coupled_example_and_the_drafts_posture(graph) -> None:
    rerun = "A rerun of the security setup mechanism must be as secure as the initial security setup regardless"
    coupled = "In some cases, authentication and authorization maybe tightly coupled"
    posture = "This draft does not take any posture on the security properties"
    for words in (rerun, coupled, posture):
        says("4", words)
    statements = [
        str(o)
        for s in graph.subjects(IOTKG.draftSection, Literal("4"))
        if of_edition(graph, s, ED02)
        for o in graph.objects(s, IOTKG.statement)
    ]
    for words in (rerun, coupled, "two resource-constrained devices A and B", posture):
        assert any(words in s for s in statements), words
    assert all(flat(s) in SECTIONS["4"] for s in statements)


def test_section_4_of_07_keeps_the_drafts_posture(graph) -> None:
    posture = "This draft does not take any posture on the security properties of the different bootstrapping"
    assert posture in SECTIONS_07["4"] and "rerun" not in SECTIONS_07["4"]
    statements = [
        str(o)
        for s in graph.subjects(IOTKG.draftSection, Literal("4"))
        if of_edition(graph, s, ED07)
        for o in graph.objects(s, IOTKG.statement)
    ]
    assert any(posture in s for s in statements)
    assert all(flat(s) in SECTIONS_07["4"] for s in statements)


def test_est_relies_on_human_users_so_the_user_aspect_is_stated(store, known) -> None:
    says("2.3", 'It relies on human users to verify information such as the CA certificate "fingerprint"')
    detail = views.run_view(views.find_view(advise.DETAIL), store)
    row = next(r for r in detail.rows if (str(r[0]), str(r[2])) == ("EST", "user"))
    assert str(row[4]) != "not stated in the draft" and str(row[5]) == "draft 2.3"
    assert ask(store, known, user=False)["EST"].verdict == "fits", "only the Bootstrap Distribution needs the user"


def test_bluetooth_stages_2_and_3_use_the_out_of_band_channel(graph) -> None:
    says("2.1", "the availability of its public key using an Out-of-Band (OOB) channel")
    says("2.1", "Their exchange can be done in two ways, either via Out-of-Band or directly through a Bluetooth link.")
    for stage in ("bluetooth/stage-2", "bluetooth/stage-3"):
        assert OOB["unnamed"] in set(graph.objects(node(stage), IOTKG.usesOutOfBand)), stage


@pytest.mark.parametrize(
    ("protocol", "section", "words"),
    [
        ("brski", "2.8", "devices can be forced to join only specific domains"),
        ("brski", "2.8", "It claims to scale to thousands of devices located in hostile environments"),
        ("fido", "2.7", 'The draft specification refers to this feature as "late binding".'),
    ],
)
def test_protocol_descriptions_keep_what_section_2_claims(graph, protocol: str, section: str, words: str) -> None:
    says(section, words)
    descriptions = [str(d) for d in graph.objects(node(f"{protocol}/protocol"), IOTKG.description)]
    assert any(words in d for d in descriptions)
    assert all(flat(d) in SECTIONS[section] for d in descriptions)


def test_section_3_stages_and_the_preambles_of_3_3_2_and_3_5_are_recorded(graph) -> None:
    stages = sorted(
        (int(graph.value(s, IOTKG.position)), str(graph.value(s, IOTKG.statement)))
        for s in graph.subjects(IOTKG.draftSection, Literal("3"))
        if graph.value(s, IOTKG.statement) is not None and of_edition(graph, s, ED02)
    )
    assert [p for p, _ in stages] == [1, 2, 3]
    assert stages[0][1].startswith("There is typically a stage where some sort of credential is installed.")
    assert stages[2][1].startswith("Finally, when the entities involved")
    assert all(flat(s) in SECTIONS["3"] for _, s in stages)
    preamble = str(graph.value(URIRef(ID + "belief-category/installed-credentials"), IOTKG.description))
    assert (
        preamble.startswith("These credentials may very from the time of installing") and preamble in SECTIONS["3.3.2"]
    )
    imparted = str(graph.value(CMP["knowledge-imparted"], IOTKG.statement))
    assert imparted.startswith("Even though the devices might start") and imparted in SECTIONS["3.5"]


def test_section_3_of_07_statements_quote_its_section_3(graph) -> None:
    """-07's Section 3 has no stages: what the graph quotes from its introduction is in it."""
    statements = [
        str(graph.value(s, IOTKG.statement))
        for s in graph.subjects(IOTKG.draftSection, Literal("3"))
        if graph.value(s, IOTKG.statement) is not None and of_edition(graph, s, ED07)
    ]
    assert any(s.startswith("This section presents a comparative analysis") for s in statements)
    assert all(flat(s) in SECTIONS_07["3"] for s in statements)


# ---------------------------------------------------------------- inconsistencies not recorded before


def concerned(graph, kind: str, *nodes: str) -> bool:
    """A draft inconsistency of this kind concerns every one of these nodes."""
    return any(
        (i, IOTKG.inconsistencyKind, IOTKG[kind]) in graph and all((i, IOTKG.concerns, node(n)) in graph for n in nodes)
        for i in graph.subjects(RDF.type, IOTKG.DraftInconsistency)
    )


def test_brski_3_1_defines_terms_its_terms_list_lacks(graph) -> None:
    terms = re.search(r"Terms: (.*?)•", SECTIONS["2.8"]).group(1).lower()
    assert "discovery" not in terms and "imprint" not in terms
    assert concerned(graph, "nameMismatch", "brski/definition-discovery", "brski/definition-imprint")


@pytest.mark.parametrize(("protocol", "section"), [("brski", "2.8"), ("sztp", "2.9")])
def test_players_the_section_text_never_mentions_are_recorded(graph, protocol: str, section: str) -> None:
    text = re.sub(r"• Players:[^•]*", "", SECTIONS[section])
    roles = [
        r
        for r in graph.subjects(IOTKG.ofProtocol, node(f"{protocol}/protocol"))
        if graph.value(r, IOTKG.listedAsPlayer) == Literal(True)
    ]
    absent = [r for r in roles if not re.search(rf"\b{re.escape(str(graph.value(r, RDFS.label)))}\b", text, re.I)]
    assert len(absent) >= 5
    assert concerned(graph, "nameMismatch", *(str(r).removeprefix(ID) for r in absent))


def test_brskis_imparted_belief_without_a_main_clause_and_the_section_3_typos_are_recorded(graph) -> None:
    says("2.8", "After the process has finished and the device is imprinted, and trusts the registrar/JRC")
    assert concerned(graph, "garbledText", "brski/imparted-belief-1")
    for section, words in [
        ("3", "form being part of"),
        ("3", "Solution differ"),
        ("3.3.2", "may very from"),
        ("3.5", "may strive in the number of trust relations are stablished"),
        ("3.4", "not every technologies considers them all as part of their the following"),
    ]:
        says(section, words)
        notes = [
            str(graph.value(i, IOTKG.note))
            for i in graph.subjects(IOTKG.draftSection, Literal(section))
            if (i, RDF.type, IOTKG.DraftInconsistency) in graph
        ]
        assert any(words.split(" ")[0] in n and words.split(" ")[-1] in n for n in notes), words


def test_lwm2m_network_difference_is_recorded_as_a_difference_of_scope(graph) -> None:
    says("2.4", "LwM2M specification does not deal with the initial network configuration of IoT devices")
    item = node("lwm2m/inconsistency-network")
    assert graph.value(item, IOTKG.inconsistencyKind) == IOTKG.ambiguity
    assert "difference of scope" in str(graph.value(item, IOTKG.note))


def test_thread_imparted_belief_1_rests_on_the_pair_wise_key_the_draft_names(graph) -> None:
    says("2.11", "Pair-wise key is shared between Commissioner and Joiner")
    assert set(graph.objects(node("thread/imparted-belief-1"), IOTKG.basis)) == {CRED["pair-wise-key"]}
    assert str(graph.value(CRED["pair-wise-key"], RDFS.label)).lower() in SECTIONS["2.11"].lower()


def test_lpwan_imparted_belief_1_rests_on_the_key_material_the_draft_names(graph) -> None:
    says("2.10", "newly derived key material or the pre-provisioned key material")
    kind = CRED["derived-or-pre-provisioned-key-material"]
    assert set(graph.objects(node("lpwan/imparted-belief-1"), IOTKG.basis)) == {kind}
    assert all(q in SECTIONS["2.10"] for q in quoted(str(graph.value(kind, SKOS.definition))))
