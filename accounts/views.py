"""Browser pages for accounts. They call the same services as the API."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import forms, selectors, services
from accounts.panels import CUSTOMER_DASHBOARD
from accounts.services.profile import identity_field_locked
from core.exceptions import NotFoundError, RateLimitedError
from core.forms import submit
from core.http import client_ip
from core.text import to_persian_digits
from core.throttling import web_rate_limit

_SESSION_MOBILE = "otp_mobile"
_SESSION_REQUEST = "otp_request"
_SESSION_NEXT = "otp_next"


def _safe_next(request):
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _code_sent(request, form, code) -> str:
    """Remember the code request for the verify page, and go there."""
    request.session[_SESSION_MOBILE] = form.cleaned_data["mobile"]
    request.session[_SESSION_REQUEST] = code.public_id
    next_url = _safe_next(request)
    if next_url:
        request.session[_SESSION_NEXT] = next_url
    return "accounts:verify"


@require_http_methods(["GET", "POST"])
@web_rate_limit("auth", per_address=True)
def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    form = forms.RegisterForm(request.POST or None)
    if done := submit(
        request,
        lambda: services.user_register_request(ip=client_ip(request), **form.cleaned_data),
        form=form,
        success_url=lambda code: _code_sent(request, form, code),
    ):
        return done
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
@web_rate_limit("auth", per_address=True)
def sign_in(request):
    """The one entry «ورود / ثبت‌نام»: a code goes to any valid number; a new one signs up after it."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request) or "accounts:dashboard")
    form = forms.SignInForm(request.POST or None)
    if done := submit(
        request,
        lambda: services.user_sign_in_request(mobile=form.cleaned_data["mobile"], ip=client_ip(request)),
        form=form,
        success_url=lambda code: _code_sent(request, form, code),
    ):
        return done
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


@require_http_methods(["GET", "POST"])
@web_rate_limit("auth", per_address=True)
def verify(request):
    mobile = request.session.get(_SESSION_MOBILE)
    if not mobile:
        return redirect("accounts:login")
    form = forms.CodeForm(request.POST or None)
    if done := submit(
        request,
        lambda: services.user_verify_code(mobile=mobile, code=form.cleaned_data["code"], ip=client_ip(request)),
        form=form,
        success_url=lambda user: _signed_in(request, user),
    ):
        return done
    refusal = getattr(form, "refusal", None)
    retry_after = refusal.retry_after if isinstance(refusal, RateLimitedError) else None
    context = {
        "form": form,
        "mobile": mobile,
        "request_id": request.session.get(_SESSION_REQUEST),
        "resend_after": settings.OTP_RESEND_SECONDS,
        "ttl": settings.OTP_TTL_SECONDS,
    }
    response = render(request, "accounts/verify.html", context, status=429 if retry_after else 200)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _signed_in(request, user) -> str:
    """Start the session of a verified code; where to go next."""
    next_url = request.session.get(_SESSION_NEXT) or reverse("accounts:dashboard")
    services.web_session_start(request=request, user=user, ip=client_ip(request))
    for key in (_SESSION_MOBILE, _SESSION_REQUEST, _SESSION_NEXT):
        request.session.pop(key, None)
    if not services.user_profile_complete(user):
        # A new number: the short sign-up first, then where they were going.
        request.session[_SESSION_NEXT] = next_url
        return "accounts:sign_up"
    messages.success(request, _("خوش آمدید! وارد حساب خود شدید."))
    return next_url


@login_required
@require_http_methods(["GET", "POST"])
def sign_up(request):
    """The short sign-up of a new number, right after its code: name and national code."""
    next_url = request.session.get(_SESSION_NEXT) or reverse("accounts:dashboard")
    if services.user_profile_complete(request.user):
        return redirect(next_url)
    form = forms.SignUpCompleteForm(
        request.POST or None,
        initial={name: getattr(request.user, name) for name in forms.SignUpCompleteForm.base_fields},
    )
    if done := submit(
        request,
        lambda: services.user_sign_up_complete(user=request.user, **form.cleaned_data),
        form=form,
        success_url=lambda _user: _signed_up(request, next_url),
        success_message=_("ثبت‌نام شما کامل شد. خوش آمدید!"),
    ):
        return done
    return render(request, "accounts/sign_up.html", {"form": form})


def _signed_up(request, next_url: str) -> str:
    request.session.pop(_SESSION_NEXT, None)
    return next_url


