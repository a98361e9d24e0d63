"""Errors a user can act on. Each carries a message in Simplified Chinese, shown as is."""


class DomainError(Exception):
    """A refused request. `message` is shown to the user verbatim."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    pass


class NotFound(DomainError):
    pass


class StaleRecord(DomainError):
    def __init__(self, message: str = "该记录已被他人修改,请刷新后重试"):
        super().__init__(message)


class StoreBusy(DomainError):
    """The database stayed locked past the busy timeout, or the disk is full."""
