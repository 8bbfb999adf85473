"""API views of parties and people: thin, visibility by selector, writes by service."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from organizations import selectors, services
from organizations.api.permissions import StaffWritePermission
from organizations.api.serializers import (
    MarkedSerializer,
    MemberSerializer,
    NotificationSerializer,
    OrganizationSerializer,
    ReviewerSerializer,
)
from organizations.filtersets import (
    NotificationFilterSet,
    OrganizationFilterSet,
    ReviewerFilterSet,
)
from organizations.models import Notification, Organization, ReviewerProfile
from organizations.policy import require_office


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Parties of the program. Everyone signed in reads what they may see; staff write."""

    lookup_value_regex = r"\d+"

    serializer_class = OrganizationSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, StaffWritePermission]
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name_zh", "name_en", "kind", "country", "id"]
    ordering = ["kind", "name_en"]

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.organization_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.organization_update(
            organization=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(methods=["GET"], responses=MemberSerializer(many=True))
    @extend_schema(methods=["POST"], request=MemberSerializer, responses={201: MemberSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=MemberSerializer,
        filter_backends=[],  # the organizations' filters are not this list's
    )
    def members(self, request, pk=None):
        """The organization's people: managers and staff read; staff add (with invitation)."""
        organization = self.get_object()
        if request.method == "POST":
            require_office(request.user)  # the service's own rule, asked before the body
            serializer = MemberSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            membership = services.member_invite(
                organization=organization, actor=request.user, **serializer.validated_data
            )
            return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)
        if not selectors.organization_can_see_members(user=request.user, organization=organization):
            raise PermissionDenied()
        members = selectors.organization_members(organization=organization)
        page = self.paginate_queryset(members)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)


class ReviewerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The reviewer pool (審查委員庫); staff maintain it, a reviewer reads their own row."""

    lookup_value_regex = r"\d+"

    serializer_class = ReviewerSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, StaffWritePermission]
    filterset_class = ReviewerFilterSet
    ordering_fields = ["user__username", "kind", "affiliation", "id"]
    ordering = ["user__username"]

    def get_queryset(self):
        return ReviewerProfile.objects.visible_to(self.request.user).select_related("user")

    def perform_create(self, serializer):
        serializer.instance = services.reviewer_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("username", None)
        data.pop("language", None)
        serializer.instance = services.reviewer_update(
            profile=serializer.instance, actor=self.request.user, **data
        )


class NotificationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own inbox (通知), newest first; another person's notice is 404."""

    lookup_value_regex = r"\d+"

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, pk=None):
        """Mark the notice read (it keeps the time it was first read)."""
        notification = services.notification_mark_read(
            notification=self.get_object(), actor=request.user
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        """Mark every unread notice of the caller's inbox read."""
        marked = services.notifications_mark_all_read(actor=request.user)
        return Response({"marked": marked})
