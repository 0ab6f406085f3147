"""Plain SQL for the few hot reads where building and compiling the ORM's query costs more
than the database's work (issue 16: the agent's inbox and its gateway check). Names come from
the models' `_meta`, quoted for the database in use; values go as `%s` placeholders; what
comes back is converted as the ORM would (`row_converters`), so SQLite and PostgreSQL agree.
"""

from django.db import connection


def sql_names(**models) -> dict[str, str]:
    """`{alias}_table` and `{alias}_{field name}` for each `alias=Model`, quoted: the names a
    statement template is `.format`ted with (`d_agent` is Delivery's "agent_id")."""
    quote = connection.ops.quote_name
    names = {}
    for alias, model in models.items():
        names[f"{alias}_table"] = quote(model._meta.db_table)
        names.update({f"{alias}_{field.name}": quote(field.column) for field in model._meta.concrete_fields})
    return names


def row_converters(fields) -> tuple:
    """For each field (by position in the row), the database's and the field's converters,
    as the ORM applies them: JSON text parsed, SQLite's datetime text made aware, and so on."""
    converters = []
    for index, field in enumerate(fields):
        if field is None:
            continue
        column = field.get_col(field.model._meta.db_table)
        converters += [
            (index, convert, column)
            for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        ]
    return tuple(converters)


def convert_row(values: list, converters) -> list:
    for index, convert, column in converters:
        values[index] = convert(values[index], column, connection)
    return values


def instance_from_row(model, values: list):
    """A model instance from the values of its concrete fields, in `_meta` order, converted."""
    return model.from_db(connection.alias, None, convert_row(list(values), _model_converters(model, connection.vendor)))


_CONVERTERS: dict = {}


def _model_converters(model, vendor: str) -> tuple:
    key = (model, vendor)
    if key not in _CONVERTERS:
        _CONVERTERS[key] = row_converters(model._meta.concrete_fields)
    return _CONVERTERS[key]


def columns_of(alias: str, model, names: dict[str, str]) -> list[str]:
    """`alias.column` for each concrete field of `model`, in `_meta` order (for `one_with_related`)."""
    return [f"{alias}.{names[f'{alias}_{field.name}']}" for field in model._meta.concrete_fields]


def one_with_related(model, relation: str, statement: str, params: list):
    """The first row of `statement`, `model`'s concrete fields then those of the model its
    foreign key `relation` points to, as an instance with that relation loaded (as
    `select_related` would); None when there is no row."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(model._meta.concrete_fields)
    field = model._meta.get_field(relation)
    instance = instance_from_row(model, row[:width])
    field.set_cached_value(instance, instance_from_row(field.related_model, row[width:]))
    return instance
