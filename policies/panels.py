"""Pages and panels across layers (core.panels, issue 15 point 6): the policy page that apps
above policies add to, and what policies shows on the pages of apps below it. `portal.wiring`
registers each provider with its page."""

from core.panels import PagePanels
from policies.relationships import pending_links_for_customer

# A policy's page: declarations adds a floating policy's stock declarations (declarations.panels).
POLICY_PAGE = PagePanels("policies:detail")


def customer_dashboard_links(*, user) -> dict:
    """The customer's dashboard: agents asking to record policies for them wait for their answer here."""
    return {"agent_links": list(pending_links_for_customer(user))}
