from django.urls import path

from . import views, views_opinion, views_setup

urlpatterns = [
    path("omraden/<str:code>/tyck-till/", views.speak_up, name="speak-up"),
    path("personal/dialoger/", views.index, name="dialogues"),
    path("personal/dialoger/<str:code>/ny/", views.new_dialogue, name="dialogue-new"),
    path("personal/omraden/<str:code>/teman/", views_setup.setup, name="area-setup"),
    path("personal/teman/<int:pk>/", views_setup.theme, name="theme"),
    path("personal/problem/<int:pk>/", views_setup.candidate, name="candidate"),
    path("personal/dialog/<int:pk>/", views.dialogue, name="dialogue"),
    path("personal/uttalanden/<int:pk>/moderera/", views.moderate, name="statement-moderate"),
    path("asikter/<int:pk>/", views_opinion.vote, name="opinion"),
    path("asikter/<int:pk>/grupper/", views_opinion.groups_page, name="opinion-groups"),
]
