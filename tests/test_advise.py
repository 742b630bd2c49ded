"""``iotkg advise``: cases checked by hand against the draft, the advisor's rules, and a new entry taking part.

Each draft-grounded case first asserts the draft sentence it rests on (in the plain-text copy of the draft), then what
the advisor answers. The advisor's answers come from the views advise and advise-detail with the facts bound.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Namespace

from draft_text import flat, sections
from iotkg import advise, editions, paths, views
from iotkg.editions import EDITION_IRI
from iotkg.errors import InputError
from iotkg.pipeline.reason import Reasoned
from iotkg.store import GraphStore
from iotkg.terms import to_rdflib

IOTKG = Namespace("https://w3id.org/iotkg/ontology#")
SECTIONS = sections("02")


def says(section: str, words: str) -> None:
    """The draft's section says these words (the ground a case stands on)."""
    assert flat(words) in SECTIONS[section], f"section {section} does not say {words!r}"


@pytest.fixture(scope="module")
def known(store: GraphStore) -> dict[str, advise.Aspect]:
    return advise.aspects(store)


def ask(store: GraphStore, known: dict[str, advise.Aspect], **given: object) -> dict[str, advise.Mechanism]:
    """The advice for facts given as option values: lists by view parameter, True/False for user and internet."""
    lists = {k: tuple(v) for k, v in given.items() if k not in ("user", "internet", "no_credentials")}
    switches = {k: given.get(k) for k in ("user", "internet")}
    none_given = {"credentials"} if given.get("no_credentials") else set()
    facts = advise.facts_from_options(known, lists, switches, none_given=none_given)
    return {m.protocol: m for m in advise.advise(store, facts, "02")}


def fitting(answer: dict[str, advise.Mechanism]) -> list[str]:
    return [m.protocol for m in sorted(answer.values(), key=lambda m: m.rank or 0) if m.verdict == "fits"]


# ---------------------------------------------------------------- cases checked by hand against the draft


def test_no_credentials_and_a_display_gets_eap_noob_and_not_lpwan(store, known) -> None:
    says("2.5", "EAP-NOOB does not require devices to have any pre-installed credentials")
    says("2.5", "supports IoT devices with only output (e.g. display) or only input (e.g. camera)")
    says("2.10", "all LPWAN technologies rely on pre-provisioned credentials")
    answer = ask(store, known, no_credentials=True, oob=["display"])
    assert "EAP-NOOB" in fitting(answer)
    eap_noob = answer["EAP-NOOB"]
    assert any(
        item.startswith("credentials installed before deployment: no credential (draft 2.5)")
        for item in eap_noob.fits_because
    )
    assert any(item.startswith("out-of-band channel: ") and "(draft 2.5)" in item for item in eap_noob.fits_because)
    lpwan = answer["LPWAN"]
    assert lpwan.verdict == "excluded"
    assert lpwan.ruled_out_by.startswith("credentials installed before deployment: needs ")
    assert "(draft 2.10)" in lpwan.ruled_out_by and lpwan.ruled_out_by.endswith("given: none")


def test_a_manufacturer_idevid_with_a_registrar_gets_brski(store, known) -> None:
    says("2.8", "Every device has an IDevID, installed and signed by the manufacturer")
    says("2.8", "the device and the registrar need to establish mutual trust")
    says("2.8", "a vendor based service on the Internet is required")
    answer = ask(store, known, credentials=["idevid"], infrastructure=["registrar"])
    brski = answer["BRSKI"]
    assert brski.verdict == "fits"
    assert "credentials installed before deployment: IDevID (draft 2.8)" in brski.fits_because
    assert "infrastructure: domain registrar (draft 2.8)" in brski.fits_because
    assert "infrastructure: manufacturer service on the Internet (draft 2.8) [to provide]" in brski.requires
    # a device with an IDevID does not hold the AppKeys, SIM secrets or pre-shared keys of LPWAN and Thread
    assert answer["Thread"].verdict == "excluded"
    assert "needs pre-shared key (draft 2.11)" in answer["Thread"].ruled_out_by


