"""Support tickets: the user writes, staff reply from the admin, the user is told."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import SupportTicket, TicketMessage, User
from accounts.notifications import notify
from core.exceptions import ConflictError


@transaction.atomic
def ticket_create(*, user: User, category: str, subject: str, body: str) -> SupportTicket:
    ticket = SupportTicket.objects.create(user=user, category=category, subject=subject.strip())
    TicketMessage.objects.create(ticket=ticket, author=user, body=body.strip())
    return ticket


@transaction.atomic
def ticket_add_message(*, ticket: SupportTicket, author: User, body: str) -> TicketMessage:
    """A follow-up from the ticket's owner re-opens it for staff."""
    ticket = SupportTicket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == SupportTicket.Status.CLOSED:
        raise ConflictError(_("این تیکت بسته شده است؛ تیکت تازه‌ای باز کنید."), code="ticket_closed")
    message = TicketMessage.objects.create(ticket=ticket, author=author, body=body.strip())
    ticket.status = SupportTicket.Status.OPEN
    ticket.save(update_fields=["status", "updated_at"])
    return message


@transaction.atomic
def ticket_reply(*, ticket: SupportTicket, staff: User, body: str, close: bool = False) -> TicketMessage:
    """A staff answer: saved, shown in-app and announced by SMS after commit."""
    ticket = SupportTicket.objects.select_for_update().select_related("user").get(pk=ticket.pk)
    message = TicketMessage.objects.create(ticket=ticket, author=staff, body=body.strip(), is_staff_reply=True)
    ticket.status = SupportTicket.Status.CLOSED if close else SupportTicket.Status.ANSWERED
    ticket.save(update_fields=["status", "updated_at"])
    text = _("بیمه مال: به تیکت «%(subject)s» شما پاسخ داده شد.") % {"subject": ticket.subject[:40]}
    notify(ticket.user, text, url=reverse("accounts:ticket_detail", args=[ticket.pk]), sms=True)
    return message
