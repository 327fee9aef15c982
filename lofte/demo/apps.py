from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lofte.demo"
    label = "demo"
    verbose_name = "Demo"
