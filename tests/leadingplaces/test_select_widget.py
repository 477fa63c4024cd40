"""The project's select template writes the same options as Django's own, escaped the same way."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates

CHOICES = [
    ("", "Any phase"),
    ("Leading Places", [("phase-1", "Phase 1"), ("phase-2", 'Phase <2> & "more"')]),
    ("Growth Academy", [("a'b", "It's <b>bold</b>")]),
]


class Pick(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)


def _normalised(html):
    return re.sub(r">\s+<", "><", html).strip()


def test_a_select_renders_the_same_html_as_djangos_stock_template():
    form = Pick({"one": "phase-2", "many": ["phase-1", "a'b"]})
    for name in ("one", "many"):
        ours = str(form[name])
        stock = form.fields[name].widget.render(name, form[name].value(), {"id": f"id_{name}"}, DjangoTemplates())
        assert _normalised(ours) == _normalised(stock)


def test_option_labels_and_values_are_escaped_and_the_chosen_one_is_selected():
    html = str(Pick({"one": "a'b"})["one"])
    assert '<option value="a&#x27;b" selected>It&#x27;s &lt;b&gt;bold&lt;/b&gt;</option>' in html
    assert "Phase &lt;2&gt; &amp; &quot;more&quot;" in html
    assert '<optgroup label="Leading Places">' in html
