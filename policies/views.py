"""Browser pages for policies: the customer's list and page, the agent's recording and
changes (payments, inspections, endorsements, renewal) and cancellation with its refund.

Thin: parse a form, call the same service as the API, render or redirect. Every page of
one policy goes through `policy_for_user` (404 for anyone who may not see it).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agents.selectors import agent_for_user
from core.exceptions import ApplicationError, NotFoundError
from core.forms import add_application_error, submit
from core.templatetags.persian import toman
from core.text import to_persian_digits
from core.throttling import web_rate_limit
from core.uploads import private_file_response
from insurance_requests import conf as request_conf
from policies import forms, issue_rules, relationships, rules, selectors, services
from policies.models import CustomerLink, Endorsement, Policy
from policies.panels import POLICY_PAGE


def _policy(request, policy_id) -> Policy:
    return selectors.policy_for_user(request.user, policy_id)


def _detail_url(policy_id) -> str:
    return reverse("policies:detail", args=[policy_id])


def _not_found() -> NotFoundError:
    return NotFoundError(_("این صفحه پیدا نشد."))


def _issuer_only(request, policy: Policy) -> None:
    """Agent pages of a policy: the customer sees the policy but not these forms."""
    if selectors.policy_role(request.user, policy) == selectors.CUSTOMER:
        raise _not_found()


def _agent(request):
    """The signed-in agent; the agents' pages do not exist for anyone else."""
    agent = agent_for_user(request.user)
    if agent is None:
        raise _not_found()
    return agent


