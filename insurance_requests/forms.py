import json

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import JalaliDateFormField, JalaliDateInput
from core.jalali import format_jalali, parse_date
from core.text import to_persian_digits
from insurers.models import Insurer, Province
from pricing.forms import toman_text_to_rial

PARAM_PREFIX = "p_"
_DIGITS = {"inputmode": "numeric", "data-latin-digits": "", "dir": "ltr"}


LIST_ROWS = 5  # rows a list (travellers) offers without JavaScript; empty ones are ignored


class RowsWidget(forms.Widget):
    """One text input per row, all under the same name (a traveller's birth date each).

    Five rows without JavaScript (empty ones are ignored); pricing/traveller_rows.js folds the
    empty ones and adds or removes rows, as on the quote page.
    """

    max_rows = 10
    row_label_pattern = "{n}"

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def id_for_label(self, id_):
        return f"{id_}_1" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        values = [str(item) for item in value or [] if str(item).strip()] if isinstance(value, list | tuple) else []
        count = min(max(LIST_ROWS, len(values)), self.max_rows)
        values = (values + [""] * count)[:count]
        attrs = {**self.attrs, **(attrs or {})}
        base_id = attrs.pop("id", f"id_{name}")
        attrs.setdefault("class", "form-control")
        rows = []
        for number, row_value in enumerate(values, start=1):
            label = self.row_label_pattern.replace("{n}", to_persian_digits(number))
            input_attrs = {**attrs, "id": f"{base_id}_{number}"}
            rows.append(
                format_html(
                    '<div class="col-12 col-md-6" data-list-row><div class="input-group">'
                    '<label class="input-group-text" for="{}" data-list-row-label>{}</label>'
                    '<input type="text" name="{}" value="{}" placeholder="{}"{}>'
                    '<button type="button" class="btn btn-outline-secondary" data-list-row-remove hidden'
                    ' aria-label="{}">{}</button></div></div>',
                    input_attrs["id"],
                    label,
                    name,
                    row_value,
                    gettext("تاریخ تولد، مثلاً ۱۳۷۰/۰۱/۱۵"),
                    flatatt(input_attrs),
                    gettext("حذف %(traveller)s") % {"traveller": label},
                    gettext("حذف"),
                )
            )
        return format_html(
            '<fieldset data-list-rows data-max-rows="{}" data-row-label="{}">'
            '<div class="row g-2" data-list-rows-body>{}</div>'
            '<button type="button" class="btn btn-sm btn-outline-primary mt-2" data-list-row-add hidden>{}</button>'
            "</fieldset>",
            self.max_rows,
            self.row_label_pattern,
            format_html_join("", "{}", ((row,) for row in rows)),
            gettext("+ افزودن مسافر"),
        )


class RowsField(forms.Field):
    """A list parameter of one field per entry (travel: travellers' birth dates), kept as typed."""

    widget = RowsWidget

    def __init__(self, *, param: dict, **kwargs):
        super().__init__(**kwargs)
        self.entry_field = param["items"][0]["name"]
        self.widget.max_rows = param.get("max") or 10
        self.widget.row_label_pattern = param.get("item_label", "{n}")
        self.widget.attrs.update({"data-latin-digits": "", "autocomplete": "off"})

    def to_python(self, value):
        if not isinstance(value, list | tuple):
            return []
        return [str(item).strip() for item in value if str(item).strip()]


def _param_field(param: dict) -> forms.Field:
    """A form field from one entry of the pricing parameter description (pricing.selectors.line_parameters).

    Fields stay as text: the pricing validator is the one judge of values, so the page and
    the API refuse the same inputs with the same Persian messages.
    """
    common = {"label": param["label"], "required": False, "help_text": param.get("help", "")}
    kind = param["type"]
    if kind == "choice":
        choices = [("", "—")] + _grouped_choices(param.get("choices", []))
        return forms.ChoiceField(choices=choices, **common)
    if kind == "multi_choice":
        choices = [(str(c["value"]), c["label"]) for c in param.get("choices", [])]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind == "boolean":
        return forms.BooleanField(**common)
    if kind == "list" and len(param.get("items", [])) == 1:
        return RowsField(param=param, **common)
    if kind == "date":
        return forms.CharField(
            widget=forms.TextInput(attrs={**_DIGITS, "placeholder": gettext("مثلاً ۱۴۰۴/۰۸/۳۰")}), **common
        )
    if kind in ("integer", "money"):
        attrs = dict(_DIGITS)
        if kind == "money":
            attrs["placeholder"] = gettext("مبلغ به تومان")
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    return forms.CharField(**common)


