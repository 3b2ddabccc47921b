"""A minimal three-command Typer app: the yardstick for triage's start-up times.

    python benchmarks/minimal_app.py --help
    python benchmarks/minimal_app.py hello

It imports Typer (and with it Click and Rich, as a Typer app does) and nothing else, so its
start-up is what any Typer CLI pays before doing work.
"""

from __future__ import annotations

import typer

app = typer.Typer(help="A minimal app with three commands.", add_completion=False)


@app.command()
def hello(name: str = "world") -> None:
    """Print one line."""
    print(f"hello {name}")


@app.command()
def add(a: int, b: int) -> None:
    """Add two whole numbers."""
    print(a + b)


@app.command()
def version() -> None:
    """Show the version."""
    print("minimal 1.0")


if __name__ == "__main__":
    app()
