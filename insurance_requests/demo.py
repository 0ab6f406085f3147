"""A demo request for `make run`: the demo customer asks Iran and Asia for a third-party quote.

Idempotent: nothing is added once the customer has a request.
"""

from accounts.models import User
from insurance_requests.models import InsuranceRequest
from insurance_requests.services import insurance_request_submit
from insurers.models import Province

CUSTOMER_MOBILE = "09121111111"  # created by load_demo_data


def load(stdout):
    customer = User.objects.filter(mobile=CUSTOMER_MOBILE).first()
    if customer is None or InsuranceRequest.objects.filter(customer=customer).exists():
        return
    request, routing = insurance_request_submit(
        customer=customer,
        line_code="third_party",
        insurer_codes=["iran", "asia"],
        params={"vehicle_group": "car_4cyl", "usage": "personal", "no_claim_years": 2},
        province=Province.objects.get(code="tehran"),
        city="تهران",
        note="پژو ۲۰۶ مدل ۱۳۹۸",
    )
    stdout.write(f"Demo request #{request.pk} delivered to {routing.delivered} agent(s).")
