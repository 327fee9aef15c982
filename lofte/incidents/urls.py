from django.urls import path

from . import views

urlpatterns = [
    path("lagesbild/<str:code>/", views.situation_page, name="situation"),
    path("lagesbild/<str:code>/export.csv", views.situation_export, name="situation-export"),
]
