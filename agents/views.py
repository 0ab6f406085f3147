"""Browser pages for agents: the onboarding wizard, the dashboard, payments, licence files.

Thin: parse a form, call the same service as the API, render or redirect.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agents import conf, services
from agents.apis import payment_callback_url
from agents.forms import AgentRegisterForm, DocumentsForm, TermsAcceptForm
from agents.models import Agent, SandboxPayment
from agents.payments.sandbox import sandbox_callback_url, sandbox_payment_decide, sandbox_payment_get
from agents.selectors import (
    agent_for_licence_view,
    agent_for_user,
    agent_lead_counts,
    gateway_active,
    invoice_for_agent,
    invoice_list,
    onboarding_next_step,
    onboarding_steps,
    plan_by_code,
    plan_list,
    service_province_list,
    subscription_state,
    terms_accepted_version,
    terms_current,
)
from core.exceptions import ApplicationError
from core.http import client_ip
from core.text import to_persian_digits
from core.throttling import web_rate_limit
from core.uploads import private_file_response


def _form_error(form, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def agent_required(view):
    """Signed-in users with an agent profile; others start at the initial form."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        agent = agent_for_user(request.user)
        if agent is None:
            return redirect("agents:register")
        return view(request, agent, *args, **kwargs)

    return wrapper


def _wizard_context(agent: Agent | None, **extra) -> dict:
    gateway_open = gateway_active(agent) if agent else False
    state = subscription_state(agent) if agent else None
    return {
        "agent": agent,
        "steps": onboarding_steps(agent, gateway_open=gateway_open),
        "next_step": onboarding_next_step(agent, state=state),
        "gateway_open": gateway_open,
        "state": state,
        **extra,
    }


