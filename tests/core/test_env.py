from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from bimemall.env import Env


@pytest.mark.parametrize("raw", ["true", "True", "1", "yes", "on"])
def test_true_spellings(raw):
    assert Env({"DEBUG": raw}).bool("DEBUG") is True


@pytest.mark.parametrize("raw", ["false", "0", "no", "off"])
def test_false_spellings(raw):
    assert Env({"DEBUG": raw}).bool("DEBUG") is False


@pytest.mark.parametrize("raw", ["ture", "flase", "2", "y"])
def test_a_typo_in_a_boolean_fails_loudly(raw):
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        Env({"DEBUG": raw}).bool("DEBUG", False)


def test_missing_required_value_fails():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        Env({}).str("SECRET_KEY")


def test_unknown_sms_backend_fails():
    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND"):
        Env({"SMS_BACKEND": "kavenegr"}).choice("SMS_BACKEND", {"console", "locmem", "kavenegar"})


def test_database_url_with_unknown_scheme_fails():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        Env({"DATABASE_URL": "mysq://x"}).url("DATABASE_URL", {"sqlite", "postgres"})


def test_list_splits_on_commas():
    assert Env({"ALLOWED_HOSTS": "a.ir, b.ir,"}).list("ALLOWED_HOSTS") == ["a.ir", "b.ir"]


def test_float_reads_a_number():
    """issue 15 point 7: timeouts (seconds) come from the environment."""
    assert Env({"ZARINPAL_READ_TIMEOUT_SECONDS": "12.5"}).float("ZARINPAL_READ_TIMEOUT_SECONDS", 10.0) == 12.5


@pytest.mark.parametrize("raw", ["ten", "nan", "inf"])
def test_a_float_that_is_not_a_finite_number_fails_loudly(raw):
    with pytest.raises(ImproperlyConfigured, match="ZARINPAL_READ_TIMEOUT_SECONDS"):
        Env({"ZARINPAL_READ_TIMEOUT_SECONDS": raw}).float("ZARINPAL_READ_TIMEOUT_SECONDS", 10.0)


def test_decimal_is_exact():
    """issue 15 point 7: a percentage of money is read as a Decimal, never a binary float."""
    assert Env({"PERCENT": "7.1"}).decimal("PERCENT", Decimal(10)) == Decimal("7.1")


@pytest.mark.parametrize("raw", ["7,5", "NaN", "Infinity"])
def test_a_decimal_typo_fails_loudly(raw):
    with pytest.raises(ImproperlyConfigured, match="PERCENT"):
        Env({"PERCENT": raw}).decimal("PERCENT", Decimal(10))
