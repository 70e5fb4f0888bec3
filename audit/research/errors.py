"""Why content coding cannot go on, in a module of its own: the command line and the app
catch ``CodingError`` without importing scikit-learn, which ``audit.research.coding`` needs."""

from __future__ import annotations

from audit.messages import Message

__all__ = ["CodingError"]


class CodingError(ValueError):
    """Input that cannot be coded. ``message`` is a catalogue message (``coding.*``) the
    command line and the page render in the user's language; ``str()`` is its Spanish text,
    for logs."""

    def __init__(self, message: Message):
        super().__init__(message.render("es"))
        self.message = message

    def __reduce__(self):  # a worker process sends it back whole (joblib pickles errors)
        return type(self), (self.message,)
