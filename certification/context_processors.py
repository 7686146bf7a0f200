from .permissions import is_applicant, is_chair, is_juror, is_officer


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_is_officer": is_officer(user),
        "nav_is_juror": is_juror(user),
        "nav_is_chair": is_chair(user),
        "nav_is_applicant": is_applicant(user),
    }
