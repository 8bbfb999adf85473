"""The call REST clients poll most, ``GET /api/v1/agreements/{id}/balance/`` with an API
token, answered without DRF's per-request machinery (issue 15).

Its common case — a valid token asking a balance its holder may see — is answered here by
the same parts the DRF action uses: the token authenticator, the viewset's permission
classes, ``AsOfSerializer`` for the date, and ``balance_of_one`` (selector, ETag, JSON).
Everything else — another method, a browser session, a refused or read-only-refused
token, a bad date, an agreement the caller may not see — goes to the DRF action
(``AgreementViewSet.balance``), which answers it as everywhere else in the API. So no
rule is decided here that the action does not decide the same way; this only skips the
request wrapping, content negotiation and rendering that cost about as much as the
query itself.

One round trip per call: the token lookup and the balance's query go to the database as
one statement (``fetched_together``). The balance's query depends on the caller's scope,
which only the token's roles tell; it is sent for the scope the same token had on its
last call in this process (``_SCOPES``), a guess of the query's *shape*, never trusted:
the roles read in that same statement decide the caller's scope, and the selector takes
the rows only if that scope is the one guessed (else it queries, as on a first call).
Nothing about who the caller is, or what they may see, is kept between calls.
"""

from functools import lru_cache
from types import SimpleNamespace

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions

from agreements.api.serializers import AsOfSerializer
from agreements.api.views import AgreementViewSet, _tagged, balance_of_one, balance_of_one_queries
from agreements.models import party_scope_key
from icp_portal.lib.prepared import fetched_together
from organizations.api.authentication import ApiTokenAuthentication

_ACTION = AgreementViewSet.as_view({"get": "balance"}, detail=True)
# What DRF writes on this action's answers (compact JSON, UTF-8; the methods allowed).
_JSON = {"separators": (",", ":"), "ensure_ascii": False, "allow_nan": False}
_ALLOW = "GET, HEAD, OPTIONS"
_AS_OF = AsOfSerializer().fields["as_of"]
# Token key → the scope (``party_scope_key``) of its last call here: which query to send
# with the token lookup next time. Bounded: emptied when full (a miss costs one query).
_SCOPES: dict[str, str] = {}
_SCOPES_KEPT = 10_000


@lru_cache(maxsize=512)  # a client polls a few dates; a refused one raises, and is not kept
def _date(text: str):
    """The serializer's own field (its formats and messages), without the serializer."""
    return _AS_OF.run_validation(text)


@csrf_exempt  # as DRF's views are: a token call carries no cookie to forge
def agreement_balance(request, pk: int):
    if request.method == "GET" and request.META.get("HTTP_AUTHORIZATION"):
        response = _answer(request, pk)
        if response is not None:
            return response
    return _ACTION(request, pk=pk)


def _answer(request, pk: int) -> HttpResponse | None:
    """The answer when every check passes, else None (the DRF action answers)."""
    if AgreementViewSet.throttle_classes:
        return None  # throttling is DRF's to count
    if "as_of" in request.GET:
        try:
            as_of = _date(request.GET["as_of"])
        except exceptions.ValidationError:
            return None
    else:
        as_of = timezone.localdate()
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH", "")
    lookup = ApiTokenAuthentication.lookup(request)
    if lookup is None:
        return None
    sent, key, token_query = lookup
    ahead = [token_query]
    if key in _SCOPES:
        guess = _SCOPES[key]
        ahead += balance_of_one_queries(
            scope=guess, pk=pk, as_of=as_of, if_none_match=if_none_match
        )
    with fetched_together(*ahead):
        try:  # (what ``authenticate`` does once the header is parsed, as ``lookup`` did)
            user, token = ApiTokenAuthentication().authenticate_credentials(sent)
        except exceptions.APIException:
            return None
        if len(_SCOPES) >= _SCOPES_KEPT:
            _SCOPES.clear()
        _SCOPES[key] = party_scope_key(user)
        view = AgreementViewSet(action="balance", kwargs={"pk": pk}, request=None)
        asked = SimpleNamespace(method=request.method, user=user, auth=token)
        if not all(p.has_permission(asked, view) for p in view.get_permissions()):
            return None
        found = balance_of_one(user=user, pk=pk, as_of=as_of, if_none_match=if_none_match)
    if found is None:
        return None
    request.user = user  # as DRF does, for the middleware after the view
    etag, body = found
    response = (
        HttpResponse(status=304) if body is None else JsonResponse(body, json_dumps_params=_JSON)
    )
    response["Allow"] = _ALLOW
    return _tagged(response, etag)
