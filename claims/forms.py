"""HTML forms for the claim pages; they only parse. The services decide."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims import rules
from core.fields import JalaliDateFormField
from core.text import to_persian_digits
from core.uploads import private_upload_clean
from core.validators import MAX_AMOUNT_RIAL
from policies.forms import RialField


class TomanField(RialField):
    """A customer types money in toman, as every page shows it; the services keep rial."""

    echo_toman = False  # already typed in toman: no rial → toman echo under the input
    max_value = MAX_AMOUNT_RIAL // 10  # typed in toman; the rial amount stays within MAX_AMOUNT_RIAL

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("به تومان"))
        super().__init__(**kwargs)

    def to_python(self, value):
        number = super().to_python(value)
        return None if number is None else number * 10


def _cause_choices(lines=None):
    names = {
        rules.FIRE: _("آتش‌سوزی"),
        rules.BODY: _("بدنه"),
        rules.THIRD_PARTY: _("شخص ثالث"),
        rules.TRAVEL: _("مسافرتی"),
        rules.ELECTRONICS: _("تجهیزات الکترونیک"),
        rules.OTHER: _("سایر"),
    }
    groups = [(line, causes) for line, causes in rules.CAUSES.items() if lines is None or line in lines]
    if len(groups) == 1:  # one line: no group headings to read through
        return [("", _("— انتخاب کنید —"))] + [(cause.code, cause.label) for cause in groups[0][1]]
    return [("", _("— انتخاب کنید —"))] + [
        (names[line], [(cause.code, cause.label) for cause in causes]) for line, causes in groups
    ]


def _policy_lines(policies):
    return {policy.line.code if policy.line.code in rules.CAUSES else rules.OTHER for policy in policies}


def _policy_label(policy) -> str:
    """The number first: a phone shows only the start of a select, and a customer's policies
    often share the line and the insurer (three 'آتش‌سوزی — بیمه ایران — …' looked the same)."""
    return gettext("%(number)s — %(line)s، %(insurer)s") % {
        "number": to_persian_digits(policy.number),
        "line": policy.line.name,
        "insurer": policy.insurer.name,
    }


class ClaimFileForm(forms.Form):
    policy = forms.TypedChoiceField(label=_("بیمه‌نامه"), coerce=int)
    cause = forms.ChoiceField(label=_("علت حادثه"), required=False)
    occurred_on = JalaliDateFormField(label=_("تاریخ حادثه"))
    estimated_loss = TomanField(label=_("برآورد شما از خسارت"))
    description = forms.CharField(label=_("شرح حادثه"), widget=forms.Textarea(attrs={"rows": 4}))
    loss_address = forms.CharField(
        label=_("نشانی محل حادثه (آتش‌سوزی)"),
        required=False,
        max_length=300,
        help_text=_("باید همان نشانی بیمه‌نامه (یا نشانی الحاقیه تغییر نشانی) باشد."),
    )
    discharged_on = JalaliDateFormField(
        label=_("تاریخ ترخیص از بیمارستان (بستری در سفر، اگر ترخیص شده‌اید)"),
        required=False,
        help_text=_("بستری را تا ۵ روز و پیش از ترخیص اعلام کنید؛ اعلام پس از ترخیص با تأخیر ثبت می‌شود."),
    )
    theft_reported_on = JalaliDateFormField(
        label=_("تاریخ اعلام سرقت به پلیس (فقط سرقت کلی خودرو)"),
        required=False,
        help_text=_("خسارت سرقت کلی وقتی پرداخت می‌شود که خودرو تا ۶۰ روز پس از این تاریخ پیدا نشود."),
    )

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [(policy.pk, _policy_label(policy)) for policy in policies]
        self.fields["cause"].choices = _cause_choices(_policy_lines(policies))


class ClaimDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("نوع مدرک"))
    file = forms.FileField(label=_("فایل (JPEG، PNG یا PDF، حداکثر ۵ مگابایت)"))

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list((kinds or {}).items())

    def clean_file(self):
        return private_upload_clean(self.cleaned_data["file"])


class EstimateForm(forms.Form):
    policy = forms.TypedChoiceField(label=_("بیمه‌نامه"), coerce=int)
    cause = forms.ChoiceField(label=_("علت حادثه"), required=False)
    occurred_on = JalaliDateFormField(label=_("تاریخ حادثه"), required=False)
    loss = TomanField(label=_("مبلغ خسارت"))
    actual_value = TomanField(label=_("ارزش واقعی روز مورد بیمه"), required=False)
    salvage = TomanField(label=_("ارزش بازیافت (سالم‌مانده)"), required=False)
    depreciation = TomanField(label=_("استهلاک (به جز تجهیزات الکترونیک)"), required=False)
    young_or_new_driver = forms.BooleanField(
        label=_("راننده زیر ۲۵ سال یا با سابقه رانندگی کمتر از ۳ سال (بدنه)"), required=False
    )

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [(policy.pk, _policy_label(policy)) for policy in policies]
        self.fields["cause"].choices = _cause_choices(_policy_lines(policies))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("دلیل رد"), widget=forms.Textarea(attrs={"rows": 3}))


class AssessForm(forms.Form):
    assessed_loss = RialField(label=_("خسارت ارزیابی‌شده"))
    actual_value = RialField(label=_("ارزش واقعی مورد بیمه"), required=False)
    salvage = RialField(label=_("ارزش بازیافت"), required=False)
    depreciation = RialField(label=_("استهلاک"), required=False)
    invoice_value = RialField(label=_("مبلغ فاکتور خرید (الکترونیک)"), required=False)
    young_or_new_driver = forms.BooleanField(label=_("راننده زیر ۲۵ سال یا سابقه کمتر از ۳ سال"), required=False)
    accessories_loss = RialField(label=_("سهم لوازم جانبی و مصرفی از خسارت (الکترونیک؛ تحت پوشش نیست)"), required=False)
    driver_violation = forms.ChoiceField(label=_("تخلف حادثه‌ساز راننده مقصر (شخص ثالث)"), required=False)
    mitigation_cost = RialField(label=_("هزینه جلوگیری از توسعه خسارت (آتش‌سوزی، ماده ۱۱)"), required=False)
    debris_removal_cost = RialField(label=_("هزینه پاکسازی و برداشت ضایعات (آتش‌سوزی، با پوشش آن)"), required=False)
    diyeh = RialField(label=_("دیه فوت (شخص ثالث، بخشی از خسارت ارزیابی‌شده)"), required=False)
    died_on = JalaliDateFormField(label=_("تاریخ فوت"), required=False)
    insured_fault_percent = forms.IntegerField(
        label=_("سهم تقصیر بیمه‌گذار، درصد (آتش‌سوزی، ماده ۲۷)"), required=False, min_value=0, max_value=100
    )
    settlement = forms.ChoiceField(label=_("نحوه جبران (تجهیزات الکترونیک)"), required=False)
    note = forms.CharField(label=_("گزارش ارزیاب"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver_violation"].choices = [
            ("", _("— بدون تخلف حادثه‌ساز —")),
            (_("بازیافت ۱٪ خسارت بدنی / ۲٪ خسارت مالی"), list(rules.DRIVER_VIOLATIONS.items())),
            (_("بازیافت تمام مبلغ پرداختی"), list(rules.DRIVER_FULL_RECOVERY_GROUNDS.items())),
        ]
        self.fields["settlement"].choices = [("", _("— تعیین نشده —")), *rules.SETTLEMENTS.items()]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "assessed_loss": data["assessed_loss"],
            "actual_value": data.get("actual_value"),
            "salvage": data.get("salvage") or 0,
            "depreciation": data.get("depreciation") or 0,
            "invoice_value": data.get("invoice_value"),
            "young_or_new_driver": data.get("young_or_new_driver", False),
            "accessories_loss": data.get("accessories_loss") or 0,
            "driver_violation": data.get("driver_violation") or "",
            "mitigation_cost": data.get("mitigation_cost") or 0,
            "debris_removal_cost": data.get("debris_removal_cost") or 0,
            "diyeh": data.get("diyeh") or 0,
            "died_on": data.get("died_on"),
            "insured_fault_percent": data.get("insured_fault_percent") or 0,
            "settlement": data.get("settlement") or "",
            "note": data.get("note") or "",
        }


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("دلیل اعتراض به ارزیابی"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PanelForm(forms.Form):
    insurer_expert = forms.CharField(label=_("کارشناس منتخب بیمه‌گر"), required=False, max_length=120)
    insured_expert = forms.CharField(label=_("کارشناس منتخب بیمه‌گذار"), required=False, max_length=120)
    third_expert = forms.CharField(label=_("کارشناس سوم (به انتخاب دو کارشناس)"), required=False, max_length=120)
    assessed_loss = RialField(label=_("خسارت تعیین‌شده هیئت"))
    note = forms.CharField(label=_("رأی هیئت"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "insurer_expert": data.get("insurer_expert") or "",
            "insured_expert": data.get("insured_expert") or "",
            "third_expert": data.get("third_expert") or "",
            "assessed_loss": data["assessed_loss"],
            "note": data.get("note") or "",
        }


class DayForm(forms.Form):
    on = JalaliDateFormField(label=_("تاریخ"))

    def service_kwargs(self) -> dict:
        return {"on": self.cleaned_data["on"]}


class VehicleFoundForm(forms.Form):
    found_on = JalaliDateFormField(label=_("تاریخ پیدا شدن خودرو"))

    def service_kwargs(self) -> dict:
        return {"found_on": self.cleaned_data["found_on"]}


class VehicleSoldForm(forms.Form):
    sale_price = RialField(label=_("بهای فروش خودرو"))

    def service_kwargs(self) -> dict:
        return {"sale_price": self.cleaned_data["sale_price"]}


class DeclarationRequireForm(forms.Form):
    reason = forms.CharField(
        label=_("دلیل (سابقه کیفری بیمه‌گذار یا احتمال آن)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data.get("reason") or ""}


class DeclarationRecordForm(forms.Form):
    on = JalaliDateFormField(label=_("تاریخ ثبت اقرارنامه"))
    reference = forms.CharField(label=_("شماره ثبت در دفترخانه"), required=False, max_length=60)

    def service_kwargs(self) -> dict:
        return {"on": self.cleaned_data["on"], "reference": self.cleaned_data.get("reference") or ""}


class StagedForm(forms.Form):
    reason = forms.CharField(
        label=_("دلیل اثبات صحنه‌سازی (رأی یا گزارش)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data.get("reason") or ""}


class FraudVoidForm(forms.Form):
    reason = forms.CharField(
        label=_("دلیل اثبات تقلب (بیمه عمدی بیش از ارزش واقعی)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data.get("reason") or ""}


class ReferenceForm(forms.Form):
    reference = forms.CharField(label=_("شماره مجوز / پیگیری"), required=False, max_length=60)


class ExclusionForm(forms.Form):
    """The exclusion the assessor found; the service checks it belongs to the claim's line."""

    exclusion = forms.ChoiceField(label=_("استثنای بیمه‌نامه"))
    note = forms.CharField(label=_("توضیح ارزیاب"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = {rules.BODY: _("بدنه"), rules.ELECTRONICS: _("تجهیزات الکترونیک (موارد ابطال و استثنا)")}
        self.fields["exclusion"].choices = [("", _("— انتخاب کنید —"))] + [
            (names[line], [(each.code, each.label) for each in exclusions])
            for line, exclusions in rules.EXCLUSIONS.items()
        ]

    def service_kwargs(self) -> dict:
        return {"exclusion": self.cleaned_data["exclusion"], "note": self.cleaned_data.get("note") or ""}
