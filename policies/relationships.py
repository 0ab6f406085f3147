"""Who an agent may record a policy for (issue 13 point 1): reads, writes and the gate.

A policy is recorded for a customer only through a relationship with the recording agent:
- the customer accepted this agent's answer on one of their requests (still cooperating);
- this agent already issued the customer a policy (a renewal by a new policy, a second line);
- the customer confirmed a `CustomerLink` this agent asked for: by reading the SMS code
  to the agent, or in their own account.

Before a relationship the agent learns nothing about a mobile number: asking for a link
answers the same for a registered and an unknown number (the customer is looked up only
when the holder of the number confirms), and `policy_record` refuses both with one message.
Recording and asking for links need an open communication gateway (verified, a
subscription in force, licence valid, terms accepted) and are rate limited (the
`policy_record` and `customer_links` scopes).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.notifications import notify
from accounts.validation import normalize_mobile
from agents.models import Agent
from agents.permissions import GATEWAY_CLOSED
from agents.selectors import agent_for_user, gateway_active, subscription_state
from core import secret_codes
from core.exceptions import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from core.services import audit_record
from core.text import prefix_once, to_latin_digits
from insurance_requests.models import InsuranceRequest
from policies.models import CustomerLink, Policy
from sms.exceptions import SmsPermanentError, SmsTransientError
from sms.services import get_backend, sms_text

logger = logging.getLogger(__name__)

# The link code: 6 digits, read aloud by the customer to the agent. A short life and few
# tries per code; a new code no sooner than a minute and at most a handful per link, so
# one link gives an agent at most LINK_CODE_MAX_ATTEMPTS × LINK_CODE_MAX_SENDS guesses
# (25 in a million) and a number at most LINK_CODE_MAX_SENDS texts from one agent.
LINK_CODE_LENGTH = 6
LINK_CODE_TTL = timedelta(minutes=10)
LINK_CODE_MAX_ATTEMPTS = 5
LINK_CODE_RESEND = timedelta(seconds=60)
LINK_CODE_MAX_SENDS = 5
# A pending link waits this long for the customer (an unknown number may sign up meanwhile).
LINK_LIFETIME = timedelta(days=7)
# After a customer declines, the same agent may not ask the same number again for this long.
DECLINE_QUIET_PERIOD = timedelta(days=30)

# One refusal for every mobile without a relationship, registered or not (issue 13 point 1):
# the same status, field, code and text, so the answer tells the agent nothing.
NO_RELATIONSHIP = gettext_lazy(
    "ابتدا بیمه‌گذار باید ارتباط شما را تأیید کند: یا پاسخ شما را در درخواست خود پذیرفته باشد، "
    "یا درخواست ارتباط شما را با کد پیامکی یا در حساب کاربری خود تأیید کند."
)


# --- the gate: an open gateway --------------------------------------------------------------


def recording_refusal(agent: Agent | None) -> ForbiddenError | None:
    """Why this agent may not record policies or ask for links now (None when it may)."""
    if agent is None:
        return ForbiddenError(_("فقط نمایندگان می‌توانند بیمه‌نامه ثبت کنند."), code="not_an_agent")
    if agent.status != Agent.Status.VERIFIED:
        return ForbiddenError(
            _("پرونده نمایندگی شما هنوز تأیید نشده است و نمی‌توانید بیمه‌نامه ثبت کنید."), code="agent_not_verified"
        )
    if gateway_active(agent):
        return None
    if not subscription_state(agent).is_open:
        return ForbiddenError(
            _("اشتراک شما فعال نیست؛ ثبت بیمه‌نامه و ارتباط با بیمه‌گذاران به اشتراک فعال نیاز دارد."),
            code="subscription_inactive",
        )
    return ForbiddenError(str(GATEWAY_CLOSED), code="gateway_closed")


def require_recording_agent(user) -> Agent:
    """The caller's agent profile when its gateway is open; a Persian 403 that says why otherwise."""
    agent = agent_for_user(user)
    refusal = recording_refusal(agent)
    if refusal is not None:
        raise refusal
    return agent


