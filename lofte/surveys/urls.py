from django.urls import path

from . import views, views_answer, views_editing

urlpatterns = [
    path("enkat/", views_answer.start, name="survey-start"),
    path("enkat/fragor/<int:page>/", views_answer.page, name="survey-page"),
    path("enkat/tack/", views_answer.thanks, name="survey-thanks"),
    path("enkater/", views.index, name="surveys"),
    path("enkater/ny/", views_editing.new_survey, name="survey-new"),
    path("enkater/<slug:slug>/", views.detail, name="survey"),
    path("enkater/<slug:slug>/resultat/", views.results, name="survey-results"),
    path("enkater/<slug:slug>/urval/", views.draw_sample, name="survey-sample"),
    path("enkater/<slug:slug>/andra/", views_editing.change_survey, name="survey-edit"),
    path("enkater/<slug:slug>/vagor/", views_editing.add_wave, name="survey-wave-add"),
    path("enkater/<slug:slug>/vagor/<int:wave>/", views_editing.open_or_close_wave, name="survey-wave-open"),
    path("enkater/<slug:slug>/fragor/bank/", views_editing.add_bank_items, name="survey-items-bank"),
    path("enkater/<slug:slug>/fragor/ny/", views_editing.add_item, name="survey-item-add"),
    path("enkater/<slug:slug>/svar/", views.import_responses, name="survey-import"),
    path("enkater/<slug:slug>/<int:wave>/brev.pdf", views.letters_pdf, name="survey-letters"),
]
