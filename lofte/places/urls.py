from django.urls import path

from . import views

urlpatterns = [
    path("personal/organisation/", views.organisation_page, name="organisation"),
    path("personal/organisation/<int:pk>/medlemmar/", views.add_member, name="organisation-member-add"),
    path("personal/organisation/<int:pk>/inbjudan/", views.invite_member, name="organisation-member-invite"),
    path("personal/organisation/medlemskap/<int:pk>/ta-bort/", views.remove_member, name="organisation-member-remove"),
    path("personal/organisation/<int:pk>/omraden/", views.change_area, name="organisation-area"),
    path("personal/organisation/<int:pk>/profil/", views.change_profile, name="organisation-profile"),
    path("organisationer/<int:pk>/logotyp.png", views.logo, name="organisation-logo"),
]
