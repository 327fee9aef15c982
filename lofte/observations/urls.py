from django.urls import path

from . import views, views_actions, views_residents, views_tertial, views_week

urlpatterns = [
    path("rapportera/", views.report, name="observation-report"),
    path("personal/omraden/<str:code>/vecka/", views_week.week, name="area-week"),
    path("personal/omraden/<str:code>/vecka/e-post/", views_week.week_digest, name="area-week-digest"),
    path("personal/omraden/<str:code>/tertial/", views_tertial.tertial_page, name="area-tertial"),
    path("personal/omraden/<str:code>/tertial.pdf", views_tertial.tertial_pdf, name="area-tertial-pdf"),
    path("personal/atgarder/", views_actions.action_list, name="actions"),
    path("personal/atgarder/ny/", views_actions.action_new, name="action-new"),
    path("personal/atgarder/<int:pk>/", views_actions.action_page, name="action"),
    path("omraden/<str:code>/rapportera/", views_residents.report_place, name="resident-report"),
    path("omraden/<str:code>/rapporter/", views_residents.reports, name="resident-reports"),
    path("personal/omraden/<str:code>/invanarrapporter/", views_residents.moderation, name="resident-moderation"),
    path("personal/invanarrapporter/<int:pk>/", views_residents.moderate, name="resident-report-moderate"),
]
