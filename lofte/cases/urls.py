from django.urls import path

from . import views

urlpatterns = [
    path("arenden/", views.index, name="cases"),
    path("arenden/nytt/", views.create, name="case-create"),
    path("arenden/<int:pk>/", views.detail, name="case"),
]
