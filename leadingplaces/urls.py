from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from partnerships import views as public_views
from partnerships.sitemaps import SITEMAPS

from . import views

urlpatterns = [
    path("", public_views.home, name="home"),
    path("accessibility/", TemplateView.as_view(template_name="accessibility.html"), name="accessibility"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", public_views.robots_txt, name="robots-txt"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.live, name="healthz-live"),
    path("admin/", admin.site.urls),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/password_reset/", views.PasswordResetRequestView.as_view(), name="password_reset"),
    path("accounts/reset/<uidb64>/<token>/", views.NewPasswordView.as_view(), name="password_reset_confirm"),
    path("accounts/password_change/", views.ChangePasswordView.as_view(), name="password_change"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("evaluations.urls")),
    path("", include("partnerships.urls")),
]

handler400 = "leadingplaces.views.bad_request"
