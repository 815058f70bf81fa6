from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import media, views

urlpatterns = [
    path("", include("news.urls_public")),  # public:home, public:search, sitemap.xml
    path("news/", include("news.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    # The language switch carries no CSRF token, so that public pages hold nothing per visitor and
    # can be cached whole (config/page_cache.py); all a forged request could do is switch the
    # language. Django's view still only redirects to a safe `next`.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("portal/org/", include("orgs.urls_portal")),
    path("portal/branch/", include("branches.urls_portal")),
    path("portal/members/", include("members.urls_portal")),
    path("portal/events/", include("events.urls_portal")),
    path("portal/alliances/", include("alliances.urls_portal")),
    path("portal/dues/", include("dues.urls_portal")),
    path("portal/dashboard/", include("stats.dashboard.urls")),  # staff coverage dashboard
    path("portal/", include("accounts.urls_portal")),
    path("orgs/", include("orgs.urls_public")),
    path("events/", include("events.urls_public")),
    path("alliances/", include("alliances.urls_public")),
    path("admin/orgs/registry-import/", include("orgs.urls_registry_io")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]

# Public uploads when no nginx serves /media/ (config/media.py); with nginx this is never reached.
urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.public_media, name="media"))