# --- reads ----------------------------------------------------------------------------------


def customer_for_agent(*, agent: Agent, mobile: str) -> User | None:
    """The customer of `mobile` if they are in a relationship with `agent`, else None.

    One query whatever the number: an unknown number and a registered stranger cost the
    same, so neither the answer nor its timing tells them apart.
    """
    issued = Policy.objects.filter(agent=agent, customer=OuterRef("pk"))
    accepted = InsuranceRequest.objects.filter(
        customer=OuterRef("pk"), status=InsuranceRequest.Status.ACCEPTED, accepted_response__agent=agent
    )
    linked = CustomerLink.objects.filter(agent=agent, customer=OuterRef("pk"), status=CustomerLink.Status.CONFIRMED)
    return (
        User.objects.filter(mobile=mobile, is_active=True)
        .filter(Exists(issued) | Exists(accepted) | Exists(linked))
        .first()
    )


def link_is_open(link: CustomerLink, *, now=None) -> bool:
    return link.status == CustomerLink.Status.PENDING and link.expires_at > (now or timezone.now())


def link_status(link: CustomerLink, *, now=None) -> str:
    """The status as the parties see it: a pending link past its life is expired."""
    if link.status == CustomerLink.Status.PENDING and not link_is_open(link, now=now):
        return CustomerLink.Status.EXPIRED
    return link.status


def link_list_for_agent(agent: Agent) -> QuerySet[CustomerLink]:
    return CustomerLink.objects.filter(agent=agent).select_related("customer").order_by("-created_at", "-id")


def link_for_agent(*, agent: Agent, link_id) -> CustomerLink:
    link = link_list_for_agent(agent).filter(pk=link_id).first()
    if link is None:
        raise NotFoundError(_("این درخواست ارتباط پیدا نشد."))
    return link


