"""Errors a user can act on: the CLI prints them as one line, the page and API as a message."""


class UserError(Exception):
    """Something the user can fix (bad path, missing model package, wrong setting)."""


class ModelMissingError(UserError):
    """A model's registry package is not installed or its files are damaged."""


class EmbedderMismatchError(UserError):
    """The store was built with another embedder; mixing vectors would give garbage."""