def _grouped_choices(choices: list[dict]) -> list:
    """(value, label) pairs; choices that carry a `group` (a car's make) go under it, an <optgroup>."""
    if not any(choice.get("group") for choice in choices):
        return [(str(c["value"]), c["label"]) for c in choices]
    groups: dict[str, list] = {}
    for choice in choices:
        groups.setdefault(choice.get("group", ""), []).append((str(choice["value"]), choice["label"]))
    return list(groups.items())


def _display_initial(param: dict, value):
    """A carried or default value the way the customer types it: toman amounts, Jalali dates.

    Quote links and defaults carry the API's form (rial, ISO dates); shown as is, a car worth
    500,000,000 toman read as 5,000,000,000 and a start date as 2026-11-22.
    """
    if param["type"] == "money" and isinstance(value, int | str) and str(value).isdigit():
        return str(int(value) // 10)
    if param["type"] == "date" and value not in (None, ""):
        try:
            return format_jalali(parse_date(value))
        except ValueError:
            return value
    if param["type"] == "list" and isinstance(value, list | tuple):
        # Carried entries ([{"birth_date": "1991-08-01"}]) as the rows show them (1370/05/10).
        item = param["items"][0]
        return [
            _display_initial(item, entry.get(item["name"]) if isinstance(entry, dict) else entry) for entry in value
        ]
    return value


def _fixed(param: dict) -> bool:
    return param.get("min") is not None and param.get("min") == param.get("max")


class RequestForm(forms.Form):
    province = forms.ModelChoiceField(
        Province.objects.all(), label=_("استان"), to_field_name="code", empty_label=_("انتخاب کنید")
    )
    city = forms.CharField(label=_("شهر"), max_length=60)
    insurers = forms.MultipleChoiceField(
        label=_("بیمه‌گران"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("دست‌کم یک بیمه‌گر را انتخاب کنید.")},
    )
    note = forms.CharField(
        label=_("توضیحات"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    # The tariff year of the prices the customer saw on the quote page, carried by its
    # hand-off link. Only compared with the year of the quote computed at posting, to say
    # when the tariff changed in between; never a price (issue 14 point 2).
    shown_tariff_year = forms.IntegerField(required=False, min_value=1300, max_value=1600, widget=forms.HiddenInput)

    def __init__(self, *args, parameters=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A parameter with one allowed value (body: a 365-day term) is not asked, as on the
        # quote page: left out, the pricing validator fills its default.
        # Nor one a newer parameter replaces (travel: the country and the travellers' list, not
        # the zone and one birth date); the API still takes it.
        self.parameters = [param for param in parameters if not _fixed(param) and not param.get("superseded_by")]
        self.fields["insurers"].choices = [(i.code, i.name) for i in Insurer.objects.filter(is_active=True)]
        for param in self.parameters:
            name = PARAM_PREFIX + param["name"]
            self.fields[name] = _param_field(param)
            if param.get("default") not in (None, "") and not self.is_bound:
                self.initial.setdefault(name, param["default"])
            if name in self.initial:
                self.initial[name] = _display_initial(param, self.initial[name])

    def param_fields(self):
        return [self[PARAM_PREFIX + param["name"]] for param in self.parameters]

    def other_fields(self):
        return [self[name] for name in ("province", "city", "note")]

    def raw_params(self) -> dict:
        """Values as typed, amounts turned from toman into rial; the pricing validator cleans the rest
        (Persian digits, separators, Jalali)."""
        raw = {}
        for param in self.parameters:
            value = self.cleaned_data.get(PARAM_PREFIX + param["name"])
            if value in (None, "", []):
                continue
            if param["type"] == "money":
                value = toman_text_to_rial(value)
            elif param["type"] == "list":
                value = [{self.fields[PARAM_PREFIX + param["name"]].entry_field: item} for item in value]
            raw[param["name"]] = value
        return raw

    def service_error_field(self, path: str, code: str) -> str | None:
        """Where a refused input of the posting service lives here (core.forms.submit):
        a line parameter (`params.build_year`, or one of pricing's nested errors) is its
        prefixed field; any other input keeps its name."""
        parent, _dot, name = path.rpartition(".")
        return PARAM_PREFIX + name if parent == "params" else None


def initial_params_from_query(query, parameters) -> dict:
    """Inputs carried over from a quote page: `?params=<json>` or one query argument per parameter."""
    initial = {}
    carried = {}
    if query.get("params"):
        try:
            carried = json.loads(query["params"])
        except ValueError:
            carried = {}
    replaced = {param.get("superseded_by"): param["name"] for param in parameters if param.get("superseded_by")}
    for param in parameters:
        name = param["name"]
        if carried.get(name) not in (None, "", []):
            initial[PARAM_PREFIX + name] = carried[name]
        elif param["type"] == "list" and carried.get(replaced.get(name)) not in (None, ""):
            # A quote link of one traveller (birth_date) fills the first row of the list.
            initial[PARAM_PREFIX + name] = [{param["items"][0]["name"]: carried[replaced[name]]}]
        elif name in carried:
            initial[PARAM_PREFIX + name] = carried[name]
        elif param["type"] == "multi_choice" and query.getlist(name):
            initial[PARAM_PREFIX + name] = query.getlist(name)
        elif query.get(name) not in (None, ""):
            initial[PARAM_PREFIX + name] = query.get(name)
    return initial


class RespondForm(forms.Form):
    """An agent's offer on a lead (issue 14 point 1), typed in toman; the service judges it in rial.

    `pricing` (insurance_requests.selectors.OfferPricing) prefills the premium with the
    insurer's tariff premium, offers instalments only where the insurer sells them and lists
    the line's optional covers.
    """

    premium = forms.CharField(
        label=_("حق‌بیمه پیشنهادی (تومان)"),
        widget=forms.TextInput(attrs={**_DIGITS, "data-rial-preview": "premium-rial"}),
        error_messages={"required": _("حق‌بیمه پیشنهادی را به تومان بنویسید.")},
    )
    payment_plan = forms.ChoiceField(label=_("شیوه پرداخت"), widget=forms.RadioSelect)
    covers = forms.MultipleChoiceField(label=_("پوشش‌های پیشنهاد"), widget=forms.CheckboxSelectMultiple, required=False)
    valid_until = JalaliDateFormField(
        label=_("اعتبار پیشنهاد تا (تاریخ شمسی)"),
        widget=JalaliDateInput(attrs=_DIGITS),
        error_messages={"required": _("تاریخ اعتبار پیشنهاد را بنویسید.")},
    )
    message = forms.CharField(
        label=_("پیام شما به بیمه‌گذار (اختیاری)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, pricing, request_covers=(), valid_until_default=None, **kwargs):
        super().__init__(*args, **kwargs)
        from core.text import group_thousands, to_persian_digits

        plans = [("cash", gettext("نقدی"))]
        if pricing.installment_terms is not None:
            plans.append(("installments", gettext("اقساطی")))
        self.fields["payment_plan"].choices = plans
        self.initial.setdefault("payment_plan", "cash")
        if pricing.covers_choices:
            self.fields["covers"].choices = list(pricing.covers_choices)
            self.initial.setdefault("covers", list(request_covers))
        else:
            del self.fields["covers"]
        bounds = pricing.bounds
        if bounds is not None:
            self.initial.setdefault("premium", to_persian_digits(group_thousands(bounds.tariff_premium // 10)))
            tariff_toman = to_persian_digits(group_thousands(bounds.tariff_premium // 10))
            floor_toman = to_persian_digits(group_thousands(-(-bounds.floor_premium // 10)))
            self.fields["premium"].help_text = gettext(
                "حق‌بیمه طبق تعرفه %(tariff)s تومان؛ کمترین مبلغ مجاز با تخفیف %(floor)s تومان."
            ) % {
                "tariff": tariff_toman,
                "floor": floor_toman,
            }
        else:
            self.fields["premium"].help_text = gettext("این رشته تعرفه ندارد؛ حق‌بیمه را خودتان بنویسید.")
        if valid_until_default is not None:
            self.initial.setdefault("valid_until", to_persian_digits(format_jalali(valid_until_default)))

    def clean_premium(self):
        rial = toman_text_to_rial(self.cleaned_data["premium"])
        if not str(rial).isdigit() or int(rial) <= 0:
            raise forms.ValidationError(gettext("مبلغ را به تومان و فقط با رقم بنویسید؛ مثلاً ۱۲٬۵۰۰٬۰۰۰."))
        return int(rial)

    def premium_rial(self):
        """The rial the form will send, for the line under the field (JS keeps it current)."""
        value = self["premium"].value()
        rial = toman_text_to_rial(value) if value else None
        return int(rial) if rial is not None and str(rial).isdigit() else None


class EndCooperationForm(forms.Form):
    reason = forms.CharField(label=_("دلیل پایان همکاری"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("امتیاز به نماینده"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)]
    )
    comment = forms.CharField(
        label=_("نظر شما"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
