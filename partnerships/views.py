from django.http import Http404
from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def _not_yet(request, *args, **kwargs):
    raise Http404


phase_detail = partnership_list = partnership_csv = partnership_json = partnership_detail = _not_yet
institution_list = institution_detail = theme_detail = document_download = data_page = _not_yet
