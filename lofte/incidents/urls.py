from django.urls import path

from . import views, views_import

urlpatterns = [
    path("personal/import/", views_import.import_page, name="import"),
    path("personal/import/<int:pk>/rejects.csv", views_import.import_rejects, name="import-rejects"),
    path("lagesbild/<str:code>/", views.situation_page, name="situation"),
    path("lagesbild/<str:code>/export.csv", views.situation_export, name="situation-export"),
]
