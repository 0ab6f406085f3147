"""HTML forms for the policy pages; they only parse. The services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.fields import JalaliDateFormField
from core.templatetags.persian import toman
from core.text import PERSIAN_COMMA, THOUSANDS_SEPARATOR, group_thousands, to_latin_digits, to_persian_digits
from core.uploads import private_upload_clean
from core.validators import MAX_AMOUNT_RIAL
from insurers.models import InsuranceLine
from policies import issue_rules, rules
from policies.models import CapitalReview, Endorsement, Inspection, Policy
from pricing.core import limits

_DIGITS = {"inputmode": "numeric", "dir": "ltr", "data-latin-digits": ""}


def _checkboxes():
    # _form_fields.html draws each choice with `choice.tag`, which carries only the widget's
    # attrs: without the Bootstrap class a box sits glued to its label in RTL.
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class RialField(forms.CharField):
    """An amount in rial typed any usual way: Persian digits, thousands separators."""

    widget = forms.TextInput(attrs=_DIGITS)
    # Agents copy rial figures from the insurer's policy; the page echoes each in toman under
    # the input (data-rial, policy_form.js) so a missing or extra zero shows while typing.
    echo_toman = True

    # No amount beyond MAX_AMOUNT_RIAL either way: the columns are bigint (core.validators).
    max_value = MAX_AMOUNT_RIAL

    def __init__(self, *, min_value=0, allow_negative=False, **kwargs):
        self.min_value = min_value
        self.allow_negative = allow_negative
        kwargs.setdefault("help_text", _("به ریال"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.echo_toman:
            attrs["data-rial"] = ""
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = (
            to_latin_digits(value)
            .replace(",", "")
            .replace(THOUSANDS_SEPARATOR, "")
            .replace(PERSIAN_COMMA, "")
            .replace(" ", "")
        )
        text = text.replace("−", "-")
        try:
            number = int(text)
        except ValueError:
            raise ValidationError(_("مبلغ را فقط با رقم وارد کنید.")) from None
        if not self.allow_negative and number < self.min_value:
            raise ValidationError(_("مبلغ نمی‌تواند کمتر از %(min)s باشد.") % {"min": to_persian_digits(self.min_value)})
        if abs(number) > self.max_value:
            raise ValidationError(
                _("مبلغ نمی‌تواند بیشتر از %(max)s باشد.") % {"max": to_persian_digits(group_thousands(self.max_value))}
            )
        return number


def _fire_cover_choices():
    try:
        from pricing.selectors import tariff_snapshot

        table = tariff_snapshot().line(rules.FIRE).table("covers")
        return [(code, rate.label or code) for code, rate in table.items()]
    except Exception:
        return [(code, code) for code in sorted(rules.REINSPECTION_COVERS)]


class PolicyRecordForm(forms.Form):
    request = forms.TypedChoiceField(label=_("از درخواست پذیرفته‌شده"), required=False, coerce=int, empty_value=None)
    customer_mobile = forms.CharField(
        label=_("یا موبایل بیمه‌گذار (بدون درخواست)"), required=False, widget=forms.TextInput(attrs=_DIGITS)
    )
    line = forms.ChoiceField(label=_("رشته"))
    policy_number = forms.CharField(label=_("شماره بیمه‌نامه"), max_length=40, widget=forms.TextInput(attrs=_DIGITS))
    issued_on = JalaliDateFormField(label=_("تاریخ خرید/صدور"), required=False, help_text=_("خالی = امروز"))
    starts_on = JalaliDateFormField(label=_("تاریخ شروع"))
    ends_on = JalaliDateFormField(label=_("تاریخ پایان"))
    premium = RialField(label=_("حق‌بیمه"), min_value=1)
    sum_insured = RialField(label=_("سرمایه بیمه‌شده"), min_value=1)
    actual_value = RialField(label=_("ارزش واقعی مورد بیمه"), required=False)
    insured_items = forms.CharField(
        label=_("موارد بیمه‌شده"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("هر مورد در یک سطر به شکل «عنوان: ارزش به ریال»"),
    )
    property_type = forms.ChoiceField(
        label=_("نوع ملک (آتش‌سوزی)"),
        required=False,
        choices=[("residential", _("مسکونی")), ("commercial", _("تجاری و اداری")), ("industrial", _("صنعتی"))],
    )
    address = forms.CharField(label=_("نشانی مورد بیمه"), required=False, max_length=300)
    # The line limits a recorded policy is held to, as the quote is [004]: the car's age
    # (body), the kind of travel policy and so its longest term.
    build_year = forms.CharField(
        label=_("سال ساخت خودرو (شمسی، بدنه)"), required=False, max_length=4, widget=forms.TextInput(attrs=_DIGITS)
    )
    trip_type = forms.ChoiceField(
        label=_("نوع بیمه‌نامه مسافرتی"),
        required=False,
        choices=[
            (limits.SINGLE, _("تک‌سفره (حداکثر ۹۲ روز)")),
            (limits.MULTIPLE, _("چندسفره (یک سال از نخستین خروج)")),
            (limits.STUDENT, _("دانشجویی")),
        ],
        help_text=_("تاریخ شروع بیمه‌نامه مسافرتی، تاریخ خروج از کشور است."),
    )
    student_months = forms.TypedChoiceField(
        label=_("مدت بیمه دانشجویی"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (6, _("شش ماه")), (12, _("دوازده ماه"))],
    )
    covers = forms.MultipleChoiceField(label=_("خطرهای اضافی (آتش‌سوزی)"), required=False, widget=_checkboxes())
    payment_plan = forms.ChoiceField(label=_("نحوه پرداخت"), choices=Policy.PaymentPlan.choices)
    installments_count = forms.IntegerField(
        label=_("تعداد اقساط پس از پیش‌پرداخت"), required=False, min_value=1, max_value=rules.MAX_INSTALLMENTS
    )
    paid_on = JalaliDateFormField(
        label=_("تاریخ دریافت قسط اول/نقد"), required=False, help_text=_("تا پرداخت قسط اول، پوشش برقرار نیست.")
    )
    payment_reference = forms.CharField(label=_("شماره فیش/چک"), required=False, max_length=60)
    inspection_required = forms.BooleanField(label=_("بیمه‌گر بازدید را الزامی کرده است"), required=False)
    document = forms.FileField(label=_("فایل بیمه‌نامه (JPEG، PNG یا PDF)"), required=False)
    # The property's identity: the same property is not insured twice for one period [004].
    postal_code = forms.CharField(
        label=_("کد پستی مورد بیمه (آتش‌سوزی)"), required=False, max_length=20, widget=forms.TextInput(attrs=_DIGITS)
    )
    unit = forms.CharField(label=_("واحد (آتش‌سوزی، ساختمان چندواحدی)"), required=False, max_length=20)
    vin = forms.CharField(
        label=_("شماره شاسی (بدنه)"), required=False, max_length=30, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    plate = forms.CharField(label=_("شماره پلاک (بدنه)"), required=False, max_length=30)
    serial = forms.CharField(
        label=_("شماره سریال یا IMEI دستگاه (تجهیزات الکترونیک)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    partners = forms.CharField(
        label=_("شرکا و سهم هر یک (مالکیت مشترک)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("هر شریک در یک سطر به شکل «نام: سهم به درصد»؛ جمع سهم‌ها ۱۰۰ درصد."),
    )
    mortgaged = forms.BooleanField(label=_("مورد بیمه در رهن بانک است"), required=False)
    bank_letter = forms.FileField(
        label=_("نامه بانک (JPEG، PNG یا PDF)"),
        required=False,
        help_text=_("بیمه‌نامه مورد رهن تا پیوست نامه بانک صادر نمی‌شود."),
    )
    special_cases = forms.MultipleChoiceField(
        label=_("موارد خاص (نیازمند مجوز اداره نظارت پیش از صدور)"), required=False, widget=_checkboxes()
    )

    def __init__(self, *args, accepted_requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].choices = [("", _("— بدون درخواست —"))] + [
            (
                req.pk,
                f"{_('درخواست شماره')} {to_persian_digits(req.pk)} — {req.line.name} — {req.customer.get_full_name()}",
            )
            for req in accepted_requests
        ]
        self.fields["line"].choices = list(InsuranceLine.objects.values_list("code", "name"))
        self.fields["covers"].choices = _fire_cover_choices()
        labels = issue_rules.special_case_labels()
        self.fields["special_cases"].choices = [(code, labels[code]) for code in issue_rules.DECLARED_CASES]

    def clean_partners(self):
        rows = []
        for row in (self.cleaned_data.get("partners") or "").splitlines():
            if not row.strip():
                continue
            name, _sep, share = row.replace("：", ":").rpartition(":")
            if not name.strip():
                raise ValidationError(_("هر سطر را به شکل «نام: سهم به درصد» بنویسید."))
            rows.append({"name": name.strip(), "share": share.strip()})
        return rows

    def clean_bank_letter(self):
        letter = self.cleaned_data.get("bank_letter")
        return private_upload_clean(letter) if letter else None

    def clean_insured_items(self):
        items = []
        for row in (self.cleaned_data.get("insured_items") or "").splitlines():
            if not row.strip():
                continue
            title, _sep, value = row.replace("：", ":").partition(":")
            digits = (
                to_latin_digits(value)
                .replace(",", "")
                .replace(THOUSANDS_SEPARATOR, "")
                .replace(PERSIAN_COMMA, "")
                .replace(" ", "")
            )
            if digits and not digits.isdigit():
                # A value like "۵۰۰ میلیون" used to be recorded as 0 without a word.
                raise ValidationError(
                    _("ارزش «%(title)s» را فقط با رقم و به ریال بنویسید، مثلاً «%(title)s: ۵۰۰۰۰۰۰۰۰۰»."),
                    params={"title": title.strip()},
                )
            items.append({"title": title.strip(), "value": int(digits) if digits else 0})
        return items

    def clean_document(self):
        document = self.cleaned_data.get("document")
        return private_upload_clean(document) if document else None

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        params = {}
        if data.get("line") == rules.BODY:
            params["build_year"] = data.get("build_year") or None
        if data.get("line") == rules.TRAVEL:
            params["trip_type"] = data.get("trip_type") or limits.SINGLE
            if params["trip_type"] == limits.STUDENT and data.get("student_months"):
                params["student_months"] = data["student_months"]
        if data.get("line") == rules.FIRE and data.get("property_type"):
            params["property_type"] = data["property_type"]
        if data.get("address"):
            params["address"] = data["address"]
        for key in ("postal_code", "unit", "vin", "plate", "serial"):
            if data.get(key):
                params[key] = data[key].strip()
        return {
            "request": data.get("request"),
            "customer_mobile": data.get("customer_mobile"),
            "line": data["line"],
            "policy_number": data["policy_number"],
            "issued_on": data.get("issued_on"),
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "premium": data["premium"],
            "sum_insured": data["sum_insured"],
            "actual_value": data.get("actual_value"),
            "insured_items": data.get("insured_items"),
            "covers": data.get("covers") if data.get("line") == rules.FIRE else [],
            "params": params,
            "payment_plan": data["payment_plan"],
            "installments_count": data.get("installments_count"),
            "paid_on": data.get("paid_on"),
            "payment_reference": data.get("payment_reference") or "",
            "inspection_required": data.get("inspection_required", False),
            "document": data.get("document"),
            "mortgaged": data.get("mortgaged", False),
            "bank_letter": data.get("bank_letter"),
            "partners": data.get("partners") or None,
            "special_cases": data.get("special_cases") or [],
        }


class PolicyFromOfferForm(PolicyRecordForm):
    """The policy form filled from an accepted offer (issue 14 point 3): the request is fixed,
    and an instalment offer's schedule is kept as offered unless the agent unticks it."""

    keep_offer_schedule = forms.BooleanField(
        label=_("اقساط طبق جدول پیشنهاد پذیرفته‌شده"),
        required=False,
        initial=True,
        help_text=_("با برداشتن این گزینه، اقساط با «تعداد اقساط» از نو محاسبه می‌شود."),
    )

    def __init__(self, *args, offer_request, has_schedule: bool, **kwargs):
        super().__init__(*args, accepted_requests=[offer_request], **kwargs)
        self.fields["request"].required = True
        self.fields["request"].choices = self.fields["request"].choices[1:]
        if not has_schedule:
            del self.fields["keep_offer_schedule"]