def test_no_internet_rules_out_brski_by_its_vendor_service(store, known) -> None:
    says("2.8", "a vendor based service on the Internet is required")
    says("2.7", "the device discovers a network-local or an Internet-based rendezvous server")
    answer = ask(store, known, credentials=["idevid"], internet=False)
    assert answer["BRSKI"].verdict == "excluded"
    assert answer["BRSKI"].ruled_out_by == "Internet access: needs Internet access (draft 2.8); given: none"
    # FIDO's rendezvous server may be network-local: not held against it (it is excluded by its credentials only)
    assert answer["FIDO"].ruled_out_by.startswith("credentials installed before deployment:")


def test_the_one_fact_named_is_the_first_unmet_aspect(store, known) -> None:
    answer = ask(store, known, no_credentials=True, internet=False)
    # BRSKI lacks both its IDevID and the Internet; the credentials come first in aspect order
    assert answer["BRSKI"].ruled_out_by.startswith("credentials installed before deployment: needs IDevID (draft 2.8)")
    assert any(
        item.startswith("Internet access: Internet access (draft 2.8) [not met]") for item in answer["BRSKI"].requires
    )


def test_a_class_1_device_is_not_what_brski_aims_at(store, known) -> None:
    says("2.8", "aimed in general at non-constrained (i.e. class 2+ defined in [RFC7228]) devices")
    small = ask(store, known, device_class=["1"])
    assert small["BRSKI"].verdict == "excluded"
    assert (
        small["BRSKI"].ruled_out_by
        == "device class (RFC 7228): needs Class 2 (C2) or more capable (draft 2.8); given: 1"
    )
    assert ask(store, known, device_class=["2"])["BRSKI"].verdict == "fits"
    # the draft states no device class for any other mechanism, so none is excluded on it
    assert [m.protocol for m in small.values() if m.verdict == "excluded"] == ["BRSKI"]


def test_without_a_user_the_mechanisms_that_need_one_are_excluded(store, known) -> None:
    says(
        "2.5", "The device owner/user is responsible for transferring an OOB message necessary for protocol completion."
    )
    says("2.6", "the user is supposed to use an Onboarding tool (OBT)")
    says("2.4", "LwM2M does not require any actions from the device owner/user.")
    says("2.9", "with no installer input, beyond the actual physical placement and connection of cables")
    answer = ask(store, known, user=False)
    excluded = {name for name, m in answer.items() if m.verdict == "excluded"}
    assert excluded == {"EAP-NOOB", "OCF"}
    assert answer["EAP-NOOB"].ruled_out_by == "user taking part: needs a user taking part (draft 2.5); given: none"
    for name in ("OMA", "SZTP"):
        assert any(item.startswith("user taking part: no user action") for item in answer[name].fits_because), name


def test_a_wifi_deployment(store, known) -> None:
    says("2.2", "providing user-friendly Wi-Fi setup")
    says("2.1", "a new Bluetooth mesh node")
    says("2.7", "assumes that the device already has IP connectivity to a rendezvous server")
    answer = ask(store, known, network=["wifi"])
    assert "network: Wi-Fi (draft 2.2)" in answer["DPP"].fits_because
    assert answer["Bluetooth"].ruled_out_by == "network: needs Bluetooth (draft 2.1); given: wifi"
    assert answer["LPWAN"].verdict == answer["Thread"].verdict == answer["EAP-NOOB"].verdict == "excluded"
    # a Wi-Fi network carries IP, which is all FIDO and BRSKI ask of the network
    assert "network: IP network (draft 2.7)" in answer["FIDO"].fits_because
    assert answer["BRSKI"].verdict == "fits"


