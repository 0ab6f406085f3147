from celery import shared_task

from insurance_requests import services


@shared_task(acks_late=True)
def notify_new_lead(request_id):
    return services.lead_notify_agents(request_id=request_id)


@shared_task
def expire_stale_requests():
    return services.insurance_requests_expire_stale()


@shared_task
def remind_unanswered_leads():
    return services.leads_remind_unanswered()
