"""Pages for signing in, the home pages by role, parties, people and API keys.

Views are thin: they pick the object through a selector (404 outside the user's
scope), validate with a form and call a service.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from icp_portal.lib.forms import apply_service_errors
from icp_portal.lib.workflow import OFFICE
from icp_portal.lib.xlsx import xlsx_response
from organizations import selectors, services
from organizations.choices import PortalRole
from organizations.decorators import office_required, role_required
from organizations.filtersets import OrganizationFilterSet, ReviewerFilterSet
from organizations.forms import (
    ApiTokenForm,
    MemberInviteForm,
    OrganizationForm,
    ReviewerForm,
)
from organizations.models import ApiToken, Notification, Organization
from organizations.policy import portal_roles, require_office

HOME_URL_BY_ROLE = {
    PortalRole.OFFICE: "home_office",
    PortalRole.CONTRACTOR: "home_contractor",
    PortalRole.REVIEWER: "home_reviewer",
    PortalRole.PROPOSER: "home_proposer",
    PortalRole.RECIPIENT: "home_recipient",
    PortalRole.AGENCY: "home_agency",
    PortalRole.NONE: "home_organization",
}


# --- Sign-in --------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Sign in; the page then follows the person's preferred language."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        if check_for_language(language):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation's one-time link: choose a password (the link dies once used)."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("set_password_done")


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "registration/set_password_done.html"


@login_not_required
@require_POST
def switch_language(request):
    """Django's set_language (cookie), plus the signed-in person's saved preference."""
    language = request.POST.get("language", "")
    if check_for_language(language) and request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    return set_language(request)


@login_not_required
def healthz(request):
    """Liveness for the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- Home pages -----------------------------------------------------------------------


def home(request):
    """Send each person to the home page of their role."""
    return redirect(HOME_URL_BY_ROLE[selectors.user_role(user=request.user)])


@role_required(PortalRole.RECIPIENT, PortalRole.AGENCY, PortalRole.NONE)
def home_organization(request):
    """The home of a domestic recipient's or an agency's member (and of a person the
    portal has no role for yet); the other roles have homes of their own."""
    membership = selectors.user_membership(user=request.user)
    return render(
        request,
        "home/organization.html",
        {"organization": membership.organization if membership else None},
    )


# --- Parties --------------------------------------------------------------------------


def _organization_list_xlsx(queryset):
    """The listed parties (filters applied) as a worksheet, with the page's flags and
    member count (annotated by the selector)."""
    return xlsx_response(
        filename="organizations.xlsx",
        sheet=_("Organizations"),
        headers=[
            _("Kind"),
            _("Name (Chinese)"),
            _("Name (English)"),
            _("Country"),
            _("Profit-making"),
            _("Defence industry"),
            _("Bad record"),
            _("Barred"),
            _("Fee-blocked"),
            _("People"),
        ],
        rows=(
            [
                organization.get_kind_display(),
                organization.name_zh,
                organization.name_en,
                organization.country,
                organization.profit_making,
                organization.defence_industry,
                organization.bad_record,
                organization.barred,
                organization.fee_blocked,
                organization.member_count,
            ]
            for organization in queryset
        ),
    )


def organization_list(request):
    filterset = OrganizationFilterSet(
        request.GET or None, queryset=selectors.organization_list(user=request.user)
    )
    if request.GET.get("format") == "xlsx":
        return _organization_list_xlsx(filterset.qs)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organizations/list.html",
        {"filterset": filterset, "organizations": filterset.qs, "query": query.urlencode()},
    )


