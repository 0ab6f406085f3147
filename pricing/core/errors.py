class InputError(Exception):
    """Inputs a calculator refuses, keyed by the parameter at fault: {"build_year": ["…"]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors

    @classmethod
    def single(cls, field: str, message: str) -> "InputError":
        return cls({field: [message]})