def test_a_wifi_network_with_8021x_carries_eap_and_its_aaa_server_never_excludes(store, known) -> None:
    says("2.5", "EAP-NOOB [RFC9140] defines an EAP method")
    answer = ask(store, known, network=["wifi-8021x"], infrastructure=["registrar"])
    assert answer["EAP-NOOB"].verdict == "fits", answer["EAP-NOOB"].ruled_out_by
    assert answer["DPP"].verdict == "fits"  # it is a Wi-Fi network too
    assert answer["Bluetooth"].verdict == "excluded"


def test_option_values_ignore_case_and_the_common_spellings(store, known, cli) -> None:
    for spelling in ("Wi-Fi", "WiFi", "WIFI", "wi_fi"):
        facts = advise.facts_from_options(known, {"network": (spelling,)}, {})
        assert facts.stated("network") == ("wifi",), spelling
    assert advise.facts_from_options(known, {"network": ("None",)}, {}).stated("network") == ()
    assert advise.facts_from_options(known, {"network": ("Wi-Fi-8021X",)}, {}).stated("network") == ("wifi-8021x",)
    result = cli("advise", "--edition", "02", "--help")
    assert "wifi-8021x" in result.stdout and "802.1X" in result.stdout and "ignore case" in result.stdout


def test_a_thread_network_is_an_ip_network(store, known) -> None:
    says("2.11", "Thread networks only operate using IPv6.")
    answer = ask(store, known, network=["thread"])
    assert "network: Thread (draft 2.11)" in answer["Thread"].fits_because
    assert "network: IP network (draft 2.7)" in answer["FIDO"].fits_because
    assert answer["DPP"].verdict == "excluded"


def test_a_device_without_any_out_of_band_channel(store, known) -> None:
    says("2.2", "The configurator obtains bootstrapping information from the enrollee using an out-of-band channel")
    says("2.1", "The authentication method can be Output OOB, Input OOB, static OOB, or No OOB.")
    answer = ask(store, known, oob=["none"])
    assert answer["DPP"].ruled_out_by.startswith("out-of-band channel: needs ")
    assert answer["EAP-NOOB"].verdict == "excluded"
    # Bluetooth's static OOB is named but never described: what it needs cannot be checked, so it is not excluded
    assert answer["Bluetooth"].verdict == "fits"
    assert any("[cannot check" in item for item in answer["Bluetooth"].leaves_open)
    # OCF's Just works and Manufacturer certificate need no channel; only Random PIN shows a PIN
    says("2.6", "The device generates a PIN code that is entered into the onboarding tool by the user.")
    assert answer["OCF"].verdict == "fits"


def test_no_section_2_entry_speaks_of_revocation_so_each_leaves_it_open(store, known) -> None:
    answer = ask(store, known)
    protocols = {number for number in SECTIONS if re.fullmatch(r"2\.\d+", number)}
    assert protocols and all("revoc" not in SECTIONS[number].lower() for number in protocols)
    for mechanism in answer.values():
        assert any(
            line.startswith("Section 4, not stated in the draft:") and "revocation" in line
            for line in mechanism.leaves_open
        ), mechanism.protocol


# ---------------------------------------------------------------- the advisor's rules, on any facts

FACT_SETS = [
    {"no_credentials": True, "oob": ["display"], "network": ["wifi"], "internet": False},
    {"credentials": ["idevid", "trust-anchor"], "network": ["ip"], "user": False},
    {"credentials": ["appkey"], "network": ["lorawan"], "device_class": ["0"]},
    {"oob": ["input"], "network": ["eap"], "infrastructure": ["aaa", "eap-server"], "user": True},
]


