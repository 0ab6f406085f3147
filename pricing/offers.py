"""What an agent may ask for an offer (issue 14 point 1): the tariff's premium and the floor.

An agent's offer is priced against the insurer's own quote for the request's inputs. The
agent may give away some of it, but only as far as the insurer itself could go under the
tariff: the floor is the same quote recomputed with the insurer's adjustment at the lowest
bound the tariff allows (`insurer_bounds / min_adjustment`). The line calculators keep their
own floors while doing so, and they hold for the agent too:

- third-party: never below the Central Insurance minimum [003] ("حق بیمه نباید از حداقلی که
  بیمه مرکزی اعلام کرده، کم تر باشد", R-069), and the late penalty is added undiscounted
  after the insurer's adjustment, so no offer can cut it [003] ("کاهش یا حذف آن توسط
  نمایندگی دفتر بیمه تخلف به شمار می آید", R-072);
- body: every discount together stays within the tariff's cap.

The "other" line has no tariff, and an insurer the tariff does not price for the line has
no quote: there the agent types the premium and there is no floor (`None`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pricing.core.engine import CALCULATORS
from pricing.core.tariff import TariffSnapshot


@dataclass(frozen=True)
class OfferBounds:
    """Rial amounts: the insurer's quote (the agent's prefill) and the lowest premium allowed."""

    tariff_premium: int
    floor_premium: int

    @property
    def max_discount(self) -> int:
        return self.tariff_premium - self.floor_premium


def offer_bounds(
    snapshot: TariffSnapshot, line: str, cleaned_params: dict, insurer_code: str, today: dt.date
) -> OfferBounds | None:
    """The insurer's premium for the cleaned params and the floor an agent's discount stops at.

    Pure: the same snapshot, inputs and date give the same amounts. None when there is no
    tariff price (the "other" line, or an insurer that does not sell the line).
    """
    module = CALCULATORS.get(line)
    if module is None:
        return None
    terms = next((t for t in snapshot.insurers_for(line) if t.code == insurer_code), None)
    if terms is None:
        return None
    inp = module.build_input(cleaned_params, snapshot, today)
    tariff_premium = module.quote(inp, snapshot, terms).premium
    lowest = snapshot.line(line).get("insurer_bounds", "min_adjustment", Decimal(0))
    # An insurer already below the bound (a stale row) is clamped by the calculator anyway;
    # the floor never rises above the insurer's own price.
    at_floor = dataclasses.replace(terms, adjustment_percent=min(lowest, terms.adjustment_percent))
    floor_premium = module.quote(inp, snapshot, at_floor).premium
    return OfferBounds(tariff_premium=tariff_premium, floor_premium=min(floor_premium, tariff_premium))
