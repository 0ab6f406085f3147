"""Staff download the export from the admin (permission-checked) and regenerate it (audited)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.models import AuditLog
from saman import services
from saman.models import SamanExport
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def export():
    return services.saman_export_month(year=1403, month=12)


def download_url(export):
    return reverse("admin:saman_samanexport_download", args=[export.pk])


def test_superuser_downloads_the_file(client, export):
    client.force_login(StaffFactory())
    response = client.get(download_url(export))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="saman-1403-12-v1.txt"'
    assert b"".join(response.streaming_content).startswith(b"H|BIMEHMALL-SAMAN|1|1403|12|")


def test_customer_is_sent_to_the_admin_login(client, export):
    client.force_login(UserFactory())
    response = client.get(download_url(export))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_the_download_permission_is_refused(client, export):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_samanexport"))
    client.force_login(staff)
    assert client.get(download_url(export)).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="download_samanexport"))
    assert client.get(download_url(export)).status_code == 200


def test_changelist_links_the_download(client, export):
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:saman_samanexport_changelist"))
    assert response.status_code == 200
    assert download_url(export) in response.content.decode()


def test_regenerate_action_writes_a_new_version_and_audits_it(client, export):
    staff = StaffFactory()
    client.force_login(staff)
    response = client.post(
        reverse("admin:saman_samanexport_changelist"),
        {"action": "regenerate", "_selected_action": [export.pk]},
    )
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.version == 2
    audit = AuditLog.objects.get(action="saman.export_regenerate")
    assert audit.actor == staff
    assert audit.data["old_version"] == 1


def test_regenerate_action_is_not_offered_without_its_permission(client, export):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_samanexport"))
    client.force_login(staff)
    client.post(
        reverse("admin:saman_samanexport_changelist"), {"action": "regenerate", "_selected_action": [export.pk]}
    )
    assert SamanExport.objects.get().version == 1
