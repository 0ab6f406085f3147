"""The accounts' pages that show data of apps above accounts (core.panels, issue 15 point 6)."""

from core.panels import PagePanels

# The customer's dashboard: policies adds the agents waiting for the customer's answer to
# record a policy for them (policies.panels).
CUSTOMER_DASHBOARD = PagePanels("accounts:dashboard")
