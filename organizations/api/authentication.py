"""``Authorization: Token <key>`` with keys stored hashed (django-rest-knox)."""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from icp_portal.lib.prepared import Prepared
from organizations.models import ApiToken, remember_roles, with_roles

# The token with its user and the user's roles, compiled once (icp_portal.lib.prepared):
# compiling it cost three times what running it does, on every API call.
_TOKENS = Prepared(
    "organizations_apitoken with roles",
    lambda key: with_roles(ApiToken.objects.all(), "user").filter(token_key=key),
    key="\x00token-key-placeholder",
)


class ApiTokenAuthentication(TokenAuthentication):
    """Knox's hashed-token authentication; an expired or disabled account is refused.

    One query per call: the token, its user, the user's office group and membership (with
    its organization) come together, and stay on the user for the request's visibility
    and policy checks (``is_office_staff``, ``user_membership``)."""

    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        try:  # a header is Latin-1 on the wire: a key is printable ASCII, anything else is wrong
            token = token.decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(message) from error
        if not token.isprintable():  # e.g. a NUL, which no query may carry
            raise exceptions.AuthenticationFailed(message)
        candidates = _TOKENS.run(None, key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error) as error:
                raise exceptions.AuthenticationFailed(message) from error
            if compare_digest(digest, auth_token.digest):
                remember_roles(auth_token.user, auth_token._office)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)

    def _cleanup_token(self, auth_token) -> bool:
        # Knox would also load and sweep all the user's other tokens on every request (an
        # extra query each time); only this token's expiry matters here. Expired tokens are
        # refused and kept (who had which key stays on record) until revoked.
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return auth_token.user, auth_token
