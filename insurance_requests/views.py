"""Browser pages of the marketplace; the same services as the API."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agents.selectors import agent_for_user, agent_with_gateway_active
from core.exceptions import ApplicationError, NotFoundError
from core.forms import add_application_error
from core.text import to_persian_digits
from core.throttling import web_rate_limit
from insurance_requests import forms, selectors, services
from insurers.models import InsuranceLine
from insurers.selectors import province_by_code_or_name


def _parameters(line_code):
    from pricing.selectors import line_parameters

    if line_code == InsuranceLine.OTHER:
        return []
    return line_parameters(line_code)


@login_required
def request_list(request):
    rows = selectors.request_list_for_customer(user=request.user)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "insurance_requests/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("requests")
def request_new(request):
    line_code = request.GET.get("line") or request.POST.get("line")
    line = InsuranceLine.objects.filter(code=line_code).first()
    if line is None:
        return render(request, "insurance_requests/choose_line.html", {"lines": InsuranceLine.objects.all()})
    parameters = _parameters(line.code)
    initial = forms.initial_params_from_query(request.GET, parameters)
    if request.user.province_id:
        initial.setdefault("province", request.user.province.code)
        initial.setdefault("city", request.user.city)
    if request.GET.getlist("insurers"):
        initial["insurers"] = request.GET.getlist("insurers")
    if request.GET.get("tariff_year", "").isdigit():
        initial["shown_tariff_year"] = int(request.GET["tariff_year"])
    form = forms.RequestForm(request.POST or None, parameters=parameters, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created, routing = services.insurance_request_submit(
                customer=request.user,
                line_code=line.code,
                insurer_codes=form.cleaned_data["insurers"],
                params=form.raw_params(),
                province=form.cleaned_data["province"],
                city=form.cleaned_data["city"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            if routing.insurers_without_agents:
                messages.warning(
                    request,
                    "درخواست ثبت شد. برخی بیمه‌گران انتخابی فعلاً نماینده فعالی در استان شما ندارند.",
                )
            else:
                messages.success(
                    request, f"درخواست ثبت شد و برای {to_persian_digits(routing.delivered)} نماینده فرستاده شد."
                )
            _say_quote_tariff_year(request, created, shown_year=form.cleaned_data.get("shown_tariff_year"))
            return redirect("requests:detail", request_id=created.pk)
    province = province_by_code_or_name(form["province"].value() or "")
    context = {
        "form": form,
        "line": line,
        "availability": selectors.insurer_availability(province=province) if province else None,
    }
    return render(request, "insurance_requests/new.html", context)


def _say_quote_tariff_year(request, created, *, shown_year) -> None:
    """The stored quote is the one computed at posting: say which tariff year it used, and
    that it differs from the quote page's when the tariff changed in between."""
    if created.quote_tariff_year is None:
        return
    year = to_persian_digits(created.quote_tariff_year)
    if shown_year and shown_year != created.quote_tariff_year:
        messages.info(
            request,
            _("تعرفه از زمان مشاهده قیمت‌ها تغییر کرده است؛ قیمت‌ها بر اساس تعرفه سال %(year)s ثبت شد.") % {"year": year},
        )
    else:
        messages.info(request, _("قیمت‌ها بر اساس تعرفه سال %(year)s همراه درخواست ثبت شد.") % {"year": year})


@login_required
def insurer_choices(request):
    """htmx: the insurer checkboxes with 'has an active agent here' for the chosen province."""
    province = province_by_code_or_name(request.GET.get("province", ""))
    if province is None:
        raise Http404
    chosen = set(request.GET.getlist("insurers"))
    availability = selectors.insurer_availability(province=province)
    return render(request, "insurance_requests/_insurers.html", {"availability": availability, "chosen": chosen})


@login_required
def request_detail(request, request_id):
    found = selectors.request_for_customer(user=request.user, request_id=request_id)
    # The offers side by side, cheapest first (issue 14 point 1).
    responses = selectors.request_offers(request=found)
    accepted = found.accepted_response
    context = {
        "req": found,
        "params": selectors.params_display(line_code=found.line.code, params=found.params),
        "responses": responses,
        "accepted": accepted,
        "agent_rating": selectors.agent_rating_summary(agent_id=accepted.agent_id) if accepted else None,
        "history": selectors.request_history(request=found),
        "end_form": forms.EndCooperationForm(),
        "rating_form": forms.RatingForm(),
        "rated": hasattr(found, "rating"),
        "has_repost": found.__class__.objects.filter(previous=found).exists(),
    }
    return render(request, "insurance_requests/detail.html", context)


def _perform(request, action, success):
    """Run one service call for a POST form: a Persian message either way; None on refusal."""
    try:
        result = action()
    except NotFoundError:
        raise  # not the caller's request (or offer): the 404 page, not a message
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result


