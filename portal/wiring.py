"""Where the top layer connects what the layers keep apart (issue 15 point 6).

An app imports only the apps below it (pyproject.toml, `[tool.importlinter]`). When a page
or the admin of a lower app shows data an upper app owns, the lower app declares the slot
(`core.panels.PagePanels`, `core.admin_display.sources_install`), the upper app provides a
function, and this module, which may import every app, plugs one into the other. It runs
once from `PortalConfig.ready()`; every registration is idempotent.
"""

from accounts.panels import CUSTOMER_DASHBOARD
from agents.panels import AGENT_DASHBOARD
from core import admin_display
from declarations.panels import policy_page_floating
from insurance_requests.panels import agent_dashboard_marketplace
from policies.panels import POLICY_PAGE, customer_dashboard_links
from portal.admin_labels import code_labels
from pricing.selectors import line_parameters


def install() -> None:
    CUSTOMER_DASHBOARD.register(customer_dashboard_links)
    AGENT_DASHBOARD.register(agent_dashboard_marketplace)
    POLICY_PAGE.register(policy_page_floating)
    admin_display.sources_install(line_parameters=line_parameters, code_labels=code_labels)
