from django.urls import path

from . import views, views_public

urlpatterns = [
    path("personal/lagesbilder/", views.report_list, name="plans"),
    path("personal/lagesbilder/ny/", views.report_new, name="plan-new"),
    path("personal/lagesbilder/<int:pk>/", views.report_page, name="plan-report"),
    path("personal/lagesbilder/<int:pk>.pdf", views.report_pdf, name="plan-report-pdf"),
    path("personal/lagesbilder/<int:pk>/uppfoljning/", views.report_follow_up, name="plan-follow-up"),
    path("personal/lagesbilder/<int:pk>/omfattning/", views.report_coverage, name="plan-coverage"),
    path("personal/lagesbilder/<int:pk>/texter/", views.report_texts, name="plan-texts"),
    path("personal/lagesbilder/<int:pk>/steg/<str:step>/", views.report_step, name="plan-step"),
    path("personal/lagesbilder/<int:pk>/beslut/", views.report_decide, name="plan-decide"),
    path("personal/lagesbilder/<int:pk>/kommentar/", views.report_comment, name="plan-comment"),
    path("personal/lagesbilder/<int:pk>/referensvarden/", views.reference_add, name="plan-reference-add"),
    path("personal/lagesbilder/<int:pk>/atgarder/ny/", views.measure_new, name="plan-measure-new"),
    path("personal/referensvarden/<int:pk>/ta-bort/", views.reference_remove, name="plan-reference-remove"),
    path("personal/remisskommentarer/<int:pk>/svar/", views.comment_answer, name="plan-comment-answer"),
    path("personal/atgardsplan/<int:pk>/", views.measure_page, name="plan-measure"),
    path("kommun/<str:code>/lagesbild/<int:year>/", views_public.municipality_year, name="public-situation-reports"),
    path(
        "kommun/<str:code>/lagesbild/<int:year>/<str:area>/", views_public.public_report, name="public-situation-report"
    ),  # fmt: skip
    path(
        "kommun/<str:code>/lagesbild/<int:year>/<str:area>/uppfoljning/",
        views_public.public_follow_up,
        name="public-situation-report-follow-up",
    ),  # fmt: skip
    path(
        "kommun/<str:code>/lagesbild/<int:year>/<str:area>/lagesbild.pdf",
        views_public.public_pdf,
        name="public-situation-report-pdf",
    ),  # fmt: skip
    path(
        "kommun/<str:code>/lagesbild/<int:year>/<str:area>/oppna-data.zip",
        views_public.public_open_data,
        name="public-situation-report-data",
    ),  # fmt: skip
]
