from lofte.accounts import policies


def navigation(request):
    """What the navigation offers this user (each page still checks on the server)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_patrol": policies.activities.logging_organisations(user).exists(),
            "nav_surveys": policies.surveys.visible(user).exists()}
