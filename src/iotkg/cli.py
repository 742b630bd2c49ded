"""The ``iotkg`` command line: a thin layer that calls one pipeline stage per command."""

from __future__ import annotations

import importlib
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from iotkg.errors import EXIT_CHECK_FAILED, InputError, IotkgError
from iotkg.remote.commands import push_command, serve_command
from iotkg.version import __version__

if TYPE_CHECKING:
    from iotkg.store import GraphStore


class RegistryChoice(click.Choice):
    """The keys of a registry (``module``'s ``name``), read only when used: a command imports no other's modules."""

    case_sensitive = True

    def __init__(self, module: str, name: str) -> None:
        self._registry = (module, name)

    @property  # type: ignore[override]
    def choices(self) -> list[str]:
        return list(getattr(importlib.import_module(self._registry[0]), self._registry[1]))


instances_option = click.option(
    "--instances",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of protocol entries (Turtle) to use instead of the shipped instances/.",
)


edition_option = click.option(
    "--edition",
    metavar="NN",
    help="The edition of the draft to read, by number (02, 07: any the graph records); default: the latest.",
)


def say_edition(store: GraphStore, edition: str | None) -> None:
    """Tell (on standard error) which edition of the draft the command reads; InputError for an unknown one."""
    from iotkg import editions

    click.echo(f"iotkg: reading {editions.choose(store, edition)}", err=True)


def output_folder_options(default: Path) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--to DIR`` (default ``default``) and ``--force``, for commands that write a folder of generated files."""
    to = click.option(
        "--to",
        type=click.Path(path_type=Path, file_okay=False),
        default=default,
        help="Folder to write into (one iotkg wrote, or a new or empty one).",
    )
    return lambda command: to(
        click.option("--force", is_flag=True, help="Write into a folder iotkg did not create.")(command)
    )


class IotkgGroup(click.Group):
    """Turns IotkgError into a message on stderr and its exit status, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (IotkgError, OSError) as error:  # OSError: a file or folder that cannot be read or written (exit 2)
            click.echo(f"iotkg: {error}", err=True)
            ctx.exit(getattr(error, "exit_code", 2))
        except KeyboardInterrupt:
            click.echo("iotkg: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=IotkgGroup, context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(__version__, prog_name="iotkg")
def main() -> None:
    """A knowledge graph of the protocols that give IoT devices their initial security setup.

    Exit status: 0 success, 1 the data failed a check, 2 bad usage or unreadable input.
    """


@main.command()
@instances_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    help="Folder to write views/, graph/ and site/ into (one iotkg wrote, or a new or empty one).",
)
@click.option("--force", is_flag=True, help="Write into an output folder iotkg did not create.")
def build(instances: Path | None, out: Path, force: bool) -> None:
    """Load, validate, reason, and write the views and the exported graph into OUT."""
    from rich.console import Console

    from iotkg.build import build as run_build

    started = time.perf_counter()
    with Console(stderr=True).status("loading") as status:
        summary = run_build(out, instances, force=force, step=lambda s: status.update(f"{s}…"))
    click.echo(f"protocols:        {summary.protocols}")
    click.echo(f"triples asserted: {summary.asserted_triples}")
    click.echo(f"triples inferred: {summary.inferred_triples}")
    click.echo(f"validation:       {summary.validation}")
    click.echo(f"files written:    {len(summary.files)} under {out}/")
    click.echo(f"time:             {time.perf_counter() - started:.2f} s")


@main.command("validate")
@instances_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["plain", "turtle", "json"]),
    default="plain",
    help="plain: one sentence per finding, grouped by protocol entry; turtle, json: the W3C SHACL validation "
    "report (json is JSON-LD).",
)
@click.option(
    "--engine",
    type=RegistryChoice("iotkg.pipeline.validate", "ENGINES"),
    default="fast",
    help="fast: pyshacl-turbo (Rust); pyshacl: pySHACL, the reference. Both give the same report.",
)
def validate_command(instances: Path | None, files: tuple[Path, ...], fmt: str, engine: str) -> None:
    """Validate the ontology with the instances, plus any extra Turtle FILES (e.g. a new protocol entry).

    Checks asserted data only (no inference). Exit status: 0 conforms (warnings allowed), 1 violations or a shape
    that checked no node, 2 unreadable input.
    """
    from iotkg.pipeline.load import load
    from iotkg.pipeline.report import format_plain, format_report
    from iotkg.pipeline.validate import validate

    result = validate(load(instances, list(files)), engine=engine)
    click.echo(format_plain(result) if fmt == "plain" else format_report(result, fmt), nl=False)
    sys.exit(0 if result.conforms else EXIT_CHECK_FAILED)


