"""Staff pages of the registry import, mounted under admin/orgs/registry-import/ (before the admin)."""

from django.urls import path

from orgs.views import registry_io

app_name = "registry_io"
urlpatterns = [
    path("", registry_io.import_start, name="start"),
    path("template.xlsx", registry_io.template_download, name="template"),
    path("<int:pk>/", registry_io.import_detail, name="detail"),
    path("<int:pk>/commit/", registry_io.import_commit, name="commit"),
    path("<int:pk>/retry/", registry_io.import_retry, name="retry"),
    path("<int:pk>/file/", registry_io.import_file, name="file"),
    path("<int:pk>/progress/", registry_io.import_progress, name="progress"),
]
