import pytest

REGISTRATION = {"first_name": "مریم", "last_name": "احمدی", "national_code": "0499370899"}


@pytest.fixture
def post_and_commit(api_client, django_capture_on_commit_callbacks):
    """POST through the API and run the on-commit callbacks (the SMS dispatch), like production."""

    def post(path, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return api_client.post(path, data, format="json", **extra)

    return post


@pytest.fixture
def register(post_and_commit):
    def do(mobile="09121234567", **overrides):
        return post_and_commit("/api/v1/auth/register/", {"mobile": mobile, **REGISTRATION, **overrides})

    return do


@pytest.fixture
def request_code(post_and_commit):
    def do(mobile, **extra):
        return post_and_commit("/api/v1/auth/otp/", {"mobile": mobile}, **extra)

    return do


@pytest.fixture
def verify(api_client):
    def do(mobile, code):
        return api_client.post("/api/v1/auth/verify/", {"mobile": mobile, "code": code}, format="json")

    return do


def wrong(code):
    """A code guaranteed to differ from `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"
