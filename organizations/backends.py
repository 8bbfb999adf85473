"""Signing in with a password: Django's model backend, loading the person's roles with them."""

from django.contrib.auth.backends import ModelBackend

from organizations.models import User, remember_roles, with_roles


class PortalModelBackend(ModelBackend):
    """Django's ``ModelBackend`` whose per-request user load (the session's user) also
    brings the office group and the membership in the same query: every page asks both,
    and would otherwise spend two more queries on them."""

    def get_user(self, user_id):
        user = with_roles(User._default_manager.all()).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_roles(user, user._office)
        return user
