from django.urls import path

from . import views

urlpatterns = [
    path("patrull/", views.phone, name="patrol"),
    path("patrull/start/", views.start, name="patrol-start"),
    path("patrull/slut/", views.end, name="patrol-end"),
    path("patrull/beslag/", views.seizure, name="patrol-seizure"),
]
