from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Löfte with waitress (a production-grade WSGI server) on an existing database."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, **options):
        from waitress import serve

        from lofte.config.wsgi import application

        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/  (Ctrl-C stops)")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"])