@pytest.mark.parametrize("given", FACT_SETS, ids=range(len(FACT_SETS)))
def test_each_exclusion_names_an_unmet_requirement_the_draft_states(store, known, given) -> None:
    facts = advise.facts_from_options(
        known,
        {k: tuple(v) for k, v in given.items() if k not in ("user", "internet", "no_credentials")},
        {k: given.get(k) for k in ("user", "internet")},
        none_given={"credentials"} if given.get("no_credentials") else set(),
    )
    detail = views.run_view(views.find_view(advise.DETAIL), store, facts.bindings(), "02")
    statuses = {(str(r[0]), str(r[1])): set() for r in detail.rows}
    for row in detail.rows:
        statuses[(str(row[0]), str(row[1]))].add(str(row[4]))
    mechanisms = advise.advise(store, facts, "02")
    assert len(mechanisms) == len({str(r[0]) for r in detail.rows})
    for m in mechanisms:
        if m.verdict == "fits":
            assert m.ruled_out_by == "" and m.rank is not None
            assert not any("not met" in s for (p, _), s in statuses.items() if p == m.protocol)
            continue
        aspect = m.ruled_out_by.split(": needs ")[0]
        assert "not met" in statuses[(m.protocol, aspect)], m.ruled_out_by
        assert re.search(r"\((draft \d+(\.\d+)*|.+ \(not from the draft\))\); given: ", m.ruled_out_by)
    ranks = [m.rank for m in mechanisms if m.verdict == "fits"]
    assert ranks == list(range(1, len(ranks) + 1))
    assert all(m.verdict == "fits" for m in mechanisms[: len(ranks)]), "the mechanisms that fit come first"


def test_what_the_draft_does_not_state_is_never_held_against_a_mechanism(store, known) -> None:
    """A network no mechanism names excludes exactly the mechanisms whose Section 2 entry names a network."""
    says("2.4", "LwM2M specification does not deal with the initial network configuration of IoT devices")
    # read from the draft: 2.1 a Bluetooth link, 2.2 Wi-Fi, 2.5 an EAP method, 2.7 IP connectivity, 2.8 link-local
    # connectivity, 2.10 LPWAN, 2.11 Thread; Sections 2.3 (EST), 2.4 (OMA), 2.6 (OCF) and 2.9 (SZTP) name none
    answer = ask(store, known, network=["802.15.4"])
    excluded = {name for name, m in answer.items() if m.verdict == "excluded"}
    assert excluded == {"Bluetooth", "DPP", "EAP-NOOB", "FIDO", "BRSKI", "LPWAN", "Thread"}
    for name in ("EST", "OMA", "OCF", "SZTP"):
        assert "not stated in the draft: network" in answer[name].leaves_open, name


@pytest.mark.slow
def test_the_views_agree_on_oxigraph_and_rdflib_with_facts_bound(store, known, reasoned: Reasoned) -> None:
    for given in FACT_SETS[:2]:
        facts = advise.facts_from_options(
            known,
            {k: tuple(v) for k, v in given.items() if k not in ("user", "internet", "no_credentials")},
            {k: given.get(k) for k in ("user", "internet")},
            none_given={"credentials"} if given.get("no_credentials") else set(),
        )
        for name in (advise.SELECTOR, advise.DETAIL):
            view = views.find_view(name)
            on_store = views.run_view(view, store, facts.bindings(), "02")
            bound = {name: to_rdflib(term.to_oxigraph()) for name, term in facts.bindings().items()}
            on_rdflib = reasoned.combined.query(editions.bind(view.text, EDITION_IRI + "02"), initBindings=bound)
            as_text = [tuple("" if v is None else str(v) for v in row) for row in on_rdflib]
            assert [tuple("" if v is None else str(v) for v in row) for row in on_store.rows] == as_text, name
            assert any(str(v) == "not met" or str(v) == "excluded" for row in on_store.rows for v in row), name


def test_every_advisor_fact_carries_its_source_and_a_draft_fact_quotes_its_section(reasoned: Reasoned) -> None:
    graph = reasoned.asserted
    facts = [
        s
        for cls in (IOTKG.SetupRequirement, IOTKG.ProvisionStatement, IOTKG.SecurityProvision)
        for s in graph.subjects(RDF.type, cls)
    ]
    assert facts
    for fact in facts:
        statement = str(graph.value(fact, IOTKG.statement))
        section = graph.value(fact, IOTKG.draftSection)
        edition = str(graph.value(graph.value(fact, IOTKG.edition), IOTKG.editionNumber))
        if section is None:
            assert graph.value(fact, IOTKG.fromDraft).toPython() is False, fact
            assert graph.value(fact, IOTKG.sourceSpecification) is not None, fact
            assert graph.value(fact, IOTKG.sourceSection) is not None, fact
        else:
            cited = sections(edition)[str(section)]
            assert flat(statement) in cited, f"{fact}: not in section {section} of -{edition}: {statement!r}"