@main.command("views")
@click.option("--long", "long_", is_flag=True, help="A paragraph per view: what it answers, its graph and params.")
def views_command(long_: bool) -> None:
    """List the saved views (queries/*.rq), one line each: name and title (--long: what each answers, its graph)."""
    from iotkg.views import list_views

    for view in list_views():
        click.echo(f"{view.name:<24} {view.title}")
        for label, value in (("answers", view.answers), ("graph", view.graph), ("params", view.params)):
            if value and long_:
                click.echo(f"{'':<24} {label}: {value}")


def rows_format_option(table: str, registry: str = "FORMATS") -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The ``--format`` option of the commands that print rows; ``table`` says what the table format shows."""
    graphs = "; turtle, ntriples, jsonld: a CONSTRUCT's or DESCRIBE's triples" if registry != "FORMATS" else ""
    return click.option(
        "--format",
        "fmt",
        type=RegistryChoice("iotkg.views", registry),
        default="table",
        help=f"table: {table}; json, csv, tsv, xml: W3C SPARQL 1.1 results formats; md: Markdown table{graphs}.",
    )


@main.command()
@instances_option
@click.argument("view")
@rows_format_option("terminal table (yes/no for ASK, Turtle for CONSTRUCT and DESCRIBE)", "QUERY_FORMATS")
@click.option(
    "--bind",
    "binds",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE, a string (or <iri> for an IRI), before the query runs; repeatable.",
)
@click.option("--endpoint", metavar="URL", help="Run the view at this SPARQL 1.1 query endpoint instead of locally.")
@click.option("--graph", metavar="IRI", help="With --endpoint: query this named graph (sent as default-graph-uri).")
@edition_option
def query(
    instances: Path | None,
    view: str,
    fmt: str,
    binds: tuple[str, ...],
    endpoint: str | None,
    graph: str | None,
    edition: str | None,
) -> None:
    """Run a view by NAME (see 'iotkg views') or a .rq FILE (SELECT, ASK, CONSTRUCT or DESCRIBE) over the asserted and
    inferred graph.

    Bound values reach the query engine as bound variables; they are never pasted into the query text.
    """
    from iotkg import editions, views
    from iotkg.store import open_store

    chosen = views.find_view(view)
    bindings = views.parse_bindings(list(binds))
    views.check_bindings(chosen, bindings)
    if endpoint is None:
        if graph is not None:
            raise InputError("--graph is only for a remote view: pass --endpoint URL too")
        store = open_store(instances)
        if editions.reads_edition(chosen.text):
            say_edition(store, edition)
        result, prefixes = views.run_query(chosen, store, bindings, edition), store.prefixes
    else:
        from iotkg.remote.endpoint import run_view as run_remote

        if editions.reads_edition(chosen.text):  # the edition's IRI, from the local graph's editions
            iri = editions.choose(open_store(instances), edition).iri
            chosen = replace(chosen, text=editions.bind(chosen.text, iri))

        result, prefixes = run_remote(chosen, endpoint, default_graph=graph, bindings=bindings), {}
        if (result == [] or (isinstance(result, views.Rows) and not result.rows)) and graph is None:
            click.echo("iotkg: no rows; if the graph is in a named graph, pass --graph IRI", err=True)
    width = shutil.get_terminal_size((160, 24)).columns
    click.echo(views.write_result(result, fmt, chosen.title, width, prefixes), nl=False)


@main.command("reason")
@instances_option
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Turtle file to write (default: stdout)."
)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def reason_command(instances: Path | None, output: Path | None, force: bool) -> None:
    """Write the inferred triples alone (Turtle) to OUTPUT or standard output."""
    from iotkg.export import turtle_text
    from iotkg.output import write_file
    from iotkg.pipeline.load import load
    from iotkg.pipeline.reason import check_consistent, reason

    reasoned = reason(load(instances))
    check_consistent(reasoned)
    text = turtle_text(reasoned.inferred)
    if output is None:
        click.echo(text, nl=False)
        return
    write_file(output, text.encode("utf-8"), force=force)
    click.echo(f"{len(reasoned.inferred)} inferred triples written to {output}", err=True)


@main.command("roles")
@instances_option
@click.argument("role", required=False)
@click.option("--protocol", help="Map every role of this protocol (short name, e.g. DPP).")
@click.option("--like-in", help="With --protocol: the protocol to map onto (e.g. BRSKI).")
@click.option("--no-explain", is_flag=True, help="List the equivalent roles without the explanation.")
@edition_option
def roles_command(
    instances: Path | None,
    role: str | None,
    protocol: str | None,
    like_in: str | None,
    no_explain: bool,
    edition: str | None,
) -> None:
    """Print the roles equivalent to ROLE (PROTOCOL:Name or an IRI), each with the triples and rule that entail it.

    With --protocol P --like-in Q: for every role of P, its counterparts in Q.
    """
    from iotkg import roles as role_lookup
    from iotkg.store import open_store

    if (role is None) == (protocol is None) or (protocol is None) != (like_in is None):
        raise InputError("give either ROLE, or --protocol P --like-in Q", hint="e.g. iotkg roles BRSKI:Pledge")
    graph = open_store(instances)
    say_edition(graph, edition)
    if role is not None:
        lines = role_lookup.describe(graph, role_lookup.find_role(graph, role), explain=not no_explain, edition=edition)
    else:
        lines = role_lookup.counterparts(graph, protocol, like_in, edition)
    click.echo("\n".join(lines))


@main.command("export")
@instances_option
@output_folder_options(Path("dist/graph"))
@click.option(
    "--format",
    "formats",
    type=RegistryChoice("iotkg.export", "FORMATS"),
    multiple=True,
    help="Write only these formats (repeatable; default: all). owl: RDF/XML of the ontology with a Protégé catalog.",
)
def export_command(instances: Path | None, to: Path, formats: tuple[str, ...], force: bool) -> None:
    """Validate and reason, then write the graph for other semantic tools into TO, with manifest.json.

    Every file is canonical: two runs on the same data give the same bytes.
    """
    import iotkg
    from iotkg.output import refuse_foreign

    refuse_foreign(to, force=force)
    files = iotkg.load(instances).export(to, formats, force=force)
    click.echo(f"{len(files)} files written under {to}/ (listed with counts and checksums in manifest.json)")


@main.command("site")
@instances_option
@output_folder_options(Path("dist/site"))
def site_command(instances: Path | None, to: Path, force: bool) -> None:
    """Validate and reason, then write the browsable report into TO: a static web site that works offline.

    The comparison table, one page per protocol, a page per view (with its SPARQL, CSV and JSON), diagrams of role
    equivalence and process order (SVG, by Graphviz), and the ontology documentation (pyLODE). Open TO/index.html.
    """
    from iotkg.site import build_site

    summary = build_site(to, instances, force=force)
    click.echo(f"{summary.pages} pages, {summary.diagrams} diagrams, {len(summary.files)} files written under {to}/")
    click.echo(f"open {to / 'index.html'}")


@main.command("advise")
@instances_option
@click.option(
    "--credential",
    "credentials",
    multiple=True,
    metavar="KIND",
    help="A credential installed in the device before deployment (repeatable), e.g. idevid, pre-shared-key.",
)
@click.option(
    "--no-preinstalled-credentials",
    "no_credentials",
    is_flag=True,
    help="The device has no credential installed before deployment.",
)
@click.option(
    "--oob",
    multiple=True,
    metavar="CHANNEL",
    help="An out-of-band channel the device has (repeatable), e.g. display, input, qr-code, nfc; 'none' for none.",
)
@click.option(
    "--network",
    multiple=True,
    metavar="NETWORK",
    help="A network the deployment offers (repeatable), e.g. wifi, thread, bluetooth, lpwan, ip, eap; a Wi-Fi network "
    "whose access is authenticated with IEEE 802.1X (WPA2/WPA3-Enterprise) is wifi-8021x: it carries EAP (its AAA "
    "server is --infrastructure aaa, which never rules a mechanism out). Values ignore case and hyphens (Wi-Fi, WiFi).",
)
@click.option(
    "--infrastructure",
    multiple=True,
    metavar="KIND",
    help="Infrastructure the deployment has (repeatable), e.g. registrar, aaa, smartphone-app; what a mechanism "
    "needs beyond it is listed as required, not held against it.",
)
@click.option("--user/--no-user", default=None, help="A person can (or cannot) take part in the setup.")
@click.option(
    "--device-class",
    metavar="CLASS",
    help="The RFC 7228 class of the device: 0, 1 or 2.",
    callback=lambda ctx, param, value: () if value is None else (value,),  # a list of words, as the others
)
@click.option("--internet/--no-internet", default=None, help="The deployment has (or has no) Internet access.")
@rows_format_option("readable listing")
@edition_option
def advise_command(
    instances: Path | None,
    no_credentials: bool,
    user: bool | None,
    internet: bool | None,
    fmt: str,
    edition: str | None,
    **lists: tuple,
) -> None:
    """Which initial-security-setup mechanisms fit this device and deployment, ranked, and why; and which one fact
    rules out each of the others.

    Give the facts you know; a fact you leave out is not checked, and nothing the draft does not state is held
    against a mechanism. The selection is the SPARQL of the views advise and advise-detail (see 'iotkg views');
    the values each option takes are the view advise-options. Exit status: 0 answered (even with no mechanism
    that fits), 2 a bad option value.
    """
    from iotkg import advise, views
    from iotkg.store import open_store

    store = open_store(instances)
    say_edition(store, edition)
    known = advise.aspects(store)
    none_given = {"credentials"} if no_credentials else set()
    facts = advise.facts_from_options(known, lists, {"user": user, "internet": internet}, none_given=none_given)
    mechanisms = advise.advise(store, facts, edition)
    if fmt == "table":
        width = shutil.get_terminal_size((160, 24)).columns
        click.echo(advise.render_listing(mechanisms, known, facts, width=width), nl=False)
        return
    click.echo(views.render(advise.to_rows(mechanisms), fmt, "Advice"), nl=False)


@main.command("diff")
@instances_option
@click.option("--from", "old", metavar="NN", help="The earlier edition (default: the modelled one before --to).")
@click.option("--to", "new", metavar="NN", help="The later edition (default: the latest modelled one).")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json"]), default="table")
def diff_command(instances: Path | None, old: str | None, new: str | None, fmt: str) -> None:
    """What changed between two modelled editions of the draft (e.g. --from 02 --to 07): mechanisms added, removed
    and renamed (their Section 2 heading differs); per mechanism both record, the terms, players, processes and
    beliefs added and removed; each Section 3 classification's groups and members before and after. As terminal
    tables, Markdown (md) or canonical JSON (json, sorted keys).

    Compared: terms by concept; players by role IRI; processes by case-folded label; initial and imparted beliefs
    by basis credential kind (the JSON's compared_by says the same). Exit status: 0 the diff, 2 an edition number
    the graph does not model (iotkg:editionNumber of an iotkg:Edition with iotkg:modelled true).
    """
    from iotkg import diff
    from iotkg.store import open_store

    store = open_store(instances)
    old, new = diff.choose(store, old, new)
    click.echo(diff.render(diff.diff(store, old, new), fmt, shutil.get_terminal_size((160, 24)).columns), nl=False)


main.add_command(instances_option(serve_command))
main.add_command(instances_option(push_command))


def run() -> None:
    """The ``iotkg`` command."""
    main(prog_name="iotkg")
