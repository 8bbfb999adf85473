"""Puts the signed-in person's portal role and organization on every page."""

from organizations.selectors import user_membership, user_role


def portal_role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_role": None, "portal_membership": None}
    return {"portal_role": user_role(user=user), "portal_membership": user_membership(user=user)}
