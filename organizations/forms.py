"""Forms of parties and people: they validate input; services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.choices import Field, Language, MembershipRole, OfficialOf, ReviewerKind
from organizations.models import Organization, User


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "kind",
            "name_zh",
            "name_en",
            "country",
            "profit_making",
            "defence_industry",
            "bad_record",
            "barred",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").strip().upper()


class PersonForm(forms.Form):
    """A person the office invites: they receive a one-time link to set a password."""

    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": _("Letters, digits and @ . + - _ only.")},
    )
    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, initial=Language.ZH_HANT
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username


class MemberInviteForm(PersonForm):
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )


class ReviewerForm(PersonForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReviewerKind.choices)
    official_of = forms.ChoiceField(
        label=_("Official of"),
        choices=[("", "—"), *OfficialOf.choices],
        required=False,
        help_text=_("For officials: the IDB or the Department of Industrial Technology."),
    )
    affiliation = forms.CharField(label=_("Affiliation"), max_length=200)
    fields = forms.MultipleChoiceField(
        label=_("Fields"),
        choices=Field.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    read_only = forms.BooleanField(label=_("Read-only"), required=False, initial=True)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=3650, initial=365)
