"""What declarations shows on the pages of apps below it (core.panels, issue 15 point 6);
`portal.wiring` registers each function with its page."""

from declarations.selectors import floating_summary
from policies.models import Policy


def policy_page_floating(*, policy: Policy) -> dict:
    """A policy's page: a floating policy's stock declarations (None for any other policy)."""
    return {"floating": floating_summary(policy)}
