"use strict";
// Django's autocomplete boxes ask for their choices by the field's name alone (admin/js/
// autocomplete.js). A box with data-scope-field also sends the value of that field of its form,
// so that, say, an evaluation's "partnerships looked at in detail" offers only the partnerships
// of the phase chosen above it. This is Django's own setup of the box, with that one addition;
// it runs before Django sets the boxes up, when the page has loaded.
{
  const $ = django.jQuery;

  $.fn.djangoAdminSelect2 = function () {
    $.each(this, function (i, element) {
      $(element).select2({
        ajax: {
          data: (params) => {
            const query = {
              term: params.term,
              page: params.page,
              app_label: element.dataset.appLabel,
              model_name: element.dataset.modelName,
              field_name: element.dataset.fieldName,
            };
            const scope = element.dataset.scopeField;
            if (scope) {
              query[scope] = element.form.elements.namedItem(scope)?.value ?? "";
            }
            return query;
          },
        },
      });
    });
    return this;
  };
}
