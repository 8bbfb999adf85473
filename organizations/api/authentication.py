"""``Authorization: Token <key>`` with keys stored hashed (django-rest-knox)."""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from icp_portal.lib.prepared import Call, Prepared
from organizations.models import ApiToken, remember_roles, with_roles

# The token with its user and the user's roles, compiled once (icp_portal.lib.prepared):
# compiling it cost three times what running it does, on every API call.
_TOKENS = Prepared(
    "organizations_apitoken with roles",
    lambda key: with_roles(ApiToken.objects.all(), "user").filter(token_key=key),
    key="\x00token-key-placeholder",
)


def _key(token: bytes) -> str:
    """The key part of a token as sent (what the token row is found by); 401 unless it is
    printable ASCII (a header is Latin-1 on the wire; a NUL no query may carry)."""
    try:
        text = token.decode("ascii")
    except UnicodeDecodeError as error:
        raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
    if not text.isprintable():
        raise exceptions.AuthenticationFailed(_("Invalid token."))
    return text[: CONSTANTS.TOKEN_KEY_LENGTH]


class ApiTokenAuthentication(TokenAuthentication):
    """Knox's hashed-token authentication; an expired or disabled account is refused.

    One query per call: the token, its user, the user's office group and membership (with
    its organization) come together, and stay on the user for the request's visibility
    and policy checks (``is_office_staff``, ``user_membership``)."""

    @staticmethod
    def lookup(request) -> tuple[bytes, str, Call] | None:
        """The token this request's header carries (as ``authenticate_credentials`` takes
        it), its key, and the query that method runs for it (to send with another:
        ``fetched_together``); None when the header carries no usable key (then
        ``authenticate`` answers the request)."""
        # (DRF's ``get_authorization_header`` reads it through ``request.headers``, which
        # builds a dict of every header: 20 µs, a tenth of a poll's own work)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        try:
            parts = (header.encode("latin-1") if isinstance(header, str) else header).split()
        except UnicodeEncodeError:  # not from a server (WSGI headers are Latin-1)
            return None
        if len(parts) != 2 or parts[0].lower() != knox_settings.AUTH_HEADER_PREFIX.lower().encode():
            return None
        try:
            key = _key(parts[1])
        except exceptions.AuthenticationFailed:
            return None
        return parts[1], key, _TOKENS.call(None, key=key)

    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        key = _key(token)
        token = token.decode("ascii")  # (printable ASCII: ``_key`` checked it)
        candidates = _TOKENS.run(None, key=key)
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
