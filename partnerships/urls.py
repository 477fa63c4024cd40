from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("phases/<slug:slug>/", views.phase_detail, name="phase"),
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships.csv", views.partnership_csv, name="list-csv"),
    path("partnerships.json", views.partnership_json, name="list-json"),
    path("partnerships/<slug:phase_slug>/<slug:slug>/", views.partnership_detail, name="detail"),
    path("institutions/", views.institution_list, name="institutions"),
    path("institutions/<slug:slug>/", views.institution_detail, name="institution"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("data/", views.data_page, name="data"),
]
