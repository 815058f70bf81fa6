"""The reveal log records the client's address as the trusted proxies saw it (accounts.client_address)."""

from django.test import Client

from members.models import RevealLog
from tests.members.factories import MemberFactory


def test_reveal_log_address_behind_proxy_is_the_trusted_hop_not_the_forged_left_end(pos, superuser, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    member = MemberFactory()
    client = Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.9")
    client.force_login(superuser)

    response = client.post(
        f"/admin/members/member/{member.pk}/reveal/", {"field": "id_number", "reason": "核对档案"}
    )

    assert response.status_code == 200
    assert RevealLog.objects.get().ip_address == "10.1.1.9"
