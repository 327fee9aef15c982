from django.urls import path

from . import views

urlpatterns = [
    path("om-medborgarloften/", views.about, name="about"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
]