def pending_links_for_customer(user) -> QuerySet[CustomerLink]:
    """Links waiting for this customer's answer: asked for their number, still open."""
    if user is None or not user.is_authenticated:
        return CustomerLink.objects.none()
    return (
        CustomerLink.objects.filter(
            mobile=user.mobile, status=CustomerLink.Status.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("agent", "agent__insurer")
        .order_by("-created_at", "-id")
    )


# --- writes ---------------------------------------------------------------------------------


LINK_CODE_PURPOSE = "customer-link"


def _normalized(mobile) -> str:
    try:
        return normalize_mobile(mobile)
    except Exception:
        raise ApplicationError(_("شماره موبایل بیمه‌گذار معتبر نیست."), field="mobile") from None


def _claim_code_slot(link: CustomerLink, now) -> bool:
    """On the locked link: whether a new code goes out now (the old one dies with it)."""
    if not link_is_open(link, now=now) or link.codes_sent >= LINK_CODE_MAX_SENDS:
        return False
    if link.code_sent_at is not None and now - link.code_sent_at < LINK_CODE_RESEND:
        return False
    link.code_sent_at = now
    link.codes_sent += 1
    link.code_hash = ""
    link.code_salt = ""
    link.code_expires_at = None
    link.code_attempts = 0
    link.save(
        update_fields=["code_sent_at", "codes_sent", "code_hash", "code_salt", "code_expires_at", "code_attempts"]
    )
    return True


def customer_link_request(*, user, mobile: str) -> CustomerLink:
    """An agent asks to serve the holder of `mobile`: an SMS with a code and the agency's name.

    The same answer for any valid number: nothing here looks the number up among users.
    Asking again returns the same pending link (a new code after a minute, a few at most);
    a confirmed link is returned as it is; a recent decline is not asked again.
    """
    agent = require_recording_agent(user)
    mobile = _normalized(mobile)
    now = timezone.now()
    with transaction.atomic():
        CustomerLink.objects.filter(
            agent=agent, mobile=mobile, status=CustomerLink.Status.PENDING, expires_at__lte=now
        ).update(status=CustomerLink.Status.EXPIRED)
        standing = (
            CustomerLink.objects.select_for_update()
            .filter(agent=agent, mobile=mobile)
            .exclude(status=CustomerLink.Status.EXPIRED)
            .order_by("-created_at", "-id")
            .first()
        )
        if standing is not None and (
            standing.status in (CustomerLink.Status.PENDING, CustomerLink.Status.CONFIRMED)
            or (standing.status == CustomerLink.Status.DECLINED and now - standing.decided_at < DECLINE_QUIET_PERIOD)
        ):
            link = standing
        else:
            try:
                # Two requests for the same number at once: the constraint lets one pending
                # link exist; the other waits for it and takes it.
                with transaction.atomic():
                    link = CustomerLink.objects.create(
                        agent=agent, mobile=mobile, created_at=now, expires_at=now + LINK_LIFETIME
                    )
                audit_record(actor=user, action="customer_link.request", target=link, data={"mobile": mobile})
            except IntegrityError:
                link = CustomerLink.objects.select_for_update().get(
                    agent=agent, mobile=mobile, status=CustomerLink.Status.PENDING
                )
        if _claim_code_slot(link, now):
            from policies.tasks import deliver_customer_link_code

            # A broker that is down loses this code (logged): the agent may ask again after a minute.
            deliver_customer_link_code.delay_on_commit(link.pk)
    return link


def customer_link_deliver_code(*, link_id: int) -> None:
    """Draw the code, store its salted hash, text it with the agency's name (the task's work).

    The plain code exists only here, in memory: not in the broker, a log or the database.
    """
    link = CustomerLink.objects.select_related("agent", "agent__insurer").filter(pk=link_id).first()
    now = timezone.now()
    if link is None or not link_is_open(link, now=now) or link.code_hash:
        return
    plain = secret_codes.draw_code(LINK_CODE_LENGTH)
    salt = secret_codes.new_salt()
    claimed = CustomerLink.objects.filter(
        pk=link.pk, status=CustomerLink.Status.PENDING, code_hash="", code_sent_at=link.code_sent_at
    ).update(
        code_hash=secret_codes.hash_code(plain, salt, purpose=LINK_CODE_PURPOSE),
        code_salt=salt,
        code_expires_at=now + LINK_CODE_TTL,
    )
    if not claimed:
        return
    text = _(
        "بیمه مال: «%(agency)s» (%(insurer)s، کد نمایندگی %(code)s) می‌خواهد برای شما بیمه‌نامه ثبت کند. "
        "اگر موافقید، کد %(otp)s را به نماینده بگویید یا در حساب خود در بیمه مال تأیید کنید. "
        "اگر این نماینده را نمی‌شناسید، کاری لازم نیست."
    ) % {
        "agency": prefix_once(_("نمایندگی"), link.agent.agency_name),
        "insurer": link.agent.insurer.name,
        "code": link.agent.agency_code,
        "otp": plain,
    }
    try:
        get_backend().send_text(to=link.mobile, text=sms_text(text))
    except SmsTransientError:
        # The task retries with a fresh code: this one never reached anybody.
        CustomerLink.objects.filter(pk=link.pk).update(code_hash="", code_salt="", code_expires_at=None)
        raise
    except SmsPermanentError as exc:
        logger.warning("Customer link code refused by the SMS provider: %s", exc)
        CustomerLink.objects.filter(pk=link.pk).update(code_hash="", code_salt="", code_expires_at=None)


def _wrong_code() -> ApplicationError:
    return ApplicationError(_("کد واردشده درست نیست یا منقضی شده است."), field="code", code="invalid_code")


def customer_link_confirm_code(*, user, link_id, code: str) -> CustomerLink:
    """The agent enters the code the customer read to them; on success the customer is revealed.

    At most LINK_CODE_MAX_ATTEMPTS wrong tries per code, weighed under the link's row lock.
    A right code for a number nobody has signed up with yet leaves the link pending (the
    holder, having read out the code, agreed to be told they must sign up first).
    """
    agent = require_recording_agent(user)
    now = timezone.now()
    # The text carries the code in Persian digits; whichever digits are typed back, compare ASCII.
    code = to_latin_digits(str(code or "")).strip()
    with transaction.atomic():
        link = CustomerLink.objects.select_for_update().filter(pk=link_id, agent=agent).first()
        if link is None:
            raise NotFoundError(_("این درخواست ارتباط پیدا نشد."))
        if link.status == CustomerLink.Status.CONFIRMED:
            return link
        if not link_is_open(link, now=now):
            raise ConflictError(_("این درخواست ارتباط دیگر باز نیست؛ دوباره درخواست دهید."), code="link_closed")
        usable = bool(
            link.code_hash
            and link.code_expires_at is not None
            and link.code_expires_at > now
            and link.code_attempts < LINK_CODE_MAX_ATTEMPTS
        )
        matches = usable and secret_codes.code_matches(link.code_hash, code, link.code_salt, purpose=LINK_CODE_PURPOSE)
        if matches:
            customer = User.objects.filter(mobile=link.mobile, is_active=True).first()
            if customer is None:
                raise ConflictError(
                    _(
                        "کد درست است، اما این شماره هنوز در بیمه مال ثبت‌نام نکرده است. پس از ثبت‌نام، "
                        "بیمه‌گذار می‌تواند درخواست را در حساب خود تأیید کند."
                    ),
                    code="customer_not_signed_up",
                )
            _confirm(link=link, customer=customer, by=CustomerLink.ConfirmedBy.CODE, now=now)
            audit_record(actor=user, action="customer_link.confirm_code", target=link)
            _notify_customer_confirmed(link)
            return link
        if usable:
            CustomerLink.objects.filter(pk=link.pk).update(code_attempts=F("code_attempts") + 1)
    # Outside the block: the wrong try is counted, then refused.
    raise _wrong_code()


def _confirm(*, link: CustomerLink, customer: User, by: str, now) -> None:
    link.status = CustomerLink.Status.CONFIRMED
    link.customer = customer
    link.confirmed_by = by
    link.decided_at = now
    link.code_hash = ""
    link.code_salt = ""
    link.save(update_fields=["status", "customer", "confirmed_by", "decided_at", "code_hash", "code_salt"])


def _notify_customer_confirmed(link: CustomerLink) -> None:
    notify(
        link.customer,
        _("شما ارتباط با «%(agency)s» را تأیید کردید؛ این نماینده می‌تواند برای شما بیمه‌نامه ثبت کند.")
        % {"agency": prefix_once(_("نمایندگی"), link.agent.agency_name)},
    )


def customer_link_answer(*, user, link_id, accept: bool) -> CustomerLink:
    """The customer confirms or declines, in their account, a link asked for their number."""
    now = timezone.now()
    with transaction.atomic():
        link = (
            CustomerLink.objects.select_for_update(of=("self",))
            .select_related("agent", "agent__user")
            .filter(pk=link_id, mobile=user.mobile, status=CustomerLink.Status.PENDING, expires_at__gt=now)
            .first()
        )
        if link is None:
            raise NotFoundError(_("این درخواست ارتباط پیدا نشد یا دیگر باز نیست."))
        if accept:
            _confirm(link=link, customer=user, by=CustomerLink.ConfirmedBy.ACCOUNT, now=now)
            text = _(
                "«%(name)s» (%(mobile)s) ارتباط با شما را تأیید کرد؛ اکنون می‌توانید برای او بیمه‌نامه ثبت کنید."
            ) % {
                "name": user.get_full_name(),
                "mobile": user.mobile,
            }
        else:
            link.status = CustomerLink.Status.DECLINED
            link.customer = user
            link.decided_at = now
            link.code_hash = ""
            link.save(update_fields=["status", "customer", "decided_at", "code_hash"])
            text = _("درخواست ارتباط شما با شماره %(mobile)s پذیرفته نشد.") % {"mobile": link.mobile}
        audit_record(actor=user, action="customer_link.confirm" if accept else "customer_link.decline", target=link)
        notify(link.agent.user, text)
    return link
