"""What the marketplace shows on the pages of apps below it (core.panels, issue 15 point 6);
`portal.wiring` registers each function with its page."""

from agents.models import Agent
from insurance_requests.selectors import agent_lead_counts, agent_response_stats


def agent_dashboard_marketplace(*, agent: Agent) -> dict:
    """The agent's dashboard: the open requests per line once the terms are accepted (None
    before: the page says why), and how fast the agent has answered."""
    show_counts = agent.status != Agent.Status.PENDING_TERMS
    return {
        "lead_counts": agent_lead_counts(agent) if show_counts else None,
        "response_stats": agent_response_stats(agent=agent),
    }
