"""The commands that work with a graph elsewhere: ``iotkg serve`` and ``iotkg push`` (``iotkg.cli`` adds them, with
``--instances``)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, help="0 picks a free port.")
@click.option("--timeout", type=click.FloatRange(1), default=60, help="Seconds a query may run.")
@click.option("--cors", is_flag=True, help="Let web pages of any other origin query it (CORS).")
def serve_command(instances: Path | None, host: str, port: int, timeout: float, cors: bool) -> None:
    """Serve the validated asserted + inferred graph as a read-only SPARQL 1.1 endpoint (the Oxigraph server).

    Queries go to /query or /sparql (SPARQL 1.1 Protocol), graph reads to /store, and / is Oxigraph's query page. The
    default graph holds the union of the asserted and inferred named graphs. Updates and SERVICE queries are refused.
    """
    from iotkg.remote.serve import serve

    # click.echo flushes: the URL is seen at once
    serve(host, port, instances, timeout=timeout, cors=cors, announce=click.echo, log=lambda t: click.echo(t, err=True))


@click.command("push")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
    "http://localhost:3030/DATASET/data (Fuseki).",
)
@click.option("--graph", default="https://w3id.org/iotkg/graph", metavar="IRI", help="The named graph to replace.")
@click.option(
    "--user", metavar="NAME", help="Log in as NAME; the password: $IOTKG_PASSWORD, else asked. Default: ~/.netrc"
)
@click.option("--timeout", type=click.FloatRange(1), default=120, help="Seconds for the whole push.")
def push_command(instances: Path | None, endpoint: str, graph: str, user: str | None, timeout: float) -> None:
    """Replace one named graph of a SPARQL 1.1 store with the validated asserted + inferred graph (Graph Store PUT).

    The graph is read before and after; if anything fails its previous content is put back (exit 2).
    """
    from iotkg.remote.push import built_graph, credentials, push

    auth = credentials(endpoint, user, lambda text: click.prompt(text, hide_input=True, err=True))
    data, triples = built_graph(instances)
    pushed = push(endpoint, graph, data, triples, auth=auth, timeout=timeout)
    verb = "replaced" if pushed.replaced else "created"
    click.echo(f"{pushed.triples} triples: graph <{pushed.graph}> {verb} at {endpoint}")