def _local_next(request) -> str:
    """The `next` the sign-up started with (query or form), when it is a URL of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    """The initial form. A sign-up started elsewhere (the agents' page) carries `next` through
    the sign-in code and this form, and returns there; without it the wizard goes on to the terms."""
    next_url = _local_next(request)
    if agent_for_user(request.user) is not None:
        return redirect(next_url or "agents:dashboard")
    form = AgentRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agent_register(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("فرم اولیه ثبت شد. اکنون مقررات را بخوانید و نوع اشتراک را انتخاب کنید."))
            return redirect(next_url or "agents:terms")
    return render(request, "agents/register.html", _wizard_context(None, form=form, next=next_url))


@agent_required
@require_http_methods(["GET", "POST"])
def terms(request, agent):
    current = terms_current()
    if current is None:
        raise Http404
    initial = {"version": current.version, "plan": agent.chosen_plan.code if agent.chosen_plan else None}
    form = TermsAcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.terms_accept(
                agent=agent,
                version=form.cleaned_data["version"],
                plan=form.cleaned_data["plan"],
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("پذیرش مقررات ثبت شد."))
            return redirect("agents:dashboard")
    context = _wizard_context(
        agent,
        form=form,
        terms=current,
        accepted=terms_accepted_version(agent) == current.version,
        plans=form.plans.values(),
    )
    return render(request, "agents/terms.html", context)


@agent_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("uploads")
def documents(request, agent):
    initial = {"service_provinces": service_province_list(agent), "licence_number": agent.licence_number}
    form = DocumentsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agent_documents_submit(
                agent=agent,
                licence=form.cleaned_data["licence_image"],
                licence_number=form.cleaned_data["licence_number"],
                licence_expires_on=form.cleaned_data["licence_expires_on"],
                service_provinces=form.cleaned_data["service_provinces"],
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("مدارک شما دریافت شد و در صف بررسی کارشناسان قرار گرفت."))
            return redirect("agents:dashboard")
    return render(request, "agents/documents.html", _wizard_context(agent, form=form))


@agent_required
def dashboard(request, agent):
    from insurance_requests.selectors import agent_response_stats

    show_counts = agent.status != Agent.Status.PENDING_TERMS
    invoices = invoice_list(agent)
    context = _wizard_context(
        agent,
        lead_counts=agent_lead_counts(agent) if show_counts else None,
        invoices=invoices,
        awaiting_invoices=[invoice for invoice in invoices if invoice.awaits_confirmation],
        plans=plan_list(),
        provinces=service_province_list(agent),
        response_stats=agent_response_stats(agent=agent),
    )
    return render(request, "agents/dashboard.html", context)


@agent_required
@require_POST
def trial_start(request, agent):
    try:
        services.subscription_start_trial(agent=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("اشتراک آزمایشی رایگان فعال شد."))
    return redirect("agents:dashboard")


@agent_required
@require_POST
@web_rate_limit("payments")
def purchase(request, agent):
    plan = plan_by_code(request.POST.get("plan"))
    if plan is None:
        messages.error(request, _("طرح اشتراک انتخاب‌شده معتبر نیست."))
        return redirect("agents:dashboard")
    try:
        _invoice, payment_url = services.subscription_purchase_start(
            agent=agent, plan=plan, callback_url=payment_callback_url(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("agents:dashboard")
    return redirect(payment_url)


def _payment_outcome(request, verify) -> None:
    """Run a verify (the callback's or the agent's "check again") and say how it ended."""
    try:
        invoice = verify()
    except ApplicationError as exc:
        # E.g. the gateway did not answer: the invoice stays pending and the message says
        # to check again, which the dashboard's button does.
        messages.error(request, exc.message)
        return
    if invoice.status == invoice.Status.PENDING:
        # Another verify of this payment (a second tab, a repeated callback) is under way.
        messages.info(request, _("پرداخت شما در حال بررسی با درگاه است؛ چند لحظه بعد وضعیت آن را در پیشخوان ببینید."))
    elif invoice.status == invoice.Status.PAID:
        messages.success(
            request, _("پرداخت با موفقیت انجام شد. کد پیگیری: %(ref)s") % {"ref": to_persian_digits(invoice.ref_id)}
        )
    elif invoice.status == invoice.Status.CANCELLED:
        messages.warning(request, _("پرداخت لغو شد و مبلغی کسر نشد."))
    else:
        messages.error(request, _("پرداخت ناموفق بود. اگر مبلغی کسر شده باشد، طی ۷۲ ساعت به حساب شما برمی‌گردد."))


@web_rate_limit("payment_callback", methods=("GET", "POST"), per_address=True)
def payment_callback(request):
    """Where the gateway sends the payer back. The query is only a hint; verify decides.

    Anyone can call it (the payer comes back signed out, too), and each call may ask the
    gateway: limited per client address.
    """
    authority = request.GET.get("Authority", "")
    _payment_outcome(request, lambda: services.payment_complete(authority=authority))
    return redirect("agents:dashboard")


@agent_required
@require_POST
@web_rate_limit("payments")
def payment_recheck(request, agent, invoice_id):
    """The dashboard's "check again" for a payment the gateway did not confirm; another agent's invoice is 404."""
    invoice_for_agent(agent=agent, invoice_id=invoice_id)  # NotFoundError: the 404 page, not a message
    _payment_outcome(request, lambda: services.invoice_payment_recheck(agent=agent, invoice_id=invoice_id))
    return redirect("agents:dashboard")


@require_http_methods(["GET", "POST"])
def payment_sandbox(request, authority):
    """The sandbox bank page (development and tests only): succeed, fail or cancel."""
    payment = sandbox_payment_get(authority) if conf.sandbox_enabled() else None
    if payment is None:
        raise Http404
    if request.method == "POST":
        outcome = {
            "pay": SandboxPayment.Outcome.PAID,
            "fail": SandboxPayment.Outcome.FAILED,
            "cancel": SandboxPayment.Outcome.CANCELLED,
        }.get(request.POST.get("outcome"))
        if outcome is None:
            raise Http404
        payment = sandbox_payment_decide(authority=authority, outcome=outcome)
        return redirect(sandbox_callback_url(payment))
    return render(request, "agents/payment_sandbox.html", {"payment": payment})


def licence_file(request, agent_id):
    """The licence image or PDF, for staff and its owner only; everyone else gets 404."""
    agent = agent_for_licence_view(user=request.user, agent_id=agent_id)
    return private_file_response(agent.licence_file, download_name=f"licence-{agent.pk}")
