"""The agents' pages that show data of apps above agents (core.panels, issue 15 point 6)."""

from core.panels import PagePanels

# The agent's dashboard: the marketplace adds the open requests of the agent's lines and the
# agent's response times (insurance_requests.panels).
AGENT_DASHBOARD = PagePanels("agents:dashboard")
