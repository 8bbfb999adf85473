"""Puts the signed-in person's portal role and organization, and their unread count, on
every page."""

from organizations.selectors import notification_unread_count, user_membership, user_role


def portal_role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_role": None, "portal_membership": None}
    return {"portal_role": user_role(user=user), "portal_membership": user_membership(user=user)}


def inbox(request):
    """``inbox_unread``: how many of the person's notices are unread (the badge of the
    navigation bar). Counted when a template first reads it, then kept on the request:
    at most one query a page, none on a page that does not show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}

    def unread() -> int:
        if not hasattr(request, "_inbox_unread"):
            request._inbox_unread = notification_unread_count(user=user)
        return request._inbox_unread

    return {"inbox_unread": unread}
