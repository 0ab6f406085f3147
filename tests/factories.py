import factory
from django.utils import timezone

from accounts.models import User


def _national_code(n):
    """A valid national code derived from a sequence number."""
    body = f"{(n * 7919 + 100000003) % 10**9:09d}"
    remainder = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return body + str(check)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    mobile = factory.Sequence(lambda n: f"0912{n:07d}")
    national_code = factory.Sequence(_national_code)
    first_name = "علی"
    last_name = factory.Sequence(lambda n: f"رضایی{n}")
    mobile_verified_at = factory.LazyFunction(timezone.now)


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True
    password = factory.django.Password("staff-pass-123")
