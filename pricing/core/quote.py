"""The value objects a calculator returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BreakdownLine:
    """One line of a quote: a stable `code` for machines, a Persian `label`, rial `amount`."""

    code: str
    label: str
    amount: int

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "amount": self.amount}


@dataclass(frozen=True, slots=True)
class Installment:
    due_on: dt.date
    amount: int

    def as_dict(self) -> dict:
        return {"due_on": self.due_on.isoformat(), "amount": self.amount}


@dataclass(frozen=True)
class Quote:
    """One insurer's price for one set of inputs; `breakdown` sums exactly to `premium`."""

    insurer: str
    insurer_name: str
    premium: int
    breakdown: tuple[BreakdownLine, ...]
    inspection_required: bool | None = None
    installments: tuple[Installment, ...] | None = None

    def as_dict(self) -> dict:
        data = {
            "insurer": self.insurer,
            "insurer_name": self.insurer_name,
            "premium": self.premium,
            "breakdown": [line.as_dict() for line in self.breakdown],
        }
        if self.inspection_required is not None:
            data["inspection_required"] = self.inspection_required
        if self.installments is not None:
            data["installments"] = [installment.as_dict() for installment in self.installments]
        return data
