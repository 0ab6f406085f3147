from core.exceptions import ApplicationError


def add_application_error(form, error: ApplicationError) -> None:
    """Show a service refusal beside the field it names (or above the form).

    A nested input's field (`params.build_year`) is the form's field of the same last
    name: the pages flatten `params` into their own inputs.
    """
    field = next((name for name in (error.field, error.field_name) if name and name in form.fields), None)
    form.add_error(field, error.message)
