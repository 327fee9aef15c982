from django.urls import path

from . import (
    views,
    views_area,
    views_causes,
    views_evidence,
    views_history,
    views_invitations,
    views_overview,
    views_planning,
    views_report,
)

urlpatterns = [
    path("", views.index, name="promise-list"),
    path("loften/<slug:slug>/", views.detail, name="promise"),
    path("loften/<slug:slug>/historik/", views_history.history_page, name="promise-history"),
    path("loften/<slug:slug>/rapport/", views_report.report, name="promise-report"),
    path("loften/<slug:slug>/rapport.pdf", views_report.report_pdf, name="promise-report-pdf"),
    path("loften/<slug:slug>/oppna-data.zip", views_report.open_data, name="promise-open-data"),
    path("personal/", views.dashboard, name="dashboard"),
    path("personal/oversikt/", views_overview.overview, name="overview"),
    path("personal/inbjudningar/<int:pk>/", views_invitations.answer, name="invitation-answer"),
    path("personal/loften/nytt/", views_planning.new_promise, name="promise-new"),
    path("personal/loften/<slug:slug>/", views.work, name="promise-work"),
    path("personal/loften/<slug:slug>/publicera/", views.publish_page, name="promise-publish"),
    path("personal/loften/<slug:slug>/andra/", views_planning.edit_promise, name="promise-edit"),
    path("personal/loften/<slug:slug>/platser/", views_planning.places_page, name="promise-places"),
    path("personal/loften/<slug:slug>/platser/<int:pk>/", views_planning.place_page, name="promise-place"),
    path(
        "personal/loften/<slug:slug>/platser/<int:pk>/ta-bort/",
        views_planning.remove_place,
        name="promise-place-remove",
    ),
    path("personal/loften/<slug:slug>/orsaker/", views_causes.causes_page, name="promise-causes"),
    path("omraden/<str:code>/", views_area.area_page, name="area"),
    path("personal/omraden/<str:code>/underlag/", views_evidence.evidence_page, name="evidence"),
    path("personal/loften/<slug:slug>/ataganden/ny/", views_planning.add_commitment, name="commitment-add"),
    path("personal/ataganden/<int:pk>/", views_planning.edit_commitment, name="commitment-edit"),
    path("personal/ataganden/<int:pk>/lagesrapport/", views_planning.add_update, name="commitment-update"),
    path("loften/<slug:slug>/dosering/", views.dosage_page, name="dosage"),
]
