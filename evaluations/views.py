from django.http import Http404


def dashboard(request):
    raise Http404


evaluation_detail = document_download = dashboard
