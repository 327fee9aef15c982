import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from lofte.demo import scenario
from lofte.demo import survey as demo_survey
from lofte.incidents import jobs

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Command(BaseCommand):
    help = "Build the demo scenario 'Västra Hisingen 2016–2017' (synthetic activity data) and serve it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="build the database and exit")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_serve"] and options["host"] not in LOOPBACK:
            raise CommandError(
                f"--host {options['host']}: the demo runs in debug mode with published passwords, so it serves "
                "only this machine (127.0.0.1). To serve others, set up Löfte as the README's Configuration says."
            )
        call_command("migrate", interactive=False, verbosity=0)
        promise = scenario.build(seed=options["seed"])
        self.stdout.write(f"Demo promise: {promise.title} ({promise.commitments.count()} commitments)")
        self.stdout.write("Demo logins (synthetic data; never use these passwords elsewhere):")
        for username, role, password in scenario.logins():
            self.stdout.write(f"  {username:<12} {password:<12} {role}")
        survey = demo_survey.build(promise.area, list(promise.parties.all()))
        self.stdout.write("Try the resident survey at /enkat/ with one of these single-use codes:")
        self.stdout.write("  " + "  ".join(demo_survey.practice_codes(survey)))
        if not options["no_serve"]:
            # The import worker beside the server, so that a file uploaded on the import page is
            # imported (in production `lofte worker` is a service of its own; docs/deploy.md).
            threading.Thread(target=jobs.work, name="import-worker", daemon=True).start()
            call_command("serve", host=options["host"], port=options["port"])
