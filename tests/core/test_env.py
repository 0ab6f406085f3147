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