def test_the_matrix_has_every_mechanism_and_every_requirement(store) -> None:
    matrix = views.run_view(views.find_view("advise-matrix"), store, edition="02")
    protocols = views.run_view(views.find_view("protocols"), store, edition="02")
    assert [str(r[0]) for r in matrix.rows] == [str(r[0]) for r in protocols.rows]
    assert len(matrix.variables) == 2 + 7 + 3
    assert all(value is not None and str(value) for row in matrix.rows for value in row)


# ---------------------------------------------------------------- options


def test_option_values_come_from_the_graph_and_bad_ones_are_refused(known) -> None:
    assert "idevid" in known["credentials"].words and "display" in known["oob"].words
    with pytest.raises(InputError, match=r"unknown value 'wlan'") as error:
        advise.facts_from_options(known, {"network": ("wlan",)}, {})
    assert "wifi" in str(error.value)
    with pytest.raises(InputError, match="none"):
        advise.facts_from_options(known, {"oob": ("none", "display")}, {})
    with pytest.raises(InputError):
        advise.facts_from_options(known, {"credentials": ("idevid",)}, {}, none_given={"credentials"})
    facts = advise.facts_from_options(
        known, {"oob": ("input", "display"), "network": ()}, {"user": True, "internet": False}
    )
    assert facts.bindings() == {
        "oob": views.Term("literal", "display input"),
        "user": views.Term("literal", "user"),
        "internet": views.Term("literal", ""),
    }


# ---------------------------------------------------------------- the command


