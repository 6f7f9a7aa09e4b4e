"""CLI commands beyond the core ones, one module per area; each registers itself on import."""

from importlib import import_module

#: modules under duediligence.commands, imported by duediligence.cli.main
AREAS: tuple[str, ...] = (
    "report",
    "checks",
    "intake",
    "supervision",
    "db",
    "draft",
    "audit",
    "records",
)


def load_all() -> None:
    for area in AREAS:
        import_module(f"{__name__}.{area}")
