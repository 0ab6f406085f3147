import logging

import pytest
from django.test import RequestFactory

from core.http import client_ip
from core.logging import RedactPersonalDataFilter
from core.templatetags.persian import fa_digits, jalali, toman

pytestmark = pytest.mark.django_db


def test_home_page_is_persian_rtl_with_the_five_lines(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    for name in ["شخص ثالث", "بدنه", "آتش‌سوزی", "مسافرتی", "الکترونیک"]:
        assert name in html


def test_pages_load_no_asset_from_a_foreign_host(client):
    html = client.get("/").content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert "/static/vendor/vazirmatn/" in html


def test_every_page_carries_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_healthz_answers_when_up(client):
    assert client.get("/healthz").status_code == 200


def test_readyz_checks_the_database(client):
    body = client.get("/readyz").json()
    assert body["checks"]["database"] is True


def test_readyz_is_503_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["redis"] is False


def test_reference_data_is_present_after_migrate():
    from insurers.models import InsuranceLine, Insurer, Province

    assert Province.objects.count() == 31
    assert set(InsuranceLine.objects.values_list("code", flat=True)) == {
        "third_party",
        "body",
        "fire",
        "travel",
        "electronics",
        "other",
    }
    assert {"iran", "asia", "dana", "tejarat_no", "atiyeh_sazan_hafez"} <= set(
        Insurer.objects.values_list("code", flat=True)
    )


def test_provinces_api_lists_31_with_code_and_name(api_client):
    body = api_client.get("/api/v1/provinces/").json()
    assert len(body) == 31 and {"code": "tehran", "name": "تهران"} in body


def test_openapi_schema_and_self_hosted_docs(client):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs and "https://" not in docs


def test_toman_filter_divides_rial_by_ten_with_persian_separators():
    assert toman(12_345_670) == "۱٬۲۳۴٬۵۶۷ تومان"


def test_jalali_filter():
    import datetime

    assert jalali(datetime.date(2026, 11, 21)) == "۱۴۰۵/۰۸/۳۰"
    assert fa_digits("0912") == "۰۹۱۲"


def test_client_ip_trusts_only_our_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 5.5.5.5")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "5.5.5.5"  # 6.6.6.6 was written by the client itself


def test_log_filter_hides_mobiles_national_codes_codes_and_the_kavenegar_key():
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "to %s nc %s code %s url %s",
        (
            "09121234567",
            "0499370899",
            "123456",
            "https://api.kavenegar.com/v1/SECRETKEY/verify/lookup.json",
        ),
        None,
    )
    RedactPersonalDataFilter().filter(record)
    text = record.getMessage()
    for secret in ["09121234567", "0499370899", "123456", "SECRETKEY"]:
        assert secret not in text


@pytest.mark.parametrize(
    ("path", "title"), [("/", "خانه | بیمه مال"), ("/accounts/login/", "ورود / ثبت‌نام | بیمه مال")]
)
def test_page_title_separates_the_page_from_the_site_name(client, path, title):
    """A browser tab read 'ورودبیمه مال': the separator hung on a Jinja-only `self.title`."""
    assert f"<title>{title}</title>" in client.get(path).content.decode()


@pytest.mark.django_db
def test_date_placeholders_read_as_examples_not_as_filled_in_dates(client):
    """A grey ۱۴۰۴/۰۸/۳۰ in an empty field passed for a date already entered (QA, 1405)."""
    import re

    from core.fields import JalaliDateFormField

    assert JalaliDateFormField().widget.attrs["placeholder"].startswith("مثلاً ")
    html = client.get("/pricing/travel/").content.decode()
    # Travellers' birth dates, one row each (issue 14 point 7).
    birth_date_input = re.search(r'<input[^>]*name="travellers"[^>]*>', html).group(0)
    assert 'placeholder="تاریخ تولد، مثلاً ' in birth_date_input