def test_advise_prints_the_ranked_fits_and_the_exclusions(cli) -> None:
    result = cli(
        "advise",
        "--edition",
        "02",
        "--no-preinstalled-credentials",
        "--oob",
        "display",
        "--network",
        "wifi",
        "--no-internet",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Mechanisms that fit, best first" in out and "Mechanisms excluded" in out
    assert re.search(r"│ 1 +│ DPP ", out)
    assert re.search(r"│ LPWAN +│ credentials installed before deployment: needs", out)
    assert "network: wifi" in out and "Internet access: none" in out


def test_advise_formats(cli) -> None:
    args = ("advise", "--edition", "02", "--credential", "idevid", "--infrastructure", "registrar")
    document = json.loads(cli(*args, "--format", "json").stdout)
    assert document["head"]["vars"] == list(advise.COLUMNS)
    brski = next(b for b in document["results"]["bindings"] if b["protocol"]["value"] == "BRSKI")
    assert brski["verdict"]["value"] == "fits" and "IDevID (draft 2.8)" in brski["why_it_fits"]["value"]
    csv_text = cli(*args, "--format", "csv").stdout
    assert csv_text.startswith("rank,protocol,section,verdict,")
    header = cli(*args, "--format", "md").stdout.splitlines()[0]
    assert [cell.strip() for cell in header.strip("|").split("|")][:2] == ["rank", "protocol"]


def test_no_fit_is_still_an_answer_and_bad_options_exit_2(cli) -> None:
    nothing = cli(
        "advise",
        "--edition",
        "02",
        "--no-preinstalled-credentials",
        "--oob",
        "none",
        "--network",
        "802.15.4",
        "--no-user",
    )
    assert nothing.returncode == 0, nothing.stderr
    assert "No mechanism fits these facts." in nothing.stdout
    unknown = cli("advise", "--edition", "02", "--network", "wlan")
    assert unknown.returncode == 2 and "unknown value 'wlan'" in unknown.stderr and "wifi" in unknown.stderr
    both = cli("advise", "--edition", "02", "--no-preinstalled-credentials", "--credential", "idevid")
    assert both.returncode == 2 and "Traceback" not in both.stderr
    assert cli("advise", "--edition", "02", "--format", "yaml").returncode == 2


NEW_ENTRY = """
@prefix iotkg: <https://w3id.org/iotkg/ontology#> .
@prefix ej: <https://w3id.org/iotkg/id/example-join/> .
@prefix spec: <https://w3id.org/iotkg/id/spec/> .
@prefix cred: <https://w3id.org/iotkg/id/credential/> .
@prefix oob: <https://w3id.org/iotkg/id/oob/> .
@prefix aspect: <https://w3id.org/iotkg/id/aspect/> .
@prefix net: <https://w3id.org/iotkg/id/network/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

# A protocol the draft does not survey, with advisor facts only, all from its own (invented) specification.
spec:example-join a iotkg:Specification ; rdfs:label "Example Join Specification" .
ej:protocol a iotkg:Protocol ; rdfs:label "Example Join" ; iotkg:shortName "Example Join" ;
    iotkg:standsOn spec:example-join ; iotkg:fromDraft false ; iotkg:sourceSpecification spec:example-join ;
    iotkg:sourceSection "1" .
ej:requirement-credentials a iotkg:SetupRequirement ; iotkg:ofProtocol ej:protocol ;
    iotkg:requirementAspect aspect:credentials ; iotkg:requiresOneOf cred:none ;
    iotkg:statement "A joining device holds no secret." ;
    iotkg:fromDraft false ; iotkg:sourceSpecification spec:example-join ; iotkg:sourceSection "3.1" .
ej:requirement-out-of-band a iotkg:SetupRequirement ; iotkg:ofProtocol ej:protocol ;
    iotkg:requirementAspect aspect:out-of-band ; iotkg:requiresOneOf oob:input ;
    iotkg:statement "The user types a code into the device." ;
    iotkg:fromDraft false ; iotkg:sourceSpecification spec:example-join ; iotkg:sourceSection "3.2" .
ej:requirement-network a iotkg:SetupRequirement ; iotkg:ofProtocol ej:protocol ;
    iotkg:requirementAspect aspect:network ; iotkg:requiresOneOf net:thread ;
    iotkg:statement "The device joins a Thread network." ;
    iotkg:fromDraft false ; iotkg:sourceSpecification spec:example-join ; iotkg:sourceSection "3.3" .
"""


def test_a_new_protocol_entry_takes_part_without_a_code_change(cli, tmp_path: Path) -> None:
    folder = tmp_path / "instances"
    shutil.copytree(paths.instances_dir(), folder)
    (folder / "example-join.ttl").write_text(NEW_ENTRY, encoding="utf-8")
    env = {**os.environ, "IOTKG_CACHE_DIR": str(tmp_path / "cache")}
    base = (
        "advise",
        "--edition",
        "02",
        "--instances",
        str(folder),
        "--no-preinstalled-credentials",
        "--format",
        "json",
    )

    def answer(*facts: str) -> dict[str, dict[str, str]]:
        result = cli(*base, *facts, env=env)
        assert result.returncode == 0, result.stderr
        rows = json.loads(result.stdout)["results"]["bindings"]
        return {row["protocol"]["value"]: {k: v["value"] for k, v in row.items()} for row in rows}

    fits = answer("--oob", "input", "--network", "thread")
    entry = fits["Example Join"]
    assert entry["verdict"] == "fits"
    assert "network: Thread (Example Join Specification, section 3.3 (not from the draft))" in entry["why_it_fits"]
    assert "out-of-band channel: device input (keypad, button, camera)" in entry["why_it_fits"]
    assert entry["rank"] == "1", "three requirements met rank it first"
    ruled_out = answer("--oob", "input", "--network", "wifi")["Example Join"]
    assert ruled_out["verdict"] == "excluded"
    assert ruled_out["ruled_out_by"] == (
        "network: needs Thread (Example Join Specification, section 3.3 (not from the draft)); given: wifi"
    )
