from django.urls import path

from . import views

urlpatterns = [
    path("rapportera/", views.report, name="observation-report"),
]