@login_required
def policy_list(request):
    today = timezone.localdate()
    rows = [
        {"policy": policy, "state": selectors.policy_state(policy, today=today)}
        for policy in selectors.policy_list_for_user(request.user)
    ]
    customer_rows = [row for row in rows if row["policy"].customer_id == request.user.pk]
    agent_rows = [row for row in rows if row["policy"].agent.user_id == request.user.pk]
    return render(
        request,
        "policies/list.html",
        {
            "customer_rows": customer_rows,
            "agent_rows": agent_rows,
            "is_agent": agent_for_user(request.user) is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("policy_record")
@web_rate_limit("uploads")
def policy_new(request):
    agent = _agent(request)
    # Recording needs an open gateway (issue 13 point 1): a 403 page that says why.
    refusal = relationships.recording_refusal(agent)
    if refusal is not None:
        return render(request, "policies/recording_closed.html", {"reason": refusal.message}, status=403)
    accepted = list(selectors.accepted_requests_for_agent(agent))
    initial = {}
    chosen = None
    if request.GET.get("request"):
        chosen = next((req for req in accepted if str(req.pk) == request.GET["request"]), None)
        if chosen is not None:
            initial = _initial_from_request(chosen)
    elif request.GET.get("mobile"):
        # From the customer links page: the mobile of a customer who confirmed this agent.
        initial = {"customer_mobile": request.GET["mobile"][:20]}
    form = forms.PolicyRecordForm(
        request.POST or None, request.FILES or None, accepted_requests=accepted, initial=initial
    )
    if done := submit(
        request,
        lambda: services.policy_record(user=request.user, insurer=agent.insurer.code, **form.service_kwargs()),
        form=form,
        success_url=lambda policy: _detail_url(policy.pk),
        success_message=_("بیمه‌نامه ثبت شد."),
    ):
        return done
    return render(request, "policies/new.html", {"form": form, "agent": agent, "accepted": accepted, "chosen": chosen})


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("policy_record")
@web_rate_limit("uploads")
def policy_from_offer(request, request_id):
    """«صدور بیمه‌نامه از این پیشنهاد» (issue 14 point 3): the policy form filled from the
    accepted offer and its request, then the same confirm step and `policy_record`.

    Only the agent whose offer the customer accepted reaches it; anyone else gets 404.
    """
    agent = _agent(request)
    refusal = relationships.recording_refusal(agent)
    if refusal is not None:
        return render(request, "policies/recording_closed.html", {"reason": refusal.message}, status=403)
    draft = selectors.policy_draft_from_offer(agent=agent, request_id=request_id)
    chosen = selectors.accepted_request_for_agent(agent=agent, request_id=request_id)
    schedule = draft["installments"]
    form = forms.PolicyFromOfferForm(
        request.POST or None,
        request.FILES or None,
        offer_request=chosen,
        has_schedule=bool(schedule),
        initial=_initial_from_offer(chosen, draft),
    )
    if done := submit(
        request,
        lambda: services.policy_record(
            user=request.user, insurer=agent.insurer.code, **_offer_record_kwargs(form, chosen, draft)
        ),
        form=form,
        success_url=lambda policy: _detail_url(policy.pk),
        success_message=_("بیمه‌نامه ثبت شد؛ از پیشنهاد پذیرفته‌شده."),
    ):
        return done
    return render(
        request,
        "policies/new.html",
        {"form": form, "agent": agent, "accepted": [chosen], "chosen": chosen, "offer": draft},
    )


def _offer_record_kwargs(form, chosen, draft: dict) -> dict:
    """What `policy_record` gets from the offer's form: the request's inputs travel with the
    policy (a renewal asks for them again); what the agent typed on the form wins."""
    kwargs = form.service_kwargs()
    kwargs["request"] = chosen.pk
    kwargs["params"] = {**draft["params"], **kwargs["params"]}
    if kwargs["line"] != rules.FIRE:
        kwargs["covers"] = draft["covers"]
    if (
        draft["installments"]
        and form.cleaned_data.get("keep_offer_schedule")
        and kwargs["payment_plan"] == Policy.PaymentPlan.INSTALLMENTS
    ):
        kwargs["installments"] = draft["installments"]
        kwargs["installments_count"] = None
    return kwargs


def _initial_from_offer(chosen, draft: dict) -> dict:
    """The form as the offer fills it: what the request asked for, then the offer's terms."""
    initial = _initial_from_request(chosen)
    initial.update(
        {
            "request": chosen.pk,
            "issued_on": draft["issued_on"],
            "starts_on": draft["starts_on"],
            "ends_on": draft["ends_on"],
        }
    )
    # A response made before offers existed has no terms: the request's wishes stay.
    if draft["premium"]:
        initial["premium"] = f"{draft['premium']:,}"
        initial["payment_plan"] = draft["payment_plan"]
    if draft["sum_insured"]:
        initial["sum_insured"] = f"{draft['sum_insured']:,}"
    if draft["line"] == rules.FIRE and draft["covers"]:
        initial["covers"] = list(draft["covers"])
    if draft["installments"]:
        initial["installments_count"] = len(draft["installments"]) - 1
    return initial


def _initial_from_request(chosen) -> dict:
    """What the customer asked for fills the form: line, property, capital, covers, payment."""
    params = chosen.params or {}
    initial = {"request": chosen.pk, "line": chosen.line.code}
    if params.get("property_type"):
        initial["property_type"] = params["property_type"]
    for key in ("build_year", "trip_type", "student_months"):
        if params.get(key):
            initial[key] = params[key]
    capital = sum(int(params.get(key) or 0) for key in ("building_value", "contents_value"))
    if capital:
        initial["sum_insured"] = f"{capital:,}"
    if params.get("covers"):
        initial["covers"] = list(params["covers"])
    if params.get("payment") in Policy.PaymentPlan.values:
        initial["payment_plan"] = params["payment"]
        if params["payment"] == Policy.PaymentPlan.INSTALLMENTS and params.get("installments_count"):
            initial["installments_count"] = params["installments_count"]
    return initial


@login_required
def policy_detail(request, policy_id):
    policy = selectors.policy_detail(_policy(request, policy_id).pk)
    role = selectors.policy_role(request.user, policy)
    return render(
        request,
        "policies/detail.html",
        {
            "policy": policy,
            "role": role,
            "is_issuer": role != selectors.CUSTOMER,
            "state": selectors.policy_state(policy),
            "total_premium": selectors.policy_total_premium(policy),
            "paid": selectors.policy_paid_total(policy),
            "outstanding": selectors.policy_outstanding(policy),
            "blockers": selectors.issue_blockers(policy) if policy.status == Policy.Status.PENDING_ISSUE else [],
            "review_levels": selectors.policy_capital_review_levels(policy),
            "special_case_labels": issue_rules.special_case_labels(),
            "claims": policy.claims.order_by("-filed_at") if role != selectors.STAFF else [],
            "open_recommendations": list(selectors.open_recommendations(policy)),
            # floating: the stock declarations of a floating policy (declarations, above policies).
            **POLICY_PAGE.context(policy=policy),
        },
    )


@login_required
def policy_document(request, policy_id):
    policy = _policy(request, policy_id)
    if not policy.document:
        raise _not_found()
    return private_file_response(policy.document, download_name=f"policy-{policy.pk}")


def _simple_form_page(request, policy, form, *, title, submit_label, action, success):
    """Most agent forms share one page: the service runs for the form, then back to the policy."""
    if done := submit(
        request, lambda: action(form), form=form, success_url=_detail_url(policy.pk), success_message=success
    ):
        return done
    context = {"policy": policy, "form": form, "title": title, "submit": submit_label}
    return render(request, "policies/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def policy_pay(request, policy_id):
    policy = _policy(request, policy_id)
    _issuer_only(request, policy)
    form = forms.PaymentForm(
        request.POST or None,
        installments=policy.installments.all(),
        cash=policy.payment_plan == Policy.PaymentPlan.CASH,
    )
    return _simple_form_page(
        request,
        policy,
        form,
        title=_("ثبت دریافت قسط"),
        submit_label=_("ثبت پرداخت"),
        action=lambda f: services.installment_pay(user=request.user, policy=policy, **f.cleaned_data),
        success=_("پرداخت ثبت شد."),
    )


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("uploads")
def policy_upload_document(request, policy_id):
    policy = _policy(request, policy_id)
    _issuer_only(request, policy)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    return _simple_form_page(
        request,
        policy,
        form,
        title=_("بارگذاری فایل بیمه‌نامه"),
        submit_label=_("بارگذاری"),
        action=lambda f: services.policy_document_attach(
            user=request.user, policy=policy, document=f.cleaned_data["file"]
        ),
        success=_("فایل بیمه‌نامه ذخیره شد."),
    )


@login_required
def policy_bank_letter(request, policy_id):
    policy = _policy(request, policy_id)
    if not policy.bank_letter:
        raise _not_found()
    return private_file_response(policy.bank_letter, download_name=f"bank-letter-{policy.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("uploads")
def policy_upload_bank_letter(request, policy_id):
    """The bank's letter for mortgaged property: a mortgaged policy is not issued without it [001]."""
    policy = _policy(request, policy_id)
    _issuer_only(request, policy)
    form = forms.BankLetterForm(request.POST or None, request.FILES or None)
    return _simple_form_page(
        request,
        policy,
        form,
        title=_("بارگذاری نامه بانک (مورد بیمه در رهن)"),
        submit_label=_("بارگذاری"),
        action=lambda f: services.policy_bank_letter_attach(
            user=request.user, policy=policy, document=f.cleaned_data["file"]
        ),
        success=_("نامه بانک پیوست شد."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def capital_review(request, policy_id):
    """Staff review a fire policy on a capital list: approve, or record its defects [001]."""
    if not request.user.is_staff:
        raise _not_found()
    policy = _policy(request, policy_id)
    form = forms.CapitalReviewForm(request.POST or None, levels=selectors.policy_capital_review_levels(policy))
    return _simple_form_page(
        request,
        policy,
        form,
        title=_("بررسی سرمایه (اداره نظارت بر صدور بیمه‌نامه‌ها)"),
        submit_label=_("ثبت بررسی"),
        action=lambda f: services.capital_review_mark(user=request.user, policy=policy, **f.cleaned_data),
        success=_("بررسی ثبت شد."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_authorise(request, policy_id):
    """Staff record the supervision office's authorisation of a special case [001]."""
    if not request.user.is_staff:
        raise _not_found()
    policy = _policy(request, policy_id)
    form = forms.AuthoriseForm(request.POST or None)
    return _simple_form_page(
        request,
        policy,
        form,
        title=_("ثبت مجوز اداره نظارت بر صدور بیمه‌نامه‌ها"),
        submit_label=_("ثبت مجوز"),
        action=lambda f: services.policy_authorise(user=request.user, policy=policy, **f.cleaned_data),
        success=_("مجوز اداره نظارت ثبت شد."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request, policy_id):
    policy = _policy(request, policy_id)
    _issuer_only(request, policy)
    form = forms.InspectionForm(
        request.POST or None,
        open_recommendations=selectors.open_recommendations(policy),
        endorsements=policy.endorsements.filter(needs_inspection=True).order_by("number"),
    )
    return _simple_form_page(
        request,
        policy,
        form,
        title=_("ثبت گزارش بازدید"),
        submit_label=_("ثبت گزارش"),
        action=lambda f: services.inspection_record(user=request.user, policy=policy, **f.service_kwargs()),
        success=_("گزارش بازدید ثبت شد."),
    )


@login_required
@require_POST
def recommendation_comply(request, policy_id, recommendation_id):
    policy = _policy(request, policy_id)
    _issuer_only(request, policy)
    return submit(
        request,
        lambda: services.recommendation_comply(user=request.user, policy=policy, recommendation_id=recommendation_id),
        success_url=_detail_url(policy.pk),
        success_message=_("توصیه ایمنی رعایت‌شده ثبت شد."),
    )


@login_required
@require_POST
def policy_issue(request, policy_id):
    policy = _policy(request, policy_id)
    _issuer_only(request, policy)
    return submit(
        request,
        lambda: services.policy_mark_issued(user=request.user, policy=policy),
        success_url=_detail_url(policy.pk),
        success_message=_("بیمه‌نامه صادرشده ثبت شد."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def endorsement_new(request, policy_id):
    """Two steps: the premium difference for the remaining period is shown, then confirmed."""
    policy = _policy(request, policy_id)
    _issuer_only(request, policy)
    form = forms.EndorsementForm(request.POST or None, policy=policy)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The preview is shown on this page (no redirect): the same mapping of a refusal.
        try:
            preview = services.endorsement_preview(
                policy=policy,
                changes=form.changes(),
                effective_on=data.get("effective_on"),
                annual_premium_delta=data.get("annual_premium_delta"),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
    if preview is not None and request.POST.get("confirm"):
        if done := submit(
            request,
            lambda: services.endorsement_issue(
                user=request.user,
                policy=policy,
                kind=data["kind"],
                changes=form.changes(),
                premium_delta=data.get("premium_delta"),
                effective_on=data.get("effective_on"),
                annual_premium_delta=data.get("annual_premium_delta"),
                description=data.get("description") or "",
                payment_plan=data.get("payment_plan") or Policy.PaymentPlan.CASH,
                installments_count=data.get("installments_count"),
            ),
            form=form,
            success_url=_detail_url(policy.pk),
            success_message=lambda endorsement: (
                _("الحاقی شماره %(n)s صادر شد.") % {"n": to_persian_digits(endorsement.number)}
            ),
        ):
            return done
    return render(
        request,
        "policies/endorsement.html",
        {"policy": policy, "form": form, "preview": preview, "kinds": Endorsement.Kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_cancel(request, policy_id):
    """The refund is shown first; a second button confirms the cancellation."""
    policy = _policy(request, policy_id)
    role = selectors.policy_role(request.user, policy)
    form = forms.CancelForm(
        request.POST or None,
        customer=role == selectors.CUSTOMER,
        line=policy.line.code,
        initial={"on": timezone.localdate()},
    )
    quote = None
    if request.POST.get("confirm"):
        if done := submit(
            request,
            lambda: services.policy_cancel(user=request.user, policy=policy, **form.service_kwargs()),
            form=form,
            success_url=_detail_url(policy.pk),
            success_message=lambda _cancelled: _cancelled_message(policy, role),
        ):
            return done
    elif request.method == "POST" and form.is_valid():
        # The refund is shown on this page (no redirect): the same mapping of a refusal.
        try:
            quote = services.policy_cancel_preview(user=request.user, policy=policy, **form.service_kwargs())
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(request, "policies/cancel.html", {"policy": policy, "form": form, "quote": quote})


def _cancelled_message(policy: Policy, role: str) -> str:
    policy.refresh_from_db()
    # The agent cancelling is not the one refunded: name the insured then.
    message = (
        _("بیمه‌نامه %(what)s شد؛ مبلغ برگشتی به شما: %(amount)s.")
        if role == selectors.CUSTOMER
        else _("بیمه‌نامه %(what)s شد؛ مبلغ برگشتی به بیمه‌گذار: %(amount)s.")
    )
    return message % {
        "what": _("باطل") if policy.status == Policy.Status.ANNULLED else _("فسخ"),
        "amount": toman(policy.cancellation_refund),
    }


@login_required
@require_http_methods(["GET", "POST"])
def policy_renew(request, policy_id):
    policy = _policy(request, policy_id)
    if selectors.policy_role(request.user, policy) != selectors.AGENT:
        raise _not_found()
    form = forms.RenewForm(request.POST or None, request.FILES or None, policy=policy)
    if done := submit(
        request,
        lambda: services.policy_renew(user=request.user, policy=policy, **form.service_kwargs()),
        form=form,
        # A short renewal is an endorsement of this policy; a full one is a new policy.
        success_url=lambda renewed: _detail_url(policy.pk if isinstance(renewed, Endorsement) else renewed.pk),
        success_message=lambda renewed: (
            _("الحاقی تمدید کوتاه‌مدت صادر شد.") if isinstance(renewed, Endorsement) else _("بیمه‌نامه تمدیدی ثبت شد.")
        ),
    ):
        return done
    return render(
        request,
        "policies/form.html",
        {"policy": policy, "form": form, "title": _("تمدید بیمه‌نامه"), "submit": _("ثبت تمدید")},
    )


# --- customer links (issue 13 point 1) ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("customer_links")
def customer_links(request):
    """The agent's page: ask a customer to confirm by mobile, enter their code, see the answers."""
    agent = _agent(request)
    refusal = relationships.recording_refusal(agent)
    form = forms.CustomerLinkForm(request.POST or None)
    if refusal is None and (
        done := submit(
            request,
            lambda: relationships.customer_link_request(user=request.user, mobile=form.cleaned_data["mobile"]),
            form=form,
            success_url="policies:customer_links",
            success_message=_(
                "اگر این شماره معتبر باشد، پیامکی با کد و نام نمایندگی شما برای آن فرستاده شد. کدی را که "
                "بیمه‌گذار می‌خواند وارد کنید، یا صبر کنید تا در حساب خود تأیید کند."
            ),
        )
    ):
        return done
    links = [
        {"link": link, "status": status, "label": CustomerLink.Status(status).label}
        for link in relationships.link_list_for_agent(agent)[:50]
        for status in [relationships.link_status(link)]
    ]
    return render(
        request,
        "policies/customer_links.html",
        {
            "form": form,
            "links": links,
            "refusal": refusal.message if refusal else None,
            "code_form": forms.CustomerLinkCodeForm(),
        },
        status=403 if refusal is not None and request.method == "POST" else 200,
    )


@login_required
@require_POST
@web_rate_limit("customer_links")
def customer_link_code(request, link_id):
    """The agent enters the code the customer read to them."""
    form = forms.CustomerLinkCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("کد ۶ رقمی پیامک بیمه‌گذار را وارد کنید."))
        return redirect("policies:customer_links")
    # Another agent's link, or one no longer open, is the 404 page (NotFoundError leaves submit).
    return submit(
        request,
        lambda: relationships.customer_link_confirm_code(
            user=request.user, link_id=link_id, code=form.cleaned_data["code"]
        ),
        success_url="policies:customer_links",
        success_message=_("ارتباط تأیید شد؛ اکنون می‌توانید برای این بیمه‌گذار بیمه‌نامه ثبت کنید."),
    )


def _answer_link(request, link_id, *, accept: bool):
    return submit(
        request,
        lambda: relationships.customer_link_answer(user=request.user, link_id=link_id, accept=accept),
        success_url="accounts:dashboard",
        success_message=(
            _("ارتباط با نماینده تأیید شد.") if accept else _("درخواست نماینده رد شد؛ او چیزی از حساب شما نمی‌بیند.")
        ),
    )


@login_required
@require_POST
@web_rate_limit("customer_links")
def agent_link_confirm(request, link_id):
    """The customer confirms, in their account, an agent who asked to serve them."""
    return _answer_link(request, link_id, accept=True)


@login_required
@require_POST
@web_rate_limit("customer_links")
def agent_link_decline(request, link_id):
    return _answer_link(request, link_id, accept=False)


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("requests")
def renewal_request(request, policy_id):
    """The renewal reminder's link (issue 14 point 6): a new request filled with the policy's
    line, inputs (no-claim years moved forward) and insurer, sent with one click, first to
    the agent who issued the policy. The customer's own policy only; 404 for anyone else."""
    from insurance_requests import forms as request_forms
    from insurance_requests import services as request_services
    from insurance_requests.selectors import insurer_availability
    from insurers.models import InsuranceLine
    from insurers.selectors import province_by_code_or_name
    from pricing.selectors import line_parameters

    policy = selectors.renewal_policy_for_customer(user=request.user, policy_id=policy_id)
    prefill = selectors.renewal_request_initial(policy=policy)
    parameters = [] if policy.line.code == InsuranceLine.OTHER else line_parameters(policy.line.code)
    initial = {request_forms.PARAM_PREFIX + name: value for name, value in prefill["params"].items()}
    initial["insurers"] = prefill["insurer_codes"]
    initial["city"] = prefill["city"]
    if prefill["province"] is not None:
        initial["province"] = prefill["province"].code
    form = request_forms.RequestForm(request.POST or None, parameters=parameters, initial=initial)
    if done := submit(
        request,
        lambda: request_services.insurance_request_renewal_submit(
            customer=request.user,
            policy=policy,
            insurer_codes=form.cleaned_data["insurers"],
            params=form.raw_params(),
            province=form.cleaned_data["province"],
            city=form.cleaned_data["city"],
            note=form.cleaned_data["note"],
        ),
        form=form,
        success_url=lambda submitted: reverse("requests:detail", kwargs={"request_id": submitted[0].pk}),
        success_message=lambda submitted: (
            _("درخواست تمدید ثبت شد. نماینده‌ای که بیمه‌نامه را صادر کرد تا %(hours)s ساعت زودتر آن را می‌بیند.")
            % {"hours": to_persian_digits(request_conf.renewal_head_start_hours())}
            if submitted[0].preferred_until
            else _("درخواست تمدید ثبت شد و برای نمایندگان فرستاده شد.")
        ),
    ):
        return done
    province = province_by_code_or_name(form["province"].value() or "")
    return render(
        request,
        "policies/renewal_request.html",
        {
            "form": form,
            "line": policy.line,
            "policy": policy,
            "availability": insurer_availability(province=province) if province else None,
        },
    )
