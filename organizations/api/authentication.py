"""``Authorization: Token <key>`` with keys stored hashed (django-rest-knox)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions


class ApiTokenAuthentication(TokenAuthentication):
    """Knox's hashed-token authentication; an expired or disabled account is refused."""

    def _cleanup_token(self, auth_token) -> bool:
        # Knox would also load and sweep all the user's other tokens on every request (an
        # extra query each time); only this token's expiry matters here. Expired tokens are
        # refused and kept (who had which key stays on record) until revoked.
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return auth_token.user, auth_token
