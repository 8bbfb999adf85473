"""Access guards for the HTML views (the API has its permission classes)."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from organizations.models import is_office_staff
from organizations.selectors import user_role


def office_required(view):
    """Only ICP office staff may open this page (403 for others)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_office_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def role_required(*roles):
    """Only people of these portal roles may open this page (403 for others)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if user_role(user=request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
