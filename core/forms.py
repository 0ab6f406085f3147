from core.exceptions import ApplicationError


def add_application_error(form, error: ApplicationError) -> None:
    """Show a service refusal beside the field it names (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
