from django.urls import path
from django.views.generic import RedirectView

from . import public_views, views

app_name = "evaluations"

urlpatterns = [
    path("evaluations/<slug:slug>/", public_views.evaluation_detail, name="detail"),
    path("evaluator/", views.dashboard, name="dashboard"),
    path("evaluator/<int:pk>/", views.workspace, name="workspace"),
    path("evaluator/<int:pk>/findings/add/", views.finding_add, name="finding-add"),
    path("evaluator/<int:pk>/findings/<int:finding_pk>/edit/", views.finding_edit, name="finding-edit"),
    path("evaluator/<int:pk>/findings/<int:finding_pk>/delete/", views.finding_delete, name="finding-delete"),
    path("evaluator/<int:pk>/findings/<int:finding_pk>/move/", views.finding_move, name="finding-move"),
    path("evaluator/<int:pk>/progress/", views.progress, name="progress"),
    path("evaluator/<int:pk>/documents/add/", views.document_add, name="document-add"),
    path("evaluator/<int:pk>/documents/<int:document_pk>/edit/", views.document_edit, name="document-edit"),
    path("evaluator/<int:pk>/documents/<int:document_pk>/delete/", views.document_delete, name="document-delete"),
    path("evaluator/<int:pk>/submit/", views.submit, name="submit"),
    path("evaluator/<int:pk>/review/", views.review, name="review"),
    # Under /evaluations/, where the public pages are: a published evaluation's documents are public.
    path("evaluations/documents/<int:pk>/", views.document_download, name="document"),
    path(  # where its documents were first, kept for links made then
        "evaluator/documents/<int:pk>/",
        RedirectView.as_view(pattern_name="evaluations:document", permanent=True),
        name="document-old-address",
    ),
]
