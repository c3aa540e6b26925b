from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = admin.site.site_title = "CRM Đối ngoại"
admin.site.index_title = "Quan hệ đối ngoại"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("calendar/", include("api.feed_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage answers 503 with Retry-After; anything else is Django's own 500 page.
handler500 = "crm.views.server_error"
# Under /api/, an address no route matches answers the API's JSON 404, not Django's page.
handler404 = "crm.views.not_found"
