from bimemall.celery import app_task
from insurance_requests import services


@app_task(name="insurance_requests.tasks.notify_new_lead", acks_late=True)
def notify_new_lead(request_id):
    return services.lead_notify_agents(request_id=request_id)


@app_task(name="insurance_requests.tasks.expire_stale_requests")
def expire_stale_requests():
    """Every 15 minutes: expire stale requests, and end the renewal head starts that ran out
    (issue 14 point 6), so the other agents receive those requests within the quarter hour.
    Returns the expired count, as before."""
    expired = services.insurance_requests_expire_stale()
    services.insurance_requests_release_preferred()
    return expired


@app_task(name="insurance_requests.tasks.remind_unanswered_leads")
def remind_unanswered_leads():
    return services.leads_remind_unanswered()
