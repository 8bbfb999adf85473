"""Serializers of parties and people (api.md "Parties"): they validate, services write."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.choices import Field, Language, MembershipRole, OfficialOf, ReviewerKind
from organizations.models import Membership, Notification, Organization, ReviewerProfile, User


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "name_zh",
            "name_en",
            "country",
            "profit_making",
            "defence_industry",
            "bad_record",
            "fee_blocked",
            "barred",
        ]
        read_only_fields = ["fee_blocked"]


class _NewPersonSerializer(serializers.Serializer):
    """Fields of a person the office invites (a one-time link to set a password)."""

    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField()
    name = serializers.CharField(max_length=150)
    language = serializers.ChoiceField(Language.choices, default=Language.ZH_HANT)

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError(_("This username is already taken."))
        return value


class MemberSerializer(_NewPersonSerializer):
    id = serializers.IntegerField(read_only=True)
    role = serializers.ChoiceField(MembershipRole.choices, default=MembershipRole.MEMBER)

    def to_representation(self, membership: Membership):
        user = membership.user
        return {
            "id": membership.pk,
            "username": user.username,
            "email": user.email,
            "name": user.display_name,
            "role": membership.role,
        }


class ReviewerSerializer(_NewPersonSerializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(ReviewerKind.choices)
    official_of = serializers.ChoiceField(
        OfficialOf.choices, required=False, allow_blank=True, default=""
    )
    affiliation = serializers.CharField(max_length=200)
    fields = serializers.ListField(child=serializers.ChoiceField(Field.choices), default=list)
    active = serializers.BooleanField(default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # On update the username is fixed and the rest is optional.
            self.fields["username"].read_only = True
            self.fields["language"].read_only = True

    def to_representation(self, profile: ReviewerProfile):
        user = profile.user
        return {
            "id": profile.pk,
            "username": user.username,
            "email": user.email,
            "name": user.display_name,
            "kind": profile.kind,
            "official_of": profile.official_of,
            "affiliation": profile.affiliation,
            "fields": list(profile.fields),
            "active": profile.active,
        }


class NotificationSerializer(serializers.ModelSerializer):
    """A notice of the caller's inbox; ``link`` is the portal page (path) it is about."""

    unread = serializers.BooleanField(source="is_unread", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "link", "created_at", "read_at", "unread"]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read.")