def organization_detail(request, pk):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    can_see_members = selectors.organization_can_see_members(
        user=request.user, organization=organization
    )
    invite_form = MemberInviteForm(prefix="invite")
    if request.method == "POST":
        require_office(request.user)  # the service's own rule, asked before the input
        invite_form = MemberInviteForm(request.POST, prefix="invite")
        if invite_form.is_valid():
            try:
                membership = services.member_invite(
                    organization=organization, actor=request.user, **invite_form.cleaned_data
                )
            except ValidationError as exc:
                apply_service_errors(exc=exc, form=invite_form)
            else:
                messages.success(
                    request,
                    _("%(name)s was invited; the link to set a password was e-mailed to %(email)s.")
                    % {"name": membership.user.display_name, "email": membership.user.email},
                )
                return redirect("organization_detail", pk=organization.pk)
    context = {
        "organization": organization,
        "members": selectors.organization_members(organization=organization)
        if can_see_members
        else None,
        "invite_form": invite_form,
        "can_invite": OFFICE in portal_roles(request.user),
    }
    return render(request, "organizations/detail.html", context)


@office_required
def organization_create(request):
    return _organization_form(request, None)


def organization_edit(request, pk):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    require_office(request.user)  # visibility first: another contractor is 404
    return _organization_form(request, organization)


def _organization_form(request, organization):
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if organization is None:
                organization = services.organization_create(actor=request.user, **data)
            else:
                # Work on a fresh copy: the form has already set the instance's fields.
                fresh = Organization.objects.get(pk=organization.pk)
                organization = services.organization_update(
                    organization=fresh, actor=request.user, **data
                )
        except ValidationError as exc:
            apply_service_errors(exc=exc, form=form)
        else:
            messages.success(request, _("Saved."))
            return redirect("organization_detail", pk=organization.pk)
    return render(request, "organizations/form.html", {"form": form, "organization": organization})


# --- Reviewer pool --------------------------------------------------------------------


@office_required
def reviewer_list(request):
    filterset = ReviewerFilterSet(
        request.GET or None, queryset=selectors.reviewer_list(user=request.user)
    )
    return render(
        request,
        "organizations/reviewer_list.html",
        {"filterset": filterset, "reviewers": filterset.qs},
    )


@office_required
def reviewer_create(request):
    form = ReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.reviewer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(exc=exc, form=form)
        else:
            messages.success(
                request,
                _("%(name)s joined the reviewer pool; an invitation was e-mailed.")
                % {"name": profile.user.display_name},
            )
            return redirect("reviewer_list")
    return render(request, "organizations/reviewer_form.html", {"form": form})


# --- API keys -------------------------------------------------------------------------


def api_tokens(request):
    """A person's own API keys: issue one (shown once), see and revoke them."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_issue(
            user=request.user, actor=request.user, **form.cleaned_data
        )
        form = ApiTokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": selectors.api_tokens_of(user=request.user),
        "api_docs_url": reverse("swagger-ui"),
    }
    return render(request, "organizations/api_tokens.html", context)


def api_token_revoke(request, key):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    token = get_object_or_404(ApiToken, user=request.user, token_key=key)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The API key was revoked."))
    return redirect("api_tokens")


# --- The inbox ----------------------------------------------------------------------------

INBOX_PAGE_SIZE = 25


def _safe_path(request, path: str, fallback: str) -> str:
    """``path`` if it stays on this portal, else ``fallback`` (no open redirect)."""
    if path and url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return path
    return fallback


def inbox(request):
    """The person's own notices (通知), newest first: all of them or only the unread."""
    unread_only = request.GET.get("unread") == "true"
    notifications = selectors.notification_list(user=request.user, filters=request.GET)
    page = Paginator(notifications, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "unread_only": unread_only, "query": query.urlencode()}
    return render(request, "organizations/inbox.html", context)


@require_POST
def inbox_open(request, pk):
    """Open a notice: it is marked read, then the person goes to the page it is about
    (``go=back``: stays on the inbox page they came from). A POST, never a GET: reading
    the list or following a prefetched link must not mark anything read."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    inbox_url = reverse("inbox")
    if request.POST.get("go") == "back":
        return redirect(_safe_path(request, request.POST.get("back", ""), inbox_url))
    return redirect(_safe_path(request, notification.link, inbox_url))


@require_POST
def inbox_read_all(request):
    """Mark every unread notice of the person's inbox read."""
    marked = services.notifications_mark_all_read(actor=request.user)
    if marked:
        messages.success(request, _("All notifications are marked read."))
    return redirect(_safe_path(request, request.POST.get("back", ""), reverse("inbox")))