@require_POST
@web_rate_limit("auth", per_address=True)
def resend(request):
    """A fresh code for the same flow (sign-in or registration); the 60-second wait is shown in Persian."""
    mobile = request.session.get(_SESSION_MOBILE)
    if not mobile:
        return redirect("accounts:login")
    return submit(
        request,
        lambda: services.user_code_resend(
            mobile=mobile, request_id=request.session.get(_SESSION_REQUEST), ip=client_ip(request)
        ),
        success_url=lambda code: _code_resent(request, code),
        refused_url="accounts:verify",
        refusal_text=_resend_refusal_text,
    )


def _code_resent(request, code) -> str:
    request.session[_SESSION_REQUEST] = code.public_id
    messages.info(request, _("کد تازه فرستاده شد."))
    return "accounts:verify"


def _resend_refusal_text(error) -> str:
    if isinstance(error, RateLimitedError):
        return _("%(refusal)s (کد تازه را %(seconds)s ثانیه دیگر بخواهید.)") % {
            "refusal": error.message,
            "seconds": to_persian_digits(str(error.retry_after)),
        }
    return error.message


def code_status(request):
    """The htmx fragment on the verify page: is the SMS on its way, sent, or failed?"""
    public_id = request.session.get(_SESSION_REQUEST)
    if not public_id:
        raise NotFoundError(_("درخواست کدی در جریان نیست."))
    status = selectors.one_time_code_status(public_id=public_id)
    return render(request, "accounts/_code_status.html", {"status": status})


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        key = request.session.session_key
        from accounts.models import UserSession

        UserSession.objects.filter(session_key=key).delete()
    logout(request)
    messages.info(request, _("از حساب خود خارج شدید."))
    return redirect("home")


@login_required
def dashboard(request):
    context = {
        "notifications": selectors.notification_list(user=request.user),
        "tickets": selectors.ticket_list(user=request.user)[:5],
        "profile_complete": services.user_profile_complete(request.user),
        # agent_links: the agents asking to record policies for this customer (policies, above accounts).
        **CUSTOMER_DASHBOARD.context(user=request.user),
    }
    return render(request, "accounts/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    locked = [field for field in ("birth_date",) if identity_field_locked(user, field)]
    form = forms.ProfileForm(request.POST or None, user=user, locked=locked)
    if done := submit(
        request,
        lambda: services.user_profile_update(user=user, data=_profile_data(form)),
        form=form,
        success_url="accounts:profile",
        success_message=_("نمایه ذخیره شد."),
    ):
        return done
    user.refresh_from_db()
    context = {"form": form, "changes": selectors.identity_change_list(user=user)[:10]}
    return render(request, "accounts/profile.html", context)


def _profile_data(form) -> dict:
    data = {name: form.cleaned_data[name] for name in form.fields}
    data["postal_code"] = data.get("postal_code") or ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("support")
def identity_change(request):
    form = forms.IdentityChangeForm(request.POST or None, initial={"field": request.GET.get("field")})
    if done := submit(
        request,
        lambda: services.identity_change_request_create(user=request.user, **form.cleaned_data),
        form=form,
        success_url="accounts:profile",
        success_message=_("درخواست شما ثبت شد و پس از بررسی کارشناسان نتیجه پیامک می‌شود."),
    ):
        return done
    return render(request, "accounts/identity_change.html", {"form": form})


@login_required
def sessions(request):
    rows = selectors.user_sign_ins(user=request.user)
    for row in rows:
        row["current"] = row["kind"] == "web" and row["session_key"] == request.session.session_key
    return render(request, "accounts/sessions.html", {"rows": rows})


@login_required
@require_POST
def session_end(request, kind, session_id):
    services.user_session_end(user=request.user, kind=kind, session_id=session_id)
    messages.success(request, _("آن ورود پایان یافت."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sign_out_everywhere(request):
    ended = services.user_sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("از همه دستگاه‌ها خارج شدید (%(ended)s ورود پایان یافت).") % {"ended": ended})
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("support")
def tickets(request):
    form = forms.TicketForm(request.POST or None, initial={"category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        ticket = services.ticket_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("تیکت شما ثبت شد؛ پاسخ پشتیبانی را همین‌جا و با پیامک خبر می‌دهیم."))
        return redirect("accounts:ticket_detail", ticket_id=ticket.pk)
    return render(request, "accounts/tickets.html", {"form": form, "tickets": selectors.ticket_list(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("support")
def ticket_detail(request, ticket_id):
    ticket = selectors.ticket_for_user(user=request.user, ticket_id=ticket_id)
    form = forms.TicketMessageForm(request.POST or None)
    if done := submit(
        request,
        lambda: services.ticket_add_message(ticket=ticket, author=request.user, body=form.cleaned_data["body"]),
        form=form,
        success_url=reverse("accounts:ticket_detail", kwargs={"ticket_id": ticket.pk}),
    ):
        return done
    return render(request, "accounts/ticket_detail.html", {"ticket": ticket, "form": form})
