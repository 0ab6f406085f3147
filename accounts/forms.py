from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import IdentityChangeRequest, SupportTicket
from accounts.validation import normalize_mobile, normalize_national_code, normalize_postal_code
from core.fields import JalaliDateFormField, JalaliDateInput, NormalizedFormField
from core.text import to_latin_digits
from core.validators import BIRTH_DATES
from insurers.models import Province

_DIGITS = {"inputmode": "numeric", "data-latin-digits": "", "dir": "ltr", "autocomplete": "off"}


class MobileField(NormalizedFormField):
    def __init__(self, **kwargs):
        super().__init__(
            normalizer=normalize_mobile,
            label=gettext("شماره موبایل"),
            max_length=20,
            widget=forms.TextInput(attrs={**_DIGITS, "placeholder": gettext("۰۹۱۲۱۲۳۴۵۶۷"), "autocomplete": "tel"}),
            **kwargs,
        )


class RegisterForm(forms.Form):
    first_name = forms.CharField(label=_("نام"), max_length=60)
    last_name = forms.CharField(label=_("نام خانوادگی"), max_length=80)
    national_code = NormalizedFormField(
        normalizer=normalize_national_code, label=_("کد ملی"), max_length=14, widget=forms.TextInput(attrs=_DIGITS)
    )
    mobile = MobileField()


class SignInForm(forms.Form):
    mobile = MobileField()


class SignUpCompleteForm(forms.Form):
    """The short sign-up after a new number's first code: validated as RegisterForm is."""

    first_name = forms.CharField(label=_("نام"), max_length=60)
    last_name = forms.CharField(label=_("نام خانوادگی"), max_length=80)
    national_code = NormalizedFormField(
        normalizer=normalize_national_code, label=_("کد ملی"), max_length=14, widget=forms.TextInput(attrs=_DIGITS)
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("کد تأیید"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={**_DIGITS, "class": "form-control otp-input", "autocomplete": "one-time-code", "autofocus": ""}
        ),
    )

    def clean_code(self):
        code = to_latin_digits(self.cleaned_data["code"]).strip()
        if not code.isdigit():
            raise forms.ValidationError(gettext("کد تأیید فقط شامل رقم است."))
        return code


class ProfileForm(forms.Form):
    """Self-service fields; an identity field is only offered while it is still empty.

    A plain Form, not a ModelForm: validation must not write into the user object before
    the service has decided what may change.
    """

    # The shared placeholder is a recent date; as a birth date it reads like a wrong prefilled value.
    birth_date = JalaliDateFormField(
        label=_("تاریخ تولد"),
        required=False,
        window=BIRTH_DATES,
        widget=JalaliDateInput(attrs={"placeholder": _("مثلاً ۱۳۶۸/۰۶/۱۵")}),
    )
    email = forms.EmailField(label=_("ایمیل"), required=False)
    province = forms.ModelChoiceField(
        Province.objects.all(), label=_("استان"), required=False, empty_label=_("انتخاب کنید")
    )
    city = forms.CharField(label=_("شهر"), max_length=60, required=False)
    postal_address = forms.CharField(label=_("نشانی پستی"), max_length=300, required=False)
    postal_code = NormalizedFormField(
        normalizer=normalize_postal_code, label=_("کد پستی"), required=False, widget=forms.TextInput(attrs=_DIGITS)
    )

    def __init__(self, *args, user, locked=(), **kwargs):
        initial = {name: getattr(user, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)
        for name in locked:
            self.fields.pop(name, None)


class IdentityChangeForm(forms.Form):
    field = forms.ChoiceField(label=_("مورد"), choices=IdentityChangeRequest.Field.choices)
    new_value = forms.CharField(label=_("مقدار درست"), max_length=120)
    reason = forms.CharField(label=_("دلیل تغییر"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class TicketForm(forms.Form):
    category = forms.ChoiceField(label=_("موضوع"), choices=SupportTicket.Category.choices)
    subject = forms.CharField(label=_("عنوان"), max_length=150)
    body = forms.CharField(label=_("متن پیام"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)


class TicketMessageForm(forms.Form):
    body = forms.CharField(label=_("پیام شما"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
