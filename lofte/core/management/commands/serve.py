from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


def check_database() -> None:
    """Refuse to serve a database that is missing, unreadable or not migrated (it would serve 500s)."""
    name = str(connection.settings_dict["NAME"])
    in_memory = name == ":memory:" or name.startswith("file:") and "mode=memory" in name
    if connection.vendor == "sqlite" and not in_memory and not Path(name).exists():
        raise CommandError(f"{name}: no such database (make one with `lofte migrate`, or `lofte demo`)")
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise CommandError(f"{name}: cannot read the database: {exc}") from exc
    if pending:
        raise CommandError(f"{name}: {len(pending)} migrations are not applied: run `lofte migrate` first")


class Command(BaseCommand):
    help = "Serve Löfte with waitress (a production-grade WSGI server) on an existing database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.core.wsgi import get_wsgi_application
        from waitress import serve

        check_database()
        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/  (Ctrl-C stops)")
        serve(get_wsgi_application(), host=options["host"], port=options["port"], threads=options["threads"])
