from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lofte.accounts.password import PasswordReset
from lofte.api.urls import api

urlpatterns: list = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Swedish pages at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("lofte.promises.urls")),
    path("", include("lofte.incidents.urls")),
    path("", include("lofte.activities.urls")),
    path("", include("lofte.cases.urls")),
    path("", include("lofte.surveys.urls")),
    path("", include("lofte.places.urls")),
    path("", include("lofte.core.urls")),
    path("", include("lofte.dialogues.urls")),
    path("", include("lofte.observations.urls")),
    path("", include("lofte.plans.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Forgotten passwords and invitations' links (lofte.accounts.members.invite): Django's own views
    # with Löfte's templates (named: the admin's registration/ templates come first otherwise), links
    # built on LOFTE_PUBLIC_URL rather than the request's Host header.
    path("konto/losenord/", PasswordReset.as_view(), name="password_reset"),
    path(
        "konto/losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="account/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="account/password_reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(template_name="account/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    prefix_default_language=False,
)