class PaymentForm(forms.Form):
    number = forms.TypedChoiceField(label=_("قسط"), coerce=int)
    paid_on = JalaliDateFormField(label=_("تاریخ پرداخت"))
    reference = forms.CharField(label=_("شماره فیش/چک"), required=False, max_length=60)

    def __init__(self, *args, installments=(), cash=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = [
            (row.number, self._label(row, cash=cash)) for row in installments if row.paid_at is None
        ]

    @staticmethod
    def _label(row, *, cash):
        # Row 0 is the cash payment or the down payment, as the policy page names it.
        if row.number == 0:
            what = _("نقد") if cash else _("پیش‌پرداخت")
        else:
            what = _("قسط %(number)s") % {"number": to_persian_digits(row.number)}
        return f"{what} — {toman(row.amount)}"


class EndorsementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("نوع الحاقی"),
        choices=[
            (Endorsement.Kind.ADDITIONAL, _("اضافی")),
            (Endorsement.Kind.REFUND, _("برگشتی")),
            (
                Endorsement.Kind.NO_FINANCIAL_EFFECT,
                _("بدون اثر مالی"),
            ),
        ],
    )
    effective_on = JalaliDateFormField(label=_("تاریخ اثر"), required=False, help_text=_("خالی = امروز"))
    sum_insured = RialField(label=_("سرمایه جدید"), required=False)
    covers = forms.MultipleChoiceField(label=_("پوشش‌های اضافی (فهرست کامل جدید)"), required=False, widget=_checkboxes())
    change_covers = forms.BooleanField(label=_("پوشش‌ها تغییر می‌کند"), required=False)
    address = forms.CharField(label=_("نشانی جدید"), required=False, max_length=300)
    # Fire: the new site's identity, for the double-insurance rule [004].
    postal_code = forms.CharField(
        label=_("کد پستی محل جدید (آتش‌سوزی)"), required=False, max_length=12, widget=forms.TextInput(attrs=_DIGITS)
    )
    unit = forms.CharField(label=_("واحد محل جدید"), required=False, max_length=20)
    owner_mobile = forms.CharField(label=_("موبایل مالک جدید"), required=False, widget=forms.TextInput(attrs=_DIGITS))
    insured_name = forms.CharField(label=_("نام جدید بیمه‌گذار"), required=False, max_length=120)
    # Body: the policy moves to another car of the insured or the spouse [004].
    vehicle_owner = forms.ChoiceField(
        label=_("انتقال به خودروی دیگر (بدنه): خودرو به نام"),
        required=False,
        choices=[
            ("", "—"),
            (limits.INSURED, _("خود بیمه‌گذار")),
            (limits.SPOUSE, _("همسر بیمه‌گذار")),
            (limits.OTHER, _("شخص دیگر")),
        ],
    )
    vehicle_build_year = forms.CharField(
        label=_("سال ساخت خودروی جدید (شمسی)"), required=False, max_length=4, widget=forms.TextInput(attrs=_DIGITS)
    )
    vehicle_plate = forms.CharField(label=_("پلاک خودروی جدید"), required=False, max_length=30)
    annual_premium_delta = RialField(label=_("تغییر حق‌بیمه سالانه (اعلام بیمه‌گر)"), required=False, allow_negative=True)
    premium_delta = RialField(
        label=_("تفاوت حق‌بیمه نهایی"),
        required=False,
        allow_negative=True,
        help_text=_("خالی = همان مبلغ محاسبه‌شده برای مدت باقی‌مانده"),
    )
    description = forms.CharField(label=_("توضیح"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # An additional premium may be paid part in cash, the rest in instalments [001].
    payment_plan = forms.ChoiceField(
        label=_("پرداخت حق‌بیمه اضافی"),
        choices=Policy.PaymentPlan.choices,
        initial=Policy.PaymentPlan.CASH,
        required=False,
    )
    installments_count = forms.IntegerField(
        label=_("تعداد اقساط حق‌بیمه اضافی پس از پیش‌پرداخت"),
        required=False,
        min_value=1,
        max_value=rules.MAX_INSTALLMENTS,
    )

    def __init__(self, *args, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covers"].choices = _fire_cover_choices()
        if policy is not None:
            self.fields["covers"].initial = policy.covers

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {}
        if data.get("sum_insured"):
            changes["sum_insured"] = data["sum_insured"]
        if data.get("change_covers"):
            changes["covers"] = list(data.get("covers") or [])
        for key in ("address", "owner_mobile", "insured_name", "postal_code", "unit"):
            if data.get(key):
                changes[key] = data[key]
        if data.get("vehicle_owner") or data.get("vehicle_build_year"):
            vehicle = {"owner": data.get("vehicle_owner") or "", "build_year": data.get("vehicle_build_year")}
            if data.get("vehicle_plate"):
                vehicle["plate"] = data["vehicle_plate"]
            changes["vehicle"] = vehicle
        return changes

    # The API names `changes` for any refused change; the page shows it on the input it came from.
    ERROR_FIELDS = {
        "owner_transfer_refused": "owner_mobile",
        "car_transfer_refused": "vehicle_owner",
        "car_too_old": "vehicle_build_year",
        "bad_vehicle_identity": "vehicle_plate",
        "site_postal_code_missing": "postal_code",
        "bad_site_postal_code": "postal_code",
    }

    def service_error_field(self, path: str, code: str) -> str | None:
        """Where a refused change lives on this page (core.forms.add_application_error)."""
        if path != "changes":
            return None
        if code == "double_insurance":
            # The car or the site the policy moves to is insured already.
            return "postal_code" if self.cleaned_data.get("postal_code") else "vehicle_plate"
        return self.ERROR_FIELDS.get(code)


class CancelForm(forms.Form):
    by = forms.ChoiceField(
        label=_("درخواست از طرف"), choices=[(rules.INSURED, _("بیمه‌گذار")), (rules.INSURER, _("بیمه‌گر"))]
    )
    kind = forms.ChoiceField(
        label=_("نوع"),
        choices=[(rules.CANCELLATION, _("فسخ (از تاریخ درخواست)")), (rules.ANNULMENT, _("ابطال (از ابتدا)"))],
    )
    on = JalaliDateFormField(label=_("تاریخ فسخ"))
    reason = forms.ChoiceField(
        label=_("علت (فقط بیمه مسافرتی)"),
        required=False,
        choices=[
            ("", "—"),
            (rules.VISA_REFUSED, _("عدم صدور روادید")),
            (rules.TRIP_CANCELLED_BEFORE_VISA, _("لغو سفر پیش از صدور روادید")),
            (rules.VISA_EXPIRED, _("لغو سفر پس از روادید (پس از پایان مهلت روادید)")),
        ],
    )
    visa_expires_on = JalaliDateFormField(label=_("پایان اعتبار روادید"), required=False)

    def __init__(self, *args, customer=False, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        if customer:
            # The customer only speaks for the insured: nothing to choose.
            self.fields["by"].choices = [(rules.INSURED, _("بیمه‌گذار"))]
            self.fields["by"].initial = rules.INSURED
            self.fields["by"].widget = forms.HiddenInput()
        if line is not None and line != rules.TRAVEL:
            # The visa reasons are for travel policies only.
            del self.fields["reason"]
            del self.fields["visa_expires_on"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "by": data["by"],
            "kind": data["kind"],
            "on": data["on"],
            "reason": data.get("reason") or "",
            "visa_expires_on": data.get("visa_expires_on"),
        }


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("نوع بازدید"), choices=Inspection.Kind.choices)
    reason = forms.ChoiceField(label=_("علت"), choices=Inspection.Reason.choices)
    inspected_on = JalaliDateFormField(label=_("تاریخ بازدید"))
    inspector = forms.CharField(label=_("کارشناس بازدید"), max_length=120)
    report = forms.CharField(label=_("گزارش"), widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(
        label=_("توصیه‌های ایمنی"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("هر توصیه در یک سطر"),
    )
    complied = forms.TypedMultipleChoiceField(
        label=_("توصیه‌های رعایت‌شده (بازدید ثانویه)"), required=False, coerce=int, widget=_checkboxes()
    )
    endorsement = forms.TypedChoiceField(
        label=_("بازدید برای الحاقی"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "پوشش‌های ترکیدگی لوله، برف و باران، سرقت، رانش، فروکش چاه و بهمن الحاقی پس از این بازدید برقرار می‌شوند."
        ),
    )

    site = forms.ChoiceField(
        label=_("محل بازدید"),
        choices=Inspection.Site.choices,
        initial=Inspection.Site.CURRENT,
        required=False,
        help_text=_("تغییر نشانی: پیش از الحاقی، هم محل فعلی و هم محل جدید بازدید می‌شود."),
    )
    site_address = forms.CharField(label=_("نشانی محل جدید"), required=False, max_length=300)

    def __init__(self, *args, open_recommendations=(), endorsements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complied"].choices = [(rec.pk, rec.text) for rec in open_recommendations]
        self.fields["endorsement"].choices = [("", "—")] + [
            (row.number, _("الحاقی %(n)s") % {"n": to_persian_digits(row.number)}) for row in endorsements
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "reason": data["reason"],
            "inspected_on": data["inspected_on"],
            "inspector": data["inspector"],
            "report": data["report"],
            "recommendations": [line for line in data.get("recommendations", "").splitlines() if line.strip()],
            "complied": data.get("complied") or [],
            "endorsement": data.get("endorsement"),
            "site": data.get("site") or Inspection.Site.CURRENT,
            "site_address": data.get("site_address") or "",
        }


class RenewForm(forms.Form):
    starts_on = JalaliDateFormField(label=_("تاریخ شروع"), required=False, help_text=_("خالی = پایان بیمه‌نامه فعلی"))
    ends_on = JalaliDateFormField(label=_("تاریخ پایان"))
    premium = RialField(
        label=_("حق‌بیمه"),
        min_value=1,
        required=False,
        help_text=_("به ریال؛ برای تمدید کمتر از یک سال خالی بگذارید تا درصد کوتاه‌مدت حق‌بیمه سالانه حساب شود."),
    )
    policy_number = forms.CharField(
        label=_("شماره بیمه‌نامه جدید"),
        required=False,
        max_length=40,
        help_text=_("برای تمدید کمتر از یک سال (الحاقی تمدید) لازم نیست."),
    )
    payment_plan = forms.ChoiceField(label=_("نحوه پرداخت"), choices=Policy.PaymentPlan.choices)
    installments_count = forms.IntegerField(
        label=_("تعداد اقساط"), required=False, min_value=1, max_value=rules.MAX_INSTALLMENTS
    )
    paid_on = JalaliDateFormField(label=_("تاریخ دریافت قسط اول/نقد"), required=False)
    # A body policy recorded before the build year was required gives it now [004].
    build_year = forms.CharField(
        label=_("سال ساخت خودرو (شمسی)"), required=False, max_length=4, widget=forms.TextInput(attrs=_DIGITS)
    )
    mortgaged = forms.BooleanField(label=_("مورد بیمه در رهن بانک است"), required=False)
    bank_letter = forms.FileField(
        label=_("نامه بانک برای بیمه‌نامه تمدیدی (JPEG، PNG یا PDF)"),
        required=False,
        help_text=_("بیمه‌نامه تمدیدی مورد رهن تا پیوست نامه بانک صادر نمی‌شود."),
    )

    def __init__(self, *args, policy, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"starts_on": policy.ends_on, "mortgaged": policy.mortgaged, **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        if policy.line.code != rules.BODY or rules.build_year_of(policy.params) is not None:
            del self.fields["build_year"]

    def clean_bank_letter(self):
        letter = self.cleaned_data.get("bank_letter")
        return private_upload_clean(letter) if letter else None

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        build_year = data.pop("build_year", "")
        data["params"] = {"build_year": build_year} if build_year else None
        return data


class CapitalReviewForm(forms.Form):
    level = forms.ChoiceField(label=_("فهرست بررسی"))
    defects = forms.CharField(
        label=_("ایرادات"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("خالی = تأیید و بایگانی؛ با ایراد، اداره صدور آن را با الحاقی اصلاح می‌کند."),
    )
    note = forms.CharField(label=_("توضیح"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CapitalReview.Level.choices)
        self.fields["level"].choices = [(level, labels[level]) for level in levels]


class AuthoriseForm(forms.Form):
    reference = forms.CharField(label=_("شماره نامه مجوز اداره نظارت"), max_length=60)
    note = forms.CharField(label=_("توضیح"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BankLetterForm(forms.Form):
    file = forms.FileField(label=_("نامه بانک (JPEG، PNG یا PDF، حداکثر ۵ مگابایت)"))

    def clean_file(self):
        return private_upload_clean(self.cleaned_data["file"])


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("فایل بیمه‌نامه (JPEG، PNG یا PDF، حداکثر ۵ مگابایت)"))

    def clean_file(self):
        return private_upload_clean(self.cleaned_data["file"])


class CustomerLinkForm(forms.Form):
    """The agent asks the holder of a mobile to confirm them (issue 13 point 1)."""

    mobile = forms.CharField(
        label=_("شماره موبایل بیمه‌گذار"),
        max_length=20,
        widget=forms.TextInput(attrs={**_DIGITS, "class": "form-control"}),
    )


class CustomerLinkCodeForm(forms.Form):
    code = forms.CharField(
        label=_("کد پیامک بیمه‌گذار"),
        max_length=12,
        widget=forms.TextInput(attrs={**_DIGITS, "class": "form-control form-control-sm", "autocomplete": "off"}),
    )

    def clean_code(self):
        return to_latin_digits(self.cleaned_data["code"]).strip()
