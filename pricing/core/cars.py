"""The car catalogue in the calculators: a customer picks a make and model, and the tariff
inputs it implies (the third-party group, the body engine class) follow (issue 14 point 5).

`car_model` and the tariff code it implies may both be sent (API.md keeps `vehicle_group`):
when both are given they must agree, so a car is never priced in someone else's group.
"""

from __future__ import annotations

from pricing.core import params as p
from pricing.core.errors import InputError
from pricing.core.i18n import gettext_cached as _
from pricing.core.tariff import CarSpec, TariffSnapshot

CAR_FIELD = "car_model"


def car_choices(snapshot: TariffSnapshot, *, attribute: str) -> tuple[p.Choice, ...]:
    """The catalogue's cars whose `attribute` (group or engine class) the tariff prices, grouped by make."""
    return tuple(p.Choice(car.code, car.name, group=car.make) for car in snapshot.cars if getattr(car, attribute))


def car_params(snapshot: TariffSnapshot, *, attribute: str, help_text: str) -> tuple[p.Param, ...]:
    """The car picker, or nothing when the catalogue has no car for this line."""
    choices = car_choices(snapshot, attribute=attribute)
    if not choices:
        return ()
    return (p.Param(CAR_FIELD, _("خودرو (سازنده و مدل)"), p.CHOICE, default=None, choices=choices, help=help_text),)


def derive_from_car(
    cleaned: dict,
    snapshot: TariffSnapshot,
    *,
    field: str,
    attribute: str,
    default: str,
    labels: dict[str, str],
) -> dict:
    """`cleaned` with `field` taken from the chosen car (or `default` when neither is given).

    `labels` maps the tariff codes the line prices to their Persian labels; InputError when
    the car is unknown, its code is not in the tariff, or the given `field` disagrees.
    """
    values = dict(cleaned)
    given = values.get(field)
    code = values.get(CAR_FIELD)
    if not code:
        if given in (None, ""):
            values[field] = default
        return values
    car: CarSpec | None = snapshot.car(code)
    if car is None:
        raise InputError({CAR_FIELD: [_("خودروی «%(code)s» در فهرست خودروها نیست.") % {"code": str(code)[:60]}]})
    implied = getattr(car, attribute)
    if implied not in labels:
        raise InputError(
            {CAR_FIELD: [_("«%(car)s» در تعرفه این رشته قیمت ندارد؛ با نماینده تماس بگیرید.") % {"car": car.name}]}
        )
    if given not in (None, "") and given != implied:
        raise InputError(
            {
                field: [
                    _(
                        "«%(car)s» در رده «%(implied)s» است، نه «%(given)s»؛ "
                        "این مورد را خالی بگذارید یا با خودرو هم‌خوان کنید."
                    )
                    % {"car": car.name, "implied": labels[implied], "given": labels.get(given, given)}
                ]
            }
        )
    values[field] = implied
    return values
