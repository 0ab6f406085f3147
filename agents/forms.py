"""Browser forms for the onboarding wizard; parsing shared with the API (agents.validation)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.validation import normalize_phone, normalize_postal_code
from agents.selectors import plan_list
from agents.validation import (
    clean_text,
    parse_agency_code,
    parse_future_date,
    parse_licence_number,
)
from core.uploads import private_upload_clean
from core.validators import LICENCE_EXPIRY_DATES, MAX_INT
from insurers.models import Insurer, Province

_DIGITS = {"inputmode": "numeric", "dir": "ltr", "data-latin-digits": ""}


class BootstrapForm(forms.Form):
    """Gives every widget its Bootstrap class, so templates stay plain `{{ field }}`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class AgentRegisterForm(BootstrapForm):
    insurer = forms.ModelChoiceField(
        label=_("بیمه‌گر"), queryset=Insurer.objects.filter(is_active=True), empty_label=_("انتخاب کنید")
    )
    agency_code = forms.CharField(label=_("کد نمایندگی"), max_length=40, widget=forms.TextInput(attrs={"dir": "ltr"}))
    agency_name = forms.CharField(label=_("نام نمایندگی"), max_length=120)
    province = forms.ModelChoiceField(label=_("استان"), queryset=Province.objects.all(), empty_label=_("انتخاب کنید"))
    city = forms.CharField(label=_("شهر"), max_length=60)
    postal_address = forms.CharField(label=_("نشانی پستی"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    postal_code = forms.CharField(label=_("کد پستی"), max_length=20, widget=forms.TextInput(attrs=_DIGITS))
    office_phone = forms.CharField(
        label=_("تلفن دفتر"), max_length=20, help_text=_("با کد شهر"), widget=forms.TextInput(attrs=_DIGITS)
    )

    def clean_agency_code(self):
        return parse_agency_code(self.cleaned_data["agency_code"])

    def clean_agency_name(self):
        return clean_text(self.cleaned_data["agency_name"])

    def clean_city(self):
        return clean_text(self.cleaned_data["city"])

    def clean_postal_address(self):
        return clean_text(self.cleaned_data["postal_address"])

    def clean_postal_code(self):
        return normalize_postal_code(self.cleaned_data["postal_code"])

    def clean_office_phone(self):
        return normalize_phone(self.cleaned_data["office_phone"])


class TermsAcceptForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)
    plan = forms.ChoiceField(label=_("نوع اشتراک"), widget=forms.RadioSelect)
    accept = forms.BooleanField(label=_("مقررات و ضوابط پرداخت را خواندم و می‌پذیرم."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = {plan.code: plan for plan in plan_list()}
        self.fields["plan"].choices = [(plan.code, plan.title) for plan in self.plans.values()]

    def clean_plan(self):
        return self.plans[self.cleaned_data["plan"]]


class DocumentsForm(BootstrapForm):
    licence_image = forms.FileField(
        label=_("تصویر اصل پروانه فعالیت"),
        help_text=_("JPEG، PNG یا PDF، حداکثر ۵ مگابایت"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    licence_number = forms.CharField(
        label=_("شماره پروانه"), max_length=40, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    licence_expires_on = forms.CharField(
        label=_("تاریخ انقضای پروانه"),
        help_text=_("به تاریخ شمسی، مثلاً ۱۴۰۵/۰۸/۳۰"),
        widget=forms.TextInput(attrs={**_DIGITS, "placeholder": "1405/08/30"}),
    )
    service_provinces = forms.ModelMultipleChoiceField(
        label=_("استان‌های محل خدمت"),
        queryset=Province.objects.all(),
        required=False,
        help_text=_("اگر انتخاب نکنید، استان دفتر شما در نظر گرفته می‌شود."),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_licence_image(self):
        return private_upload_clean(self.cleaned_data["licence_image"])

    def clean_licence_number(self):
        return parse_licence_number(self.cleaned_data["licence_number"])

    def clean_licence_expires_on(self):
        return LICENCE_EXPIRY_DATES.check(parse_future_date(self.cleaned_data["licence_expires_on"]))


class RejectForm(forms.Form):
    """The admin's intermediate page for rejecting agents: a reason is required."""

    reason = forms.CharField(
        label=_("دلیل رد"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("این متن با پیامک برای نماینده فرستاده می‌شود."),
        max_length=1000,
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("دلیل رد را بنویسید."))
        return reason
