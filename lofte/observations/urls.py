from django.urls import path

from . import views, views_week

urlpatterns = [
    path("rapportera/", views.report, name="observation-report"),
    path("personal/omraden/<str:code>/vecka/", views_week.week, name="area-week"),
    path("personal/omraden/<str:code>/vecka/e-post/", views_week.week_digest, name="area-week-digest"),
]
