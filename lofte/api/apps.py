from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lofte.api"
    label = "api"
    verbose_name = "API"
