"""The command line: parse → build via config → call the library → print. (Stub; filled in next.)"""

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Danish-first local RAG.")


@app.command()
def version() -> None:
    """Print the version."""
    from rag import __version__

    typer.echo(__version__)


def main() -> None:
    app()
