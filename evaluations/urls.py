from django.urls import path

from . import public_views, views

app_name = "evaluations"

urlpatterns = [
    path("evaluator/", views.dashboard, name="dashboard"),
    path("evaluations/<slug:slug>/", public_views.evaluation_detail, name="detail"),
    path("evaluator/documents/<int:pk>/", views.document_download, name="document"),
]
