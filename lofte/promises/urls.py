from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="promise-list"),
    path("loften/<slug:slug>/", views.detail, name="promise"),
    path("personal/", views.dashboard, name="dashboard"),
    path("personal/loften/<slug:slug>/", views.work, name="promise-work"),
    path("personal/loften/<slug:slug>/publicera/", views.publish_page, name="promise-publish"),
    path("loften/<slug:slug>/dosering/", views.dosage_page, name="dosage"),
]