@login_required
@require_http_methods(["GET", "POST"])
def request_accept(request, request_id, response_id):
    """GET: the offer's summary and a confirm button (works without JavaScript); POST: accept."""
    if request.method == "GET":
        found = selectors.request_for_customer(user=request.user, request_id=request_id)
        response = next((r for r in selectors.request_offers(request=found) if r.pk == response_id), None)
        if response is None:
            raise Http404
        return render(request, "insurance_requests/accept_confirm.html", {"req": found, "response": response})
    _perform(
        request,
        lambda: services.insurance_request_accept(
            customer=request.user, request_id=request_id, response_id=response_id
        ),
        "پاسخ پذیرفته شد؛ اطلاعات تماس نماینده نمایش داده شد.",
    )
    return redirect("requests:detail", request_id=request_id)


@login_required
@require_POST
def request_end(request, request_id):
    form = forms.EndCooperationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "دلیل پایان همکاری را بنویسید.")
    else:
        _perform(
            request,
            lambda: services.insurance_request_end_cooperation(
                customer=request.user, request_id=request_id, reason=form.cleaned_data["reason"]
            ),
            "همکاری پایان یافت. می‌توانید درخواست را دوباره بفرستید.",
        )
    return redirect("requests:detail", request_id=request_id)


@login_required
@require_POST
@web_rate_limit("requests")
def request_repost(request, request_id):
    result = _perform(
        request,
        lambda: services.insurance_request_repost(customer=request.user, request_id=request_id),
        "درخواست دوباره فرستاده شد.",
    )
    return redirect("requests:detail", request_id=result[0].pk if result else request_id)


@login_required
@require_POST
def request_cancel(request, request_id):
    _perform(
        request,
        lambda: services.insurance_request_cancel(customer=request.user, request_id=request_id),
        "درخواست لغو شد.",
    )
    return redirect("requests:detail", request_id=request_id)


@login_required
@require_POST
def request_rate(request, request_id):
    form = forms.RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "امتیازی از ۱ تا ۵ انتخاب کنید.")
    else:
        _perform(
            request,
            lambda: services.agent_rate(customer=request.user, request_id=request_id, **form.cleaned_data),
            "امتیاز شما ثبت شد. سپاس!",
        )
    return redirect("requests:detail", request_id=request_id)


def _agent_or_gate(request):
    agent = agent_with_gateway_active(request.user)
    if agent is None:
        context = {"agent": agent_for_user(request.user)}  # the page says what is missing
        return None, render(request, "insurance_requests/gateway_closed.html", context, status=403)
    return agent, None


@login_required
def lead_list(request):
    agent, gate = _agent_or_gate(request)
    if gate:
        return gate
    leads = selectors.lead_list_for_agent(
        agent=agent,
        line=request.GET.get("line") or None,
        province=request.GET.get("province") or None,
        state=request.GET.get("state") or None,
    )
    page = Paginator(leads, 20).get_page(request.GET.get("page"))
    from insurers.models import Province

    context = {
        "page": page,
        "lines": InsuranceLine.objects.all(),
        "provinces": Province.objects.all(),
        "states": [("new", "تازه"), ("responded", "پاسخ‌داده"), ("accepted", "پذیرفته‌شده"), ("closed", "بسته")],
        "filters": request.GET,
        "stats": selectors.agent_response_stats(agent=agent),
    }
    return render(request, "insurance_requests/leads.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("lead_respond")
def lead_detail(request, request_id):
    agent, gate = _agent_or_gate(request)
    if gate:
        return gate
    delivery = selectors.lead_for_agent(agent=agent, request_id=request_id)
    lead = delivery.request
    today = timezone.localdate()
    pricing = selectors.offer_pricing(request=lead, insurer_code=agent.insurer.code, today=today)
    form = forms.RespondForm(
        request.POST or None,
        pricing=pricing,
        request_covers=(lead.params or {}).get("covers") or (),
        valid_until_default=today + dt.timedelta(days=services.OFFER_DEFAULT_VALID_DAYS),
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.lead_respond(
                agent=agent,
                request_id=request_id,
                message=values["message"],
                premium=values["premium"],
                payment_plan=values["payment_plan"],
                covers=values.get("covers", []),
                valid_until=values["valid_until"],
            )
        except ApplicationError as exc:
            if exc.field not in form.fields:
                messages.error(request, exc.message)
                return redirect("leads:detail", request_id=request_id)
            # A refused message (contact details) stays in the form, the reason beside it.
            add_application_error(form, exc)
        else:
            messages.success(
                request, "آمادگی شما به بیمه‌گذار اعلام شد؛ پیشنهادتان کنار پیشنهادهای دیگر به او نشان داده می‌شود."
            )
            return redirect("leads:detail", request_id=request_id)
    context = {
        "delivery": delivery,
        "lead": lead,
        "params": selectors.params_display(line_code=lead.line.code, params=lead.params),
        "posted_quote": selectors.lead_quote(lead, insurer_code=agent.insurer.code),
        "form": form,
        "pricing": pricing,
        "my_offer": lead.responses.filter(agent=agent).first() if delivery.responded else None,
        "customer_visible": selectors.lead_customer_visible(agent=agent, request=lead),
    }
    return render(request, "insurance_requests/lead_detail.html", context)
