import pytest


@pytest.mark.django_db
def test_organization_changelist_links_to_import_and_template(client, district_staff):
    client.force_login(district_staff)
    html = client.get("/admin/orgs/organization/").content.decode()
    assert 'href="/admin/orgs/registry-import/"' in html
    assert 'href="/admin/orgs/registry-import/template.xlsx"' in html
