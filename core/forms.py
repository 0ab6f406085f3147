"""The one way an HTML page runs a service (issue 15 point 3).

    form = forms.ProfileForm(request.POST or None, user=user)
    if done := submit(
        request,
        lambda: services.user_profile_update(user=user, data=form.cleaned_data),
        form=form,
        success_url="accounts:profile",
        success_message=_("نمایه ذخیره شد."),
    ):
        return done
    return render(request, "accounts/profile.html", {"form": form})

A refusal lands on the form's field it names (the page re-renders the bound form, so what
was typed stays) or above the form; without a form it is said in messages and the page goes
back. A not-found is the page's answer, not a refusal: it leaves as `NotFoundError`, which is
also Django's `Http404`, so Django answers the 404 page (`ForbiddenError`: `PermissionDenied`, 403).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from core.exceptions import ApplicationError, NotFoundError


def add_application_error(form, error: ApplicationError) -> None:
    """Show a service refusal beside the field it names (or above the form).

    A nested input's field (`params.build_year`) is the form's field of the same last
    name: the pages flatten `params` into their own inputs. A form whose inputs are named
    otherwise says where a service's input lives on it with a method
    `service_error_field(path, code) -> str | None` (the request form's `p_` prefix, the
    endorsement form's `changes` by code). An error carrying several inputs' messages
    (`errors`, e.g. pricing's ParamsError under `params`) puts each on its own field.
    """
    nested = getattr(error, "errors", None)
    if isinstance(nested, dict) and nested:
        for name, field_errors in nested.items():
            path = f"{error.field}.{name}" if error.field else name
            form.add_error(_form_field(form, path, error.code), field_errors)
        return
    form.add_error(_form_field(form, error.field, error.code), error.message)


def _form_field(form, path: str | None, code: str) -> str | None:
    """The form's field for a service's input path, or None (the form's own errors)."""
    if not path:
        return None
    own_name = getattr(form, "service_error_field", None)
    candidates = (own_name(path, code) if own_name else None, path, path.rsplit(".", 1)[-1])
    return next((name for name in candidates if name and name in form.fields), None)


def _error_has_field_on(form, error: ApplicationError) -> bool:
    nested = getattr(error, "errors", None)
    if isinstance(nested, dict) and nested:
        return True
    return _form_field(form, error.field, error.code) is not None


def submit(
    request,
    service: Callable[[], Any],
    *,
    form=None,
    success_url: Any,
    success_message: str | Callable[[Any], str | None] | None = None,
    refused_url: Any = None,
    refusal_text: Callable[[ApplicationError], str] | None = None,
    not_found_page: bool = True,
) -> HttpResponse | None:
    """Run `service()` for a posted page; the redirect after it, or None to re-render the form.

    - With a `form`: the service runs only for a bound, valid form (otherwise None: the page
      shows the form's own errors). A refusal goes onto the form (`add_application_error`)
      and None comes back, so the view renders the bound form again with what was typed;
      the error is kept as `form.refusal` for a page whose status depends on it (429). With
      `refused_url`, a refusal that names none of the form's inputs is said in messages and
      the page goes there instead (the form is for another thing than what was refused).
    - Without a form: a refusal is said in messages (`refusal_text(error)` when the page has
      more to say than the service) and the page goes to `refused_url`, else `success_url`.
    - On success: `success_message` (text, or a function of the service's result) in
      messages, then a redirect to `success_url`: anything `redirect()` takes, or a function
      of the result returning one (or a whole response, when success says more than one thing).
    - `NotFoundError` naming no input of the form leaves the helper: the middleware answers
      the 404 page, as for any chokepoint. `not_found_page=False` treats it as a refusal (a
      gateway's callback naming a payment nobody knows).
    """
    if form is not None and not (form.is_bound and form.is_valid()):
        return None
    try:
        result = service()
    except ApplicationError as error:
        on_form = form is not None and _error_has_field_on(form, error)
        if isinstance(error, NotFoundError) and not_found_page and not on_form:
            raise
        if form is not None and (on_form or refused_url is None):
            form.refusal = error
            add_application_error(form, error)
            return None
        messages.error(request, refusal_text(error) if refusal_text else error.message)
        return redirect(refused_url if refused_url is not None else success_url)
    message = success_message(result) if callable(success_message) else success_message
    if message:
        messages.success(request, message)
    target = success_url(result) if callable(success_url) else success_url
    return target if isinstance(target, HttpResponse) else redirect(target)
