"""The admin's code → Persian label catalogue, built from every app's own catalogues.

`core.admin_display` shows codes as labels but sits below the apps that name them, so the
catalogue is assembled here, in the top layer, and installed by `portal.wiring` (issue 15
point 6; it was `core.admin_display._build_catalogue`).
"""

from claims import rules as claim_rules
from core.admin_display import VALUE_LABELS_EXTRA
from insurers.lines import QUOTABLE_LINES
from insurers.models import InsuranceLine, Insurer
from policies.issue_rules import special_case_labels
from pricing.selectors import line_parameters


def code_labels() -> dict[str, str]:
    """Later sources win: insurers over lines over special cases over the rest; among the
    rest the first to name a code keeps it."""
    labels: dict[str, str] = {str(k): str(v) for k, v in VALUE_LABELS_EXTRA.items()}
    try:
        for line in QUOTABLE_LINES:
            for param in line_parameters(line):
                labels.setdefault(param["name"], str(param["label"]))
                for choice in param.get("choices", []):
                    labels.setdefault(str(choice["value"]), str(choice["label"]))
    except Exception:  # noqa: BLE001, S110 (no tariff in force: the other catalogues still label)
        pass
    for causes in claim_rules.CAUSES.values():
        for cause in causes:
            labels.setdefault(cause.code, str(cause.label))
    for line in claim_rules.CAUSES:
        for code, label in claim_rules.document_kinds(line).items():
            labels.setdefault(code, label)
    labels.update({code: str(label) for code, label in special_case_labels().items()})
    labels.update(dict(InsuranceLine.objects.values_list("code", "name")))
    labels.update(dict(Insurer.objects.values_list("code", "name")))
    return labels
